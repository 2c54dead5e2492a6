import { createApp } from '../../../api/app';
import { BackendSimulator } from '../../../api/backend/simulator/backend-simulator';
import { demoBackendFixture } from '../../../api/demo/demo-backend';
import { SIMULATOR_API_KEY } from '../../../api/settings/settings';
import { demoPartners, seedDemoData } from '../../../api/demo/demo-data';
import { createLogger } from '../../../api/logging/logger';
import { loadSettings } from '../../../api/settings/settings';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';

describe('demo data', () => {
  let database: TestDatabase;
  let simulator: BackendSimulator;
  let backendUrl: string;
  beforeAll(async () => {
    database = await openTestDatabase();
    // The demo's backend: the carrier, a reseller account per demo partner, each demo customer's account under it.
    simulator = new BackendSimulator(demoBackendFixture(SIMULATOR_API_KEY));
    backendUrl = await simulator.start();
  });
  afterAll(async () => {
    await simulator.stop();
    await database.close();
  });

  it('seeds the demo partner with customers and numbers, and seeding again changes nothing', async () => {
    const app = await createApp({ database, settings: loadSettings({ LOG_LEVEL: 'silent' }, {}), logger: createLogger('silent'), backendUrl });
    expect(await seedDemoData(app.services, 'demo-tenant')).toEqual([]);
    const counts = async () => ({
      partners: await database.partners.countDocuments({}),
      customers: await database.customers.countDocuments({}),
      numbers: await database.numbers.countDocuments({}),
    });
    const first = await counts();
    const expectedCustomers = demoPartners('demo-tenant').flatMap((p) => p.customers);
    expect(first.partners).toBe(2);
    expect(first.customers).toBe(expectedCustomers.length);
    expect(first.numbers).toBeGreaterThanOrEqual(10);

    await seedDemoData(app.services, 'demo-tenant');
    expect(await counts()).toEqual(first);

    const demo = await database.partners.findOne({ tenantId: 'demo-tenant' });
    const contoso = await database.customers.findOne({ partnerId: demo!._id, name: 'Contoso Ltd' });
    expect(contoso?.numberCount).toBe(5);
    // Each demo partner has its reseller account, and its customers' accounts are under it on the simulated backend.
    for (const partner of demoPartners('demo-tenant')) {
      expect((await database.partners.findOne({ tenantId: partner.tenantId }))?.backendAccountId).toBe(partner.backendAccountId);
      for (const customer of partner.customers) {
        expect(simulator.accounts.get(customer.accountId)?.parentId).toBe(partner.backendAccountId);
      }
    }
    app.services.backend.close();
  });

  it('leaves out the demo customers a real backend does not have under the demo resellers', async () => {
    const empty = new BackendSimulator({ apiKeys: [SIMULATOR_API_KEY], accounts: [] });
    const other = await openTestDatabase();
    try {
      const app = await createApp({ database: other, settings: loadSettings({ LOG_LEVEL: 'silent' }, {}), logger: createLogger('silent'), backendUrl: await empty.start() });
      const skipped = await seedDemoData(app.services, 'demo-tenant');
      expect(skipped.sort()).toEqual(demoPartners('demo-tenant').flatMap((p) => p.customers.map((c) => c.accountId)).sort());
      expect(await other.customers.countDocuments({})).toBe(0);
      expect(await other.partners.countDocuments({})).toBe(2);
      app.services.backend.close();
    } finally {
      await empty.stop();
      await other.close();
    }
  });
});
