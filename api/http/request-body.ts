import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors';

/**
 * A request's body read as the route asks for it. What arrives ahead of the
 * route is kept up to `aheadBytes` (an upload's size limit), and the socket
 * paused only beyond it: so a valid upload is received whole while the route
 * works through it (REQUEST_TIMEOUT_MS counts until the request is received,
 * and must not count the server's own work), and never more than the limit
 * is held. Once the route is done (answered, refused, failed), `drain` reads
 * and drops what it left, so its answer still reaches a client that is
 * sending, and the connection can carry the next request.
 */
export class RequestBody implements AsyncIterable<Uint8Array> {
  private readonly waiting: Buffer[] = [];
  private waitingBytes = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly req: IncomingMessage,
    private readonly aheadBytes = 0,
  ) {
    if (req.readableEnded) {
      this.ended = true;
      return;
    }
    if (req.destroyed) {
      this.failure = cutOff();
      return;
    }
    req.on('data', this.take);
    req.once('end', () => this.settle(() => (this.ended = true)));
    req.once('error', () => this.settle(() => (this.failure ??= cutOff())));
    // Closed before its end: the client went away mid-upload.
    req.once('close', () => this.settle(() => (this.ended ? undefined : (this.failure ??= cutOff()))));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = this.waiting.shift();
      if (chunk) {
        this.waitingBytes -= chunk.length;
        if (!this.ended && this.waitingBytes <= this.aheadBytes) this.req.resume();
        yield chunk;
      } else if (this.failure) {
        throw this.failure;
      } else if (this.ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    }
  }

  /** Reads and drops the rest of the body; a reader still waiting on it is told the route is done with it. */
  drain(): void {
    this.waiting.length = 0;
    this.waitingBytes = 0;
    this.settle(() => (this.failure ??= new Error('the route is done with the request body')));
    if (this.req.readableEnded || this.req.destroyed) return;
    this.req.off('data', this.take);
    this.req.on('data', () => undefined);
    this.req.resume();
  }

  private readonly take = (chunk: Buffer) => {
    this.waiting.push(chunk);
    this.waitingBytes += chunk.length;
    if (this.waitingBytes > this.aheadBytes) this.req.pause();
    this.settle(() => undefined);
  };

  private settle(change: () => unknown): void {
    change();
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

function cutOff(): AppError {
  return new AppError(400, 'upload_cut_off', 'The upload stopped before the end of the file; send it again');
}
