import nock from 'nock';
import { ENTRA_CLIENT_ID, FakeEntra, unsignedToken } from '../../support/entra-tokens';
import { TOKEN_ATTACKS } from '../../support/token-attacks';
import { createCustomer, PARTNER_A, PARTNER_B, startTestApp, UNREGISTERED_TENANT, type TestApp } from '../../support/test-app';

describe('sign-in in local mode (dev sign-in)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('issues a token that the API accepts for that partner', async () => {
    const issued = await t.request('POST', '/api/v1/dev/token', {
      token: null,
      body: { tenantId: PARTNER_A.tenantId, userId: 'ann', name: 'Ann' },
    });
    expect(issued.status).toBe(200);
    expect(typeof issued.body.token).toBe('string');
    expect(Date.parse(issued.body.expiresAt)).toBeGreaterThan(Date.now());
    const list = await t.request('GET', '/api/v1/customers', { token: issued.body.token });
    expect(list.status).toBe(200);
  });

  it("lists the partners with their members for the sign-in picker, and signs in one of them with their role", async () => {
    await t.app.services.members.setRole(t.callerA, 'vera', { role: 'viewer', name: 'Vera Viewer' });
    const listed = await t.request('GET', '/api/v1/dev/partners', { token: null });
    expect(listed.status).toBe(200);
    const partnerA = listed.body.items.find((p: { tenantId: string }) => p.tenantId === PARTNER_A.tenantId);
    expect(partnerA.name).toBe(PARTNER_A.name);
    expect(partnerA.members).toEqual(expect.arrayContaining([{ oid: 'vera', name: 'Vera Viewer', role: 'viewer' }]));
    expect(partnerA.members.find((m: { role: string }) => m.role === 'admin')).toBeDefined();
    const partnerB = listed.body.items.find((p: { tenantId: string }) => p.tenantId === PARTNER_B.tenantId);
    expect(partnerB.members.map((m: { oid: string }) => m.oid)).not.toContain('vera');

    const issued = await t.request('POST', '/api/v1/dev/token', { token: null, body: { tenantId: PARTNER_A.tenantId, userId: 'vera' } });
    const me = await t.request('GET', '/api/v1/me', { token: issued.body.token });
    expect(me.body).toMatchObject({ oid: 'vera', role: 'viewer', partner: { name: PARTNER_A.name } });
    const global = await t.request('POST', '/api/v1/dev/token', {
      token: null,
      body: { tenantId: PARTNER_A.tenantId, userId: 'vera', globalAdministrator: true },
    });
    expect((await t.request('GET', '/api/v1/me', { token: global.body.token })).body).toMatchObject({ role: 'admin', globalAdministrator: true });
  });

  it('names the missing field', async () => {
    const response = await t.request('POST', '/api/v1/dev/token', { token: null, body: { userId: 'x' } });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([expect.objectContaining({ field: 'tenantId' })]);
  });

  it('refuses a request without a token', async () => {
    const response = await t.request('GET', '/api/v1/customers', { token: null });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthenticated');
  });

  it('refuses a malformed Authorization header', async () => {
    const response = await t.request('GET', '/api/v1/customers', { token: null, headers: { authorization: 'Basic abc' } });
    expect(response.status).toBe(401);
  });

  it('refuses an unsigned token even in local mode', async () => {
    const token = unsignedToken({ tid: PARTNER_A.tenantId, oid: 'u', aud: 'api://localhost/teams-partner-portal' });
    const response = await t.request('GET', '/api/v1/customers', { token });
    expect(response.status).toBe(401);
  });

  it('answers 403 to a valid token from an unregistered tenant', async () => {
    const token = await t.tokenFor(UNREGISTERED_TENANT);
    const response = await t.request('GET', '/api/v1/customers', { token });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('partner_not_registered');
  });
});

describe('sign-in with Microsoft Entra configured', () => {
  let t: TestApp;
  let entra: FakeEntra;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    entra = await FakeEntra.create();
    entra.serveJwks();
    t = await startTestApp({ entra });
  });
  afterAll(async () => {
    await t.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('has no dev sign-in', async () => {
    const response = await t.request('POST', '/api/v1/dev/token', { token: null, body: { tenantId: PARTNER_A.tenantId } });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBeDefined();
  });

  it('accepts an Entra token of a registered partner', async () => {
    const id = await createCustomer(t, { name: 'Entra Co' });
    const response = await t.request('GET', `/api/v1/customers/${id}`);
    expect(response.status).toBe(200);
    expect(response.body.name).toBe('Entra Co');
  });

  it.each(TOKEN_ATTACKS.map((attack) => [attack.name, attack] as const))(
    'refuses a token %s with 401 in the error shape',
    async (_name, attack) => {
      const response = await t.request('GET', '/api/v1/customers', { token: await attack.token(entra) });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: { code: attack.code, message: expect.stringMatching(attack.message) } });
    },
  );

  it('answers 403 to a valid Teams SSO token from an unregistered tenant', async () => {
    const response = await t.request('GET', '/api/v1/customers', { token: await entra.token({ tid: UNREGISTERED_TENANT }) });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('partner_not_registered');
  });

  it('refuses a dev-style token signed by another key', async () => {
    const other = await FakeEntra.create();
    const token = await other.token({ aud: ENTRA_CLIENT_ID });
    const response = await t.request('GET', '/api/v1/customers', { token });
    expect(response.status).toBe(401);
  });

  it('scopes each partner to its own customers', async () => {
    const id = await createCustomer(t, { name: 'Only A' });
    const tokenB = await t.tokenFor(PARTNER_B.tenantId);
    const response = await t.request('GET', `/api/v1/customers/${id}`, { token: tokenB });
    expect(response.status).toBe(404);
  });
});

describe("sign-in while Entra's key set cannot be read", () => {
  let t: TestApp;
  let entra: FakeEntra;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    entra = await FakeEntra.create();
    nock('https://login.microsoftonline.test').persist().get(/.*/).reply(500, 'down');
    t = await startTestApp({ entra });
  });
  afterAll(async () => {
    await t.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('answers 503, not 401: the token may be fine', async () => {
    const response = await t.request('GET', '/api/v1/customers', { token: await entra.token() });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('sign_in_unavailable');
  });
});
