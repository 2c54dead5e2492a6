import type { JobView } from '../api/portal-api';

/** A job's kind in the product's words. */
export const JOB_KIND_TEXT: Record<string, string> = {
  'numbers.add': 'Add numbers',
  'numbers.remove': 'Remove numbers',
  'customers.import': 'Import customers',
};

/** Each kind's outcomes, in the words of a summary ("12 added, 1 invalid"). */
export const JOB_OUTCOME_TEXT: Record<string, Record<string, string>> = {
  'numbers.add': {
    added: 'added',
    'already-present': 'already present',
    'owned-elsewhere': 'owned by another customer',
    invalid: 'invalid',
  },
  'numbers.remove': { removed: 'removed', 'not-found': 'not on this customer', invalid: 'invalid' },
  'customers.import': {
    created: 'created',
    'duplicate-account-id': 'Account ID already used',
    'duplicate-in-file': 'repeated in the file',
    'account-not-found': 'not an account under your reseller',
    invalid: 'invalid',
  },
};

/** The outcome that means a row went as asked, by kind (the API's successOutcomes, known before a job exists: a dry run). */
const SUCCESS: Record<string, string> = { 'numbers.add': 'added', 'numbers.remove': 'removed', 'customers.import': 'created' };

export function successOf(kind: string): string | undefined {
  return SUCCESS[kind];
}

/** "Import numbers to Contoso from contoso.csv", "Remove numbers from Contoso", "Import customers from customers.csv". */
export function jobKindText(job: Pick<JobView, 'kind' | 'fileName' | 'customerLabel'>): string {
  const kind = job.kind === 'numbers.add' && job.fileName ? 'Import numbers' : (JOB_KIND_TEXT[job.kind] ?? job.kind);
  const customer = job.customerLabel ? ` ${job.kind === 'numbers.remove' ? 'from' : 'to'} ${job.customerLabel}` : '';
  return `${kind}${customer}${job.fileName ? ` from ${job.fileName}` : ''}`;
}

export function outcomeTextOf(kind: string): Record<string, string> {
  return JOB_OUTCOME_TEXT[kind] ?? {};
}

/** Rows that did not go as asked. */
export function failedCount(job: JobView): number {
  return Object.entries(job.outcomes)
    .filter(([outcome]) => !job.successOutcomes.includes(outcome))
    .reduce((sum, [, count]) => sum + count, 0);
}

/** "3 added, 1 invalid": the outcomes that happened. */
export function outcomeSummary(kind: string, counts: Record<string, number>): string {
  const text = outcomeTextOf(kind);
  const parts = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count.toLocaleString()} ${text[outcome] ?? outcome}`);
  return parts.length > 0 ? parts.join(', ') : 'Nothing done yet';
}
