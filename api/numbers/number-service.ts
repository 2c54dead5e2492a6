import type { Collection, Filter, ObjectId } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import type { Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import type { CustomerService } from '../customers/customer-service';
import { ValidationError } from '../errors';
import { plainTextPattern, skipOf, type Page } from '../shared/paging';
import type { NumberDocument } from './number-document';
import {
  ADD_OUTCOMES,
  type AddResult,
  type NumberListQuery,
  type NumberView,
} from './number-schemas';
import { readPiece, splitPieces, type PastedEntry, type PastedJobRow } from './pasted-numbers';
import type { JobDocument } from '../jobs/job-document';
import type { JobRow } from '../jobs/job-kind';
import { toJobView, type JobQueue } from '../jobs/job-queue';
import type { JobView } from '../jobs/job-schemas';
import type { CountryCode } from 'libphonenumber-js';
import { requireRole } from '../members/member-role';
import { customerLabel } from '../customers/customer-label';
import { numberCsv } from './number-file';
import { requireAtMostNumbers, summarise } from './number-outcomes';
import { NumberPlacement } from './number-placement';

export interface NumberServiceOptions {
  defaultRegion: string;
  maxNumbersPerRequest: number;
}

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

/** A customer's phone numbers: list, export, add what was pasted (the removal is number-removal.ts). */
export class NumberService {
  private readonly placement: NumberPlacement;

  constructor(
    private readonly numbers: Collection<NumberDocument>,
    private readonly customerService: CustomerService,
    private readonly audit: AuditLog,
    private readonly jobs: JobQueue,
    private readonly options: NumberServiceOptions,
  ) {
    this.placement = new NumberPlacement(numbers);
  }

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
      placed = await this.placement.place(caller, customer, results, now);
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
    await this.placement.place(caller, customer, results, new Date(), { jobId: job._id, rows: rows.map((r) => r.row) });
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
    await this.placement.place(caller, customer, results, new Date(), undefined, { seen });
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

  /** What pasted text holds, read as the add route reads it (for a confirmation before removing). */
  read(pasted: string) {
    const pieces = splitPieces(pasted);
    this.checkCount(pieces.length);
    return pieces.flatMap((piece) => readPiece(piece, this.options.defaultRegion as CountryCode));
  }

  private checkCount(count: number): void {
    requireAtMostNumbers(count, this.options.maxNumbersPerRequest);
  }
}

function resultOf(entry: PastedEntry): AddResult {
  return entry.e164 === undefined
    ? { input: entry.input, outcome: 'invalid', reason: entry.reason }
    : { input: entry.input, e164: entry.e164, outcome: 'added' };
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
