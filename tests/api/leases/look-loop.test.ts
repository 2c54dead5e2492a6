import { LookLoop } from '../../../api/leases/look-loop';

/** A look that waits until the test lets it end. */
function gatedLooks() {
  const started: (() => void)[] = [];
  const look = jest.fn(() => new Promise<void>((resolve) => started.push(resolve)));
  return { look, endLook: () => started.shift()!() };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('LookLoop', () => {
  it('looks once at a time; kicks during a look ask for one more look right after it, not one each', async () => {
    const { look, endLook } = gatedLooks();
    const loop = new LookLoop(look, 60_000, jest.fn());
    loop.kick();
    loop.kick();
    loop.kick();
    expect(look).toHaveBeenCalledTimes(1);
    endLook();
    await settle();
    expect(look).toHaveBeenCalledTimes(2);
    endLook();
    await loop.current;
    await settle();
    expect(look).toHaveBeenCalledTimes(2);
    expect(loop.current).toBeUndefined();
  });

  it('tells of a failed look and looks again at the next kick', async () => {
    const failed = jest.fn();
    const look = jest.fn().mockRejectedValueOnce(new Error('MongoDB is unreachable')).mockResolvedValue(undefined);
    const loop = new LookLoop(look, 60_000, failed);
    loop.kick();
    await loop.current;
    expect(failed).toHaveBeenCalledWith(expect.objectContaining({ message: 'MongoDB is unreachable' }));
    loop.kick();
    await loop.current;
    expect(look).toHaveBeenCalledTimes(2);
  });

  it('looks at start and every pollMs, and not at all once stopped', async () => {
    jest.useFakeTimers();
    try {
      const look = jest.fn().mockResolvedValue(undefined);
      const loop = new LookLoop(look, 1000, jest.fn());
      loop.start();
      expect(look).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(3000);
      expect(look).toHaveBeenCalledTimes(4);
      loop.stop();
      expect(loop.stopped).toBe(true);
      loop.kick();
      await jest.advanceTimersByTimeAsync(3000);
      expect(look).toHaveBeenCalledTimes(4);
      // Started again, it looks again.
      loop.start();
      expect(loop.stopped).toBe(false);
      expect(look).toHaveBeenCalledTimes(5);
      loop.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});
