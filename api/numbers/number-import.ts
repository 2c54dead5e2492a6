import type { Caller } from '../auth/caller';
import { customerLabel } from '../customers/customer-label';
import type { CustomerService } from '../customers/customer-service';
import type { UploadedFile } from '../http/file-upload';
import { PREVIEW_BATCH_ROWS, PreviewTally, type ImportPreview } from '../imports/import-answers';
import { toJobView, type JobQueue } from '../jobs/job-queue';
import { requireRole } from '../members/member-role';
import { inBatches } from '../shared/in-batches';
import { readNumberFile } from './number-file';
import { ADD_OUTCOMES } from './number-schemas';
import { NUMBER_ADD_JOB, NUMBER_ADD_JOB_SHAPE, type NumberService } from './number-service';

/**
 * Numbers from a CSV file, worked as the file arrives: a dry run settles it a
 * batch at a time and keeps the counts and the first failing rows; an import
 * stores the job's input a batch at a time. Neither holds the whole file.
 */
export class NumberImport {
  constructor(
    private readonly numbers: NumberService,
    private readonly customers: CustomerService,
    private readonly jobs: JobQueue,
    private readonly defaultRegion: string,
  ) {}

  /** What adding the file's rows would do, each row's outcome as add would give it, with nothing written (one $in look-up a batch). */
  async preview(caller: Caller, customerId: string, file: UploadedFile): Promise<ImportPreview> {
    requireRole(caller, 'operator');
    const customer = await this.customers.require(caller, customerId);
    const { rows, ignoredColumns } = await readNumberFile(file.content, this.defaultRegion);
    const tally = new PreviewTally(ADD_OUTCOMES, NUMBER_ADD_JOB_SHAPE.successOutcomes);
    const seen = new Set<string>();
    for await (const batch of inBatches(rows, PREVIEW_BATCH_ROWS)) {
      const results = await this.numbers.previewAdd(caller, customer, batch, seen);
      tally.add(batch, results.map((result) => ({ outcome: result.outcome, message: result.reason })));
    }
    return tally.answer(ignoredColumns);
  }

  /** Adds the file's rows as a job (any size: the tab follows every import the same way). */
  async start(caller: Caller, customerId: string, file: UploadedFile) {
    requireRole(caller, 'operator');
    const customer = await this.customers.require(caller, customerId);
    const { rows, ignoredColumns } = await readNumberFile(file.content, this.defaultRegion);
    const job = await this.jobs.enqueueRows(
      caller,
      {
        kind: NUMBER_ADD_JOB,
        customerId: customer._id,
        customerLabel: customerLabel(customer),
        fileName: file.fileName ?? `numbers-${customer.accountId}.csv`,
        ...NUMBER_ADD_JOB_SHAPE,
      },
      rows,
    );
    return { job: toJobView(job), ignoredColumns };
  }
}
