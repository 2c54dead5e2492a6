import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody } from './error-body';
import { securityHeadersFor } from './security-headers';

/** Node's http server fields for its deadlines that @types/node does not declare. */
type HttpServerWithChecks = Server & { connectionsCheckingInterval: number };

/**
 * Deadlines on what a client sends, so a request that stalls (headers or body
 * trickling, then nothing: slowloris) is cut off instead of holding a socket
 * and a handler for ever:
 * - the whole request (headers and body) must arrive within `requestTimeoutMs`
 *   (Node's requestTimeout and headersTimeout), else 408 and the connection closes;
 *   once it has arrived, the answer may take its time;
 * - a connection on which nothing moves either way for twice that is closed
 *   once its answer has begun: a dead client of a download (exports stream
 *   from a cursor with backpressure, so a client that stops reading would
 *   hold the cursor). A slow download that keeps reading moves bytes, so it
 *   is never cut, and an answer the server is still working out (a long dry
 *   run, a slow backend) is not cut either: it is the server that is quiet.
 * Call before the server listens.
 */
export function applyConnectionLimits(server: Server, requestTimeoutMs: number): void {
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = requestTimeoutMs;
  // Node checks both deadlines on this interval (30 s by default, read when the server starts
  // listening): a tenth of the deadline cuts a stalled request at most 10 % late.
  (server as HttpServerWithChecks).connectionsCheckingInterval = Math.min(5_000, Math.max(100, Math.floor(requestTimeoutMs / 10)));
  const answering = new WeakMap<Duplex, ServerResponse>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => answering.set(req.socket, res));
  server.setTimeout(requestTimeoutMs * 2, (socket: Duplex) => {
    const res = answering.get(socket);
    if (res && !res.headersSent && !res.writableEnded) return;
    socket.destroy();
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, requestTimeoutMs));
}

/**
 * Node's own answers to what never became a request (timed out, malformed,
 * headers too large), in our error shape and with our headers; like Node,
 * only when nothing was written on the connection yet, then it is closed.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, requestTimeoutMs: number): void {
  const bytesWritten = (socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0;
  if (!socket.writable || bytesWritten > 0) {
    socket.destroy();
    return;
  }
  const [status, reason, body] = clientErrorAnswer(error.code, requestTimeoutMs);
  const text = JSON.stringify(body);
  const headers = {
    ...securityHeadersFor('api', false),
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${head}\r\n${text}`);
}

function clientErrorAnswer(code: string | undefined, requestTimeoutMs: number): [number, string, ReturnType<typeof errorBody>] {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request Timeout', errorBody('request_timeout', `The request did not arrive whole within ${requestTimeoutMs / 1000} s (REQUEST_TIMEOUT_MS)`)];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'Request Header Fields Too Large', errorBody('headers_too_large', 'The request headers are too large')];
    default:
      return [400, 'Bad Request', errorBody('bad_request', 'The request is not valid HTTP')];
  }
}
