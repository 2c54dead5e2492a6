import { ValidationError, type AppError } from '../api/errors';

/** A service's refusal or validation error, as a sentence to the partner. */
export function sentenceOf(error: AppError): string {
  const text =
    error instanceof ValidationError && error.problems.length > 0
      ? error.problems.map((p) => (/^(is|must|at most) /.test(p.message) ? `${p.field} ${p.message}` : p.message)).join('; ')
      : error.message;
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
