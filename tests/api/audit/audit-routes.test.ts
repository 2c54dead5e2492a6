import { PARTNER_A, PARTNER_B, createCustomer, startTestApp, type TestApp } from '../../support/test-app';

interface ErrorBody {
  code: string;
  message: string;
  details?: { field: string; message: string }[];
}

interface AuditEntry {
  id: string;
  at: string;
  actor: { tid: string; oid: string; name?: string };
  action: string;
  customerId: string | null;
  details: Record<string, unknown>;
}

describe('GET /api/v1/audit', () => {
  let t: TestApp;
  const created: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    // Three customers of partner A, one after the other.
    for (const accountId of ['audit-first', 'audit-second', 'audit-third']) {
      created.push(await createCustomer(t, { accountId, maxChannels: 10, name: `Name of ${accountId}` }));
    }
  });
  afterAll(() => t.close());

  const audit = async (query = '', token?: string | null) => {
    const response = await t.request('GET', `/api/v1/audit${query}`, token === undefined ? {} : { token });
    return response as {
      status: number;
      body: { items: AuditEntry[]; total: number; page: number; pageSize: number; error: ErrorBody };
    };
  };

  it('records customer.created with the customer and who created it', async () => {
    const response = await audit(`?customerId=${created[0]}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 1, page: 1, pageSize: 25 });
    expect(response.body.items).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        at: expect.any(String),
        actor: { tid: PARTNER_A.tenantId, oid: 'user-1', name: 'Test User' },
        action: 'customer.created',
        customerId: created[0],
        details: {
          accountId: 'audit-first',
          tenantName: 'contoso.onmicrosoft.com',
          name: 'Name of audit-first',
          maxChannels: 10,
          seatType: null,
        },
      },
    ]);
    expect(Number.isNaN(Date.parse(response.body.items[0]!.at))).toBe(false);
  });

  it('kind=changes leaves out looks at the Teams users and numbers and refused manage calls', async () => {
    const id = await createCustomer(t, { accountId: 'audit-looks' });
    // Co-management is not allowed: each call is refused, and audited as teams.refused.
    expect((await t.request('GET', `/api/v1/customers/${id}/teams/users`)).status).toBe(403);
    const all = await audit(`?customerId=${id}`);
    expect(all.body.items.map((e) => e.action)).toEqual(['teams.refused', 'customer.created']);
    const changes = await audit(`?customerId=${id}&kind=changes`);
    expect(changes.body.items.map((e) => e.action)).toEqual(['customer.created']);
    expect(changes.body.total).toBe(1);
    expect((await audit('?kind=everything')).status).toBe(400);
  });

  it('lists newest first', async () => {
    const response = await audit();
    expect(response.status).toBe(200);
    const creations = response.body.items.filter((e) => e.action === 'customer.created').map((e) => e.customerId);
    expect(creations.slice(-3)).toEqual([...created].reverse());
    const times = response.body.items.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const latest = await createCustomer(t);
    const after = await audit();
    expect(after.body.items[0]).toMatchObject({ action: 'customer.created', customerId: latest });
    expect(after.body.total).toBe(response.body.total + 1);
  });

  it('records customer.updated with what changed, from and to', async () => {
    const customerId = await createCustomer(t, { maxChannels: 10 });
    const patched = await t.request('PATCH', `/api/v1/customers/${customerId}`, { body: { maxChannels: 20 } });
    expect(patched.status).toBe(200);
    expect(patched.body.maxChannels).toBe(20);

    const response = await audit(`?customerId=${customerId}`);
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(2);
    expect(response.body.items.map((e) => e.action)).toEqual(['customer.updated', 'customer.created']);
    expect(response.body.items[0]).toMatchObject({
      action: 'customer.updated',
      customerId,
      actor: { tid: PARTNER_A.tenantId, oid: 'user-1' },
      details: { changed: { maxChannels: { from: 10, to: 20 } } },
    });
    expect(Object.keys(response.body.items[0]!.details.changed as object)).toEqual(['maxChannels']);
  });

  it('records no entry for a change that changes nothing', async () => {
    const customerId = await createCustomer(t, { maxChannels: 10 });
    const patched = await t.request('PATCH', `/api/v1/customers/${customerId}`, { body: { maxChannels: 10 } });
    expect(patched.status).toBe(200);
    const response = await audit(`?customerId=${customerId}`);
    expect(response.body.items.map((e) => e.action)).toEqual(['customer.created']);
  });

  it('narrows to one customer with customerId', async () => {
    const response = await audit(`?customerId=${created[1]}`);
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(1);
    expect(response.body.items.map((e) => e.customerId)).toEqual([created[1]]);
    const everything = await audit('?pageSize=200');
    expect(everything.body.total).toBeGreaterThan(response.body.total);
  });

  it('pages with page and pageSize, newest first across pages', async () => {
    const all = await audit('?pageSize=200');
    expect(all.status).toBe(200);
    const total = all.body.total;
    expect(total).toBe(all.body.items.length);
    expect(total).toBeGreaterThanOrEqual(3);
    const ids = all.body.items.map((e) => e.id);

    const first = await audit('?page=1&pageSize=2');
    const second = await audit('?page=2&pageSize=2');
    expect(first.body).toMatchObject({ total, page: 1, pageSize: 2 });
    expect(second.body).toMatchObject({ total, page: 2, pageSize: 2 });
    expect(first.body.items.map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect(second.body.items.map((e) => e.id)).toEqual(ids.slice(2, 4));

    const beyond = await audit(`?page=${total + 1}&pageSize=1`);
    expect(beyond.body).toMatchObject({ items: [], total });
  });

  it.each([
    ['?pageSize=0', 'pageSize'],
    ['?pageSize=201', 'pageSize'],
    ['?page=0', 'page'],
  ])('refuses %s naming %s', async (query, field) => {
    const response = await audit(query);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it.each(['ffffffffffffffffffffffff', 'not-an-id', '12345'])('answers 404 for customerId %s', async (customerId) => {
    const response = await audit(`?customerId=${customerId}`);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  it("keeps partners apart: partner B sees neither partner A's entries nor a customer's", async () => {
    const tokenB = await t.tokenFor(PARTNER_B.tenantId);
    const ownCustomer = await createCustomer(t, { accountId: 'b-own' }, tokenB);

    const narrowed = await audit(`?customerId=${created[0]}`, tokenB);
    expect(narrowed.status).toBe(404);

    const everything = await audit('?pageSize=200', tokenB);
    expect(everything.status).toBe(200);
    // Its own customer, and the carrier naming its Admin at registration.
    expect(everything.body.total).toBe(2);
    expect(everything.body.items).toEqual([
      expect.objectContaining({
        action: 'customer.created',
        customerId: ownCustomer,
        actor: expect.objectContaining({ tid: PARTNER_B.tenantId }),
      }),
      expect.objectContaining({ action: 'member.added', customerId: null, actor: expect.objectContaining({ oid: 'partner-cli' }) }),
    ]);

    const ofA = await audit('?pageSize=200');
    expect(ofA.body.items.map((e) => e.customerId)).not.toContain(ownCustomer);
    expect(ofA.body.items.every((e) => e.actor.tid === PARTNER_A.tenantId || e.actor.oid === 'partner-cli')).toBe(true);
  });

  it('needs a signed-in partner', async () => {
    const response = await audit('', null);
    expect(response.status).toBe(401);
  });
});
