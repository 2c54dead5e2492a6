import { ValidationError } from '../errors';

/** Gives a row of an add or a removal its outcome and why, in place. */
export function settle<R extends { outcome: string; reason?: string }>(result: R, outcome: R['outcome'], reason: string): void {
  result.outcome = outcome;
  result.reason = reason;
}

/** Rows by outcome, every outcome listed. */
export function summarise<O extends string>(results: { outcome: O }[], outcomes: readonly O[]): Record<O, number> {
  const summary = Object.fromEntries(outcomes.map((o) => [o, 0])) as Record<O, number>;
  for (const { outcome } of results) summary[outcome]++;
  return summary;
}

/** MAX_NUMBERS_PER_REQUEST: counted before anything costs, in an add and a removal alike. */
export function requireAtMostNumbers(count: number, max: number): void {
  if (count > max) {
    throw new ValidationError([{ field: 'numbers', message: `at most ${max} numbers in one request (found ${count})` }]);
  }
}
