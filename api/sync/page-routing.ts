import type { BackendClient } from '../backend/backend-client';
import { BackendValidationError } from '../backend/backend-errors';
import { teamsCallflowFor } from '../backend/teams-callflow';
import type { NumberDocument } from '../numbers/number-document';
import { messageOf } from './error-message';
import type { SyncProblem } from './sync-run-document';
import { ROUTE_BATCH } from './sync-limits';
import type { ProgressReporter } from './sync-progress';

/**
 * Gives free numbers their Teams routing as the pages of the account's number
 * list arrive: a number the customer has, on the account and in no callflow,
 * goes into the next batch; a full batch becomes one Teams callflow at once.
 */
export class PageRouting {
  private readonly batch: string[] = [];
  private readonly jobs: Promise<void>[] = [];
  private readonly attempted = new Set<string>();
  private readonly failed = new Set<string>();
  private readonly recheck: string[] = [];
  private readonly isFree: Promise<(e164: string) => boolean>;

  constructor(
    private readonly backend: BackendClient,
    private readonly accountId: string,
    private readonly tenantName: string,
    portal: Promise<NumberDocument[]>,
    callflows: Promise<{ numbers: string[] }[]>,
    private readonly errors: SyncProblem[],
    private readonly progress: ProgressReporter,
    private readonly lease?: AbortSignal,
  ) {
    this.isFree = Promise.all([portal, callflows]).then(([numbers, flows]) => {
      const active = new Set(numbers.filter((n) => !n.removal).map((n) => n.e164));
      const inCallflow = new Set(flows.flatMap((c) => c.numbers));
      return (e164: string) => active.has(e164) && !inCallflow.has(e164);
    });
    // Read failures surface from the reads themselves.
    this.isFree.catch(() => undefined);
  }

  offer(page: Map<string, unknown>): void {
    this.jobs.push(
      this.isFree.then(
        (isFree) => {
          for (const e164 of page.keys()) if (isFree(e164)) this.add(e164);
        },
        () => undefined,
      ),
    );
  }

  /** Whatever the plan still wants routed that no page offered. */
  routeRest(e164s: string[]): void {
    this.jobs.push(
      Promise.all(this.jobs).then(() => {
        for (const e164 of e164s) if (!this.attempted.has(e164)) this.add(e164);
        if (this.batch.length > 0) this.launch(this.batch.splice(0));
      }),
    );
  }

  /** Waits for every callflow write; says which numbers did not get routed. */
  async settle(): Promise<{ failed: Set<string>; recheck: string[] }> {
    // Jobs add jobs (a page's batch, the last batch): wait until none was added.
    for (let seen = -1; seen !== this.jobs.length; ) {
      seen = this.jobs.length;
      await Promise.all(this.jobs);
    }
    return { failed: this.failed, recheck: this.recheck };
  }

  private add(e164: string): void {
    if (this.attempted.has(e164)) return;
    this.attempted.add(e164);
    this.batch.push(e164);
    if (this.batch.length >= ROUTE_BATCH) this.launch(this.batch.splice(0));
  }

  private launch(numbers: string[]): void {
    if (this.lease?.aborted) {
      // The run stops before saving; these wait for the next run.
      numbers.forEach((e164) => this.failed.add(e164));
      return;
    }
    this.jobs.push(
      this.backend.createCallflow(this.accountId, teamsCallflowFor(numbers, this.tenantName)).then(
        () => this.progress.step(),
        (error: unknown) => {
          if (error instanceof BackendValidationError && error.has('numbers', 'unique')) {
            this.recheck.push(...numbers);
          } else {
            numbers.forEach((e164) => this.failed.add(e164));
            this.errors.push({
              message: `Could not route ${numbers.length} number(s) to Teams (${numbers[0]}...): ${messageOf(error)}; the next sync retries`,
            });
          }
          this.progress.step();
        },
      ),
    );
  }
}
