import { DEMO_TENANTS } from '../../../api/demo/demo-microsoft';
import { ActivationBrowser, allowCoManagement, CONTOSO, NORTHWIND } from '../../support/co-management';
import { createCustomer, PARTNER_B, startTestApp, type TestApp } from '../../support/test-app';

/** Adatum's administrator (demo-microsoft.ts): a tenant of its own, for consent revoked in Entra. */
const ADATUM = { tenantId: DEMO_TENANTS.adatum, tenantName: 'adatum.onmicrosoft.com', admin: 'ada0ada0-0000-4000-8000-000000000101' };
const ADELE = 'Adele Vance (AdeleV@contoso.onmicrosoft.com)';
const DAY_MS = 24 * 3600 * 1000;

const json = (response: Response): Promise<any> => response.json();

describe("co-management, the customer's side (activation page)", () => {
  let t: TestApp;
  let tokenB: string;
  beforeAll(async () => {
    t = await startTestApp();
    tokenB = await t.tokenFor(PARTNER_B.tenantId);
  });
  afterAll(() => t.close());

  const contosoCustomer = (name?: string) => createCustomer(t, { tenantName: CONTOSO.tenantName, ...(name ? { name } : {}) });

  async function linkFor(customerId: string): Promise<string> {
    const response = await t.request('POST', `/api/v1/customers/${customerId}/activation-link`);
    expect(response.status).toBe(201);
    return response.body.url as string;
  }

  /** A browser that opened a fresh link of the customer. */
  async function opened(customerId: string): Promise<ActivationBrowser> {
    const browser = new ActivationBrowser(t);
    expect((await browser.open(await linkFor(customerId))).status).toBe(200);
    return browser;
  }

  /** A browser where Contoso's administrator has signed in. */
  async function signedIn(customerId: string, account: { tenantId: string; admin: string } = CONTOSO): Promise<ActivationBrowser> {
    const browser = await opened(customerId);
    await browser.signIn(account.tenantId, account.admin);
    expect((await browser.view()).body.signedIn).toMatchObject({ isAdmin: true });
    return browser;
  }

  /** Follows a redirect's Location to the simulated Microsoft page and reads the state the portal put in it. */
  async function stateOf(browser: ActivationBrowser, start: 'sign-in' | 'consent'): Promise<string> {
    const response = await browser.fetch(`${t.baseUrl}/api/v1/activation/${start}`);
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!).searchParams.get('state')!;
  }

  const details = async (customerId: string) => (await t.request('GET', `/api/v1/customers/${customerId}`)).body;

  async function inList(customerId: string) {
    const list = await t.request('GET', '/api/v1/customers?pageSize=200');
    expect(list.status).toBe(200);
    return list.body.items.find((c: { id: string }) => c.id === customerId);
  }

  async function audit(customerId: string) {
    const response = await t.request('GET', `/api/v1/audit?customerId=${customerId}&pageSize=200`);
    expect(response.status).toBe(200);
    return response.body.items as { action: string; actor: { tid: string; oid: string; name?: string }; details: Record<string, unknown> }[];
  }

  describe('POST /api/v1/customers/{id}/activation-link', () => {
    it('answers 201 with a link carrying its token in the fragment, and when it expires', async () => {
      const id = await contosoCustomer();
      const before = Date.now();
      const response = await t.request('POST', `/api/v1/customers/${id}/activation-link`);
      expect(response.status).toBe(201);
      const url = new URL(response.body.url);
      expect(url.origin).toBe(t.baseUrl);
      expect(url.pathname).toBe('/activate.html');
      expect(url.search).toBe('');
      expect(url.hash).toMatch(/^#link=[A-Za-z0-9_-]{20,}$/);
      const expiresAt = Date.parse(response.body.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * DAY_MS - 1000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS + 1000);
      expect((await audit(id)).map((e) => e.action)).toContain('activation.link_created');
    });

    it("answers 404 for another partner's customer", async () => {
      const id = await contosoCustomer();
      const response = await t.request('POST', `/api/v1/customers/${id}/activation-link`, { token: tokenB });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    });

    it('a new link makes the old one, and sessions opened with it, 404', async () => {
      const id = await contosoCustomer();
      const first = await linkFor(id);
      const oldBrowser = new ActivationBrowser(t);
      expect((await oldBrowser.open(first)).status).toBe(200);
      const second = await linkFor(id);
      const reopened = await new ActivationBrowser(t).open(first);
      expect(reopened.status).toBe(404);
      expect((await json(reopened)).error.message).toMatch(/not valid any more/);
      expect((await oldBrowser.view()).status).toBe(404);
      expect((await new ActivationBrowser(t).open(second)).status).toBe(200);
    });

    it('an expired link is 404', async () => {
      const id = await contosoCustomer();
      const browser = await opened(id);
      const { ObjectId } = await import('mongodb');
      await t.database.activationLinks.updateMany({ customerId: new ObjectId(id) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      expect((await browser.view()).status).toBe(404);
    });
  });

  describe('opening the link (POST /api/v1/activation/session)', () => {
    it("sets the page's cookie HttpOnly, SameSite=Lax, on the activation paths only, and describes the service", async () => {
      const id = await contosoCustomer('Contoso Opening');
      const link = new URL(await linkFor(id)).hash.replace(/^#link=/, '');
      const response = await fetch(`${t.baseUrl}/api/v1/activation/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ link }),
      });
      expect(response.status).toBe(200);
      const [cookie] = response.headers.getSetCookie();
      expect(cookie).toMatch(/^pp_activation=[^;]{20,};/);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie).toMatch(/;\s*Path=\/api\/v1\/activation(;|$)/);
      // Plain http on loopback: not Secure (browsers would drop it).
      expect(cookie).not.toMatch(/;\s*Secure/i);
      const view = await json(response);
      expect(view).toMatchObject({
        customer: { name: 'Contoso Opening', tenantName: CONTOSO.tenantName },
        partner: { name: 'Partner A' },
        signedIn: null,
        consent: null,
        canManage: false,
        notice: null,
      });
      expect(view.abilities.length).toBeGreaterThan(0);
    });

    it('answers 404 for a link that does not exist, 400 for none', async () => {
      const unknown = await t.request('POST', '/api/v1/activation/session', { token: null, body: { link: 'no-such-link-token' } });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(/not valid any more/);
      const empty = await t.request('POST', '/api/v1/activation/session', { token: null, body: { link: '  ' } });
      expect(empty.status).toBe(400);
    });

    it('without the cookie (or with a made-up one) the page answers 401 activation_session_ended', async () => {
      for (const headers of [{}, { cookie: 'pp_activation=made-up' }] as Record<string, string>[]) {
        const view = await t.request('GET', '/api/v1/activation/session', { token: null, headers });
        expect(view.status).toBe(401);
        expect(view.body.error.code).toBe('activation_session_ended');
        const signIn = await t.request('GET', '/api/v1/activation/sign-in', { token: null, headers });
        expect(signIn.status).toBe(401);
        const allow = await t.request('PUT', '/api/v1/activation/co-management', { token: null, headers, body: { allowed: true } });
        expect(allow.status).toBe(401);
        expect(allow.body.error.code).toBe('activation_session_ended');
      }
    });
  });

  describe('sign-in', () => {
    it("with Contoso's administrator: signed in, shown as an administrator", async () => {
      const id = await contosoCustomer();
      const browser = await opened(id);
      const back = await browser.signIn(CONTOSO.tenantId, CONTOSO.admin);
      expect(back.status).toBe(302);
      expect(back.headers.get('location')).toBe('/activate.html');
      const view = await browser.view();
      expect(view.status).toBe(200);
      expect(view.body.signedIn).toEqual({ name: 'Adele Vance', upn: 'AdeleV@contoso.onmicrosoft.com', isAdmin: true });
      expect(view.body.notice).toBeNull();
    });

    it('sends the browser to Microsoft with the redirect URI, a state and a nonce', async () => {
      const browser = await opened(await contosoCustomer());
      const response = await browser.fetch(`${t.baseUrl}/api/v1/activation/sign-in`);
      expect(response.status).toBe(302);
      const target = new URL(response.headers.get('location')!);
      expect(target.origin).toBe(t.graph.url);
      expect(target.searchParams.get('redirect_uri')).toBe(`${t.baseUrl}/api/v1/activation/signed-in`);
      expect(target.searchParams.get('state')).toMatch(/.{16,}/);
      expect(target.searchParams.get('nonce')).toMatch(/.{16,}/);
    });

    it('cancelled: the page shows why, once, and no one is signed in', async () => {
      const browser = await opened(await contosoCustomer());
      const back = await browser.signIn(CONTOSO.tenantId, CONTOSO.admin, { cancel: true });
      expect(back.status).toBe(302);
      const view = await browser.view();
      expect(view.body.signedIn).toBeNull();
      expect(view.body.notice).toEqual({ kind: 'error', message: expect.stringMatching(/^Sign-in did not complete: .*declined/) });
      expect((await browser.view()).body.notice).toBeNull();
    });

    it("with an administrator of another tenant (Northwind for contoso.onmicrosoft.com): refused, naming the tenant", async () => {
      const browser = await opened(await contosoCustomer());
      await browser.signIn(NORTHWIND.tenantId, NORTHWIND.admin);
      const view = await browser.view();
      expect(view.body.signedIn).toBeNull();
      expect(view.body.notice.kind).toBe('error');
      expect(view.body.notice.message).toContain('DebraB@northwindtraders.onmicrosoft.com');
      expect(view.body.notice.message).toContain(`which is not in ${CONTOSO.tenantName}`);
      // And so nothing can be switched.
      const allow = await browser.setAllowed(true);
      expect(allow.status).toBe(401);
      expect(allow.body.error.code).toBe('admin_sign_in_required');
    });

    it('with a user who is not an administrator (Nestor): refused', async () => {
      const browser = await opened(await contosoCustomer());
      await browser.signIn(CONTOSO.tenantId, CONTOSO.nestor);
      const view = await browser.view();
      expect(view.body.signedIn).toBeNull();
      expect(view.body.notice).toEqual({
        kind: 'error',
        message: expect.stringContaining(`NestorW@contoso.onmicrosoft.com is not an administrator of ${CONTOSO.tenantName}`),
      });
      expect((await browser.setAllowed(true)).status).toBe(401);
    });

    it("when Microsoft knows no tenant by the customer's tenant name: the page says so, no one is signed in", async () => {
      const id = await createCustomer(t, { tenantName: 'no-such-tenant.onmicrosoft.com' });
      const browser = await opened(id);
      const back = await browser.signIn(CONTOSO.tenantId, CONTOSO.admin);
      expect(back.status).toBe(302);
      const view = await browser.view();
      expect(view.body.signedIn).toBeNull();
      expect(view.body.notice).toEqual({ kind: 'error', message: expect.stringContaining('Microsoft knows no tenant named no-such-tenant.onmicrosoft.com') });
    });

    it("answers 400 to a sign-in answer that does not carry the session's state, and takes the real one after", async () => {
      const browser = await opened(await contosoCustomer());
      // No sign-in under way.
      const unasked = await browser.fetch(`${t.baseUrl}/api/v1/activation/signed-in?code=abc&state=abc`);
      expect(unasked.status).toBe(400);
      expect((await json(unasked)).error.code).toBe('activation_state_mismatch');
      // A sign-in under way, a forged answer.
      await stateOf(browser, 'sign-in');
      const forged = await browser.fetch(`${t.baseUrl}/api/v1/activation/signed-in?code=abc&state=not-the-state`);
      expect(forged.status).toBe(400);
      expect((await json(forged)).error.code).toBe('activation_state_mismatch');
      const noState = await browser.fetch(`${t.baseUrl}/api/v1/activation/signed-in?code=abc`);
      expect(noState.status).toBe(400);
      expect((await browser.view()).body.signedIn).toBeNull();
      await browser.signIn(CONTOSO.tenantId, CONTOSO.admin);
      expect((await browser.view()).body.signedIn).toMatchObject({ isAdmin: true });
    });

    it('an answer is taken once: replaying it is 400', async () => {
      const browser = await opened(await contosoCustomer());
      const state = await stateOf(browser, 'sign-in');
      const replay = `${t.baseUrl}/api/v1/activation/signed-in?error=access_denied&state=${encodeURIComponent(state)}`;
      expect((await browser.fetch(replay)).status).toBe(302);
      expect((await browser.fetch(replay)).status).toBe(400);
    });

    it("another browser's state does not fit this session", async () => {
      const link = await linkFor(await contosoCustomer());
      const mine = new ActivationBrowser(t);
      const theirs = new ActivationBrowser(t);
      expect((await mine.open(link)).status).toBe(200);
      expect((await theirs.open(link)).status).toBe(200);
      await stateOf(mine, 'sign-in');
      const theirState = await stateOf(theirs, 'sign-in');
      const crossed = await mine.fetch(`${t.baseUrl}/api/v1/activation/signed-in?code=abc&state=${encodeURIComponent(theirState)}`);
      expect(crossed.status).toBe(400);
    });
  });

  describe('admin consent', () => {
    it('needs an administrator signed in first', async () => {
      const browser = await opened(await contosoCustomer());
      const response = await browser.fetch(`${t.baseUrl}/api/v1/activation/consent`);
      expect(response.status).toBe(401);
      expect((await json(response)).error.code).toBe('admin_sign_in_required');
    });

    it("sends the administrator to Microsoft's consent page of the customer's tenant", async () => {
      const browser = await signedIn(await contosoCustomer());
      const response = await browser.fetch(`${t.baseUrl}/api/v1/activation/consent`);
      expect(response.status).toBe(302);
      const target = new URL(response.headers.get('location')!);
      expect(target.pathname).toBe(`/${CONTOSO.tenantId}/v2.0/adminconsent`);
      expect(target.searchParams.get('redirect_uri')).toBe(`${t.baseUrl}/api/v1/activation/consented`);
      expect(target.searchParams.get('scope')).toBe('https://graph.microsoft.com/.default');
    });

    it('cancelled: the page says so and no consent is stored', async () => {
      const id = await contosoCustomer();
      const browser = await signedIn(id);
      const back = await browser.consent(CONTOSO.admin, { cancel: true });
      expect(back.status).toBe(302);
      const view = await browser.view();
      expect(view.body.consent).toBeNull();
      expect(view.body.notice).toEqual({ kind: 'error', message: expect.stringMatching(/^Consent was not granted: .*declined/) });
      const customer = await details(id);
      expect(customer.coManagement.consentGrantedBy).toBeNull();
      expect(customer.customerTenantId).toBeNull();
    });

    it('granted: stored with who granted it and the tenant id, and audited as the administrator', async () => {
      const id = await contosoCustomer();
      const browser = await signedIn(id);
      const back = await browser.consent(CONTOSO.admin);
      expect(back.status).toBe(302);
      expect(back.headers.get('location')).toBe('/activate.html');
      const view = await browser.view();
      expect(view.body.notice).toEqual({ kind: 'success', message: expect.stringMatching(/^Consent granted/) });
      expect(view.body.consent).toEqual({ grantedAt: expect.any(String), grantedBy: ADELE });
      expect(view.body.canManage).toBe(false);
      expect(t.graph.hasConsent(CONTOSO.tenantId)).toBe(true);
      const customer = await details(id);
      expect(customer.coManagement.consentGrantedBy).toBe(ADELE);
      expect(Date.parse(customer.coManagement.consentGrantedAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(customer.customerTenantId).toBe(CONTOSO.tenantId);
      expect(customer.canManage).toBe(false);
      const granted = (await audit(id)).find((e) => e.action === 'co_management.consent_granted');
      expect(granted).toMatchObject({
        actor: { tid: CONTOSO.tenantId, oid: CONTOSO.admin, name: 'Adele Vance (customer administrator)' },
        details: { tenantId: CONTOSO.tenantId },
      });
    });

    it('answers 400 to a consent answer without the state of the consent under way', async () => {
      const browser = await signedIn(await contosoCustomer());
      const forged = `${t.baseUrl}/api/v1/activation/consented?admin_consent=True&tenant=${CONTOSO.tenantId}`;
      // Not under way at all.
      expect((await browser.fetch(`${forged}&state=x`)).status).toBe(400);
      // Under way, wrong state; and the sign-in's state does not answer a consent.
      await stateOf(browser, 'consent');
      const wrong = await browser.fetch(`${forged}&state=not-the-state`);
      expect(wrong.status).toBe(400);
      expect((await json(wrong)).error.code).toBe('activation_state_mismatch');
      const signInState = await stateOf(browser, 'sign-in');
      expect((await browser.fetch(`${forged}&state=${encodeURIComponent(signInState)}`)).status).toBe(400);
      expect((await browser.view()).body.consent).toBeNull();
    });

    it("refuses a consent answer naming another tenant than the customer's", async () => {
      const id = await contosoCustomer();
      const browser = await signedIn(id);
      const state = await stateOf(browser, 'consent');
      const back = await browser.fetch(
        `${t.baseUrl}/api/v1/activation/consented?admin_consent=True&tenant=${NORTHWIND.tenantId}&state=${encodeURIComponent(state)}`,
      );
      expect(back.status).toBe(302);
      const view = await browser.view();
      expect(view.body.consent).toBeNull();
      expect(view.body.notice).toEqual({ kind: 'error', message: expect.stringContaining(`the tenant ${NORTHWIND.tenantId}, which is not in ${CONTOSO.tenantName}`) });
      expect((await details(id)).customerTenantId).toBeNull();
    });
  });

  describe('the switch (PUT /api/v1/activation/co-management)', () => {
    it('needs an administrator signed in', async () => {
      const browser = await opened(await contosoCustomer());
      const response = await browser.setAllowed(true);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('admin_sign_in_required');
    });

    it('on without consent: 409 consent_required', async () => {
      const id = await contosoCustomer();
      const browser = await signedIn(id);
      const response = await browser.setAllowed(true);
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('consent_required');
      expect((await inList(id)).canManage).toBe(false);
    });

    it("on: the partner's list shows canManage, the audit names the administrator; off: back, audited", async () => {
      const id = await contosoCustomer('Contoso Switch');
      const browser = await signedIn(id);
      await browser.consent(CONTOSO.admin);
      const on = await browser.setAllowed(true);
      expect(on.status).toBe(200);
      expect(on.body).toMatchObject({ canManage: true, changedBy: ADELE, consent: { grantedBy: ADELE }, signedIn: { isAdmin: true } });
      expect(await inList(id)).toMatchObject({ canManage: true, customerTenantId: CONTOSO.tenantId });
      expect((await details(id)).coManagement.changedBy).toBe(ADELE);
      const admin = { tid: CONTOSO.tenantId, oid: CONTOSO.admin, name: 'Adele Vance (customer administrator)' };
      let entries = await audit(id);
      expect(entries.find((e) => e.action === 'co_management.consent_granted')).toMatchObject({ actor: admin });
      expect(entries.find((e) => e.action === 'co_management.allowed')).toMatchObject({ actor: admin, details: { tenantId: CONTOSO.tenantId } });
      // The page says the same after a reload.
      expect((await browser.view()).body).toMatchObject({ canManage: true, changedBy: ADELE });

      // Switching on again changes nothing and is not audited twice.
      expect((await browser.setAllowed(true)).status).toBe(200);
      expect((await audit(id)).filter((e) => e.action === 'co_management.allowed')).toHaveLength(1);

      const off = await browser.setAllowed(false);
      expect(off.status).toBe(200);
      expect(off.body.canManage).toBe(false);
      expect((await inList(id)).canManage).toBe(false);
      entries = await audit(id);
      expect(entries.find((e) => e.action === 'co_management.switched_off')).toMatchObject({ actor: admin });
      // The consent stays: switching on again needs no new consent.
      expect((await browser.setAllowed(true)).body.canManage).toBe(true);
      expect((await browser.setAllowed(false)).body.canManage).toBe(false);
    });

    it('answers 400 to a body that is not a boolean', async () => {
      const browser = await signedIn(await contosoCustomer());
      const response = await browser.fetch(`${t.baseUrl}/api/v1/activation/co-management`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ allowed: 'yes' }),
      });
      expect(response.status).toBe(400);
    });

    it('consent removed in Entra since: switching on is 409 consent_not_effective; a new consent mends it', async () => {
      const id = await createCustomer(t, { tenantName: ADATUM.tenantName });
      const browser = await signedIn(id, ADATUM);
      await browser.consent(ADATUM.admin);
      expect(t.graph.hasConsent(ADATUM.tenantId)).toBe(true);
      t.graph.revokeConsent(ADATUM.tenantId);
      const refused = await browser.setAllowed(true);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('consent_not_effective');
      expect(refused.body.error.message).toContain(ADATUM.tenantName);
      expect((await inList(id)).canManage).toBe(false);
      await browser.consent(ADATUM.admin);
      expect((await browser.setAllowed(true)).body.canManage).toBe(true);
      expect((await browser.setAllowed(false)).body.canManage).toBe(false);
    });

    it('tenant name Microsoft does not know (changed by the partner after sign-in): 409 unknown_tenant', async () => {
      const id = await contosoCustomer();
      const browser = await signedIn(id);
      await browser.consent(CONTOSO.admin);
      const renamed = await t.request('PATCH', `/api/v1/customers/${id}`, { body: { tenantName: 'no-such-tenant.onmicrosoft.com' } });
      expect(renamed.status).toBe(200);
      const response = await browser.setAllowed(true);
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('unknown_tenant');
      expect(response.body.error.message).toContain('no-such-tenant.onmicrosoft.com');
      expect((await inList(id)).canManage).toBe(false);
    });

    it('off works even when Microsoft cannot confirm the tenant name any more', async () => {
      const id = await contosoCustomer();
      const browser = await allowCoManagement(t, id);
      // The domain the partner entered no longer resolves (removed from the tenant), or Microsoft is down.
      t.graph.failNext({ path: /openid-configuration$/, status: 400, times: 1 });
      const lookups = t.graph.callCount(/openid-configuration/);
      const off = await browser.setAllowed(false);
      expect(off.status).toBe(200);
      expect(off.body.canManage).toBe(false);
      expect((await inList(id)).canManage).toBe(false);
      expect(t.graph.callCount(/openid-configuration/)).toBe(lookups);
      // Switching on does ask Microsoft (and takes the injected answer).
      const on = await browser.setAllowed(true);
      expect(on.status).toBe(409);
      expect(on.body.error.code).toBe('unknown_tenant');
    });

    it('the partner cannot change the tenant name while co-management is on; after off, a change clears the tenant and the consent', async () => {
      const id = await contosoCustomer();
      const browser = await allowCoManagement(t, id);
      const locked = await t.request('PATCH', `/api/v1/customers/${id}`, { body: { tenantName: 'fabrikam.onmicrosoft.com' } });
      expect(locked.status).toBe(409);
      expect(locked.body.error.code).toBe('tenant_locked');
      expect(locked.body.error.details).toEqual([expect.objectContaining({ field: 'tenantName' })]);
      // The same name again is no change.
      expect((await t.request('PATCH', `/api/v1/customers/${id}`, { body: { tenantName: CONTOSO.tenantName } })).status).toBe(200);

      expect((await browser.setAllowed(false)).status).toBe(200);
      const changed = await t.request('PATCH', `/api/v1/customers/${id}`, { body: { tenantName: 'fabrikam.onmicrosoft.com' } });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ tenantName: 'fabrikam.onmicrosoft.com', customerTenantId: null, canManage: false });
      const customer = await details(id);
      expect(customer.customerTenantId).toBeNull();
      expect(customer.coManagement).toEqual({ consentGrantedAt: null, consentGrantedBy: null, changedAt: null, changedBy: null });
      // Contoso's administrator is not Fabrikam's.
      const refused = await browser.setAllowed(true);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('tenant_mismatch');
      expect((await browser.view()).body.consent).toBeNull();
    });
  });
});

describe('co-management without Microsoft configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ microsoft: false });
  });
  afterAll(() => t.close());

  it('link creation answers 503 co_management_not_configured', async () => {
    const id = await createCustomer(t, { tenantName: CONTOSO.tenantName });
    const response = await t.request('POST', `/api/v1/customers/${id}/activation-link`);
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('co_management_not_configured');
    expect(response.body.error.message).toMatch(/not configured/);
  });
});
