import type { AuditLog } from '../audit/audit-log';
import type { Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import type { CustomerService } from '../customers/customer-service';
import type { JobDocument, JobInputRow } from '../jobs/job-document';
import type { JobKind, JobRow, RowOutcome } from '../jobs/job-kind';
import type { RemovalMode } from './number-document';
import { REMOVE_OUTCOMES } from './number-schemas';
import type { NumberRemoval } from './number-removal';
import { NUMBER_REMOVE_JOB, type NumberService } from './number-service';

/** More than 1,000 numbers removed, batch by batch, as a job; the backend clean-up starts when it ends. */
export class NumberRemoveJob implements JobKind<JobInputRow, CustomerDocument> {
  readonly kind = NUMBER_REMOVE_JOB;
  readonly outcomes = REMOVE_OUTCOMES;

  constructor(
    private readonly removal: NumberRemoval,
    private readonly numbers: NumberService,
    private readonly customers: CustomerService,
    private readonly audit: AuditLog,
    /** What follows a removal (the sync that cleans the backend up), as the removal route does it. */
    private readonly afterRemoval: (caller: Caller, customerId: string) => Promise<void>,
  ) {}

  prepare(job: JobDocument, caller: Caller): Promise<CustomerDocument> {
    return this.customers.require(caller, job.customerId!.toHexString());
  }

  async runBatch(job: JobDocument, caller: Caller, rows: JobRow[], customer: CustomerDocument): Promise<RowOutcome[]> {
    const results = await this.removal.removeJobBatch(caller, job, customer, rows);
    return results.map((result) => ({ outcome: result.outcome, ...(result.reason ? { message: result.reason } : {}) }));
  }

  /** The count read from the numbers, one audit entry for the whole job, and the clean-up sync. */
  async finish(job: JobDocument, caller: Caller): Promise<void> {
    const removed = job.outcomes.removed ?? 0;
    await this.numbers.recount(job.customerId!);
    if (removed === 0) return;
    await this.audit.record(caller, 'numbers.removed', job.customerId, {
      mode: job.params.mode as RemovalMode,
      count: removed,
      jobId: job._id.toHexString(),
    });
    await this.afterRemoval(caller, job.customerId!.toHexString());
  }
}
