import { readCsvFile, type CsvRow } from '../../../api/csv/csv-file';
import { matchColumns } from '../../../api/csv/csv-columns';

type Limits = { maxBytes: number; maxRows: number };

/** The bytes as an upload gives them: in chunks of `chunkBytes` (the whole file in one by default). */
async function* arriving(bytes: Buffer, chunkBytes = bytes.length || 1) {
  for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
}

/** The whole file read: its header, delimiter and every row. */
const read = async (text: string | Buffer, limits?: Limits, chunkBytes?: number) => {
  const reading = await readCsvFile(arriving(typeof text === 'string' ? Buffer.from(text) : text, chunkBytes), limits);
  const rows: CsvRow[] = [];
  for await (const row of reading.rows) rows.push(row);
  return { header: reading.header, rows, delimiter: reading.delimiter };
};

const problem = async (text: string | Buffer, limits?: Limits, chunkBytes?: number) => {
  try {
    await read(text, limits, chunkBytes);
  } catch (error) {
    return error as { status: number; code: string; message: string; details?: { line: number } };
  }
  throw new Error('read without a problem');
};

describe('reading an uploaded CSV file', () => {
  it('reads RFC 4180 quoting, a BOM and CRLF, and gives each row its line', async () => {
    expect(await read('\uFEFFnumber,note\r\n"+1 (212) 555-0100","a, ""quoted"" note"\r\n\r\n+12125550101,\r\n')).toEqual({
      header: ['number', 'note'],
      rows: [
        { line: 2, cells: ['+1 (212) 555-0100', 'a, "quoted" note'] },
        { line: 4, cells: ['+12125550101', ''] },
      ],
      delimiter: ',',
    });
  });

  it('tells the separator from the header: ; (spreadsheets in many locales) and tab', async () => {
    expect((await read('Name;Number\nContoso, Inc.;+12125550100\n')).rows[0]!.cells).toEqual(['Contoso, Inc.', '+12125550100']);
    expect((await read('Name\tNumber\nContoso;Main\t+12125550100\n')).rows[0]!.cells).toEqual(['Contoso;Main', '+12125550100']);
  });

  it('skips rows of empty cells, allows fewer cells than the header and trailing empty ones', async () => {
    expect((await read('a,b,c\n1\n,,\n2,3,4,,\n')).rows).toEqual([
      { line: 2, cells: ['1'] },
      { line: 4, cells: ['2', '3', '4'] },
    ]);
  });

  it('reads UTF-16 with its BOM, and a Windows-1252 file as Windows spreadsheets save it', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\r\nZoë\r\n', 'utf16le')]);
    expect((await read(utf16)).rows[0]!.cells).toEqual(['Zoë']);
    expect((await read(Buffer.from([0x6e, 0x0a, 0x5a, 0x6f, 0xeb, 0x0a]))).rows[0]!.cells).toEqual(['Zoë']);
  });

  it.each([
    ['an empty file', '', 'csv_empty', undefined],
    ['blank lines only', '\uFEFF\r\n \r\n', 'csv_empty', undefined],
    ['an unclosed quote', 'number\n1\n"2\n3\n', 'csv_unbalanced_quote', 3],
    ['a quote inside an unquoted cell', 'number\n1\n2"x\n', 'csv_unbalanced_quote', 3],
    ['more cells than the header', 'a,b\n1,2\n1,2,3\n', 'csv_too_many_cells', 3],
    ['a binary file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), 'csv_binary', undefined],
    ['a row longer than 4,096 characters', `number\n1\n${'9'.repeat(5000)}\n`, 'csv_row_too_long', 3],
  ])('refuses %s (%s)', async (_what, text, code, line) => {
    const error = await problem(text);
    expect(error).toMatchObject({ status: 400, code });
    expect(error.details?.line).toBe(line);
  });

  it('refuses a file over the size limit and more rows than the row limit', async () => {
    expect(await problem('number\n1\n2\n', { maxBytes: 5, maxRows: 10 })).toMatchObject({ code: 'csv_too_large' });
    expect(await problem('number\n1\n2\n3\n', { maxBytes: 100, maxRows: 2 })).toMatchObject({
      code: 'csv_too_many_rows',
      message: expect.stringContaining('more than 2 rows'),
    });
    expect((await read('number\n1\n2\n', { maxBytes: 100, maxRows: 2 })).rows).toHaveLength(2);
  });
});

