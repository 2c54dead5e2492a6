import { RequestLimiter } from '../../../api/backend/request-limiter';

/** A promise settled from outside. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** Lets every queued promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('RequestLimiter', () => {
  it('never runs more than its limit at once', async () => {
    const limiter = new RequestLimiter(3);
    let running = 0;
    let most = 0;
    const gates = Array.from({ length: 10 }, () => deferred());
    const results = gates.map((gate, i) =>
      limiter.run(async () => {
        running++;
        most = Math.max(most, running);
        await gate.promise;
        running--;
        return i;
      }),
    );

    await settle();
    expect(running).toBe(3);
    expect(limiter.inFlight).toBe(3);
    // Finish them one by one, out of order; the count never overshoots.
    for (const index of [2, 0, 1, 5, 3, 4, 9, 6, 7, 8]) {
      gates[index]!.resolve();
      await settle();
      expect(running).toBeLessThanOrEqual(3);
    }

    await expect(Promise.all(results)).resolves.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
    expect(limiter.inFlight).toBe(0);
  });

  it('runs waiting tasks in order of arrival', async () => {
    const limiter = new RequestLimiter(2);
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const task = (name: string) => {
      const gate = deferred();
      gates.set(name, gate);
      return limiter.run(async () => {
        started.push(name);
        await gate.promise;
      });
    };

    const runs = ['a', 'b', 'c', 'd', 'e'].map(task);
    await settle();
    expect(started).toEqual(['a', 'b']);

    gates.get('b')!.resolve();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);

    // A task arriving now queues behind d and e, even though a slot frees at once.
    gates.get('a')!.resolve();
    runs.push(task('f'));
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);

    for (const name of ['c', 'd', 'e', 'f']) {
      gates.get(name)!.resolve();
      await settle();
    }
    await Promise.all(runs);
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(limiter.inFlight).toBe(0);
  });

  it('releases the slot when a task rejects, and passes the rejection on', async () => {
    const limiter = new RequestLimiter(1);
    const failure = new Error('boom');

    const failed = limiter.run(() => Promise.reject(failure));
    const next = limiter.run(async () => 'next');

    await expect(failed).rejects.toBe(failure);
    await expect(next).resolves.toBe('next');
    expect(limiter.inFlight).toBe(0);
  });

  it('releases the slot when a task throws before returning a promise', async () => {
    const limiter = new RequestLimiter(1);
    const failure = new Error('sync boom');

    const failed = limiter.run((): Promise<string> => {
      throw failure;
    });

    await expect(failed).rejects.toBe(failure);
    await expect(limiter.run(async () => 'after')).resolves.toBe('after');
    expect(limiter.inFlight).toBe(0);
  });

  it('counts busy time only while something runs', async () => {
    const limiter = new RequestLimiter(2);
    expect(limiter.busyTime).toBe(0);
    await sleep(20);
    expect(limiter.busyTime).toBe(0);

    const gate = deferred();
    const run = limiter.run(() => gate.promise);
    await sleep(30);
    const during = limiter.busyTime;
    expect(during).toBeGreaterThanOrEqual(25);
    await sleep(10);
    // Still running: it keeps growing.
    expect(limiter.busyTime).toBeGreaterThan(during);

    gate.resolve();
    await run;
    const after = limiter.busyTime;
    await sleep(30);
    // Idle: it stands still.
    expect(limiter.busyTime).toBe(after);
    expect(after).toBeGreaterThanOrEqual(35);
  });

  it('counts overlapping tasks once', async () => {
    const limiter = new RequestLimiter(2);
    const started = performance.now();
    await Promise.all([limiter.run(() => sleep(40)), limiter.run(() => sleep(40))]);
    const elapsed = performance.now() - started;
    const busy = limiter.busyTime;
    expect(busy).toBeGreaterThanOrEqual(35);
    // Within the time both took together (counted twice it would be near the sum), however loaded the machine.
    expect(busy).toBeLessThanOrEqual(elapsed + 1);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the limit %p', (limit) => {
    expect(() => new RequestLimiter(limit)).toThrow(RangeError);
  });

  it('keeps its limit', () => {
    expect(new RequestLimiter(4).limit).toBe(4);
  });
});
