import type { ObjectId, Collection } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import { actorOf, type Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import { customerLabel } from '../customers/customer-label';
import type { CustomerService } from '../customers/customer-service';
import type { JobDocument, JobInputRow } from '../jobs/job-document';
import type { JobRow } from '../jobs/job-kind';
import { toJobView, type JobQueue } from '../jobs/job-queue';
import { requireRole } from '../members/member-role';
import type { NumberDocument, RemovalMode } from './number-document';
import { requireAtMostNumbers, settle, summarise } from './number-outcomes';
import { REMOVE_OUTCOMES, type RemoveResult } from './number-schemas';
import { NUMBER_REMOVE_JOB, NUMBERS_JOB_THRESHOLD, type NumberServiceOptions } from './number-service';
import { readPastedNumbers } from './pasted-numbers';

/**
 * Numbers taken off a customer's list: at once, the backend step (delete or
 * retain) recorded on each number for the sync that carries it out; more
 * than NUMBERS_JOB_THRESHOLD as a job.
 */
export class NumberRemoval {
  constructor(
    private readonly numbers: Collection<NumberDocument>,
    private readonly customerService: CustomerService,
    private readonly audit: AuditLog,
    private readonly jobs: JobQueue,
    private readonly options: NumberServiceOptions,
  ) {}

  /**
   * Detaches numbers from the customer's list at once. The backend step (delete
   * or retain) is recorded on each number and carried out by the next sync.
   */
  async remove(caller: Caller, customerId: string, inputs: readonly string[], mode: RemovalMode) {
    requireRole(caller, 'operator');
    const customer = await this.customerService.require(caller, customerId);
    requireAtMostNumbers(inputs.length, this.options.maxNumbersPerRequest);
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
    requireAtMostNumbers(inputs.length, this.options.maxNumbersPerRequest);
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
}
