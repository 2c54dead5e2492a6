import { ObjectId, type Collection } from 'mongodb';
import { actorOf, type Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import { isDuplicateKeyError } from '../storage/duplicate-key';
import type { NumberDocument } from './number-document';
import { settle } from './number-outcomes';
import type { AddResult } from './number-schemas';
import { STATUS_TEXT } from './number-status';

/** Documents per insertMany: the design's "one insertMany per 1,000". */
export const INSERT_BATCH = 1_000;
const INSERT_ATTEMPTS = 3;

type Existing = Pick<NumberDocument, 'e164' | 'customerId' | 'removal' | 'addedByJob'>;

/**
 * How added numbers land on a customer: each row settled against the numbers
 * that exist (a number belongs to one customer in the whole system), the new
 * ones inserted in batches, the ones whose removal is pending restored; safe
 * to repeat (a job's batch worked again after a take-over), and against the
 * emulator's all-or-nothing insertMany.
 */
export class NumberPlacement {
  constructor(private readonly numbers: Collection<NumberDocument>) {}

  /**
   * Settles each result against the numbers that exist (one $in look-up) and
   * writes the new ones (one insertMany per 1,000) and the restored ones (one
   * updateMany); `results` are changed in place. Returns what landed and how
   * many numbers the customer gained.
   */
  async place(
    caller: Caller,
    customer: CustomerDocument,
    results: AddResult[],
    now: Date,
    job?: { jobId: ObjectId; rows: number[] },
    dryRun?: { seen: Set<string> },
  ): Promise<{ landed: Set<string>; added: number }> {
    const candidates = results.flatMap((result, index) => (result.e164 === undefined ? [] : [{ result, row: job?.rows[index] }]));
    if (job && !dryRun && (await this.insertAllNew(caller, customer, candidates, now, job.jobId))) {
      return { landed: new Set(candidates.map((c) => c.result.e164!)), added: candidates.filter((c) => c.result.outcome === 'added').length };
    }
    const existing = await this.findExisting(candidates.map((c) => c.result.e164!));
    const toInsert = new Map<string, NumberDocument>();
    const toRestore = new Set<string>();
    const seen = dryRun?.seen ?? new Set<string>();
    for (const { result, row } of candidates) {
      const e164 = result.e164!;
      const owner = existing.get(e164);
      if (seen.has(e164)) settle(result, 'already-present', 'listed more than once');
      else if (job && owner?.addedByJob?.jobId.equals(job.jobId)) {
        // This job added it: in this row before (the batch is worked again), or in an earlier row.
        if (owner.addedByJob.row !== row) settle(result, 'already-present', 'listed more than once');
      } else {
        settleByOwner(result, owner, customer, toInsert, toRestore, () => newNumber(caller, customer, e164, now, job && row !== undefined ? { jobId: job.jobId, row } : undefined));
      }
      if (toRestore.has(e164) && removalInProgress(owner!, customer, now)) {
        toRestore.delete(e164);
        settle(result, 'invalid', 'a sync running now is removing this number from the backend; add it again when that sync has finished');
      }
      seen.add(e164);
    }

    let added = 0;
    const landed = new Set<string>();
    if (dryRun) return { landed, added };
    if (toRestore.size > 0) {
      // Adding back a number whose removal is still pending cancels the removal.
      const filter = {
        customerId: customer._id,
        removal: { $exists: true },
        ...(customer.syncLease ? { 'removal.runId': { $ne: customer.syncLease.runId } } : {}),
      };
      if (job) {
        // A job's row is kept on the number, so the batch worked again after a take-over says "added" again.
        const rowOf = new Map(candidates.map(({ result, row }) => [result.e164!, row]));
        const restored = await this.numbers.bulkWrite(
          [...toRestore].map((e164) => ({
            updateOne: {
              filter: { ...filter, e164 },
              update: { $unset: { removal: '' }, $set: { addedByJob: { jobId: job.jobId, row: rowOf.get(e164)! } } },
            },
          })),
          { ordered: false },
        );
        added += restored.modifiedCount;
      } else {
        const restored = await this.numbers.updateMany({ ...filter, e164: { $in: [...toRestore] } }, { $unset: { removal: '' } });
        added += restored.modifiedCount;
      }
      toRestore.forEach((e164) => landed.add(e164));
    }
    // A job's batch is bounded already: one insertMany for all of it (one round trip).
    const lost = await this.insertNew([...toInsert.values()], landed, job ? Math.max(1, toInsert.size) : INSERT_BATCH);
    added += toInsert.size - lost.length;
    if (lost.length > 0) {
      // Someone else added these meanwhile: say who holds them now.
      const owners = await this.findExisting(lost);
      for (const { result } of candidates) {
        if (!lost.includes(result.e164!)) continue;
        const owner = owners.get(result.e164!);
        if (owner && !owner.customerId.equals(customer._id)) settle(result, 'owned-elsewhere', OWNED_ELSEWHERE);
        else settle(result, 'already-present', 'already on this customer');
      }
    }
    return { landed, added };
  }

  /**
   * A job's batch is most often all new numbers (an import, a large paste to a
   * new customer): then one insertMany writes it, with no look-up first. Any
   * number that exists already (here, at another customer, added by this job
   * before, being removed) makes the insert fail on the unique e164 index, and
   * the batch is settled the usual way, look-up first; what this insert
   * wrote meanwhile (MongoDB writes the rest of an unordered batch) carries
   * this job's row, so the usual way reads it as added by this row.
   */
  private async insertAllNew(
    caller: Caller,
    customer: CustomerDocument,
    candidates: { result: AddResult; row: number | undefined }[],
    now: Date,
    jobId: ObjectId,
  ): Promise<boolean> {
    const seen = new Set<string>();
    const documents: NumberDocument[] = [];
    for (const { result, row } of candidates) {
      if (seen.has(result.e164!)) continue;
      seen.add(result.e164!);
      documents.push(newNumber(caller, customer, result.e164!, now, { jobId, row: row! }));
    }
    if (documents.length === 0) return false;
    try {
      await this.numbers.insertMany(documents, { ordered: false });
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
    const first = new Set<string>();
    for (const { result } of candidates) {
      if (first.has(result.e164!)) settle(result, 'already-present', 'listed more than once');
      first.add(result.e164!);
    }
    return true;
  }

  private async findExisting(e164s: string[]): Promise<Map<string, Existing>> {
    // A batch of a file may hold no number at all (every row invalid): no round trip for it.
    if (e164s.length === 0) return new Map();
    const found = await this.numbers
      .find({ e164: { $in: [...new Set(e164s)] } }, { projection: { e164: 1, customerId: 1, removal: 1, addedByJob: 1 } })
      .toArray();
    return new Map(found.map((n) => [n.e164, n]));
  }

  /**
   * Inserts in batches (of 1,000 for a paste), adding what went in to `landed`, and returns
   * the numbers that someone else inserted meanwhile (duplicate key: the
   * emulator then inserts nothing of the batch, MongoDB the others; the batch's
   * own ids tell which landed).
   */
  private async insertNew(documents: NumberDocument[], landed: Set<string>, batchSize: number): Promise<string[]> {
    const lost: string[] = [];
    for (let start = 0; start < documents.length; start += batchSize) {
      let pending = documents.slice(start, start + batchSize);
      for (let attempt = 1; pending.length > 0; attempt++) {
        try {
          await this.numbers.insertMany(pending, { ordered: false });
          pending.forEach((n) => landed.add(n.e164));
          pending = [];
        } catch (error) {
          if (!isDuplicateKeyError(error) || attempt >= INSERT_ATTEMPTS) throw error;
          const ours = new Set(
            (await this.numbers.find({ _id: { $in: pending.map((n) => n._id) } }, { projection: { e164: 1 } }).toArray()).map(
              (n) => n.e164,
            ),
          );
          ours.forEach((e164) => landed.add(e164));
          const rest = pending.filter((n) => !ours.has(n.e164));
          const taken = await this.findExisting(rest.map((n) => n.e164));
          lost.push(...rest.filter((n) => taken.has(n.e164)).map((n) => n.e164));
          pending = rest.filter((n) => !taken.has(n.e164));
        }
      }
    }
    return lost;
  }
}

const OWNED_ELSEWHERE = 'this number belongs to another customer';

/** The removal was taken by the sync run that holds the customer now. */
function removalInProgress(owner: Existing, customer: CustomerDocument, now: Date): boolean {
  const lease = customer.syncLease;
  return Boolean(owner.removal?.runId && lease && lease.until > now && owner.removal.runId.equals(lease.runId));
}

function settleByOwner(
  result: AddResult,
  owner: Existing | undefined,
  customer: CustomerDocument,
  toInsert: Map<string, NumberDocument>,
  toRestore: Set<string>,
  create: () => NumberDocument,
): void {
  const e164 = result.e164!;
  if (!owner) toInsert.set(e164, create());
  else if (!owner.customerId.equals(customer._id)) settle(result, 'owned-elsewhere', OWNED_ELSEWHERE);
  else if (owner.removal) toRestore.add(e164);
  else settle(result, 'already-present', 'already on this customer');
}

function newNumber(
  caller: Caller,
  customer: CustomerDocument,
  e164: string,
  now: Date,
  addedByJob?: NumberDocument['addedByJob'],
): NumberDocument {
  return {
    ...(addedByJob ? { addedByJob } : {}),
    _id: new ObjectId(),
    partnerId: caller.partnerId,
    customerId: customer._id,
    e164,
    status: 'pending',
    statusText: STATUS_TEXT.pending,
    addedBy: actorOf(caller),
    addedAt: now,
  };
}
