import type { Collection, ObjectId } from 'mongodb';
import type { SyncRunDocument } from './sync-run-document';

/** Failed runs in a row counted at most: past it, "100 or more" is all a person needs to know. */
export const FAILURES_COUNTED = 100;

export interface FailureStreak {
  /** This run and the real runs before it that failed, up to the last success (at most FAILURES_COUNTED). */
  count: number;
  /** The last real run that succeeded before the streak (null: none ever did): the streak's name, the same for each of its failures. */
  since: ObjectId | null;
}

/**
 * The failures in a row that `run` (a real run that failed) belongs to. Read
 * while the run may still show as running, so the run itself is counted
 * whatever its stored state.
 */
export async function failureStreakOf(
  runs: Collection<SyncRunDocument>,
  run: Pick<SyncRunDocument, '_id' | 'customerId' | 'partnerId' | 'createdAt'>,
): Promise<FailureStreak> {
  // Runs started before this one only: a streak is what led up to this run, whatever ran since.
  const filter = { customerId: run.customerId, partnerId: run.partnerId, dryRun: false, _id: { $ne: run._id }, createdAt: { $lte: run.createdAt } };
  const [earlier, lastSuccess] = await Promise.all([
    runs
      .find({ ...filter, state: { $in: ['succeeded', 'failed'] } }, { projection: { state: 1 } })
      .sort({ createdAt: -1, _id: -1 })
      .limit(FAILURES_COUNTED - 1)
      .toArray(),
    runs.findOne({ ...filter, state: 'succeeded' }, { projection: { _id: 1 }, sort: { createdAt: -1, _id: -1 } }),
  ]);
  const before = earlier.findIndex((r) => r.state === 'succeeded');
  return { count: 1 + (before === -1 ? earlier.length : before), since: lastSuccess?._id ?? null };
}

/** Why a failed run stopped: the last of its problems (the runner adds "The sync stopped: ..." last). */
export function stopMessageOf(errors: readonly { message: string }[]): string {
  return errors[errors.length - 1]?.message ?? 'The sync failed';
}
