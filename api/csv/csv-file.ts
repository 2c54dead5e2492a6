import { Readable, pipeline } from 'node:stream';
import { Parser } from 'csv-parse';
import { CsvFileError } from './csv-errors';
import { withinSize } from './csv-size-limit';
import { decodeCsvText } from './csv-text';

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

/**
 * A CSV file being read: its header, and its rows as they are parsed. The
 * rows can be gone through once; a problem further down the file is thrown
 * when the reading reaches it.
 */
export interface CsvReading {
  header: string[];
  delimiter: string;
  rows: AsyncIterable<CsvRow>;
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The longest row a file may have, in characters. */
export const MAX_ROW_CHARACTERS = 4_096;

/**
 * Beyond this many characters the header line is longer than any row may be,
 * so the parse refuses it whatever the separator: the separator is told from
 * this much at most.
 */
const MAX_HEADER_SNIFF = 16 * MAX_ROW_CHARACTERS;

/**
 * Reads an uploaded CSV file with csv-parse as its bytes arrive (RFC 4180
 * quoting, BOM, CRLF or LF, and the `;` or tab separators spreadsheets write
 * in some locales, told apart by the header line), holding a chunk and the row
 * under way rather than the file. Answers once the header is read; the rows
 * follow as the caller goes through them. Blank lines and rows of empty cells
 * are skipped; a row may have fewer cells than the header but not more.
 * Anything it cannot read is a CsvFileError (400) naming the problem and its
 * line: the first problem in the file's order.
 */
export async function readCsvFile(source: AsyncIterable<Uint8Array>, limits: CsvLimits = CSV_LIMITS): Promise<CsvReading> {
  const text = decodeCsvText(withinSize(source, limits.maxBytes));
  const { delimiter, pieces } = await headerSeparator(text);
  const parser = new LineParser({
    bom: true,
    delimiter,
    trim: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    // A row longer than this is not a row of a customer or a number (and would swell a job's stored batch).
    max_record_size: MAX_ROW_CHARACTERS,
  });
  // The pipeline carries a failure of the upload (too large, binary, cut off) to the parser's reader,
  // and stops reading the upload once the parser is dropped.
  pipeline(Readable.from(pieces, { objectMode: false }), parser, () => undefined);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<CsvRow>;
  const next = async (): Promise<CsvRow | undefined> => {
    try {
      const record = await records.next();
      return record.done ? undefined : record.value;
    } catch (error) {
      throw parseProblem(error, parser.lastLine);
    }
  };
  const first = await next();
  if (!first) throw new CsvFileError('csv_empty', 'The file is empty: it needs a header row and at least one row');
  return { header: first.cells, delimiter, rows: dataRows(first.cells, next, () => records.return?.(), limits) };
}

async function* dataRows(
  header: string[],
  next: () => Promise<CsvRow | undefined>,
  stop: () => unknown,
  limits: CsvLimits,
): AsyncGenerator<CsvRow> {
  let count = 0;
  try {
    for (let row = await next(); row; row = await next()) {
      if (++count > limits.maxRows) {
        throw new CsvFileError(
          'csv_too_many_rows',
          `The file has more than ${limits.maxRows.toLocaleString('en-US')} rows; import at most ${limits.maxRows.toLocaleString('en-US')} at a time (split it into several files)`,
        );
      }
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
      yield row;
    }
  } finally {
    // Stopped early (a problem, or the reader gave up): the parser and the upload's reading stop too.
    await stop();
  }
  if (count === 0) throw new CsvFileError('csv_no_rows', 'The file has a header row but no rows under it');
}

/**
 * The separator the header line uses most, outside quotes (a comma when it
 * uses none), read from the text's first pieces; those pieces are given back
 * in front of the rest.
 */
async function headerSeparator(text: AsyncGenerator<string>): Promise<{ delimiter: string; pieces: AsyncIterable<string> }> {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  const read: string[] = [];
  let quoted = false;
  let lineEnded = false;
  let seen = 0;
  while (!lineEnded && seen < MAX_HEADER_SNIFF) {
    const next = await text.next();
    if (next.done) break;
    read.push(next.value);
    const piece = seen === 0 ? next.value.replace(/^\uFEFF/, '') : next.value;
    seen += next.value.length;
    for (const char of piece) {
      if (char === '"') quoted = !quoted;
      else if (!quoted && (char === '\n' || char === '\r')) {
        lineEnded = true;
        break;
      } else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
    }
  }
  let best: string = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  async function* pieces() {
    for (const piece of read.splice(0)) yield* slices(piece);
    for await (const piece of text) yield* slices(piece);
  }
  return { delimiter: best, pieces: pieces() };
}

/**
 * csv-parse's stream giving each record with the line it ends on (as
 * csv-parse counts lines), read from the parser as it gives the record. Not
 * csv-parse's on_record: it builds a context object for every record by
 * spreading, and V8 keeps those past young-generation collections, so a
 * 100,000-row file piled up tens of megabytes of garbage until a full one.
 */
class LineParser extends Parser {
  /** The line of the last record given (0 before the first). */
  lastLine = 0;

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) return super.push(null, encoding);
    this.lastLine = this.info.lines;
    const row: CsvRow = { line: this.info.lines, cells: record as string[] };
    return super.push(row, encoding);
  }
}

/**
 * csv-parse turns all of a piece into records at once, whatever the reader
 * keeps up with: small pieces keep the records waiting to be read few (and
 * young, so they do not outlive a garbage collection of the young generation).
 */
const PARSER_PIECE = 8 * 1024;

function* slices(piece: string): Generator<string> {
  for (let at = 0; at < piece.length; at += PARSER_PIECE) yield piece.slice(at, at + PARSER_PIECE);
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
