import { readCsvTable } from '../../../api/csv/csv-file';
import { matchColumns } from '../../../api/csv/csv-columns';

const read = (text: string | Buffer, limits?: { maxBytes: number; maxRows: number }) =>
  readCsvTable(typeof text === 'string' ? Buffer.from(text) : text, limits);

const problem = (text: string | Buffer, limits?: { maxBytes: number; maxRows: number }) => {
  try {
    read(text, limits);
  } catch (error) {
    return error as { status: number; code: string; message: string; details?: { line: number } };
  }
  throw new Error('read without a problem');
};

describe('reading an uploaded CSV file', () => {
  it('reads RFC 4180 quoting, a BOM and CRLF, and gives each row its line', () => {
    expect(read('\uFEFFnumber,note\r\n"+1 (212) 555-0100","a, ""quoted"" note"\r\n\r\n+12125550101,\r\n')).toEqual({
      header: ['number', 'note'],
      rows: [
        { line: 2, cells: ['+1 (212) 555-0100', 'a, "quoted" note'] },
        { line: 4, cells: ['+12125550101', ''] },
      ],
      delimiter: ',',
    });
  });

  it('tells the separator from the header: ; (spreadsheets in many locales) and tab', () => {
    expect(read('Name;Number\nContoso, Inc.;+12125550100\n').rows[0]!.cells).toEqual(['Contoso, Inc.', '+12125550100']);
    expect(read('Name\tNumber\nContoso;Main\t+12125550100\n').rows[0]!.cells).toEqual(['Contoso;Main', '+12125550100']);
  });

  it('skips rows of empty cells, allows fewer cells than the header and trailing empty ones', () => {
    expect(read('a,b,c\n1\n,,\n2,3,4,,\n').rows).toEqual([
      { line: 2, cells: ['1'] },
      { line: 4, cells: ['2', '3', '4'] },
    ]);
  });

  it('reads UTF-16 with its BOM, and a Windows-1252 file as Windows spreadsheets save it', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\r\nZoë\r\n', 'utf16le')]);
    expect(read(utf16).rows[0]!.cells).toEqual(['Zoë']);
    expect(read(Buffer.from([0x6e, 0x0a, 0x5a, 0x6f, 0xeb, 0x0a])).rows[0]!.cells).toEqual(['Zoë']);
  });

  it.each([
    ['an empty file', '', 'csv_empty', undefined],
    ['blank lines only', '\uFEFF\r\n \r\n', 'csv_empty', undefined],
    ['an unclosed quote', 'number\n1\n"2\n3\n', 'csv_unbalanced_quote', 3],
    ['a quote inside an unquoted cell', 'number\n1\n2"x\n', 'csv_unbalanced_quote', 3],
    ['more cells than the header', 'a,b\n1,2\n1,2,3\n', 'csv_too_many_cells', 3],
    ['a binary file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), 'csv_binary', undefined],
    ['a row longer than 4,096 characters', `number\n1\n${'9'.repeat(5000)}\n`, 'csv_row_too_long', 3],
  ])('refuses %s (%s)', (_what, text, code, line) => {
    const error = problem(text);
    expect(error).toMatchObject({ status: 400, code });
    expect(error.details?.line).toBe(line);
  });

  it('refuses a file over the size limit and more rows than the row limit', () => {
    expect(problem('number\n1\n2\n', { maxBytes: 5, maxRows: 10 })).toMatchObject({ code: 'csv_too_large' });
    expect(problem('number\n1\n2\n3\n', { maxBytes: 100, maxRows: 2 })).toMatchObject({
      code: 'csv_too_many_rows',
      message: expect.stringContaining('more than 2 rows'),
    });
    expect(read('number\n1\n2\n', { maxBytes: 100, maxRows: 2 }).rows).toHaveLength(2);
  });
});

describe('finding the columns of an import in its header', () => {
  const columns = [{ key: 'number', label: 'Number', names: ['number', 'e164', 'phone number'], required: true }] as const;
  const looksLikeData = (cell: string) => /\d{5,}/.test(cell);

  it('matches any case, spaces or punctuation, and lists the columns it ignores', () => {
    expect(matchColumns(read('Site,Phone_Number,Note\nx,1,y\n'), columns, looksLikeData)).toEqual({
      index: { number: 1 },
      ignored: ['Site', 'Note'],
    });
    expect(matchColumns(read('E164\n1\n'), columns, looksLikeData).index).toEqual({ number: 0 });
  });

  it('refuses a header with no rows under it, once the columns are found', () => {
    expect(() => matchColumns(read('number\n'), columns, looksLikeData)).toThrow(expect.objectContaining({ code: 'csv_no_rows' }));
  });

  it('tells a file without a header row from one without the column', () => {
    expect(() => matchColumns(read('+12125550100\n+12125550101\n'), columns, looksLikeData)).toThrow(
      expect.objectContaining({ code: 'csv_no_header' }),
    );
    expect(() => matchColumns(read('Site,Note\nx,y\n'), columns, looksLikeData)).toThrow(
      expect.objectContaining({ code: 'csv_missing_column', message: expect.stringContaining('"Site", "Note"') }),
    );
  });
});
