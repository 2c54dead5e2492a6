import { z } from 'zod';
import { jobView } from '../jobs/job-schemas';

/** How many failing rows a dry run lists (the counts cover them all). */
export const PREVIEW_FAILURES = 100;

export const importQuery = z.object({
  dryRun: z
    .enum(['true', 'false'], { error: 'dryRun must be true or false' })
    .transform((value) => value === 'true')
    .default(false),
});

export const importFailureView = z.object({
  line: z.number().int(),
  input: z.string(),
  outcome: z.string(),
  message: z.string(),
});
export type ImportFailure = z.infer<typeof importFailureView>;

/** What an import would do, row by row, with nothing written. */
export const importPreviewView = z.object({
  dryRun: z.literal(true),
  /** Rows in the file (the header not counted). */
  total: z.number().int(),
  /** Rows by outcome, every outcome listed. */
  summary: z.record(z.string(), z.number().int()),
  /** The first rows that would not go as asked, in file order, with their messages. */
  failures: z.array(importFailureView),
  /** Header cells the import does not read. */
  ignoredColumns: z.array(z.string()),
});
export type ImportPreview = z.infer<typeof importPreviewView>;

/** The import under way: a job, whatever the file's size, so the tab and the API follow every import one way. */
export const importStartedView = z.object({ job: jobView, ignoredColumns: z.array(z.string()) });

/** A dry run's answer from each row's outcome, `successes` being the outcomes that are not failures. */
export function previewOf(
  rows: readonly { line?: number | undefined; input: string }[],
  results: readonly { outcome: string; message?: string | undefined }[],
  outcomes: readonly string[],
  successes: readonly string[],
  ignoredColumns: string[],
): ImportPreview {
  const summary: Record<string, number> = Object.fromEntries(outcomes.map((outcome) => [outcome, 0]));
  const failures: ImportFailure[] = [];
  results.forEach((result, index) => {
    summary[result.outcome] = (summary[result.outcome] ?? 0) + 1;
    if (!successes.includes(result.outcome) && failures.length < PREVIEW_FAILURES) {
      const row = rows[index]!;
      failures.push({ line: row.line ?? index + 2, input: row.input, outcome: result.outcome, message: result.message ?? '' });
    }
  });
  return { dryRun: true, total: results.length, summary, failures, ignoredColumns };
}
