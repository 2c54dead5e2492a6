/**
 * At most `limit` backend requests in flight; the rest wait in order. Also
 * measures the time during which at least one request was in flight.
 */
export class RequestLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private busySince = 0;
  private busyMs = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a whole number >= 1');
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) {
      if (this.active++ === 0) this.busySince = performance.now();
    } else {
      // The finishing task hands its slot over, so the count never overshoots.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else if (--this.active === 0) this.busyMs += performance.now() - this.busySince;
    }
  }

  get inFlight(): number {
    return this.active;
  }

  /** Milliseconds with at least one request in flight, since creation. */
  get busyTime(): number {
    return this.busyMs + (this.active > 0 ? performance.now() - this.busySince : 0);
  }
}
