import { PARTNER_B, createCustomer, startTestApp, type TestApp } from '../../support/test-app';

/** Few, so the dry runs of long files ask the backend little. */
const CHECKS = 20;

const csv = (text: string) => ({ rawBody: text, headers: { 'content-type': 'text/csv' } });

describe('importing and exporting customers as CSV', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ settings: { DRY_RUN_ACCOUNT_CHECKS: CHECKS } });
    await createCustomer(t, { accountId: 'taken-1', name: 'Already here' });
    // The file's new accounts, under partner A's reseller account on the backend.
    for (const accountId of ['northwind-1', 'tailspin-1']) t.backendAccount(accountId);
  });
  afterAll(() => t.close());
  const idle = () => t.app.services.jobRunner.idle();

  // Labels as the New customer form writes them, in another case and order, with a column the import does not read.
  const file = [
    'office 365 tenant name,ACCOUNT ID,Max Channels,Name,Seat Type,Notes',
    'northwind.onmicrosoft.com,northwind-1,12,Northwind,Bundled,first',
    'tailspin.com,tailspin-1,4,,,',
    'contoso.onmicrosoft.com,taken-1,4,Contoso again,,',
    'northwind.com,NORTHWIND-1,4,Northwind twice,,',
    'not a domain,bad id!,0,,per user,',
    ',empty-tenant,abc,,,',
  ].join('\n');

  it('answers a dry run with an outcome per row, the New form’s messages, and writes nothing', async () => {
    const response = await t.request('POST', '/api/v1/customers/import?dryRun=true', csv(file));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      dryRun: true,
      total: 6,
      summary: { created: 2, 'duplicate-account-id': 1, 'duplicate-in-file': 1, invalid: 2 },
      ignoredColumns: ['Notes'],
    });
    expect(response.body.failures).toEqual([
      { line: 4, input: 'taken-1', outcome: 'duplicate-account-id', message: 'You already have a customer with Account ID taken-1' },
      { line: 5, input: 'NORTHWIND-1', outcome: 'duplicate-in-file', message: 'Account ID NORTHWIND-1 is also on line 2' },
      {
        line: 6,
        input: 'bad id!',
        outcome: 'invalid',
        message:
          'Account ID may hold only letters, digits and dashes, and starts and ends with a letter or digit; ' +
          'Office 365 Tenant Name must be a domain such as contoso.onmicrosoft.com or contoso.com; ' +
          'Max Channels must be a whole number from 1 to 10000; Seat type must be "bundled" or "unbundled"',
      },
      {
        line: 7,
        input: 'empty-tenant',
        outcome: 'invalid',
        message: 'Office 365 Tenant Name is required; Max Channels must be a whole number from 1 to 10000',
      },
    ]);
    expect(await t.database.customers.countDocuments({})).toBe(1);
  });

  it('imports as a job: the customers are created with an audit entry each, and a second import finds them all taken', async () => {
    const response = await t.request('POST', '/api/v1/customers/import', csv(file));
    expect(response.status).toBe(202);
    expect(response.body.job).toMatchObject({ kind: 'customers.import', customerId: null, total: 6, inputLabel: 'Account ID' });
    await idle();
    const job = await t.request('GET', `/api/v1/jobs/${response.body.job.id}`);
    expect(job.body).toMatchObject({ state: 'done', outcomes: { created: 2, 'duplicate-account-id': 1, 'duplicate-in-file': 1, invalid: 2 } });
    const list = await t.request('GET', '/api/v1/customers?search=northwind');
    expect(list.body.items).toEqual([
      expect.objectContaining({ accountId: 'northwind-1', tenantName: 'northwind.onmicrosoft.com', maxChannels: 12, name: 'Northwind', seatType: 'bundled' }),
    ]);
    const created = await t.database.audit.find({ action: 'customer.created', 'details.jobId': response.body.job.id }).toArray();
    expect(created.map((e) => e.details.accountId).sort()).toEqual(['northwind-1', 'tailspin-1']);

    const again = await t.request('POST', '/api/v1/customers/import', csv(file));
    await idle();
    expect((await t.request('GET', `/api/v1/jobs/${again.body.job.id}`)).body.outcomes).toEqual({
      created: 0,
      'account-not-found': 0,
      'duplicate-account-id': 3,
      'duplicate-in-file': 1,
      invalid: 2,
    });
  });

  it('exports the customers table as CSV in name order, and the export imports back as duplicates only', async () => {
    const response = await t.request('GET', '/api/v1/customers/export');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="customers-\d{4}-\d\d-\d\d\.csv"$/);
    const lines = (response.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Account ID,Office 365 Tenant Name,Max Channels,Name,Seat type,Numbers,Co-management,Last sync,Last sync at,Created at',
    );
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['taken-1', 'northwind-1', 'tailspin-1']);
    expect(lines[2]).toMatch(/^northwind-1,northwind\.onmicrosoft\.com,12,Northwind,bundled,0,Not allowed,,,\d{4}-/);

    const back = await t.request('POST', '/api/v1/customers/import?dryRun=true', csv(response.body as string));
    expect(back.body.summary).toEqual({ created: 0, 'duplicate-account-id': 3, 'duplicate-in-file': 0, 'account-not-found': 0, invalid: 0 });
    const searched = await t.request('GET', '/api/v1/customers/export?search=tail');
    expect((searched.body as string).trimEnd().split('\r\n')).toHaveLength(2);
  });

  it('tells an Account ID also on an earlier line however far apart in a dry run longer than the rows it works at a time', async () => {
    const rows = Array.from({ length: 1_200 }, (_, i) => `far-${i},far-${i}.onmicrosoft.com,4`);
    rows[1_100] = 'FAR-0,other.onmicrosoft.com,4';
    for (let i = 0; i < CHECKS; i++) t.backendAccount(`far-${i}`);
    const response = await t.request('POST', '/api/v1/customers/import?dryRun=true', csv(`Account ID,Tenant Name,Max Channels\n${rows.join('\n')}\n`));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 1_200, summary: { created: 1_199, 'duplicate-in-file': 1, 'duplicate-account-id': 0, invalid: 0 } });
    expect(response.body.failures).toEqual([
      { line: 1_102, input: 'FAR-0', outcome: 'duplicate-in-file', message: 'Account ID FAR-0 is also on line 2' },
    ]);
    expect(await t.database.customers.countDocuments({ accountId: /^far-/ })).toBe(0);
  });

  it('refuses a file without the required columns, names what the header has, and keeps partners apart', async () => {
    const missing = await t.request('POST', '/api/v1/customers/import?dryRun=true', csv('Account ID,Name\nx-1,X\n'));
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'csv_missing_column', message: expect.stringContaining('"Account ID", "Name"') });
    const noHeader = await t.request('POST', '/api/v1/customers/import?dryRun=true', csv('x-1,x.onmicrosoft.com,4\n'));
    expect(noHeader.body.error.code).toBe('csv_no_header');

    const other = await t.tokenFor(PARTNER_B.tenantId);
    const theirs = await t.request('GET', '/api/v1/customers/export', { token: other });
    expect((theirs.body as string).trimEnd().split('\r\n')).toHaveLength(1);
    // Partner A's accounts are, to partner B, accounts that do not exist under its reseller account.
    const dry = await t.request('POST', '/api/v1/customers/import?dryRun=true', { ...csv(file), token: other });
    expect(dry.body.summary).toMatchObject({ created: 0, 'account-not-found': 3 });
    expect(dry.body.failures.filter((f: { outcome: string }) => f.outcome === 'account-not-found')).toEqual([
      { line: 2, input: 'northwind-1', outcome: 'account-not-found', message: "Not an account under your reseller account on the carrier's backend: northwind-1" },
      { line: 3, input: 'tailspin-1', outcome: 'account-not-found', message: "Not an account under your reseller account on the carrier's backend: tailspin-1" },
      { line: 4, input: 'taken-1', outcome: 'account-not-found', message: "Not an account under your reseller account on the carrier's backend: taken-1" },
    ]);
  });

  it('imports only the accounts under the partner\'s reseller account, and says which are not, in a dry run and in the job', async () => {
    t.backendAccount('mine-1');
    // Under partner B's reseller account, and one the backend does not have at all: the same outcome.
    t.backendAccount('theirs-1', t.partnerB);
    const mixed = ['Account ID,Tenant Name,Max Channels', 'mine-1,mine.com,2', 'theirs-1,theirs.com,2', 'nowhere-1,nowhere.com,2'].join('\n');
    const dry = await t.request('POST', '/api/v1/customers/import?dryRun=true', csv(mixed));
    expect(dry.body.summary).toMatchObject({ created: 1, 'account-not-found': 2 });
    expect(dry.body.failures.map((f: { input: string; outcome: string }) => [f.input, f.outcome])).toEqual([
      ['theirs-1', 'account-not-found'],
      ['nowhere-1', 'account-not-found'],
    ]);
    const started = await t.request('POST', '/api/v1/customers/import', csv(mixed));
    await idle();
    expect((await t.request('GET', `/api/v1/jobs/${started.body.job.id}`)).body.outcomes).toMatchObject({ created: 1, 'account-not-found': 2 });
    expect(await t.database.customers.countDocuments({ accountId: { $in: ['theirs-1', 'nowhere-1'] } })).toBe(0);
    expect(await t.database.customers.countDocuments({ accountId: 'mine-1', partnerId: t.partnerA._id })).toBe(1);
  });
});

