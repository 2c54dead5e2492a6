import { createApp } from '../../../api/app';
import { demoPartners, seedDemoData } from '../../../api/demo/demo-data';
import { createLogger } from '../../../api/logging/logger';
import { loadSettings } from '../../../api/settings/settings';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';

describe('demo data', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('seeds the demo partner with customers and numbers, and seeding again changes nothing', async () => {
    const app = await createApp({ database, settings: loadSettings({ LOG_LEVEL: 'silent' }, {}), logger: createLogger('silent'), backendUrl: 'http://127.0.0.1:9' });
    await seedDemoData(app.services, 'demo-tenant');
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
  });
});
