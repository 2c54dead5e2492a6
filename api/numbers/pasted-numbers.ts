import {
  findNumbers,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/max';
import type { JobInputRow } from '../jobs/job-document';

/** One thing found in what the partner pasted: a number, or a piece that held none. */
export type PastedEntry =
  | { input: string; e164: string }
  | { input: string; e164?: undefined; reason: string };

/** A row of an add job: an entry of the paste or of an imported file (with its line). */
export type PastedJobRow = PastedEntry & JobInputRow;

// A semicolon separates pieces, except in a tel: URI's ";ext=" (RFC 3966).
const PIECE_SEPARATORS = /[\r\n,]+|;(?!\s*ext=)/i;

/**
 * Reads numbers the way people paste them (DESIGN.md, "Numbers"): pieces on new
 * lines, commas or semicolons; one piece may hold several numbers separated by
 * spaces. Every number found comes back in E.164; every piece, or leftover part
 * of a piece, that holds digits but no valid number comes back with its reason.
 */
export function readPastedNumbers(pasted: string | readonly string[], defaultRegion: string): PastedEntry[] {
  return splitPieces(pasted).flatMap((piece) => readPiece(piece, defaultRegion as CountryCode));
}

/** A piece longer than this is not a few numbers side by side. */
export const MAX_PIECE_LENGTH = 500;

/** The non-blank pieces of what was pasted: cheap, so callers can bound the work before parsing. */
export function splitPieces(pasted: string | readonly string[]): string[] {
  const texts = typeof pasted === 'string' ? [pasted] : pasted;
  const pieces: string[] = [];
  for (const text of texts) {
    for (const rawPiece of text.split(PIECE_SEPARATORS)) {
      const piece = rawPiece.trim();
      if (piece !== '') pieces.push(piece);
    }
  }
  return pieces;
}

export function readPiece(piece: string, region: CountryCode): PastedEntry[] {
  if (piece.length > MAX_PIECE_LENGTH) {
    return [{ input: `${piece.slice(0, 40)}...`, reason: `a piece of ${piece.length} characters is not a list of phone numbers` }];
  }
  const found = findNumbers(piece, { defaultCountry: region, v2: true });
  if (found.length === 0) {
    return [{ input: piece, reason: whyNotANumber(piece, region) }];
  }
  const entries: PastedEntry[] = [];
  let cursor = 0;
  for (const match of found) {
    entries.push(...leftover(piece.slice(cursor, match.startsAt), region));
    const input = piece.slice(match.startsAt, match.endsAt).trim();
    if (match.number.ext) {
      entries.push({
        input,
        reason: `has an extension (${match.number.ext}); a Direct Routing number cannot carry one`,
      });
    } else {
      entries.push({ input, e164: match.number.number });
    }
    cursor = match.endsAt;
  }
  entries.push(...leftover(piece.slice(cursor), region));
  return entries;
}

/**
 * Text around the numbers found in a piece: a label such as "Main:" or "tel:"
 * is fine, but anything with digits in it was meant as a number and is reported.
 */
function leftover(text: string, region: CountryCode): PastedEntry[] {
  const trimmed = text.trim();
  if (!/\d/.test(trimmed)) return [];
  return [{ input: trimmed, reason: whyNotANumber(trimmed, region) }];
}

function whyNotANumber(text: string, region: CountryCode): string {
  if (!/\d/.test(text)) return 'no phone number found';
  switch (validatePhoneNumberLength(text, region)) {
    case 'TOO_SHORT':
      return 'too short to be a phone number';
    case 'TOO_LONG':
      return 'too long to be a phone number';
    case 'INVALID_COUNTRY':
      return 'unknown country code (start international numbers with + and the country code)';
    case 'INVALID_LENGTH':
      return 'wrong number of digits for its country';
    case 'NOT_A_NUMBER':
      return 'not a phone number';
    default: {
      const parsed = parsePhoneNumberFromString(text, region);
      return parsed
        ? `not a valid ${parsed.country ?? '+' + parsed.countryCallingCode} number`
        : 'not a phone number';
    }
  }
}
