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
  /**
   * Customers only: rows whose Account ID this dry run did not check on the
   * backend (it checks DRY_RUN_ACCOUNT_CHECKS of them); the import checks every row.
   */
  accountsNotChecked: z.number().int().optional(),
});
export type ImportPreview = z.infer<typeof importPreviewView>;

/** The import under way: a job, whatever the file's size, so the tab and the API follow every import one way. */
export const importStartedView = z.object({ job: jobView, ignoredColumns: z.array(z.string()) });

/** Rows a dry run works at a time (a look-up each): what it holds of the file besides the tally and the numbers or Account IDs seen so far. */
export const PREVIEW_BATCH_ROWS = 1_000;

/**
 * A dry run's answer built batch by batch as the file is read: every row
 * counted by outcome, and only the first failing rows kept (the answer's
 * `failures`), so a dry run holds no more of a 100,000-row file than that.
 */
export class PreviewTally {
  private total = 0;
  private readonly summary: Record<string, number>;
  private readonly failures: ImportFailure[] = [];

  /** `successes`: the outcomes that are not failures. */
  constructor(
    outcomes: readonly string[],
    private readonly successes: readonly string[],
  ) {
    this.summary = Object.fromEntries(outcomes.map((outcome) => [outcome, 0]));
  }

  /** The next rows of the file, in its order, with each one's outcome. */
  add(rows: readonly { line?: number | undefined; input: string }[], results: readonly { outcome: string; message?: string | undefined }[]): void {
    results.forEach((result, index) => {
      this.total++;
      this.summary[result.outcome] = (this.summary[result.outcome] ?? 0) + 1;
      if (!this.successes.includes(result.outcome) && this.failures.length < PREVIEW_FAILURES) {
        const row = rows[index]!;
        // Without a line, the row's place under the header.
        this.failures.push({ line: row.line ?? this.total + 1, input: row.input, outcome: result.outcome, message: result.message ?? '' });
      }
    });
  }

  answer(ignoredColumns: string[]): ImportPreview {
    return { dryRun: true, total: this.total, summary: { ...this.summary }, failures: [...this.failures], ignoredColumns };
  }
}
