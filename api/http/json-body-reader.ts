import type { Next, Request, Response } from 'restify';
import { errorBody } from './error-body';

/**
 * Reads a request's body (JSON routes and the bot; upload routes read their
 * own) into `req.body` as text for restify's JSON parser, keeping at most
 * `maxBytes`. restify's bodyReader reads a body whole before it compares its
 * size, so a client declaring gigabytes kept a request (and memory) busy for
 * as long as it sent. Here a declared Content-Length over the limit is
 * answered 413 before a byte of the body is read, and a body without a length
 * (chunked) is answered 413 as soon as it passes the limit; either way the
 * connection closes after the answer, so the rest is never read.
 */
export function jsonBodyReader(maxBytes: number) {
  return (req: Request, res: Response, next: Next): void => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      refuseTooLarge(res, maxBytes, `The request body is ${declared} bytes; this API accepts at most ${maxBytes} (MAX_BODY_BYTES)`);
      next(false);
      return;
    }
    if (declared === 0 && req.headers['transfer-encoding'] === undefined) {
      next();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (proceed: boolean) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      if (proceed) {
        (req as Request & { body?: unknown }).body = Buffer.concat(chunks).toString('utf8');
        next();
      } else {
        next(false);
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      refuseTooLarge(res, maxBytes, `The request body is over the ${maxBytes} bytes this API accepts (MAX_BODY_BYTES)`);
      // Nothing more is read: the socket closes once the answer is out.
      req.pause();
      settle(false);
    };
    req.on('data', onData);
    req.once('end', () => settle(true));
    // The client went away, or the request timed out (REQUEST_TIMEOUT_MS) and Node cut it: nobody to answer.
    req.once('error', () => settle(false));
    req.once('close', () => settle(false));
  };
}

function refuseTooLarge(res: Response, maxBytes: number, message: string): void {
  res.setHeader('connection', 'close');
  res.send(413, errorBody('payload_too_large', message, { maxBodyBytes: maxBytes }));
}
