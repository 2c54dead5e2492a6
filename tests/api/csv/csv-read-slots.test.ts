import { createCsvReadSlots } from '../../../api/csv/csv-read-slots';
import { TooManyRequestsError } from '../../../api/errors';

const refusal = (take: () => unknown) => {
  try {
    take();
  } catch (error) {
    return error as TooManyRequestsError;
  }
  throw new Error('a slot was given');
};

describe('the CSV files one instance reads at once', () => {
  it('gives as many slots as its limit, then refuses with a 429 that says when to come back', () => {
    const slots = createCsvReadSlots(2);
    slots.take();
    slots.take();
    expect(slots.inUse).toBe(2);
    const refused = refusal(() => slots.take());
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect(refused).toMatchObject({ status: 429, code: 'csv_reads_busy', retryAfterSeconds: 1 });
    expect(refused.message).toBe('This server is reading 2 CSV files already; send the file again in 1 second');
    expect(slots.inUse).toBe(2);
  });

  it('frees a slot when a read releases it, once however often it is released', () => {
    const slots = createCsvReadSlots(1);
    const first = slots.take();
    first.release();
    first.release();
    expect(slots.inUse).toBe(0);
    const second = slots.take();
    expect(() => slots.take()).toThrow(TooManyRequestsError);
    second.release();
    expect(slots.inUse).toBe(0);
  });

  it('asks to come back after the time recent reads held their slot on average, in whole seconds', () => {
    let now = 0;
    const slots = createCsvReadSlots(1, () => now);
    const read = (ms: number) => {
      const slot = slots.take();
      now += ms;
      slot.release();
    };
    read(2_000);
    read(4_500);
    slots.take();
    // (2.0 s + 4.5 s) / 2, rounded up.
    expect(refusal(() => slots.take())).toMatchObject({ retryAfterSeconds: 4, message: expect.stringContaining('in 4 seconds') });
  });

  it('never asks for less than a second or more than a minute', () => {
    let now = 0;
    const quick = createCsvReadSlots(1, () => now);
    quick.take().release();
    quick.take();
    expect(refusal(() => quick.take()).retryAfterSeconds).toBe(1);

    const slow = createCsvReadSlots(1, () => now);
    const slot = slow.take();
    now += 10 * 60_000;
    slot.release();
    slow.take();
    expect(refusal(() => slow.take()).retryAfterSeconds).toBe(60);
  });
});
