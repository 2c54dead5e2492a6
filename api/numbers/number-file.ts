import type { CountryCode } from 'libphonenumber-js';
import { matchColumns, unescapeCell, type CsvColumn } from '../csv/csv-columns';
import { readCsvFile, type CsvRow } from '../csv/csv-file';
import { csvStream, type CsvOutputColumn } from '../csv/csv-writer';
import type { NumberDocument } from './number-document';
import { readPiece, type PastedJobRow } from './pasted-numbers';

/** The column of an import that holds the numbers, by any of the names spreadsheets give it. */
export const NUMBER_COLUMNS: readonly CsvColumn<'number'>[] = [
  { key: 'number', label: 'Number', names: ['number', 'e164', 'phone', 'phone number', 'did'], required: true },
];

/**
 * The rows of an imported CSV file as it is read: one number per row, read as
 * a paste reads a piece, so an import says what add says. A row whose cell
 * holds several numbers, or none, is one invalid row. Answers once the header
 * is read and its columns found.
 */
export async function readNumberFile(
  content: AsyncIterable<Uint8Array>,
  region: string,
): Promise<{ rows: AsyncIterable<PastedJobRow>; ignoredColumns: string[] }> {
  const table = await readCsvFile(content);
  const { index, ignored } = matchColumns(table, NUMBER_COLUMNS, (cell) => /\d{5,}/.test(cell.replace(/[\s().-]/g, '')));
  return { rows: numberRows(table.rows, index.number!, region as CountryCode), ignoredColumns: ignored };
}

async function* numberRows(rows: AsyncIterable<CsvRow>, column: number, region: CountryCode): AsyncGenerator<PastedJobRow> {
  for await (const { line, cells } of rows) yield numberRow(line, unescapeCell(cells[column] ?? '').trim(), region);
}

function numberRow(line: number, text: string, region: CountryCode): PastedJobRow {
  if (text === '') return { input: '', line, reason: 'the number cell is empty' };
  const found = readPiece(text, region);
  if (found.length === 1) return { ...found[0]!, input: text, line };
  if (found.filter((entry) => entry.e164 !== undefined).length > 1) {
    return { input: text, line, reason: 'holds more than one number; put one number in each row' };
  }
  const problem = found.find((entry) => entry.e164 === undefined);
  return { input: text, line, reason: problem && 'reason' in problem ? problem.reason : 'not a phone number' };
}

const NUMBER_EXPORT_COLUMNS: readonly CsvOutputColumn<NumberDocument>[] = [
  { header: 'Number', cell: (n) => n.e164 },
  { header: 'Status', cell: (n) => n.status },
  { header: 'Status text', cell: (n) => n.statusText },
  { header: 'Added at', cell: (n) => n.addedAt.toISOString() },
  { header: 'Added by', cell: (n) => n.addedBy.name ?? n.addedBy.oid },
  { header: 'Last synced', cell: (n) => n.syncedAt?.toISOString() },
];

export function numberCsv(numbers: AsyncIterable<NumberDocument>) {
  return csvStream(NUMBER_EXPORT_COLUMNS, numbers);
}
