import { ObjectId } from 'mongodb';
import { createCustomer, PARTNER_B, startTestApp, type TestApp } from '../../support/test-app';

/** `count` distinct valid NANP numbers from +1 212 300 0000 on. */
const numbersFrom = (start: number, count: number) =>
  Array.from({ length: count }, (_, i) => `+1212${String(3_000_000 + start + i).padStart(7, '0')}`);

const csv = (text: string) => ({ rawBody: text, headers: { 'content-type': 'text/csv' } });

describe('importing numbers from a CSV file', () => {
  let t: TestApp;
  let customer: string;
  let other: string;
  beforeAll(async () => {
    t = await startTestApp();
    customer = await createCustomer(t, { name: 'Contoso', accountId: 'contoso-1' });
    other = await createCustomer(t, { name: 'Fabrikam' });
    await t.request('POST', `/api/v1/customers/${other}/numbers`, { body: { numbers: numbersFrom(900, 1) } });
  });
  afterAll(() => t.close());
  const idle = () => t.app.services.jobRunner.idle();
  const importPath = (dryRun = false) => `/api/v1/customers/${customer}/numbers/import${dryRun ? '?dryRun=true' : ''}`;

  // Five rows: two new, one at Fabrikam, one twice, one no number; `Phone Number` any case, `;` separators, a BOM, CRLF.
  const file = [
    '\uFEFFName;PHONE NUMBER;Note',
    `Reception;${numbersFrom(0, 1)[0]};front desk`,
    `Sales;"(212) 300-0001";`,
    `Elsewhere;${numbersFrom(900, 1)[0]};`,
    `Twice;${numbersFrom(0, 1)[0]};`,
    'Broken;12345;',
    '',
  ].join('\r\n');

  it('answers a dry run with the outcome counts, the failing rows and the ignored columns, and writes nothing', async () => {
    const response = await t.request('POST', importPath(true), csv(file));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      dryRun: true,
      total: 5,
      summary: { added: 2, 'already-present': 1, 'owned-elsewhere': 1, invalid: 1 },
      failures: [
        { line: 4, input: numbersFrom(900, 1)[0], outcome: 'owned-elsewhere', message: 'this number belongs to another customer' },
        { line: 5, input: numbersFrom(0, 1)[0], outcome: 'already-present', message: 'listed more than once' },
        { line: 6, input: '12345', outcome: 'invalid', message: expect.stringMatching(/short|not/) },
      ],
      ignoredColumns: ['Name', 'Note'],
    });
    expect(await t.database.numbers.countDocuments({ customerId: new ObjectId(customer) })).toBe(0);
    expect(await t.database.jobs.countDocuments({})).toBe(0);
  });

  it('imports the same file as a job (202, Location), each row with its line, and the failed rows download as CSV', async () => {
    const form = new FormData();
    form.append('file', new Blob([file], { type: 'text/csv' }), 'contoso numbers.csv');
    const response = await t.request('POST', importPath(), { rawBody: form });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/api/v1/jobs/${response.body.job.id}`);
    expect(response.body.ignoredColumns).toEqual(['Name', 'Note']);
    expect(response.body.job).toMatchObject({ kind: 'numbers.add', total: 5, fileName: 'contoso numbers.csv', inputLabel: 'Number' });
    await idle();
    const job = await t.request('GET', `/api/v1/jobs/${response.body.job.id}`);
    expect(job.body).toMatchObject({ state: 'done', outcomes: { added: 2, 'already-present': 1, 'owned-elsewhere': 1, invalid: 1 } });
    const rows = await t.request('GET', `/api/v1/jobs/${response.body.job.id}/rows?failed=true`);
    expect(rows.body.items.map((r: { line: number; outcome: string }) => [r.line, r.outcome])).toEqual([
      [4, 'owned-elsewhere'],
      [5, 'already-present'],
      [6, 'invalid'],
    ]);
    expect((await t.request('GET', `/api/v1/customers/${customer}`)).body.numberCount).toBe(2);

    const failed = await t.request('GET', `/api/v1/jobs/${response.body.job.id}/rows/export`);
    expect(failed.status).toBe(200);
    expect(failed.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(failed.headers.get('content-disposition')).toBe('attachment; filename="contoso_numbers-failed-rows.csv"');
    const lines = (failed.body as string).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('Number,Outcome,Message,Line,Row');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(`'${numbersFrom(900, 1)[0]},owned-elsewhere,this number belongs to another customer,4,3`);
  });

  it('exports the numbers as CSV, each number kept as text with its + (a leading apostrophe), and imports the export back unchanged', async () => {
    const response = await t.request('GET', `/api/v1/customers/${customer}/numbers/export`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="numbers-contoso-1-\d{4}-\d\d-\d\d\.csv"$/);
    // fetch's text() drops the BOM (csv-writer's tests see it).
    const text = response.body as string;
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Number,Status,Status text,Added at,Added by,Last synced');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([`'${numbersFrom(0, 1)[0]}`, `'${numbersFrom(1, 1)[0]}`]);
    expect(lines[1]).toMatch(/,pending,"Added, waiting for sync",\d{4}-\d\d-\d\dT[\d:.]+Z,Test User,$/);

    const again = await t.request('POST', importPath(true), csv(text));
    expect(again.body.summary).toMatchObject({ added: 0, 'already-present': 2 });
    expect(again.body.ignoredColumns).toEqual(['Status', 'Status text', 'Added at', 'Added by', 'Last synced']);

    const synced = await t.request('GET', `/api/v1/customers/${customer}/numbers/export?status=synced`);
    expect((synced.body as string).trimEnd().split('\r\n')).toHaveLength(1);
    expect((await t.request('GET', `/api/v1/customers/${customer}/numbers/export?status=nope`)).status).toBe(400);
  });

  it.each([
    ['an empty file', '', 'csv_empty'],
    ['a header and no rows', 'number\r\n', 'csv_no_rows'],
    ['no header row', `${numbersFrom(5, 1)[0]}\n${numbersFrom(6, 1)[0]}\n`, 'csv_no_header'],
    ['no number column', 'name,note\nReception,front\n', 'csv_missing_column'],
    ['an unbalanced quote', `number\n${numbersFrom(5, 1)[0]}\n"${numbersFrom(6, 1)[0]}\n${numbersFrom(7, 1)[0]}\n`, 'csv_unbalanced_quote'],
    ['a row with more cells than the header', `number\n${numbersFrom(5, 1)[0]}\n${numbersFrom(6, 1)[0]},extra\n`, 'csv_too_many_cells'],
  ])('refuses %s with a 400 that says so, and writes nothing', async (_what, body, code) => {
    const response = await t.request('POST', importPath(), csv(body));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
    expect(await t.database.jobs.countDocuments({})).toBe(1);
  });

  it('names the line of an unbalanced quote and of a row with too many cells', async () => {
    const quote = await t.request('POST', importPath(), csv(`number\n${numbersFrom(5, 1)[0]}\n"${numbersFrom(6, 1)[0]}\n${numbersFrom(7, 1)[0]}\n`));
    expect(quote.body.error).toMatchObject({ message: expect.stringContaining('line 3'), details: { line: 3 } });
    const cells = await t.request('POST', importPath(), csv(`number\n${numbersFrom(5, 1)[0]}\n${numbersFrom(6, 1)[0]},extra\n`));
    expect(cells.body.error).toMatchObject({ message: expect.stringContaining('Line 3 has 2 cells'), details: { line: 3 } });
  });

  it('refuses a binary file, a file over 10 MB, more than 100,000 rows, and a body that is not a CSV', async () => {
    const binary = await t.request('POST', importPath(), {
      rawBody: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]),
      headers: { 'content-type': 'text/csv' },
    });
    expect(binary.status).toBe(400);
    expect(binary.body.error.code).toBe('csv_binary');

    const big = await t.request('POST', importPath(), csv(`number\n${'+12123000000\n'.repeat(900_000)}`));
    expect(big.status).toBe(400);
    expect(big.body.error).toMatchObject({ code: 'csv_too_large', message: expect.stringContaining('at most 10 MB') });

    const many = await t.request('POST', importPath(true), csv(`number\n${'1\n'.repeat(100_001)}`));
    expect(many.status).toBe(400);
    expect(many.body.error.code).toBe('csv_too_many_rows');

    const json = await t.request('POST', importPath(), { body: { numbers: ['+12123000000'] } });
    expect(json.status).toBe(415);
    expect(await t.database.jobs.countDocuments({})).toBe(1);
    // Longer than most: the file is read as it arrives, so its first 100,000 rows are worked before row 100,001 refuses it.
  }, 90_000);

  it('answers a dry run of a file longer than the rows it works at a time: every row counted, a number listed twice however far apart, the first 100 failures', async () => {
    // 2,500 rows: line 2's number again on line 1,502, Fabrikam's number on line 2,001, and 150 rows with no number.
    const numbers = numbersFrom(10_000, 2_500);
    numbers[1_500] = numbers[0]!;
    numbers[1_999] = numbersFrom(900, 1)[0]!;
    for (let row = 2_000; row < 2_150; row++) numbers[row] = '12345';
    const response = await t.request('POST', importPath(true), csv(`number\n${numbers.join('\n')}\n`));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 2_500, summary: { added: 2_348, 'already-present': 1, 'owned-elsewhere': 1, invalid: 150 } });
    expect(response.body.failures).toHaveLength(100);
    expect(response.body.failures.slice(0, 3)).toEqual([
      { line: 1_502, input: numbers[0], outcome: 'already-present', message: 'listed more than once' },
      { line: 2_001, input: numbersFrom(900, 1)[0], outcome: 'owned-elsewhere', message: 'this number belongs to another customer' },
      { line: 2_002, input: '12345', outcome: 'invalid', message: expect.any(String) },
    ]);
    expect(response.body.failures[99].line).toBe(2_099);
    expect(await t.database.numbers.countDocuments({ customerId: new ObjectId(customer) })).toBe(2);
  });

  it("keeps imports and exports to the caller's partner and role", async () => {
    const otherPartner = await t.tokenFor(PARTNER_B.tenantId);
    expect((await t.request('POST', importPath(true), { ...csv(file), token: otherPartner })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/customers/${customer}/numbers/export`, { token: otherPartner })).status).toBe(404);
    const viewer = await t.tokenAs('viewer');
    expect((await t.request('POST', importPath(true), { ...csv(file), token: viewer })).status).toBe(403);
    expect((await t.request('GET', `/api/v1/customers/${customer}/numbers/export`, { token: viewer })).status).toBe(200);
  });
});

describe('importing a file whose input is stored batch by batch as it is read', () => {
  let t: TestApp;
  let customer: string;
  beforeAll(async () => {
    // Batches of 2 rows, so a few rows make several stored batches.
    t = await startTestApp({ settings: { JOB_BATCH_ROWS: 2 } });
    customer = await createCustomer(t, { name: 'Contoso' });
  });
  afterAll(() => t.close());
  const importPath = () => `/api/v1/customers/${customer}/numbers/import`;

  it('stores each batch with its first row and lines, and the job adds them all', async () => {
    const numbers = numbersFrom(500, 5);
    const response = await t.request('POST', importPath(), csv(`number\n${numbers.join('\n')}\n\n${numbers[0]}\n`));
    expect(response.status).toBe(202);
    expect(response.body.job).toMatchObject({ total: 6 });
    const inputs = await t.database.jobInputs.find({}).sort({ batch: 1 }).toArray();
    expect(inputs.map(({ batch, firstRow, rows }) => ({ batch, firstRow, lines: rows.map((row) => row.line) }))).toEqual([
      { batch: 0, firstRow: 1, lines: [2, 3] },
      { batch: 1, firstRow: 3, lines: [4, 5] },
      { batch: 2, firstRow: 5, lines: [6, 8] },
    ]);
    await t.app.services.jobRunner.idle();
    expect((await t.request('GET', `/api/v1/jobs/${response.body.job.id}`)).body).toMatchObject({
      state: 'done',
      outcomes: { added: 5, 'already-present': 1 },
    });
  });

  it('keeps no job, and none of the batches stored before it, when a problem comes further down the file', async () => {
    const before = await t.database.jobInputs.countDocuments({});
    const numbers = numbersFrom(600, 5);
    const response = await t.request('POST', importPath(), csv(`number\n${numbers.join('\n')}\n${numbersFrom(700, 1)[0]},extra\n`));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'csv_too_many_cells', details: { line: 7 } });
    expect(await t.database.jobs.countDocuments({})).toBe(1);
    expect(await t.database.jobInputs.countDocuments({})).toBe(before);
  });
});
