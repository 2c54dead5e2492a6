import { CsvFileError } from './csv-errors';
import type { CsvReading } from './csv-file';

/** A column an import reads: the names a header may give it (any case, spaces and punctuation ignored). */
export interface CsvColumn<K extends string> {
  key: K;
  /** The name the answers and messages use (the form's label). */
  label: string;
  names: readonly string[];
  required: boolean;
}

export interface MatchedColumns<K extends string> {
  /** Where each column is in a row, when the header has it. */
  index: Partial<Record<K, number>>;
  /** Header cells no column reads, as they are written. */
  ignored: string[];
}

/** A header name compared with the column names: "Phone Number", "phone_number" and "PHONENUMBER" are one name. */
export function headerKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Finds the columns in the header row, before any row is read. A header that
 * names none of them but holds data (`looksLikeData`) is a file without a
 * header row; a missing required column names the columns the header has (a
 * header with no rows under it is refused once the rows are read).
 */
export function matchColumns<K extends string>(
  table: Pick<CsvReading, 'header'>,
  columns: readonly CsvColumn<K>[],
  looksLikeData: (cell: string) => boolean,
): MatchedColumns<K> {
  const index: Partial<Record<K, number>> = {};
  const ignored: string[] = [];
  table.header.forEach((name, position) => {
    const key = headerKey(unescapeCell(name));
    const column = columns.find((c) => c.names.some((n) => headerKey(n) === key));
    if (column && index[column.key] === undefined) index[column.key] = position;
    else if (name !== '') ignored.push(name);
  });
  const found = Object.keys(index).length;
  if (found === 0 && table.header.some(looksLikeData)) {
    throw new CsvFileError(
      'csv_no_header',
      `The first row must name the columns, but it holds data (${table.header.join(', ').slice(0, 80)}); add a header row such as: ${columns
        .filter((c) => c.required)
        .map((c) => c.names[0])
        .join(',')}`,
      1,
    );
  }
  for (const column of columns) {
    if (column.required && index[column.key] === undefined) {
      throw new CsvFileError(
        'csv_missing_column',
        `No column is named ${column.names.map((n) => `"${n}"`).join(' or ')} (any case); the header has ${
          table.header.filter((h) => h !== '').map((h) => `"${h}"`).join(', ') || 'no names'
        }`,
        1,
      );
    }
  }
  return { index, ignored };
}

/**
 * A cell as the partner meant it: a file the portal exported writes text that
 * starts like a formula with a leading apostrophe (csv-writer), which comes off
 * again here so an export imports back unchanged.
 */
export function unescapeCell(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}
