import type { AuditLog } from '../audit/audit-log';
import type { Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import type { CustomerService } from '../customers/customer-service';
import type { JobDocument } from '../jobs/job-document';
import type { JobKind, JobRow, RowOutcome } from '../jobs/job-kind';
import { ADD_OUTCOMES } from './number-schemas';
import { NUMBER_ADD_JOB, type NumberService, type PastedJobRow } from './number-service';

/** A large paste (or an import) of numbers, added batch by batch as a job. */
export class NumberAddJob implements JobKind<PastedJobRow, CustomerDocument> {
  readonly kind = NUMBER_ADD_JOB;
  readonly outcomes = ADD_OUTCOMES;

  constructor(
    private readonly numbers: NumberService,
    private readonly customers: CustomerService,
    private readonly audit: AuditLog,
  ) {}

  prepare(job: JobDocument, caller: Caller): Promise<CustomerDocument> {
    return this.customers.require(caller, job.customerId!.toHexString());
  }

  async runBatch(job: JobDocument, caller: Caller, rows: JobRow<PastedJobRow>[], customer: CustomerDocument): Promise<RowOutcome[]> {
    const results = await this.numbers.addJobBatch(caller, job, customer, rows);
    return results.map((result) => ({ outcome: result.outcome, ...(result.reason ? { message: result.reason } : {}) }));
  }

  /**
   * The customer's count and one audit entry for the whole job. A job taken
   * over mid-way may have counted a batch twice or not at all, so then the
   * count is read from the numbers instead.
   */
  async finish(job: JobDocument, caller: Caller): Promise<void> {
    const added = job.outcomes.added ?? 0;
    if (job.takenOver) await this.numbers.recount(job.customerId!);
    else await this.customers.adjustNumberCount(job.customerId!, added);
    if (added > 0) {
      await this.audit.record(caller, 'numbers.added', job.customerId, { count: added, jobId: job._id.toHexString() });
    }
  }
}
