import { createCustomer, PARTNER_B, startTestApp, type TestApp } from '../../support/test-app';

const valid = { accountId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', tenantName: 'Contoso.OnMicrosoft.com', maxChannels: 23 };

describe('customers', () => {
  let t: TestApp;
  let tokenB: string;
  beforeAll(async () => {
    t = await startTestApp();
    tokenB = await t.tokenFor(PARTNER_B.tenantId);
    // Accounts under partner A's reseller account on the backend (see account-ownership.test.ts for the others).
    for (const accountId of [valid.accountId, 'no-name-1']) t.backendAccount(accountId);
  });
  afterAll(() => t.close());

  describe('POST /api/v1/customers', () => {
    it('creates a customer and answers 201 with it', async () => {
      const response = await t.request('POST', '/api/v1/customers', {
        body: { ...valid, name: '  Contoso Ltd ', seatType: 'unbundled', syncAfterSave: false },
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        accountId: valid.accountId,
        tenantName: 'contoso.onmicrosoft.com',
        name: 'Contoso Ltd',
        maxChannels: 23,
        seatType: 'unbundled',
        canManage: false,
        numberCount: 0,
        lastSync: null,
      });
      expect(response.body.id).toMatch(/^[0-9a-f]{24}$/);
    });

    it('takes the name as optional', async () => {
      const response = await t.request('POST', '/api/v1/customers', {
        body: { accountId: 'no-name-1', tenantName: 'fabrikam.com', maxChannels: 1 },
      });
      expect(response.status).toBe(201);
      expect(response.body.name).toBeNull();
    });

    it('refuses an account id the partner already uses, with 409', async () => {
      await createCustomer(t, { accountId: 'dup-1' });
      const response = await t.request('POST', '/api/v1/customers', {
        body: { accountId: 'dup-1', tenantName: 'other.com', maxChannels: 2 },
      });
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('account_id_taken');
      expect(response.body.error.details).toEqual([expect.objectContaining({ field: 'accountId' })]);
    });

    it("refuses partner A's account to partner B as an account that does not exist", async () => {
      await createCustomer(t, { accountId: 'shared-acct' });
      const response = await t.request('POST', '/api/v1/customers', {
        token: tokenB,
        body: { accountId: 'shared-acct', tenantName: 'other.com', maxChannels: 2 },
      });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('account_not_found');
      expect(response.body.error.details).toEqual([expect.objectContaining({ field: 'accountId' })]);
    });

    it.each([
      ['accountId', { accountId: undefined }],
      ['accountId', { accountId: '' }],
      ['accountId', { accountId: 'has space' }],
      ['accountId', { accountId: 'semi;colon' }],
      ['accountId', { accountId: 'x'.repeat(65) }],
      ['accountId', { accountId: '---' }],
      ['accountId', { accountId: '-abc' }],
      ['tenantName', { tenantName: undefined }],
      ['tenantName', { tenantName: 'contoso' }],
      ['tenantName', { tenantName: 'contoso..com' }],
      ['tenantName', { tenantName: '-contoso.com' }],
      ['tenantName', { tenantName: 'con toso.com' }],
      ['maxChannels', { maxChannels: undefined }],
      ['maxChannels', { maxChannels: 0 }],
      ['maxChannels', { maxChannels: 10_001 }],
      ['maxChannels', { maxChannels: 2.5 }],
      ['maxChannels', { maxChannels: '10' }],
      ['name', { name: 'n'.repeat(101) }],
      ['name', { name: 42 }],
      ['name', { name: 'Evil\u202eCorp' }],
      ['name', { name: 'Nul\u0000Byte' }],
      ['seatType', { seatType: 'premium' }],
      ['syncAfterSave', { syncAfterSave: 'yes' }],
      ['isAdmin', { isAdmin: true }],
    ])('names %s when it is wrong (%j)', async (field, change) => {
      const response = await t.request('POST', '/api/v1/customers', { body: { ...valid, accountId: 'v-1', ...change } });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_request');
      expect(response.body.error.details).toEqual([
        expect.objectContaining({ field, message: expect.any(String) }),
      ]);
    });

    it('reports every wrong field at once', async () => {
      const response = await t.request('POST', '/api/v1/customers', { body: { accountId: '!', tenantName: 'x', maxChannels: -1 } });
      expect(response.status).toBe(400);
      expect(response.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'accountId',
        'maxChannels',
        'tenantName',
      ]);
    });

    it('refuses a missing body, naming it', async () => {
      const response = await t.request('POST', '/api/v1/customers');
      expect(response.status).toBe(400);
      expect(response.body.error.details[0].field).toBe('body');
    });

    it('never stores an unknown field', async () => {
      const response = await t.request('POST', '/api/v1/customers', { body: { ...valid, accountId: 'unknown-f', partnerId: 'x' } });
      expect(response.status).toBe(400);
      expect(await t.database.customers.countDocuments({ accountId: 'unknown-f' })).toBe(0);
    });
  });

  describe('GET /api/v1/customers', () => {
    let s: TestApp;
    beforeAll(async () => {
      s = await startTestApp();
      const customers = [
        { accountId: 'acc-001', tenantName: 'contoso.onmicrosoft.com', name: 'Contoso Ltd', maxChannels: 5 },
        { accountId: 'acc-002', tenantName: 'fabrikam.com', name: 'fabrikam Inc', maxChannels: 50 },
        { accountId: 'acc-003', tenantName: 'adatum.com', name: 'Adatum (EU)', maxChannels: 7 },
        { accountId: 'acc-004', tenantName: 'tailspin.com', maxChannels: 3 },
        { accountId: 'xy-005', tenantName: 'northwind.com', name: 'Northwind 1.5', maxChannels: 9 },
      ];
      for (const c of customers) await createCustomer(s, c);
      await createCustomer(s, { accountId: 'acc-b', name: 'Contoso of B', tenantName: 'b.com' }, await s.tokenFor(PARTNER_B.tenantId));
    });
    afterAll(() => s.close());

    it("lists only the partner's customers, sorted by name ignoring case", async () => {
      const response = await s.request('GET', '/api/v1/customers');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ total: 5, page: 1, pageSize: 25 });
      // Unnamed customers sort by their account id; case does not matter.
      expect(response.body.items.map((c: { accountId: string }) => c.accountId)).toEqual([
        'acc-004',
        'acc-003',
        'acc-001',
        'acc-002',
        'xy-005',
      ]);
    });

    it.each([
      ['contoso', ['acc-001']],
      ['CONTOSO', ['acc-001']],
      ['acc-00', ['acc-001', 'acc-002', 'acc-003', 'acc-004']],
      ['fabrikam.com', ['acc-002']],
      ['(EU)', ['acc-003']],
      ['1.5', ['xy-005']],
      ['.', ['acc-001', 'acc-002', 'acc-003', 'acc-004', 'xy-005']],
      ['.*', []],
      ['nothing-like-this', []],
    ])('search %j matches name, account id and tenant name as plain text', async (search, expected) => {
      const response = await s.request('GET', `/api/v1/customers?search=${encodeURIComponent(search)}`);
      expect(response.status).toBe(200);
      expect(response.body.items.map((c: { accountId: string }) => c.accountId).sort()).toEqual(expected);
      expect(response.body.total).toBe(expected.length);
    });

    it('pages', async () => {
      const first = await s.request('GET', '/api/v1/customers?pageSize=2&page=1&sort=accountId');
      const third = await s.request('GET', '/api/v1/customers?pageSize=2&page=3&sort=accountId');
      expect(first.body.items.map((c: { accountId: string }) => c.accountId)).toEqual(['acc-001', 'acc-002']);
      expect(third.body.items.map((c: { accountId: string }) => c.accountId)).toEqual(['xy-005']);
      expect(third.body).toMatchObject({ total: 5, page: 3, pageSize: 2 });
    });

    it('sorts descending with a leading dash', async () => {
      const response = await s.request('GET', '/api/v1/customers?sort=-maxChannels');
      expect(response.body.items.map((c: { maxChannels: number }) => c.maxChannels)).toEqual([50, 9, 7, 5, 3]);
    });

    it.each([
      ['sort=color', 'sort'],
      ['page=0', 'page'],
      ['page=x', 'page'],
      ['pageSize=0', 'pageSize'],
      ['pageSize=201', 'pageSize'],
      [`search=${'s'.repeat(201)}`, 'search'],
    ])('refuses %s naming %s', async (query, field) => {
      const response = await s.request('GET', `/api/v1/customers?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.error.details).toEqual([expect.objectContaining({ field })]);
    });
  });

  describe('GET /api/v1/customers/{id}', () => {
    it('gives the details with number counts by status and the last sync', async () => {
      const id = await createCustomer(t, { name: 'Counted' });
      await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: '+12125550100\n+12125550101' } });
      const response = await t.request('GET', `/api/v1/customers/${id}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id,
        name: 'Counted',
        numberCount: 2,
        numberCounts: { pending: 2, synced: 0, backend_fatal: 0, not_in_backend: 0 },
        pendingRemovals: 0,
        lastSync: null,
      });
    });

    it('answers 404 for an unknown or malformed id', async () => {
      expect((await t.request('GET', '/api/v1/customers/0123456789abcdef01234567')).status).toBe(404);
      const malformed = await t.request('GET', '/api/v1/customers/not-an-id');
      expect(malformed.status).toBe(404);
      expect(malformed.body.error.code).toBe('not_found');
    });
  });

  describe('PATCH /api/v1/customers/{id}', () => {
    it('changes name, tenant name and max channels', async () => {
      const id = await createCustomer(t, { name: 'Before', tenantName: 'before.com', maxChannels: 4 });
      const response = await t.request('PATCH', `/api/v1/customers/${id}`, {
        body: { name: 'After', tenantName: 'After.com', maxChannels: 8 },
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ name: 'After', tenantName: 'after.com', maxChannels: 8 });
      const read = await t.request('GET', `/api/v1/customers/${id}`);
      expect(read.body).toMatchObject({ name: 'After', tenantName: 'after.com', maxChannels: 8 });
    });

    it('clears the name with null, then sorts by account id', async () => {
      const id = await createCustomer(t, { name: 'Zed', accountId: 'aaa-clear' });
      const response = await t.request('PATCH', `/api/v1/customers/${id}`, { body: { name: null } });
      expect(response.status).toBe(200);
      expect(response.body.name).toBeNull();
      const stored = await t.database.customers.findOne({ accountId: 'aaa-clear' });
      expect(stored?.name).toBeUndefined();
      expect(stored?.nameKey).toBe('aaa-clear');
    });

    it.each([
      [{}, 'body'],
      [{ maxChannels: 0 }, 'maxChannels'],
      [{ tenantName: 'nope' }, 'tenantName'],
      [{ accountId: 'new id' }, 'accountId'],
      [{ canManage: true }, 'canManage'],
    ])('refuses %j naming %s', async (body, field) => {
      const id = await createCustomer(t);
      const response = await t.request('PATCH', `/api/v1/customers/${id}`, { body });
      expect(response.status).toBe(400);
      expect(response.body.error.details).toEqual([expect.objectContaining({ field })]);
    });

    it('keeps the tenant name while the customer allows co-management', async () => {
      const id = await createCustomer(t, { tenantName: 'locked.com' });
      await t.database.customers.updateOne({ accountId: { $exists: true }, tenantName: 'locked.com' }, { $set: { canManage: true } });
      const refused = await t.request('PATCH', `/api/v1/customers/${id}`, { body: { tenantName: 'moved.com' } });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('tenant_locked');
      const allowed = await t.request('PATCH', `/api/v1/customers/${id}`, { body: { maxChannels: 30, tenantName: 'LOCKED.com' } });
      expect(allowed.status).toBe(200);
      expect(allowed.body).toMatchObject({ tenantName: 'locked.com', maxChannels: 30 });
    });
  });

  describe("another partner's customer", () => {
    it.each([
      ['GET', ''],
      ['PATCH', ''],
      ['GET', '/numbers'],
      ['POST', '/numbers'],
      ['POST', '/numbers/remove'],
    ])('%s /api/v1/customers/{id}%s answers 404 and changes nothing', async (method, suffix) => {
      const id = await createCustomer(t, { name: 'Private', maxChannels: 6 });
      await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: '+14155550190' } });
      const body =
        suffix === '/numbers'
          ? { numbers: '+14155550191' }
          : suffix === '/numbers/remove'
            ? { numbers: ['+14155550190'], mode: 'delete' }
            : method === 'PATCH'
              ? { maxChannels: 99 }
              : undefined;
      const response = await t.request(method, `/api/v1/customers/${id}${suffix}`, { token: tokenB, ...(body ? { body } : {}) });
      expect(response.status).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('Private');
      const after = await t.request('GET', `/api/v1/customers/${id}`);
      expect(after.body).toMatchObject({ maxChannels: 6, numberCount: 1, pendingRemovals: 0 });
      await t.database.numbers.deleteMany({ e164: { $in: ['+14155550190', '+14155550191'] } });
    });

    it('does not appear in the list or search', async () => {
      await createCustomer(t, { name: 'Hidden From B', accountId: 'hidden-b' });
      const response = await t.request('GET', '/api/v1/customers?search=hidden', { token: tokenB });
      expect(response.body).toMatchObject({ total: 0, items: [] });
    });
  });
});
