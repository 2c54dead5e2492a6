import { PartnerRegistry } from '../../../api/partners/partner-registry';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';

describe('PartnerRegistry', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('registers once per tenant', async () => {
    const registry = new PartnerRegistry(database.partners, 0);
    const first = await registry.register({ tenantId: 'reg-1', name: 'One' });
    const again = await registry.register({ tenantId: 'reg-1', name: 'One Renamed' });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.partner._id.equals(first.partner._id)).toBe(true);
    expect(await database.partners.countDocuments({ tenantId: 'reg-1' })).toBe(1);
  });

  it('refuses an empty tenant or name', async () => {
    const registry = new PartnerRegistry(database.partners, 0);
    await expect(registry.register({ tenantId: ' ', name: 'x' })).rejects.toThrow(/tenant id/);
    await expect(registry.register({ tenantId: 'reg-2', name: '' })).rejects.toThrow(/name/);
  });

  it('caches a registered partner for the configured time, and never caches a miss', async () => {
    let now = 1_000_000;
    const registry = new PartnerRegistry(database.partners, 30, () => now);
    expect(await registry.findByTenantId('reg-cache')).toBeNull();
    await database.partners.insertOne({ _id: undefined as never, tenantId: 'reg-cache', name: 'Cached', createdAt: new Date() });
    // A miss is not cached: the new partner is found at once.
    expect((await registry.findByTenantId('reg-cache'))?.name).toBe('Cached');
    await database.partners.updateOne({ tenantId: 'reg-cache' }, { $set: { name: 'Changed' } });
    expect((await registry.findByTenantId('reg-cache'))?.name).toBe('Cached');
    now += 31_000;
    expect((await registry.findByTenantId('reg-cache'))?.name).toBe('Changed');
  });
});
