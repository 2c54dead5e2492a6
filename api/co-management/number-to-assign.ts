import { ValidationError } from '../errors';
import { readPastedNumbers } from '../numbers/pasted-numbers';

export type NumberToAssign = { e164: string } | { problem: 'several'; count: number } | { problem: 'invalid'; reasons: string[] };

/**
 * The one number an assignment names, read as pasted numbers are read
 * everywhere (extensions, invalid pieces and their reasons): exactly one
 * valid number, or why not. The REST route and the bot word the why.
 */
export function readNumberToAssign(typed: string, defaultRegion: string): NumberToAssign {
  const entries = readPastedNumbers(typed, defaultRegion);
  const numbers = entries.flatMap((entry) => (entry.e164 === undefined ? [] : [entry.e164]));
  const reasons = entries.flatMap((entry) => (entry.e164 === undefined ? [`"${entry.input}": ${entry.reason}`] : []));
  if (numbers.length === 1 && reasons.length === 0) return { e164: numbers[0]! };
  if (numbers.length > 1 && reasons.length === 0) return { problem: 'several', count: numbers.length };
  return { problem: 'invalid', reasons };
}

/** The number to assign in E.164, or a validation error on `telephoneNumber` saying why there is none. */
export function numberToAssign(typed: string, defaultRegion: string): string {
  const read = readNumberToAssign(typed, defaultRegion);
  if ('e164' in read) return read.e164;
  throw new ValidationError([
    {
      field: 'telephoneNumber',
      message:
        read.problem === 'several'
          ? `holds ${read.count} numbers: name one number to assign`
          : `"${typed}" is not a valid phone number${read.reasons.length > 0 ? ` (${read.reasons.join('; ')})` : ''}`,
    },
  ]);
}
