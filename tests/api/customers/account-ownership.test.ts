import { randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { createApp } from '../../../api/app';
import { BackendSimulator } from '../../../api/backend/simulator/backend-simulator';
import { createLogger } from '../../../api/logging/logger';
import { loadSettings, SIMULATOR_API_KEY } from '../../../api/settings/settings';
import { customerCollection } from '../../../api/customers/customer-document';
import { partnerCollection } from '../../../api/partners/partner-document';
import { connectDatabase } from '../../../api/storage/database';
import { createCustomer, PARTNER_B, startTestApp, type TestApp } from '../../support/test-app';

/** Every call that changes something on the backend. */
const BACKEND_WRITES = /^(PUT|POST|PATCH|DELETE) (?!\^\\\/v2\\\/api_auth)/;
/** Every call that reads an account's numbers, callflows or seats. */
const ACCOUNT_READS = /^GET .*(phone_numbers|callflows|users)/;

/**
 * A customer's Account ID must be an account under its partner's reseller
 * account on the backend: on create, on a change of the Account ID, on
 * import (customer-import.test.ts) and before every sync touches the backend.
 */
describe("backend accounts belong to their partner's reseller account", () => {
  let t: TestApp;
  let tokenB: string;
  let contosoA: string;
  beforeAll(async () => {
    t = await startTestApp({
      backend: {
        accounts: [
          {
            id: 'contoso-of-a',
            name: 'Contoso (partner A)',
            teams: { max_channels: 3, tenant_name: 'contoso.onmicrosoft.com' },
            teamsCallflows: [['+12125550100']],
            seats: [{ firstName: 'Megan', lastName: 'Bowen', seatType: 'essentials', numbers: ['+12125550101'] }],
          },
        ],
      },
    });
    tokenB = await t.tokenFor(PARTNER_B.tenantId);
    contosoA = await createCustomer(t, { accountId: 'contoso-of-a', name: 'Contoso', tenantName: 'contoso.onmicrosoft.com', maxChannels: 3 });
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, token?: string) =>
    t.request('POST', '/api/v1/customers', { ...(token ? { token } : {}), body: { tenantName: 'taken.example.com', maxChannels: 1, ...body } });

  it("refuses another partner's account exactly as one that does not exist, and touches nothing of it", async () => {
    const writesBefore = t.simulator.callCount(BACKEND_WRITES);
    const readsBefore = t.simulator.callCount(ACCOUNT_READS);
    const theirs = await create({ accountId: 'contoso-of-a', syncAfterSave: true }, tokenB);
    const nowhere = await create({ accountId: 'no-such-account', syncAfterSave: true }, tokenB);
    expect(theirs.status).toBe(404);
    expect(nowhere.status).toBe(404);
    // The same answer but for the id typed: nothing tells partner B that the first one exists.
    expect(JSON.stringify(theirs.body).replaceAll('contoso-of-a', 'X')).toBe(JSON.stringify(nowhere.body).replaceAll('no-such-account', 'X'));
    expect(theirs.body.error).toEqual({
      code: 'account_not_found',
      message: "No account with Account ID contoso-of-a was found under your reseller account on the carrier's backend",
      details: [{ field: 'accountId', message: "is not an account under your reseller account on the carrier's backend" }],
    });
    await t.app.services.sync.idle();
    expect(t.simulator.callCount(BACKEND_WRITES)).toBe(writesBefore);
    expect(t.simulator.callCount(ACCOUNT_READS)).toBe(readsBefore);
    expect(t.simulator.accounts.get('contoso-of-a')!.account.teams?.max_channels).toBe(3);
    expect(await t.database.customers.countDocuments({ partnerId: t.partnerB._id })).toBe(0);
  });

  it('keeps one customer per backend account in the whole portal, without naming who holds it', async () => {
    // The carrier moved partner A's account under partner B's reseller: it is B's now on the backend, but A's customer holds it.
    t.backendAccount('moved-1');
    await createCustomer(t, { accountId: 'moved-1' });
    t.simulator.accounts.get('moved-1')!.parentId = PARTNER_B.backendAccountId;
    const response = await create({ accountId: 'moved-1' }, tokenB);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'account_id_in_use', details: [expect.objectContaining({ field: 'accountId' })] });
    expect(JSON.stringify(response.body)).not.toMatch(/Partner A|partner-a/);
    const indexes = await t.database.customers.listIndexes().toArray();
    expect(indexes).toContainEqual(expect.objectContaining({ name: 'accountId_unique', unique: true, key: { accountId: 1 } }));
  });

  it('refuses to create or sync customers for a partner with no reseller account, saying why', async () => {
    const { partner } = await t.app.services.partners.register({ tenantId: 'partner-c-tenant', name: 'Partner C' });
    await t.app.services.members.grantAdminAtRegistration(partner._id, 'user-1', 'Test User');
    const response = await create({ accountId: 'c-account' }, await t.tokenFor('partner-c-tenant'));
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'reseller_account_missing', message: expect.stringContaining('ask the carrier') });
  });

  it("keeps a reseller nested under partner A's to itself: its customers' accounts, and its own account, are not partner A's", async () => {
    // The carrier put partner D's reseller account under partner A's.
    t.backendAccount('reseller-d');
    const { partner: d } = await t.app.services.partners.register({ tenantId: 'partner-d-tenant', name: 'Partner D', backendAccountId: 'reseller-d' });
    await t.app.services.members.grantAdminAtRegistration(d._id, 'user-1', 'Test User');
    t.backendAccount('customer-of-d', d);
    for (const accountId of ['customer-of-d', 'reseller-d']) {
      const refused = await create({ accountId });
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('account_not_found');
    }
    expect((await create({ accountId: 'customer-of-d' }, await t.tokenFor('partner-d-tenant'))).status).toBe(201);
  });

  it('answers 503 and saves nothing when the backend cannot say whose the account is', async () => {
    t.backendAccount('later-1');
    // Every attempt of the client's (the first and BACKEND_MAX_RETRIES more) fails.
    t.simulator.failNext({ method: 'GET', path: /\/parents$/, status: 503, times: t.settings.BACKEND_MAX_RETRIES + 1 });
    const response = await create({ accountId: 'later-1' });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('backend_unavailable');
    expect(await t.database.customers.countDocuments({ accountId: 'later-1' })).toBe(0);
    // What the partner entered was not lost to the outage: the same request works once the backend answers.
    expect((await create({ accountId: 'later-1' })).status).toBe(201);
  });

  describe('before every sync', () => {
    it('refuses a customer whose account is no longer under the reseller: the run fails, nothing is read or written', async () => {
      t.backendAccount('drifted-away', t.partnerA);
      t.simulator.load({
        apiKeys: [],
        accounts: [
          {
            id: 'drifted-away',
            name: 'Moved',
            teams: { max_channels: 7, tenant_name: 'moved.example.com' },
            teamsCallflows: [['+13125550170']],
            seats: [{ firstName: 'Lidia', lastName: 'Holloway', seatType: 'essentials', numbers: ['+13125550171'] }],
          },
        ],
      });
      const id = await createCustomer(t, { accountId: 'drifted-away', maxChannels: 1, tenantName: 'moved.example.com' });
      t.simulator.accounts.get('drifted-away')!.parentId = PARTNER_B.backendAccountId;
      const writesBefore = t.simulator.callCount(BACKEND_WRITES);
      const readsBefore = t.simulator.callCount(ACCOUNT_READS);
      for (const query of ['', '?dryRun=true']) {
        const started = await t.request('POST', `/api/v1/customers/${id}/sync${query}`);
        expect(started.status).toBe(202);
        await t.app.services.sync.idle();
        const run = (await t.request('GET', `/api/v1/sync-runs/${started.body.id}`)).body;
        expect(run).toMatchObject({ state: 'failed', attention: [], changes: { toImport: [], toRoute: [] } });
        expect(run.errors).toEqual([
          {
            message:
              "The sync did not start: No account with Account ID drifted-away was found under your reseller account on the carrier's backend. Nothing was read or changed on the backend; check the customer's Account ID.",
          },
        ]);
        // Nothing of the account leaks into the run: neither its numbers nor its seat holder.
        expect(JSON.stringify(run)).not.toMatch(/13125550170|13125550171|Holloway/);
      }
      expect(t.simulator.callCount(BACKEND_WRITES)).toBe(writesBefore);
      expect(t.simulator.callCount(ACCOUNT_READS)).toBe(readsBefore);
      expect(t.simulator.accounts.get('drifted-away')!.account.teams?.max_channels).toBe(7);
      const drift = await t.request('GET', `/api/v1/customers/${id}/drift`);
      expect(JSON.stringify(drift.body)).not.toMatch(/13125550170|13125550171|Holloway/);
    });

    it('syncs an account under the reseller as before', async () => {
      const started = await t.request('POST', `/api/v1/customers/${contosoA}/sync`);
      await t.app.services.sync.idle();
      expect((await t.request('GET', `/api/v1/sync-runs/${started.body.id}`)).body.state).toBe('succeeded');
    });
  });

  describe('changing the Account ID', () => {
    it("takes another account under the partner's reseller, audited", async () => {
      const id = await createCustomer(t, { accountId: 'typo-acount' });
      t.backendAccount('typo-account');
      const response = await t.request('PATCH', `/api/v1/customers/${id}`, { body: { accountId: 'typo-account' } });
      expect(response.status).toBe(200);
      expect(response.body.accountId).toBe('typo-account');
      const entry = await t.database.audit.findOne({ action: 'customer.updated', customerId: new ObjectId(id) });
      expect(entry?.details).toEqual({ changed: { accountId: { from: 'typo-acount', to: 'typo-account' } } });
    });

    it("refuses another partner's account as one that does not exist, and one held by another customer", async () => {
      const id = await createCustomer(t, { accountId: 'keep-me' });
      t.backendAccount('b-only', t.partnerB);
      const theirs = await t.request('PATCH', `/api/v1/customers/${id}`, { body: { accountId: 'b-only' } });
      expect(theirs.status).toBe(404);
      expect(theirs.body.error.code).toBe('account_not_found');
      const taken = await t.request('PATCH', `/api/v1/customers/${id}`, { body: { accountId: 'contoso-of-a' } });
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe('account_id_taken');
      expect((await t.database.customers.findOne({ _id: new ObjectId(id) }))?.accountId).toBe('keep-me');
    });

    it('waits for a sync under way and for removals still to be cleaned up on the old account', async () => {
      const id = await createCustomer(t, { accountId: 'busy-1' });
      t.backendAccount('busy-2');
      await t.database.customers.updateOne({ _id: new ObjectId(id) }, { $set: { syncLease: { runId: new ObjectId(), until: new Date(Date.now() + 60_000) } } });
      const running = await t.request('PATCH', `/api/v1/customers/${id}`, { body: { accountId: 'busy-2' } });
      expect(running.status).toBe(409);
      expect(running.body.error.code).toBe('sync_running');
      await t.database.customers.updateOne({ _id: new ObjectId(id) }, { $unset: { syncLease: '' } });

      await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: '+13125550180' } });
      await t.database.numbers.updateOne({ e164: '+13125550180' }, { $set: { removal: { mode: 'delete', requestedAt: new Date(), requestedBy: { tid: 'partner-a-tenant', oid: 'user-1' } } } });
      const pending = await t.request('PATCH', `/api/v1/customers/${id}`, { body: { accountId: 'busy-2' } });
      expect(pending.status).toBe(409);
      expect(pending.body.error.code).toBe('removals_pending');
    });
  });
});

