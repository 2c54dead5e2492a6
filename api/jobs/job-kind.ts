import type { Caller } from '../auth/caller';
import type { JobDocument, JobInputRow } from './job-document';

/** What became of one row of a batch. */
export interface RowOutcome {
  outcome: string;
  message?: string;
}

/** A row of a batch as its kind sees it: its number in the job and what it holds. */
export interface JobRow<R extends JobInputRow = JobInputRow> {
  row: number;
  data: R;
}

/**
 * A kind of job: how one batch of rows is worked. A batch may be worked again
 * after its process stopped mid-way (the rows' outcomes were not recorded), so
 * working it must be idempotent: a row done before comes out with the outcome
 * it had, nothing is written twice.
 */
export interface JobKind<R extends JobInputRow = JobInputRow, C = unknown> {
  readonly kind: string;
  /** Every outcome a row can have, so the counts always show each one. */
  readonly outcomes: readonly string[];
  /** Once each time a process starts or takes over the job: what every batch needs (the customer). */
  prepare(job: JobDocument, caller: Caller): Promise<C>;
  runBatch(job: JobDocument, caller: Caller, rows: JobRow<R>[], context: C): Promise<RowOutcome[]>;
  /** Once, when the job ends (done or cancelled): an audit entry, a count set right. */
  finish?(job: JobDocument, caller: Caller): Promise<void>;
}
