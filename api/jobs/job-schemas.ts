import { z } from 'zod';
import { actorView } from '../auth/caller';
import { pageView, pagingQuery } from '../shared/paging';
import { JOB_STATES } from './job-document';

export const jobParams = z.object({ id: z.string() });

export const jobView = z.object({
  id: z.string(),
  kind: z.string(),
  customerId: z.string().nullable(),
  /** The customer's name when the job started. */
  customerLabel: z.string().nullable(),
  state: z.enum(JOB_STATES),
  total: z.number().int(),
  done: z.number().int(),
  /** Rows by outcome: every outcome of the kind, 0 when none. */
  outcomes: z.record(z.string(), z.number().int()),
  startedBy: actorView,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  cancelRequested: z.boolean(),
  /** The outcomes that mean a row went as asked; rows of the others are the failed rows. */
  successOutcomes: z.array(z.string()),
  /** What a row's input is (Number, Account ID). */
  inputLabel: z.string(),
  /** The imported file's name, for an import. */
  fileName: z.string().nullable(),
  error: z.string().nullable(),
});
export type JobView = z.infer<typeof jobView>;

export const jobPageView = pageView(jobView);

export const jobListQuery = z.object({ ...pagingQuery });

export const jobRowsQuery = z.object({
  ...pagingQuery,
  outcome: z.string().trim().min(1, 'outcome names one outcome of the job').max(50).optional(),
  failed: z
    .enum(['true', 'false'], { error: 'failed must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
});

export const jobRowsExportQuery = z.object({
  outcome: z.string().trim().min(1, 'outcome names one outcome of the job').max(50).optional(),
});

export const jobRowView = z.object({
  row: z.number().int(),
  /** The line of the imported file, for an import. */
  line: z.number().int().nullable(),
  input: z.string(),
  outcome: z.string(),
  message: z.string().nullable(),
});

export type JobRowView = z.infer<typeof jobRowView>;

export const jobRowPageView = pageView(jobRowView);
