import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';

/** A column of an export: its header, and a row's cell. */
export interface CsvOutputColumn<T> {
  header: string;
  cell(item: T): string | number | null | undefined;
}

/** What a spreadsheet would start a formula with (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell that a spreadsheet would run as a formula gets a leading
 * apostrophe. E.164 numbers start with `+`, so they are written the same way
 * ('+12025550100): spreadsheets keep the cell as text, so the `+` and every
 * digit stay, and the portal's import takes the apostrophe off again.
 */
export function spreadsheetSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Writes `items` as CSV with csv-stringify: a UTF-8 BOM (so spreadsheets read
 * accents right), a header row, CRLF line ends, RFC 4180 quoting, and every
 * text cell made spreadsheet-safe. A stream that pulls items as the client
 * reads, so an export of any size holds one cursor batch in memory.
 */
export function csvStream<T>(columns: readonly CsvOutputColumn<T>[], items: AsyncIterable<T> | Iterable<T>): Readable {
  const rows = Readable.from(
    (async function* () {
      for await (const item of items) {
        yield columns.map((column) => {
          const value = column.cell(item);
          if (value === null || value === undefined) return '';
          return typeof value === 'number' ? String(value) : spreadsheetSafe(value);
        });
      }
    })(),
  );
  // A line break of either kind is quoted (csv-stringify quotes only the record delimiter by itself).
  const writer = stringify({
    bom: true,
    header: true,
    columns: columns.map((c) => c.header),
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
  });
  // pipeline, not pipe: a client that goes away destroys the writer, and with it the rows and their cursor.
  pipeline(rows, writer, () => undefined);
  return writer;
}

/** The whole of a small CSV (failed rows of an answer) as text. */
export async function csvText<T>(columns: readonly CsvOutputColumn<T>[], items: Iterable<T>): Promise<string> {
  let text = '';
  for await (const chunk of csvStream(columns, items)) text += String(chunk);
  return text;
}
