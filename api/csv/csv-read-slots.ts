import { TooManyRequestsError } from '../errors';

/** A CSV read under way; releasing it twice frees one slot only. */
export interface CsvReadSlot {
  release(): void;
}

/**
 * The CSV files (imports and dry runs) this instance reads at once,
 * CSV_PARSE_CONCURRENCY: each holds memory while it is parsed and worked, so
 * more at once are turned away (429) before their bodies are read, rather than
 * queued with their bodies held.
 */
export interface CsvReadSlots {
  /** A slot, or a TooManyRequestsError with the seconds to wait (Retry-After). */
  take(): CsvReadSlot;
  /** Slots held now. */
  readonly inUse: number;
}

/** Recent reads whose length is the Retry-After: enough to follow a change of files, few enough to forget old ones. */
const REMEMBERED_READS = 8;
const MAX_RETRY_AFTER_SECONDS = 60;

/**
 * Slots for `limit` reads at once. The Retry-After a refusal gives is how long
 * recent reads held their slot on average (1 second before any has ended), so
 * a client told to wait comes back about when a slot frees.
 */
export function createCsvReadSlots(limit: number, now: () => number = () => performance.now()): CsvReadSlots {
  let inUse = 0;
  const recentMs: number[] = [];
  const retryAfterSeconds = () => {
    if (recentMs.length === 0) return 1;
    const averageMs = recentMs.reduce((sum, ms) => sum + ms, 0) / recentMs.length;
    return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(averageMs / 1000)));
  };
  return {
    get inUse() {
      return inUse;
    },
    take() {
      if (inUse >= limit) {
        const seconds = retryAfterSeconds();
        throw new TooManyRequestsError(
          'csv_reads_busy',
          `This server is reading ${limit === 1 ? 'a CSV file' : `${limit} CSV files`} already; send the file again in ${seconds} second${seconds === 1 ? '' : 's'}`,
          seconds,
        );
      }
      inUse++;
      const startedAt = now();
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          inUse--;
          recentMs.push(now() - startedAt);
          if (recentMs.length > REMEMBERED_READS) recentMs.shift();
        },
      };
    },
  };
}
