import type { Attachment } from 'botbuilder';
import type { JobView } from '../../api/jobs/job-schemas';
import { facts, paragraph } from './adaptive-card';
import { resultCard } from './card-pieces';
import { ADD_OUTCOME_TEXT } from './number-cards';

/** A job's kind in the product's words, as the tab's Jobs list names it. */
const KIND_TEXT: Record<string, string> = {
  'numbers.add': 'Add numbers',
  'numbers.remove': 'Remove numbers',
  'customers.import': 'Import customers',
};

/** Each kind's outcomes in words; an added number's as the add card says them, so a paste reads the same at any size. */
const OUTCOME_TEXT: Record<string, Record<string, string>> = {
  'numbers.add': ADD_OUTCOME_TEXT,
  'numbers.remove': { removed: 'removed', 'not-found': 'not on this customer', invalid: 'not valid' },
  'customers.import': {
    created: 'created',
    'duplicate-account-id': 'Account ID already used',
    'duplicate-in-file': 'repeated in the file',
    'account-not-found': 'not an account under your reseller',
    invalid: 'not valid',
  },
};

const STATE_TEXT: Record<string, string> = {
  queued: 'waiting to start',
  running: 'running',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** The fields of a job its cards show. */
export type JobForCard = Pick<
  JobView,
  'kind' | 'state' | 'total' | 'done' | 'outcomes' | 'successOutcomes' | 'fileName' | 'cancelRequested' | 'error' | 'createdAt' | 'startedAt'
>;

/** 1,200: the same in every locale the server may run in. */
const count = (n: number) => n.toLocaleString('en-US');
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const ended = (job: JobForCard) => job.state === 'done' || job.state === 'failed' || job.state === 'cancelled';
const outcomeText = (job: Pick<JobForCard, 'kind'>, outcome: string) => OUTCOME_TEXT[job.kind]?.[outcome] ?? outcome;
const stateText = (job: JobForCard) =>
  job.state === 'running' && job.cancelRequested ? 'stopping (cancelled)' : (STATE_TEXT[job.state] ?? job.state);

/** "Add numbers", or "Import customers from customers.csv". */
export function jobKindText(job: Pick<JobView, 'kind' | 'fileName'>): string {
  const kind = KIND_TEXT[job.kind] ?? job.kind;
  return job.fileName ? `${kind} from ${job.fileName}` : kind;
}

/** Rows whose outcome is not one of the job's successes: the tab's "failed rows". */
export function failedRows(job: Pick<JobView, 'outcomes' | 'successOutcomes'>): number {
  return Object.entries(job.outcomes)
    .filter(([outcome]) => !job.successOutcomes.includes(outcome))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** "1,199 added, 1 not valid": the outcomes that happened so far. */
export function outcomeSummary(job: Pick<JobForCard, 'kind' | 'outcomes'>): string {
  const parts = Object.entries(job.outcomes)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${count(n)} ${outcomeText(job, outcome)}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing yet';
}

function titleOf(job: JobForCard, customerLabel: string | undefined): string {
  const rows = count(job.total);
  switch (job.kind) {
    case 'numbers.add':
      return `Adding ${rows} numbers${customerLabel ? ` to ${customerLabel}` : ''}`;
    case 'numbers.remove':
      return `Removing ${rows} numbers${customerLabel ? ` from ${customerLabel}` : ''}`;
    case 'customers.import':
      return `Importing ${rows} customers${job.fileName ? ` from ${job.fileName}` : ''}`;
    default:
      return `${jobKindText(job)}: ${rows} rows`;
  }
}

/**
 * A job the bot started, as it goes (the card is updated in place after each
 * batch, by whichever instance runs the job): how far it got and every
 * outcome's count, 0 included so the card keeps its shape as they grow; at the
 * end, where the failed rows are.
 */
export function jobCard(job: JobForCard, customerLabel?: string): Attachment {
  const failed = failedRows(job);
  const added = job.kind === 'numbers.add' && job.state === 'done' && (job.outcomes.added ?? 0) > 0;
  return resultCard(
    titleOf(job, customerLabel),
    facts([
      ['State', capital(stateText(job))],
      ['Progress', `${count(job.done)} of ${count(job.total)}`],
      ...Object.entries(job.outcomes).map(([outcome, n]): [string, string] => [capital(outcomeText(job, outcome)), count(n)]),
    ]),
    !ended(job) && paragraph('This card shows how far the job got: it is updated as the job goes on.', { isSubtle: true }),
    job.state === 'failed' && paragraph(`${job.error ?? 'The job stopped on an error.'} What was done before stays done.`, { color: 'Attention' }),
    job.state === 'cancelled' && paragraph('Cancelled: what was done before stays done.'),
    ended(job) &&
      failed > 0 &&
      paragraph(`${count(failed)} ${failed === 1 ? 'row was' : 'rows were'} not done as asked: the failed rows are in the Jobs list of the portal's tab.`),
    added &&
      paragraph(`New numbers wait for the next sync${customerLabel ? `: say "sync ${customerLabel}"` : ''}.`, { isSubtle: true }),
  );
}

/** An ISO time as the card's reader reads it, in their locale and time zone (Adaptive Card DATE/TIME; no milliseconds). */
function when(iso: string): string {
  const at = iso.replace(/\.\d+Z$/, 'Z');
  return `{{DATE(${at}, SHORT)}} {{TIME(${at})}}`;
}

/** The caller's recent jobs, newest first: what each is, how far it got, its outcomes, when it started. */
export function jobsCard(jobs: readonly JobForCard[]): Attachment {
  if (jobs.length === 0) {
    return resultCard(
      'Your recent jobs',
      paragraph('You have started no jobs yet. A paste of more than 1,000 numbers, or an import in the tab, runs as a job.'),
    );
  }
  return resultCard(
    jobs.length === 1 ? 'Your last job' : `Your last ${jobs.length} jobs`,
    ...jobs.map((job) => ({
      type: 'Container',
      separator: true,
      spacing: 'Medium',
      items: [
        paragraph(jobKindText(job), { weight: 'Bolder' }),
        facts([
          ['State', capital(stateText(job))],
          ['Progress', `${count(job.done)} of ${count(job.total)}`],
          ['Outcomes', outcomeSummary(job)],
        ]),
        paragraph(job.startedAt ? `Started ${when(job.startedAt)}` : `Waiting to start since ${when(job.createdAt)}`, { isSubtle: true, spacing: 'Small' }),
      ],
    })),
    paragraph('The rows of each job, failed ones included, are in the Jobs list of the portal\'s tab.', { isSubtle: true }),
  );
}