describe('finding the columns of an import in its header', () => {
  const columns = [{ key: 'number', label: 'Number', names: ['number', 'e164', 'phone number'], required: true }] as const;
  const looksLikeData = (cell: string) => /\d{5,}/.test(cell);

  it('matches any case, spaces or punctuation, and lists the columns it ignores', async () => {
    expect(matchColumns(await read('Site,Phone_Number,Note\nx,1,y\n'), columns, looksLikeData)).toEqual({
      index: { number: 1 },
      ignored: ['Site', 'Note'],
    });
    expect(matchColumns(await read('E164\n1\n'), columns, looksLikeData).index).toEqual({ number: 0 });
  });

  it('refuses a header with no rows under it, once the columns are found', async () => {
    const reading = await readCsvFile(arriving(Buffer.from('number\n')));
    expect(matchColumns(reading, columns, looksLikeData).index).toEqual({ number: 0 });
    await expect(reading.rows[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'csv_no_rows' });
  });

  it('tells a file without a header row from one without the column', async () => {
    const noHeader = await read('+12125550100\n+12125550101\n');
    expect(() => matchColumns(noHeader, columns, looksLikeData)).toThrow(expect.objectContaining({ code: 'csv_no_header' }));
    const noColumn = await read('Site,Note\nx,y\n');
    expect(() => matchColumns(noColumn, columns, looksLikeData)).toThrow(
      expect.objectContaining({ code: 'csv_missing_column', message: expect.stringContaining('"Site", "Note"') }),
    );
  });
});

describe('reading a CSV file as it arrives', () => {
  const samples: [string, Buffer][] = [
    ['UTF-8 with a BOM, CRLF, quotes and accents', Buffer.from('\uFEFFname;note\r\n"Zoë; ""Z""";"two\r\nlines"\r\nÅsa;ok\r\n')],
    ['UTF-16 with its BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\r\nZoë\r\n', 'utf16le')])],
    // Windows-1252 further down: the first chunks are ASCII, then é (0xe9) is not UTF-8.
    ['Windows-1252 after ASCII rows', Buffer.concat([Buffer.from('name\nAnn\nBob\n'), Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x0a])])],
  ];

  it.each(samples)('reads %s to the same table however the bytes are cut', async (_what, bytes) => {
    const whole = await read(bytes);
    for (const chunkBytes of [1, 2, 3, 5, 8]) expect(await read(bytes, undefined, chunkBytes)).toEqual(whole);
    expect(whole.rows.length).toBeGreaterThan(0);
  });

  it('reads Windows-1252 from the first piece that is not UTF-8 on', async () => {
    const bytes = Buffer.concat([Buffer.from('name\nAnn\nBob\n'), Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x0a])]);
    expect((await read(bytes, undefined, 4)).rows.map((row) => row.cells[0])).toEqual(['Ann', 'Bob', 'René']);
  });

  it('gives rows before the file has ended', async () => {
    let finish: () => void = () => undefined;
    const rest = new Promise<void>((resolve) => (finish = resolve));
    async function* uploading() {
      // csv-parse holds the last few characters of a chunk until the next one (it looks ahead for line breaks).
      yield Buffer.from('number\n1\n2\n3\n4\n5\n');
      await rest;
      yield Buffer.from('6\n');
    }
    const reading = await readCsvFile(uploading());
    const rows = reading.rows[Symbol.asyncIterator]();
    expect((await rows.next()).value).toEqual({ line: 2, cells: ['1'] });
    expect((await rows.next()).value).toEqual({ line: 3, cells: ['2'] });
    finish();
    const after: CsvRow[] = [];
    for (let next = await rows.next(); !next.done; next = await rows.next()) after.push(next.value);
    expect(after.map((row) => row.cells[0])).toEqual(['3', '4', '5', '6']);
  });

  it('gives the rows above a problem, then the problem with its line', async () => {
    const reading = await readCsvFile(arriving(Buffer.from('a,b\n1,2\n3,4\n5,6,7\n8,9\n'), 3));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const row of reading.rows) seen.push(row.cells[0]!);
      })(),
    ).rejects.toMatchObject({ code: 'csv_too_many_cells', details: { line: 4 } });
    expect(seen).toEqual(['1', '3']);
  });

  it('refuses a file as soon as it passes the size limit as it arrives', async () => {
    const file = Buffer.from(`number\n${'+12125550100\n'.repeat(120_000)}`);
    expect(await problem(file, { maxBytes: 1024 * 1024, maxRows: 1_000_000 }, 64 * 1024)).toMatchObject({
      code: 'csv_too_large',
      message: 'The file is over 1 MB; import at most 1 MB at a time (split it into several files)',
    });
  });

  it('refuses a binary file whose control bytes come after its first chunks', async () => {
    const bytes = Buffer.concat([Buffer.from('number\n1\n2\n'), Buffer.from([0x00, 0x01]), Buffer.from('\n3\n')]);
    expect(await problem(bytes, undefined, 4)).toMatchObject({ code: 'csv_binary' });
  });
});
