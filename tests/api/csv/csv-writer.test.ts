import { parse } from 'csv-parse/sync';
import { csvStream, csvText, spreadsheetSafe } from '../../../api/csv/csv-writer';
import { unescapeCell } from '../../../api/csv/csv-columns';

describe('writing CSV that is safe to open in a spreadsheet', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+12025550100', `'+12025550100`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['\rcmd', `'\rcmd`],
    ['Contoso', 'Contoso'],
    ["O'Brien", "O'Brien"],
    ['a=b', 'a=b'],
  ])('writes %j as %j, and the import reads it back as it was', (value, written) => {
    expect(spreadsheetSafe(value)).toBe(written);
    expect(unescapeCell(spreadsheetSafe(value))).toBe(value);
  });

  it('writes a BOM, a header, CRLF line ends and RFC 4180 quoting; numbers as they are, missing cells empty', async () => {
    const columns = [
      { header: 'Name', cell: (r: { name: string; channels?: number }) => r.name },
      { header: 'Max Channels', cell: (r: { name: string; channels?: number }) => r.channels },
    ];
    const text = await csvText(columns, [
      { name: 'Contoso, "Main"', channels: -1 },
      { name: 'Line\nbreak' },
      { name: '=1+1', channels: 4 },
    ]);
    expect(text).toBe('\uFEFFName,Max Channels\r\n"Contoso, ""Main""",-1\r\n"Line\nbreak",\r\n\'=1+1,4\r\n');
    expect(parse(text, { bom: true })).toEqual([
      ['Name', 'Max Channels'],
      ['Contoso, "Main"', '-1'],
      ['Line\nbreak', ''],
      ["'=1+1", '4'],
    ]);
  });

  it('streams from an async source, and a failing source breaks the stream instead of ending it short', async () => {
    async function* failing() {
      yield { name: 'one' };
      throw new Error('cursor lost');
    }
    const stream = csvStream([{ header: 'Name', cell: (r: { name: string }) => r.name }], failing());
    const chunks: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) chunks.push(String(chunk));
      })(),
    ).rejects.toThrow('cursor lost');
  });
});