describe('importing customers whose input is stored batch by batch as the file is read', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Batches of 2 rows, so a few rows make several stored batches.
    t = await startTestApp({ settings: { JOB_BATCH_ROWS: 2, DRY_RUN_ACCOUNT_CHECKS: CHECKS } });
  });
  afterAll(() => t.close());

  it('tells a duplicate in the file across stored batches, and creates the others', async () => {
    const file = ['Account ID,Tenant Name,Max Channels', 'a-1,a.com,4', 'b-1,b.com,4', 'c-1,c.com,4', 'd-1,d.com,4', 'A-1,a2.com,4'].join('\n');
    for (const accountId of ['a-1', 'b-1', 'c-1', 'd-1']) t.backendAccount(accountId);
    const response = await t.request('POST', '/api/v1/customers/import', csv(file));
    expect(response.status).toBe(202);
    expect(await t.database.jobInputs.countDocuments({})).toBe(3);
    await t.app.services.jobRunner.idle();
    const job = await t.request('GET', `/api/v1/jobs/${response.body.job.id}`);
    expect(job.body).toMatchObject({ state: 'done', total: 5, outcomes: { created: 4, 'duplicate-in-file': 1 } });
    const failed = await t.request('GET', `/api/v1/jobs/${response.body.job.id}/rows?failed=true`);
    expect(failed.body.items).toEqual([
      expect.objectContaining({ row: 5, line: 6, input: 'A-1', outcome: 'duplicate-in-file', message: 'Account ID A-1 is also on line 2' }),
    ]);
  });

  it('asks the backend about DRY_RUN_ACCOUNT_CHECKS Account IDs at most in a dry run, across its batches', async () => {
    const lines = Array.from({ length: 1_500 }, (_, i) => `many-${i},many.com,1`);
    const before = t.simulator.callCount(/parents/);
    const dry = await t.request('POST', '/api/v1/customers/import?dryRun=true', csv(['Account ID,Tenant Name,Max Channels', ...lines].join('\n')));
    expect(dry.status).toBe(200);
    // For the whole file: an allowance per batch of 1,000 rows would have asked about twice as many.
    expect(t.simulator.callCount(/parents/) - before).toBe(CHECKS);
    // The first ones are not on the backend; the rest are checked when the import runs, and the answer says so.
    expect(dry.body.summary).toMatchObject({ 'account-not-found': CHECKS, created: 1_500 - CHECKS });
    expect(dry.body.accountsNotChecked).toBe(1_500 - CHECKS);
  });

  it("says an account of the partner's is in use when another partner's customer holds it (a moved account), in a dry run and in the job", async () => {
    // Partner B's customer holds it; the carrier then moved the account under partner A's reseller.
    t.backendAccount('moved-away', t.partnerB);
    expect((await t.request('POST', '/api/v1/customers', { token: await t.tokenFor(PARTNER_B.tenantId), body: { accountId: 'moved-away', tenantName: 'moved.com', maxChannels: 1 } })).status).toBe(201);
    t.simulator.accounts.get('moved-away')!.parentId = t.partnerA.backendAccountId!;
    t.backendAccount('beside-it');
    const file = ['Account ID,Tenant Name,Max Channels', 'moved-away,moved.com,1', 'beside-it,beside.com,1'].join('\n');
    const dry = await t.request('POST', '/api/v1/customers/import?dryRun=true', csv(file));
    expect(dry.body.summary).toMatchObject({ created: 1, 'duplicate-account-id': 1 });
    expect(dry.body.failures).toEqual([
      { line: 2, input: 'moved-away', outcome: 'duplicate-account-id', message: 'Account ID moved-away is already used by a customer in the portal' },
    ]);
    expect(dry.body.accountsNotChecked).toBeUndefined();
    const started = await t.request('POST', '/api/v1/customers/import', csv(file));
    await t.app.services.jobRunner.idle();
    // The other row is created all the same (the emulator's insertMany is all or nothing).
    expect((await t.request('GET', `/api/v1/jobs/${started.body.job.id}`)).body.outcomes).toMatchObject({ created: 1, 'duplicate-account-id': 1 });
    expect(await t.database.customers.countDocuments({ accountId: 'beside-it', partnerId: t.partnerA._id })).toBe(1);
    expect(await t.database.customers.countDocuments({ accountId: 'moved-away', partnerId: t.partnerA._id })).toBe(0);
  });
});
