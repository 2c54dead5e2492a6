import { parse } from 'csv-parse/sync';
import { CsvFileError } from './csv-errors';

/** What an import accepts at most (the issue's limits: 10 MB, 100,000 rows). */
export interface CsvLimits {
  maxBytes: number;
  maxRows: number;
}

export const CSV_LIMITS: CsvLimits = { maxBytes: 10 * 1024 * 1024, maxRows: 100_000 };

/** A data row of the file and the line it ends on (as a spreadsheet numbers them, header on line 1). */
export interface CsvRow {
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
  delimiter: string;
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The longest row a file may have, in characters. */
export const MAX_ROW_CHARACTERS = 4_096;

/**
 * Reads an uploaded CSV file with csv-parse (RFC 4180 quoting, BOM, CRLF or LF,
 * and the `;` or tab separators spreadsheets write in some locales, told apart
 * by the header line). Blank lines and rows of empty cells are skipped; a row
 * may have fewer cells than the header but not more (rows may be none: the
 * columns are checked first, see matchColumns). Anything it cannot read
 * is a CsvFileError (400) naming the problem and its line.
 */
export function readCsvTable(bytes: Buffer, limits: CsvLimits = CSV_LIMITS): CsvTable {
  if (bytes.length > limits.maxBytes) {
    throw new CsvFileError(
      'csv_too_large',
      `The file is ${megabytes(bytes.length)}; import at most ${megabytes(limits.maxBytes)} at a time (split it into several files)`,
    );
  }
  const text = decode(bytes);
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new CsvFileError('csv_empty', 'The file is empty: it needs a header row and at least one row');
  const delimiter = delimiterOf(text);
  let lastLine = 0;
  let records: CsvRow[];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      // The header, the most rows allowed, and one more to tell that there were too many.
      to: limits.maxRows + 2,
      // A row longer than this is not a row of a customer or a number (and would swell a job's stored batch).
      max_record_size: MAX_ROW_CHARACTERS,
      // Each record with the line it ends on, and no more (csv-parse's `info` is heavy at 100,000 rows).
      on_record: (cells, context) => {
        lastLine = context.lines;
        return { line: context.lines, cells } as never;
      },
    }) as unknown as CsvRow[];
  } catch (error) {
    throw parseProblem(error, lastLine);
  }
  const [first, ...rest] = records;
  if (!first) throw new CsvFileError('csv_empty', 'The file is empty: it needs a header row and at least one row');
  if (rest.length > limits.maxRows) {
    throw new CsvFileError(
      'csv_too_many_rows',
      `The file has more than ${limits.maxRows.toLocaleString('en-US')} rows; import at most ${limits.maxRows.toLocaleString('en-US')} at a time (split it into several files)`,
    );
  }
  const header = first.cells;
  for (const row of rest) {
    if (row.cells.length > header.length) {
      if (row.cells.slice(header.length).some((cell) => cell !== '')) {
        throw new CsvFileError(
          'csv_too_many_cells',
          `Line ${row.line} has ${row.cells.length} cells but the header has ${header.length} columns (a separator too many, or a cell that needs quotes)`,
          row.line,
        );
      }
      // Trailing empty cells, as spreadsheets write them.
      row.cells.length = header.length;
    }
  }
  return { header, rows: rest, delimiter };
}

/**
 * UTF-8 (with or without a BOM) or UTF-16 with its BOM; a file that is neither
 * but holds no control characters is read as Windows-1252, what spreadsheets
 * on Windows save as plain "CSV". NUL or other control bytes mean it is not a
 * text file at all (a workbook, an image).
 */
function decode(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (holdsControlBytes(bytes)) {
    throw new CsvFileError(
      'csv_binary',
      'The file is not a text CSV file (it looks binary, such as a workbook or an image); save it from the spreadsheet as "CSV UTF-8"',
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function holdsControlBytes(bytes: Buffer): boolean {
  for (const byte of bytes) {
    // Tab, line feed, form feed and carriage return are text.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) return true;
  }
  return false;
}

/** The separator the header line uses most, outside quotes (a comma when it uses none). */
function delimiterOf(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text.replace(/^\uFEFF/, '')) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best: string = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

function parseProblem(error: unknown, lastLine: number): Error {
  const code = (error as { code?: string }).code;
  const line = (error as { lines?: number }).lines;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvFileError(
        'csv_unbalanced_quote',
        `A quote opened on line ${lastLine + 1} is never closed (a cell starts with " but has no closing ")`,
        lastLine + 1,
      );
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new CsvFileError(
        'csv_unbalanced_quote',
        `Line ${line} has a quote inside a cell that is not quoted as a whole (write the cell as "…" and double the quotes inside it)`,
        line,
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new CsvFileError(
        'csv_row_too_long',
        `Line ${lastLine + 1} is longer than ${MAX_ROW_CHARACTERS.toLocaleString('en-US')} characters: it is not one row of the table (check the quotes and separators)`,
        lastLine + 1,
      );
    default:
      if (typeof code === 'string' && code.startsWith('CSV_')) {
        return new CsvFileError('csv_unreadable', `The file cannot be read as CSV${line ? ` at line ${line}` : ''}: ${(error as Error).message}`, line);
      }
      return error as Error;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}
