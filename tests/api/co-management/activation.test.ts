import { ObjectId } from 'mongodb';
import { DEMO_TENANTS } from '../../../api/demo/demo-microsoft';
import { GRAPH_PERMISSIONS } from '../../../api/graph/graph-types';
import { ActivationBrowser, allowCoManagement, CONTOSO, NORTHWIND } from '../../support/co-management';
import { createCustomer, PARTNER_B, startTestApp, type TestApp } from '../../support/test-app';

/** Adatum's administrator (demo-microsoft.ts): a tenant of its own, for consent revoked in Entra. */
const ADATUM = { tenantId: DEMO_TENANTS.adatum, tenantName: 'adatum.onmicrosoft.com', admin: 'ada0ada0-0000-4000-8000-000000000101' };
const ADELE = 'Adele Vance (AdeleV@contoso.onmicrosoft.com)';
/** Tenants no other test of this file uses (demo-microsoft.ts): the services of a tenant, partial consent, a renamed service. */
const LITWARE = {
  tenantId: DEMO_TENANTS.litware,
  tenantName: 'litware.onmicrosoft.com',
  admin: '11750000-0000-4000-8000-000000000101',
  /** Not an administrator. */
  irvin: '11750000-0000-4000-8000-000000000102',
};
const TAILSPIN = { tenantId: DEMO_TENANTS.tailspin, tenantName: 'tailspintoys.onmicrosoft.com', admin: '7a110000-0000-4000-8000-000000000101' };
const WOODGROVE = {
  tenantId: DEMO_TENANTS.woodgrove,
  tenantName: 'woodgrovebank.onmicrosoft.com',
  /** Another name of the same tenant. */
  otherName: 'woodgrovebank.com',
  admin: '600d0000-0000-4000-8000-000000000101',
};
const DAY_MS = 24 * 3600 * 1000;
/** The notice of an answer from Microsoft that is not the one the session waits for (forged, replayed, crossed). */
const NOT_YOURS = { kind: 'error', message: expect.stringMatching(/^This answer from Microsoft does not belong to your session/) };

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

  /** Picks the account on the simulated "Pick an account" page; answers where Microsoft sends the browser back (not followed). */
  async function answerFromMicrosoft(browser: ActivationBrowser, tenantId: string, userId: string): Promise<string> {
    const toMicrosoft = await browser.fetch(`${t.baseUrl}/api/v1/activation/sign-in`);
    expect(toMicrosoft.status).toBe(302);
    const authorize = new URL(toMicrosoft.headers.get('location')!);
    const form = new URLSearchParams(authorize.search);
    form.set('account', `${tenantId}/${userId}`);
    const fromMicrosoft = await fetch(`${authorize.origin}${authorize.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
    const back = fromMicrosoft.headers.get('location')!;
    expect(back).toMatch(new RegExp(`^${t.publicUrl}/api/v1/activation/signed-in\\?.*code=`));
    return back;
  }

  /** A navigation that must land back on the page (never JSON): answers what the page then shows. */
  async function backToPage(browser: ActivationBrowser, url: string) {
    const response = await browser.fetch(url);
    expect([response.status, response.headers.get('location')]).toEqual([302, '/activate.html']);
    const view = await browser.view();
    expect(view.status).toBe(200);
    return view.body;
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
      expect(url.origin).toBe(t.publicUrl);
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

    it('a new link makes the old one 404; a session opened with it lives on: the page and the switch work', async () => {
      const id = await contosoCustomer('Contoso Relinked');
      const first = await linkFor(id);
      const oldBrowser = new ActivationBrowser(t);
      expect((await oldBrowser.open(first)).status).toBe(200);
      const second = await linkFor(id);
      const reopened = await new ActivationBrowser(t).open(first);
      expect(reopened.status).toBe(404);
      expect((await json(reopened)).error.message).toMatch(/not valid any more/);
      const view = await oldBrowser.view();
      expect(view.status).toBe(200);
      expect(view.body.customer).toEqual({ name: 'Contoso Relinked', tenantName: CONTOSO.tenantName });
      await oldBrowser.signIn(CONTOSO.tenantId, CONTOSO.admin);
      await oldBrowser.consent(CONTOSO.admin);
      const on = await oldBrowser.setAllowed(true);
      expect(on.status).toBe(200);
      expect(on.body.canManage).toBe(true);
      expect((await inList(id)).canManage).toBe(true);
      expect((await oldBrowser.setAllowed(false)).body.canManage).toBe(false);
      expect((await new ActivationBrowser(t).open(second)).status).toBe(200);
    });

    it('an expired link is 404; a session opened with it before lives on', async () => {
      const id = await contosoCustomer();
      const link = await linkFor(id);
      const browser = new ActivationBrowser(t);
      expect((await browser.open(link)).status).toBe(200);
      await t.database.activationLinks.updateMany({ customerId: new ObjectId(id) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      const reopened = await new ActivationBrowser(t).open(link);
      expect(reopened.status).toBe(404);
      expect((await json(reopened)).error.message).toMatch(/not valid any more/);
      expect((await browser.view()).status).toBe(200);
      await browser.signIn(CONTOSO.tenantId, CONTOSO.admin);
      await browser.consent(CONTOSO.admin);
      expect((await browser.setAllowed(true)).body.canManage).toBe(true);
      expect((await browser.setAllowed(false)).body.canManage).toBe(false);
    });

    it("a session ends after its hour: the page is 401, navigations go back to the page", async () => {
      const id = await contosoCustomer();
      const browser = await signedIn(id);
      await t.database.activationSessions.updateMany({ customerId: new ObjectId(id) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      const view = await browser.view();
      expect(view.status).toBe(401);
      expect(view.body.error.code).toBe('activation_session_ended');
      const consent = await browser.fetch(`${t.baseUrl}/api/v1/activation/consent`);
      expect(consent.status).toBe(302);
      expect(consent.headers.get('location')).toBe('/activate.html');
      expect((await browser.setAllowed(true)).status).toBe(401);
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

    it('without the cookie (or with a made-up one) the page answers 401 activation_session_ended, navigations go back to the page', async () => {
      for (const headers of [{}, { cookie: 'pp_activation=made-up' }] as Record<string, string>[]) {
        const view = await t.request('GET', '/api/v1/activation/session', { token: null, headers });
        expect(view.status).toBe(401);
        expect(view.body.error.code).toBe('activation_session_ended');
        // The browser navigates through these: back to the page (whose GET /session then says the session ended), never JSON.
        for (const path of ['sign-in', 'signed-in?code=abc&state=abc', 'consent', `consented?admin_consent=True&tenant=${CONTOSO.tenantId}&state=abc`]) {
          const navigation = await fetch(`${t.baseUrl}/api/v1/activation/${path}`, { headers, redirect: 'manual' });
          expect([path, navigation.status, navigation.headers.get('location')]).toEqual([path, 302, '/activate.html']);
          expect(navigation.headers.getSetCookie()).toEqual([]);
        }
        const allow = await t.request('PUT', '/api/v1/activation/co-management', { token: null, headers, body: { allowed: true } });
        expect(allow.status).toBe(401);
        expect(allow.body.error.code).toBe('activation_session_ended');
        const choose = await t.request('PUT', '/api/v1/activation/service', { token: null, headers, body: { id: new ObjectId().toHexString() } });
        expect(choose.status).toBe(401);
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
      expect(target.searchParams.get('redirect_uri')).toBe(`${t.publicUrl}/api/v1/activation/signed-in`);
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

    it("a sign-in answer without the session's state goes back to the page with a notice, signing no one in; the real one works after", async () => {
      const browser = await opened(await contosoCustomer());
      // No sign-in under way.
      let view = await backToPage(browser, `${t.baseUrl}/api/v1/activation/signed-in?code=abc&state=abc`);
      expect(view.notice).toEqual(NOT_YOURS);
      expect(view.signedIn).toBeNull();
      // A sign-in under way; Microsoft's real answer (a valid code of Contoso's administrator) with another state, or none.
      const answer = await answerFromMicrosoft(browser, CONTOSO.tenantId, CONTOSO.admin);
      for (const state of ['not-the-state', '']) {
        const forged = new URL(answer);
        if (state) forged.searchParams.set('state', state);
        else forged.searchParams.delete('state');
        view = await backToPage(browser, forged.toString());
        expect([state, view.notice]).toEqual([state, NOT_YOURS]);
        expect(view.signedIn).toBeNull();
      }
      // The answer with its state is still taken.
      view = await backToPage(browser, answer);
      expect(view.notice).toBeNull();
      expect(view.signedIn).toMatchObject({ upn: 'AdeleV@contoso.onmicrosoft.com', isAdmin: true });
    });

    it('an answer is taken once: replayed, it goes back to the page with a notice and changes nothing', async () => {
      const browser = await opened(await contosoCustomer());
      const answer = await answerFromMicrosoft(browser, CONTOSO.tenantId, CONTOSO.admin);
      expect((await backToPage(browser, answer)).signedIn).toMatchObject({ isAdmin: true });
      const replayed = await backToPage(browser, answer);
      expect(replayed.notice).toEqual(NOT_YOURS);
      expect(replayed.signedIn).toMatchObject({ isAdmin: true });
      // A cancelled sign-in's answer, replayed.
      const state = await stateOf(browser, 'sign-in');
      const cancelled = `${t.baseUrl}/api/v1/activation/signed-in?error=access_denied&state=${encodeURIComponent(state)}`;
      expect((await backToPage(browser, cancelled)).notice).toEqual({ kind: 'error', message: expect.stringMatching(/^Sign-in did not complete/) });
      const again = await backToPage(browser, cancelled);
      expect(again.notice).toEqual(NOT_YOURS);
      expect(again.signedIn).toBeNull();
    });

    it("another browser's answer does not fit this session (and stays theirs)", async () => {
      const link = await linkFor(await contosoCustomer());
      const mine = new ActivationBrowser(t);
      const theirs = new ActivationBrowser(t);
      expect((await mine.open(link)).status).toBe(200);
      expect((await theirs.open(link)).status).toBe(200);
      await stateOf(mine, 'sign-in');
      const theirAnswer = await answerFromMicrosoft(theirs, CONTOSO.tenantId, CONTOSO.admin);
      const crossed = await backToPage(mine, theirAnswer);
      expect(crossed.notice).toEqual(NOT_YOURS);
      expect(crossed.signedIn).toBeNull();
      expect((await backToPage(theirs, theirAnswer)).signedIn).toMatchObject({ isAdmin: true });
    });

    it('starting a new sign-in signs the administrator out; a failed second sign-in leaves no one signed in', async () => {
      const browser = await signedIn(await contosoCustomer());
      await stateOf(browser, 'sign-in');
      expect((await browser.view()).body.signedIn).toBeNull();
      const refused = await browser.setAllowed(true);
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('admin_sign_in_required');
      const failures: [string, string, string, { cancel?: boolean }][] = [
        ['not an administrator', CONTOSO.tenantId, CONTOSO.nestor, {}],
        ['another tenant', NORTHWIND.tenantId, NORTHWIND.admin, {}],
        ['cancelled', CONTOSO.tenantId, CONTOSO.admin, { cancel: true }],
      ];
      for (const [why, tenantId, userId, options] of failures) {
        await browser.signIn(CONTOSO.tenantId, CONTOSO.admin);
        expect((await browser.view()).body.signedIn).toMatchObject({ isAdmin: true });
        expect((await browser.signIn(tenantId, userId, options)).headers.get('location')).toBe('/activate.html');
        const view = await browser.view();
        expect([why, view.body.signedIn, view.body.notice?.kind]).toEqual([why, null, 'error']);
        expect([why, (await browser.setAllowed(true)).status]).toEqual([why, 401]);
      }
    });
  });

  describe('admin consent', () => {
    it('needs an administrator signed in first: back to the page with a notice, not to Microsoft', async () => {
      const browser = await opened(await contosoCustomer());
      const response = await browser.fetch(`${t.baseUrl}/api/v1/activation/consent`);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/activate.html');
      const view = await browser.view();
      expect(view.body.notice).toEqual({ kind: 'error', message: 'Sign in with an administrator account of your organisation first.' });
      expect(view.body.consent).toBeNull();
    });

    it("sends the administrator to Microsoft's consent page of the customer's tenant", async () => {
      const browser = await signedIn(await contosoCustomer());
      const response = await browser.fetch(`${t.baseUrl}/api/v1/activation/consent`);
      expect(response.status).toBe(302);
      const target = new URL(response.headers.get('location')!);
      expect(target.pathname).toBe(`/${CONTOSO.tenantId}/v2.0/adminconsent`);
      expect(target.searchParams.get('redirect_uri')).toBe(`${t.publicUrl}/api/v1/activation/consented`);
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

    it('a consent answer without the state of the consent under way goes back to the page with a notice, storing nothing', async () => {
      const id = await contosoCustomer();
      const browser = await signedIn(id);
      const forged = `${t.baseUrl}/api/v1/activation/consented?admin_consent=True&tenant=${CONTOSO.tenantId}`;
      // Not under way at all.
      expect((await backToPage(browser, `${forged}&state=x`)).notice).toEqual(NOT_YOURS);
      // Under way: a wrong state, or none.
      const consentState = await stateOf(browser, 'consent');
      expect((await backToPage(browser, `${forged}&state=not-the-state`)).notice).toEqual(NOT_YOURS);
      expect((await backToPage(browser, forged)).notice).toEqual(NOT_YOURS);
      // The consent's state does not answer a sign-in, nor the sign-in's a consent.
      const crossed = await backToPage(browser, `${t.baseUrl}/api/v1/activation/signed-in?code=abc&state=${encodeURIComponent(consentState)}`);
      expect(crossed.notice).toEqual(NOT_YOURS);
      expect(crossed.signedIn).toMatchObject({ isAdmin: true });
      const signInState = await stateOf(browser, 'sign-in');
      expect((await backToPage(browser, `${forged}&state=${encodeURIComponent(signInState)}`)).notice).toEqual(NOT_YOURS);
      expect((await browser.view()).body.consent).toBeNull();
      expect((await details(id)).customerTenantId).toBeNull();
      // The real round trip still works.
      await browser.signIn(CONTOSO.tenantId, CONTOSO.admin);
      await browser.consent(CONTOSO.admin);
      expect((await browser.view()).body.consent).toEqual({ grantedAt: expect.any(String), grantedBy: ADELE });
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

    it('consent without every permission (the token lacks roles): switching on is 409 consent_not_effective naming the missing ones', async () => {
      const id = await createCustomer(t, { tenantName: TAILSPIN.tenantName });
      const browser = await signedIn(id, TAILSPIN);
      t.graph.grantOnly(TAILSPIN.tenantId, ['User.Read.All']);
      try {
        await browser.consent(TAILSPIN.admin);
        expect((await browser.view()).body.consent).not.toBeNull();
        const refused = await browser.setAllowed(true);
        expect(refused.status).toBe(409);
        expect(refused.body.error.code).toBe('consent_not_effective');
        expect(refused.body.error.message).toContain(TAILSPIN.tenantName);
        expect(refused.body.error.message).toContain(
          'does not include TeamsUserConfiguration.Read.All, TeamsTelephoneNumber.ReadWrite.All, TeamsPolicyUserAssign.ReadWrite.All.',
        );
        expect(refused.body.error.message).not.toMatch(/User\.Read\.All,/);
        expect((await inList(id)).canManage).toBe(false);
        expect((await audit(id)).map((e) => e.action)).not.toContain('co_management.allowed');
      } finally {
        t.graph.grantOnly(TAILSPIN.tenantId, [...GRAPH_PERMISSIONS]);
      }
      // Consent granted again, with every permission.
      await browser.consent(TAILSPIN.admin);
      expect((await browser.setAllowed(true)).body.canManage).toBe(true);
      expect((await browser.setAllowed(false)).body.canManage).toBe(false);
    });

    it("the partner changes the tenant name between the consent and the switch: 409, co-management stays off", async () => {
      const id = await createCustomer(t, { tenantName: WOODGROVE.tenantName });
      const browser = await signedIn(id, WOODGROVE);
      await browser.consent(WOODGROVE.admin);
      // Another name of the same tenant: the administrator still fits, the consent given before does not count.
      expect((await t.request('PATCH', `/api/v1/customers/${id}`, { body: { tenantName: WOODGROVE.otherName } })).status).toBe(200);
      const refused = await browser.setAllowed(true);
      expect(refused.status).toBe(409);
      expect(['consent_required', 'service_changed']).toContain(refused.body.error.code);
      expect(await inList(id)).toMatchObject({ canManage: false, customerTenantId: null });
    });

    it('the switch writes only if the service is unchanged: a change while it checks Microsoft is 409 service_changed', async () => {
      const id = await createCustomer(t, { tenantName: WOODGROVE.tenantName });
      const browser = await signedIn(id, WOODGROVE);
      await browser.consent(WOODGROVE.admin);
      const graph = t.app.services.graph!;
      const token = graph.token.bind(graph);
      // The partner renames the service while the switch asks Microsoft for the token (after its checks, before its write).
      const spy = jest.spyOn(graph, 'token').mockImplementationOnce(async (tenantId: string) => {
        const renamed = await t.request('PATCH', `/api/v1/customers/${id}`, { body: { tenantName: WOODGROVE.otherName } });
        expect(renamed.status).toBe(200);
        return token(tenantId);
      });
      try {
        const refused = await browser.setAllowed(true);
        expect(spy).toHaveBeenCalled();
        expect(refused.status).toBe(409);
        expect(refused.body.error.code).toBe('service_changed');
        expect(refused.body.error.message).toMatch(/changed this service meanwhile/);
      } finally {
        spy.mockRestore();
      }
      expect(await inList(id)).toMatchObject({ canManage: false, customerTenantId: null, tenantName: WOODGROVE.otherName });
      expect((await details(id)).coManagement).toEqual({ consentGrantedAt: null, consentGrantedBy: null, changedAt: null, changedBy: null });
      expect((await audit(id)).map((e) => e.action)).not.toContain('co_management.allowed');
    });
  });

  describe('without a link (POST /api/v1/activation/session {}): sign in, pick the service', () => {
    /** Litware's services: partner A's and partner B's with consent given, one of A's without. */
    let one: string;
    let two: string;
    let unconsented: string;

    /** The link flow up to the consent, as the customer's partner (A, or B with its token). */
    async function consented(customerId: string, token?: string) {
      const link = await t.request('POST', `/api/v1/customers/${customerId}/activation-link`, token ? { token } : {});
      expect(link.status).toBe(201);
      const browser = new ActivationBrowser(t);
      expect((await browser.open(link.body.url)).status).toBe(200);
      await browser.signIn(LITWARE.tenantId, LITWARE.admin);
      await browser.consent(LITWARE.admin);
      expect((await browser.view()).body.consent).not.toBeNull();
    }

    async function withoutLink(): Promise<ActivationBrowser> {
      const browser = new ActivationBrowser(t);
      const response = await browser.fetch(`${t.baseUrl}/api/v1/activation/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^pp_activation=[^;]{20,};/)]);
      expect(await json(response)).toEqual({
        customer: null,
        partner: null,
        services: null,
        abilities: expect.any(Array),
        signedIn: null,
        consent: null,
        canManage: false,
        changedAt: null,
        changedBy: null,
        notice: null,
      });
      return browser;
    }

    const choose = async (browser: ActivationBrowser, id: string) => {
      const response = await browser.fetch(`${t.baseUrl}/api/v1/activation/service`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id }),
      });
      return { status: response.status, body: await json(response) };
    };

    beforeAll(async () => {
      one = await createCustomer(t, { tenantName: LITWARE.tenantName, name: 'Litware One' });
      two = await createCustomer(t, { tenantName: LITWARE.tenantName, name: 'Litware Two' }, tokenB);
      unconsented = await createCustomer(t, { tenantName: LITWARE.tenantName, name: 'Litware Unconsented' });
      await consented(one);
      await consented(two, tokenB);
    });

    it("the administrator signs in (any tenant) and sees the tenant's services, any partner's", async () => {
      const browser = await withoutLink();
      const back = await browser.signIn(LITWARE.tenantId, LITWARE.admin);
      expect(back.headers.get('location')).toBe('/activate.html');
      const view = (await browser.view()).body;
      expect(view).toMatchObject({
        customer: null,
        partner: null,
        signedIn: { upn: 'JoniS@litware.onmicrosoft.com', isAdmin: true },
        consent: null,
        canManage: false,
        notice: null,
      });
      expect(view.services).toEqual([
        { id: one, name: 'Litware One', partnerName: 'Partner A', canManage: false },
        { id: two, name: 'Litware Two', partnerName: 'Partner B', canManage: false },
      ]);
      // Another tenant's administrator sees that tenant's services: none for Northwind.
      const northwind = await withoutLink();
      await northwind.signIn(NORTHWIND.tenantId, NORTHWIND.admin);
      expect((await northwind.view()).body).toMatchObject({ signedIn: { isAdmin: true }, services: [], notice: null });
    });

    it('a user who is not an administrator is refused with a notice, and sees no services', async () => {
      const browser = await withoutLink();
      await browser.signIn(LITWARE.tenantId, LITWARE.irvin);
      const view = (await browser.view()).body;
      expect(view.signedIn).toBeNull();
      expect(view.services).toBeNull();
      expect(view.notice).toEqual({ kind: 'error', message: expect.stringContaining('IrvinS@litware.onmicrosoft.com is not an administrator') });
      const chosen = await choose(browser, one);
      expect(chosen.status).toBe(401);
      expect(chosen.body.error.code).toBe('admin_sign_in_required');
    });

    it('before a service is picked: the switch is 409 no_service_chosen, the consent goes back to the page with a notice', async () => {
      const browser = await withoutLink();
      expect((await choose(browser, one)).status).toBe(401);
      await browser.signIn(LITWARE.tenantId, LITWARE.admin);
      const on = await browser.setAllowed(true);
      expect(on.status).toBe(409);
      expect(on.body.error.code).toBe('no_service_chosen');
      const consent = await browser.fetch(`${t.baseUrl}/api/v1/activation/consent`);
      expect(consent.status).toBe(302);
      expect(consent.headers.get('location')).toBe('/activate.html');
      expect((await browser.view()).body.notice).toEqual({ kind: 'error', message: 'Pick the service first.' });
      expect((await inList(one)).canManage).toBe(false);
    });

    it("a service of another tenant, one without consent, or no such id is 404", async () => {
      const contoso = await contosoCustomer();
      await allowCoManagement(t, contoso);
      const browser = await withoutLink();
      await browser.signIn(LITWARE.tenantId, LITWARE.admin);
      for (const id of [contoso, unconsented, new ObjectId().toHexString(), 'not-an-id']) {
        const chosen = await choose(browser, id);
        expect([id, chosen.status]).toEqual([id, 404]);
      }
      expect((await browser.view()).body).toMatchObject({ customer: null, services: expect.any(Array) });
      expect((await browser.setAllowed(false)).body.error.code).toBe('no_service_chosen');
      expect((await inList(contoso)).canManage).toBe(true);
    });

    it("picking another partner's service binds the session: the switch works on it, on and off", async () => {
      const browser = await withoutLink();
      await browser.signIn(LITWARE.tenantId, LITWARE.admin);
      const chosen = await choose(browser, two);
      expect(chosen.status).toBe(200);
      expect(chosen.body).toMatchObject({
        customer: { name: 'Litware Two', tenantName: LITWARE.tenantName },
        partner: { name: 'Partner B' },
        services: null,
        signedIn: { isAdmin: true },
        consent: { grantedBy: 'Joni Sherman (JoniS@litware.onmicrosoft.com)' },
        canManage: false,
      });
      // The page says the same after a reload.
      expect((await browser.view()).body.customer).toEqual({ name: 'Litware Two', tenantName: LITWARE.tenantName });
      const on = await browser.setAllowed(true);
      expect(on.status).toBe(200);
      expect(on.body.canManage).toBe(true);
      const listB = await t.request('GET', '/api/v1/customers?pageSize=200', { token: tokenB });
      expect(listB.body.items.find((c: { id: string }) => c.id === two)).toMatchObject({ canManage: true });
      const auditB = await t.request('GET', `/api/v1/audit?customerId=${two}&pageSize=200`, { token: tokenB });
      expect(auditB.body.items.find((e: { action: string }) => e.action === 'co_management.allowed')).toMatchObject({
        actor: { tid: LITWARE.tenantId, oid: LITWARE.admin },
      });
      // Partner A's service of the same tenant is untouched.
      expect((await inList(one)).canManage).toBe(false);
      // Later, whatever became of the links: a page without link switches it off.
      const later = await withoutLink();
      await later.signIn(LITWARE.tenantId, LITWARE.admin);
      expect((await later.view()).body.services).toContainEqual({ id: two, name: 'Litware Two', partnerName: 'Partner B', canManage: true });
      expect((await choose(later, two)).status).toBe(200);
      const off = await later.setAllowed(false);
      expect(off.status).toBe(200);
      expect(off.body.canManage).toBe(false);
    });

    it('the consent round trip works once a service is picked', async () => {
      const browser = await withoutLink();
      await browser.signIn(LITWARE.tenantId, LITWARE.admin);
      expect((await choose(browser, one)).status).toBe(200);
      const back = await browser.consent(LITWARE.admin);
      expect(back.headers.get('location')).toBe('/activate.html');
      expect((await browser.view()).body.notice).toEqual({ kind: 'success', message: expect.stringMatching(/^Consent granted/) });
      expect((await browser.setAllowed(true)).body.canManage).toBe(true);
      expect((await browser.setAllowed(false)).body.canManage).toBe(false);
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
