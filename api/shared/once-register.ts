import type { Collection } from 'mongodb';
import { defineCollection } from '../storage/collection-definition';
import { isDuplicateKeyError } from '../storage/duplicate-key';

export interface OnceDocument {
  _id: string;
  createdAt: Date;
  /** What the first run answered, for a repeat to show the same. */
  result?: unknown;
}

// Once-keys (retried activities, confirmation cards) matter for days, not forever.
export const onceCollection = defineCollection<OnceDocument>('once', [
  { key: { createdAt: 1 }, expireAfterSeconds: 14 * 24 * 3600, name: 'once_ttl' },
]);

/**
 * Makes something happen once across retries and double clicks (a retried bot
 * activity, a card confirmed twice): the first caller to claim a key runs it,
 * later callers get the first one's result. Shared by every instance.
 */
export class OnceRegister {
  constructor(private readonly once: Collection<OnceDocument>) {}

  /** true: yours to run. Otherwise the recorded result (undefined while the first run is still going). */
  async claim(key: string): Promise<{ first: true } | { first: false; result: unknown }> {
    try {
      await this.once.insertOne({ _id: key, createdAt: new Date() });
      return { first: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.once.findOne({ _id: key });
      return { first: false, result: existing?.result };
    }
  }

  async complete(key: string, result: unknown): Promise<void> {
    await this.once.updateOne({ _id: key }, { $set: { result } });
  }

  /** The first run failed: the next caller may try again. */
  async release(key: string): Promise<void> {
    await this.once.deleteOne({ _id: key, result: { $exists: false } });
  }

  /** Keeps what was shown (e.g. the numbers on a confirmation card), for the server to act on later. */
  async remember(key: string, value: unknown): Promise<void> {
    await this.once.insertOne({ _id: key, createdAt: new Date(), result: value });
  }

  async recall(key: string): Promise<unknown> {
    return (await this.once.findOne({ _id: key }))?.result;
  }
}
