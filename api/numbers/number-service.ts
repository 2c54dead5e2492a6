import { ObjectId, type Collection, type Filter } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import { actorOf, type Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import type { CustomerService } from '../customers/customer-service';
import { ValidationError } from '../errors';
import { plainTextPattern, skipOf, type Page } from '../shared/paging';
import { isDuplicateKeyError } from '../storage/duplicate-key';
import type { NumberDocument, RemovalMode } from './number-document';
import {
  ADD_OUTCOMES,
  REMOVE_OUTCOMES,
  type AddResult,
  type NumberListQuery,
  type NumberView,
  type RemoveResult,
} from './number-schemas';
import { STATUS_TEXT } from './number-status';
import { readPastedNumbers, readPiece, splitPieces, type PastedEntry, type PastedJobRow } from './pasted-numbers';
import type { JobDocument, JobInputRow } from '../jobs/job-document';
import type { JobRow } from '../jobs/job-kind';
import { toJobView, type JobQueue } from '../jobs/job-queue';
import type { JobView } from '../jobs/job-schemas';
import type { CountryCode } from 'libphonenumber-js';
import { requireRole } from '../members/member-role';
import { customerLabel } from '../customers/customer-label';
import { numberCsv } from './number-file';

/** Documents per insertMany: the design's "one insertMany per 1,000". */
export const INSERT_BATCH = 1_000;
const INSERT_ATTEMPTS = 3;

export interface NumberServiceOptions {
  defaultRegion: string;
  maxNumbersPerRequest: number;
}

type Existing = Pick<NumberDocument, 'e164' | 'customerId' | 'removal' | 'addedByJob'>;

/**
 * Documents per cursor batch of an export: one round trip per 1,000 numbers.
 * Larger batches save few round trips and hold more in memory while the
 * client reads (npm run bench:bulk: +42 MB at 1,000, +55 MB at 5,000).
 */
const EXPORT_CURSOR_BATCH = 1_000;

/** More numbers than this in one paste are added as a job. */
export const NUMBERS_JOB_THRESHOLD = 1_000;

/** The job kind that adds a large paste. */
export const NUMBER_ADD_JOB = 'numbers.add';

/** The job kind that removes more than 1,000 numbers. */
export const NUMBER_REMOVE_JOB = 'numbers.remove';

/** What an add job's rows are and which outcome is a success. */
export const NUMBER_ADD_JOB_SHAPE = { outcomes: ADD_OUTCOMES, successOutcomes: ['added'], inputLabel: 'Number' } as const;

export type { PastedJobRow } from './pasted-numbers';

/** A paste answered at once, or the job adding it. */
export type AddAnswer =
  | { done: { results: AddResult[]; summary: Record<AddResult['outcome'], number> }; job?: undefined }
  | { job: JobView; done?: undefined };

/** A customer's phone numbers: list, add what was pasted, remove. */
export class NumberService {
  constructor(
    private readonly numbers: Collection<NumberDocument>,
    private readonly customerService: CustomerService,
    private readonly audit: AuditLog,
    private readonly jobs: JobQueue,
    private readonly options: NumberServiceOptions,
  ) {}

  async list(caller: Caller, customerId: string, query: NumberListQuery): Promise<Page<NumberView>> {
    const customer = await this.customerService.require(caller, customerId);
    const filter: Filter<NumberDocument> = { customerId: customer._id, removal: { $exists: false } };
    if (query.status) filter.status = query.status as NumberDocument['status'];
    const searchable = query.search?.replace(/[\s().-]/g, '');
    if (searchable) filter.e164 = { $regex: plainTextPattern(searchable) };
    const paging = { page: query.page, pageSize: query.pageSize };
    const [documents, total] = await Promise.all([
      this.numbers.find(filter).sort({ e164: 1 }).skip(skipOf(paging)).limit(paging.pageSize).toArray(),
      this.numbers.countDocuments(filter),
    ]);
    return { items: documents.map(toNumberView), total, ...paging };
  }

  /**
   * Adds what the partner pasted: up to NUMBERS_JOB_THRESHOLD numbers at once,
   * answering every outcome; more as a job (answered at once, run by any
   * instance), so no request or bot turn waits on a large paste.
   */
  async addOrStart(caller: Caller, customerId: string, pasted: string | readonly string[]): Promise<AddAnswer> {
    requireRole(caller, 'operator');
    const { customer, entries } = await this.readPaste(caller, customerId, pasted);
    if (entries.length <= NUMBERS_JOB_THRESHOLD) return { done: await this.addEntries(caller, customer, entries) };
    const job = await this.jobs.enqueue(caller, {
      kind: NUMBER_ADD_JOB,
      customerId: customer._id,
      customerLabel: customerLabel(customer),
      rows: entries.map((entry) => ({ ...entry })),
      ...NUMBER_ADD_JOB_SHAPE,
    });
    return { job: toJobView(job) };
  }

  /**
   * Adds what the partner pasted, whatever its size, and answers every
   * outcome: one $in look-up, then one insertMany per 1,000 new numbers, one
   * counter update and one audit entry. Idempotent.
   */
  async add(caller: Caller, customerId: string, pasted: string | readonly string[]) {
    requireRole(caller, 'operator');
    const { customer, entries } = await this.readPaste(caller, customerId, pasted);
    return this.addEntries(caller, customer, entries);
  }

  private async readPaste(caller: Caller, customerId: string, pasted: string | readonly string[]) {
    const customer = await this.customerService.require(caller, customerId);
    // Counted before parsing too, so a huge paste is refused before it costs anything.
    const pieces = splitPieces(pasted);
    this.checkCount(pieces.length);
    const entries = pieces.flatMap((piece) => readPiece(piece, this.options.defaultRegion as CountryCode));
    if (entries.length === 0) {
      throw new ValidationError([{ field: 'numbers', message: 'paste at least one phone number' }]);
    }
    this.checkCount(entries.length);
    return { customer, entries };
  }

  private async addEntries(caller: Caller, customer: CustomerDocument, entries: readonly PastedEntry[]) {
    const results = entries.map(resultOf);
    const now = new Date();
    let placed: { landed: Set<string>; added: number } = { landed: new Set(), added: 0 };
    try {
      placed = await this.place(caller, customer, results, now);
    } finally {
      // Counted even if a later batch failed: what landed is on the list.
      if (placed.added > 0) await this.customerService.adjustNumberCount(customer._id, placed.added, now);
    }
    if (placed.landed.size > 0) {
      await this.audit.record(caller, 'numbers.added', customer._id, { count: placed.landed.size, numbers: [...placed.landed] });
    }
    return { results, summary: summarise(results, ADD_OUTCOMES) };
  }

  /**
   * One batch of an add job: the same rules as a paste, and a row this job
   * added before (its batch is worked again after a take-over) comes out
   * "added" again without a write. The job counts and audits once, at its end.
   */
  async addJobBatch(
    caller: Caller,
    job: JobDocument,
    customer: CustomerDocument,
    rows: JobRow<PastedJobRow>[],
  ): Promise<AddResult[]> {
    const results = rows.map(({ data }) => resultOf(data));
    await this.place(caller, customer, results, new Date(), { jobId: job._id, rows: rows.map((r) => r.row) });
    return results;
  }

  /**
   * What adding these rows would do, each one's outcome as add would give it,
   * with nothing written (one $in look-up). `seen` holds the numbers of the
   * rows before these (earlier batches of the same file), so a number listed
   * twice is told however far apart; these rows' numbers are added to it.
   */
  async previewAdd(caller: Caller, customer: CustomerDocument, entries: readonly PastedEntry[], seen: Set<string>): Promise<AddResult[]> {
    const results = entries.map(resultOf);
    await this.place(caller, customer, results, new Date(), undefined, { seen });
    return results;
  }

  /**
   * The customer's numbers (maybe of one status) as CSV, streamed from a
   * cursor in e164 order (the customer_e164 index): memory stays flat whatever
   * the count.
   */
  async exportCsv(caller: Caller, customerId: string, status: string | undefined) {
    const customer = await this.customerService.require(caller, customerId);
    const filter: Filter<NumberDocument> = { customerId: customer._id, removal: { $exists: false } };
    if (status) filter.status = status as NumberDocument['status'];
    const cursor = this.numbers
      .find(filter, { projection: { e164: 1, status: 1, statusText: 1, addedAt: 1, addedBy: 1, syncedAt: 1 } })
      .sort({ e164: 1 })
      .batchSize(EXPORT_CURSOR_BATCH);
    const day = new Date().toISOString().slice(0, 10);
    return {
      fileName: `numbers-${customer.accountId}${status ? `-${status}` : ''}-${day}.csv`,
      stream: numberCsv(cursor),
    };
  }

  /** Sets the customer's count from its numbers (after a job that was taken over mid-way). */
  async recount(customerId: ObjectId): Promise<void> {
    const count = await this.numbers.countDocuments({ customerId, removal: { $exists: false } });
    await this.customerService.setNumberCount(customerId, count, new Date());
  }

  /**
   * Settles each result against the numbers that exist (one $in look-up) and
   * writes the new ones (one insertMany per 1,000) and the restored ones (one
   * updateMany); `results` are changed in place. Returns what landed and how
   * many numbers the customer gained.
   */
  private async place(
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

  /**
   * Detaches numbers from the customer's list at once. The backend step (delete
   * or retain) is recorded on each number and carried out by the next sync.
   */
  async remove(caller: Caller, customerId: string, inputs: readonly string[], mode: RemovalMode) {
    requireRole(caller, 'operator');
    const customer = await this.customerService.require(caller, customerId);
    this.checkCount(inputs.length);
    const results = inputs.map((input) => this.removalOf(input));
    const removed = await this.detach(caller, customer, results, mode);
    if (removed.length > 0) {
      await this.audit.record(caller, 'numbers.removed', customer._id, { mode, count: removed.length, numbers: removed });
    }
    return { mode, results, summary: summarise(results, REMOVE_OUTCOMES) };
  }

  /**
   * Removes up to NUMBERS_JOB_THRESHOLD numbers at once, answering every
   * outcome; more as a job (its rows hold the outcomes).
   */
  async removeOrStart(caller: Caller, customerId: string, inputs: readonly string[], mode: RemovalMode) {
    requireRole(caller, 'operator');
    if (inputs.length <= NUMBERS_JOB_THRESHOLD) return { done: await this.remove(caller, customerId, inputs, mode) };
    const customer = await this.customerService.require(caller, customerId);
    this.checkCount(inputs.length);
    const job = await this.jobs.enqueue(caller, {
      kind: NUMBER_REMOVE_JOB,
      customerId: customer._id,
      customerLabel: customerLabel(customer),
      rows: inputs.map((input) => ({ input })),
      params: { mode },
      outcomes: REMOVE_OUTCOMES,
      successOutcomes: ['removed'],
      inputLabel: 'Number',
    });
    return { job: toJobView(job) };
  }

  /** One batch of a removal job: the same rules as a removal, idempotent (a row removed before by this job is "removed" again). */
  async removeJobBatch(caller: Caller, job: JobDocument, customer: CustomerDocument, rows: JobRow<JobInputRow>[]): Promise<RemoveResult[]> {
    const results = rows.map(({ data }) => this.removalOf(data.input));
    await this.detach(caller, customer, results, job.params.mode as RemovalMode, { jobId: job._id, firstRow: rows[0]?.row ?? 0 });
    return results;
  }

  private removalOf(input: string): RemoveResult {
    const entries = readPastedNumbers(input, this.options.defaultRegion);
    const [only] = entries;
    if (entries.length !== 1 || only?.e164 === undefined) {
      return {
        input,
        outcome: 'invalid',
        reason: entries.length > 1 ? 'holds more than one number' : only && 'reason' in only ? only.reason : 'no phone number found',
      };
    }
    return { input, e164: only.e164, outcome: 'removed' };
  }

  /**
   * Settles each removal against the customer's numbers (one $in look-up) and
   * marks the present ones (one updateMany), adjusting the count; `results`
   * are changed in place. Returns the numbers removed now.
   */
  private async detach(
    caller: Caller,
    customer: CustomerDocument,
    results: RemoveResult[],
    mode: RemovalMode,
    job?: { jobId: ObjectId; firstRow: number },
  ): Promise<string[]> {
    const wanted = [...new Set(results.flatMap((r) => (r.e164 ? [r.e164] : [])))];
    const found =
      wanted.length === 0
        ? []
        : await this.numbers
            .find(
              {
                customerId: customer._id,
                e164: { $in: wanted },
                ...(job ? { $or: [{ removal: { $exists: false } }, { 'removal.byJob.jobId': job.jobId }] } : { removal: { $exists: false } }),
              },
              { projection: { e164: 1, removal: 1 } },
            )
            .toArray();
    const present = new Set(found.filter((n) => !n.removal).map((n) => n.e164));
    // Removed by this job before: in this batch (worked again after a take-over), or in an earlier one.
    const doneBefore = new Map(found.filter((n) => n.removal?.byJob).map((n) => [n.e164, n.removal!.byJob!.firstRow]));
    const claimed = new Set<string>();
    const toRemove: string[] = [];
    const removedNow: string[] = [];
    for (const result of results) {
      if (result.outcome !== 'removed') continue;
      const e164 = result.e164!;
      if (claimed.has(e164)) settle(result, 'not-found', 'listed more than once');
      else if (doneBefore.has(e164)) {
        if (doneBefore.get(e164) === job?.firstRow) removedNow.push(e164);
        else settle(result, 'not-found', 'listed more than once');
      } else if (!present.has(e164)) settle(result, 'not-found', 'not on this customer');
      else toRemove.push(e164);
      claimed.add(e164);
    }
    if (toRemove.length > 0) {
      const now = new Date();
      const removal = { mode, requestedAt: now, requestedBy: actorOf(caller), ...(job ? { byJob: { jobId: job.jobId, firstRow: job.firstRow } } : {}) };
      const update = await this.numbers.updateMany(
        { customerId: customer._id, e164: { $in: toRemove }, removal: { $exists: false } },
        { $set: { removal } },
      );
      // A job counts once, at its end.
      if (!job) await this.customerService.adjustNumberCount(customer._id, -update.modifiedCount, now);
    }
    return [...removedNow, ...toRemove];
  }

  /** What pasted text holds, read as the add route reads it (for a confirmation before removing). */
  read(pasted: string) {
    const pieces = splitPieces(pasted);
    this.checkCount(pieces.length);
    return pieces.flatMap((piece) => readPiece(piece, this.options.defaultRegion as CountryCode));
  }

  private checkCount(count: number): void {
    if (count > this.options.maxNumbersPerRequest) {
      throw new ValidationError([
        { field: 'numbers', message: `at most ${this.options.maxNumbersPerRequest} numbers in one request (found ${count})` },
      ]);
    }
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

function resultOf(entry: PastedEntry): AddResult {
  return entry.e164 === undefined
    ? { input: entry.input, outcome: 'invalid', reason: entry.reason }
    : { input: entry.input, e164: entry.e164, outcome: 'added' };
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

function settle<R extends { outcome: string; reason?: string }>(result: R, outcome: R['outcome'], reason: string): void {
  result.outcome = outcome;
  result.reason = reason;
}

function summarise<O extends string>(results: { outcome: O }[], outcomes: readonly O[]): Record<O, number> {
  const summary = Object.fromEntries(outcomes.map((o) => [o, 0])) as Record<O, number>;
  for (const { outcome } of results) summary[outcome]++;
  return summary;
}

export function toNumberView(number: NumberDocument): NumberView {
  return {
    e164: number.e164,
    status: number.status,
    statusText: number.statusText,
    addedAt: number.addedAt.toISOString(),
    addedBy: number.addedBy,
    syncedAt: number.syncedAt?.toISOString() ?? null,
  };
}