describe('customers that already share a backend account, found at start-up', () => {
  it('are reported and kept; the unique index waits until they are resolved', async () => {
    const database = await connectDatabase(process.env.MONGODB_URI!, `test-shared-${randomBytes(6).toString('hex')}`);
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const apps: Awaited<ReturnType<typeof createApp>>[] = [];
    const stops: (() => Promise<void>)[] = [];
    try {
      // As a database from before one customer per account: two partners' customers name one account.
      const partners = partnerCollection.of(database.db);
      const customers = customerCollection.of(database.db);
      const [a, b] = [new ObjectId(), new ObjectId()];
      await partners.insertMany([
        { _id: a, tenantId: 'old-a', name: 'Old A', createdAt: new Date() },
        { _id: b, tenantId: 'old-b', name: 'Old B', createdAt: new Date() },
      ]);
      const customer = (partnerId: ObjectId, name: string) => ({
        _id: new ObjectId(),
        partnerId,
        accountId: 'shared-account',
        tenantName: 'shared.example.com',
        name,
        nameKey: name.toLowerCase(),
        maxChannels: 1,
        canManage: false,
        numberCount: 0,
        createdAt: new Date(),
        createdBy: { tid: 'old', oid: 'old' },
        updatedAt: new Date(),
      });
      const [first, second] = [customer(a, 'First holder'), customer(b, 'Second holder')];
      await customers.insertMany([first, second]);

      // The account is partner C's on the backend now (the carrier moved it).
      const backend = new BackendSimulator({ apiKeys: [SIMULATOR_API_KEY], accounts: [{ id: 'shared-account', name: 'Shared', parent: 'reseller-c' }] });
      stops.push(() => backend.stop());
      const backendUrl = await backend.start();
      const start = () =>
        createApp({ database, settings: loadSettings({ LOG_LEVEL: 'info' }, {}), logger, backendUrl }).then((app) => {
          apps.push(app);
          return app;
        });
      const app = await start();
      expect(app.sharedAccounts.total).toBe(1);
      expect(app.sharedAccounts.listed).toEqual([
        {
          accountId: 'shared-account',
          customers: [
            { customerId: first._id.toHexString(), name: 'First holder', partnerTenantId: 'old-a', partnerName: 'Old A' },
            { customerId: second._id.toHexString(), name: 'Second holder', partnerTenantId: 'old-b', partnerName: 'Old B' },
          ],
        },
      ]);
      expect(lines).toContainEqual(expect.objectContaining({ level: 50, accountId: 'shared-account', msg: expect.stringContaining('share one backend account') }));
      expect(await customers.countDocuments({ accountId: 'shared-account' })).toBe(2);
      expect((await customers.listIndexes().toArray()).map((index) => index.name)).not.toContain('accountId_unique');
      // Without the index, the portal still refuses a third customer of the account.
      const { partner: c } = await app.services.partners.register({ tenantId: 'old-c', name: 'Old C', backendAccountId: 'reseller-c' });
      const callerC = { partnerId: c._id, partnerName: c.name, tenantId: c.tenantId, userId: 'c-admin', role: 'admin' as const };
      await expect(
        app.services.customers.create(callerC, { accountId: 'shared-account', tenantName: 'shared.example.com', maxChannels: 1, syncAfterSave: false }),
      ).rejects.toMatchObject({ status: 409, code: 'account_id_in_use' });
      expect(await customers.countDocuments({ accountId: 'shared-account' })).toBe(2);

      // The operator has one of them change its Account ID: the next start builds the index.
      await customers.updateOne({ _id: second._id }, { $set: { accountId: 'its-own-account' } });
      expect((await start()).sharedAccounts.total).toBe(0);
      expect(await customers.listIndexes().toArray()).toContainEqual(expect.objectContaining({ name: 'accountId_unique', unique: true }));
    } finally {
      for (const app of apps) app.services.backend.close();
      for (const stop of stops) await stop();
      await database.close();
    }
  });
});
