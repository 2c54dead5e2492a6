import { DEMO_TENANTS } from '../../api/demo/demo-microsoft';
import type { TestApp } from './test-app';

/** Demo accounts of the Graph simulator (api/demo/demo-microsoft.ts). */
export const CONTOSO = {
  tenantId: DEMO_TENANTS.contoso,
  tenantName: 'contoso.onmicrosoft.com',
  admin: 'c0a1c0a1-0000-4000-8000-000000000101',
  alex: 'c0a1c0a1-0000-4000-8000-000000000102',
  diego: 'c0a1c0a1-0000-4000-8000-000000000103',
  lee: 'c0a1c0a1-0000-4000-8000-000000000104',
  lynne: 'c0a1c0a1-0000-4000-8000-000000000105',
  /** No Teams Phone licence: assigning her a number fails at Microsoft. */
  megan: 'c0a1c0a1-0000-4000-8000-000000000106',
  /** Not an administrator. */
  nestor: 'c0a1c0a1-0000-4000-8000-000000000108',
};
export const NORTHWIND = { tenantId: DEMO_TENANTS.northwind, admin: '0a7d0000-0000-4000-8000-000000000101' };

/**
 * A browser on the activation page: keeps the session cookie and follows the
 * redirects between the portal and the simulated Microsoft pages by hand.
 */
export class ActivationBrowser {
  private cookie = '';

  constructor(private readonly testApp: TestApp) {}

  async open(linkUrl: string): Promise<Response> {
    const link = new URL(linkUrl).hash.replace(/^#link=/, '');
    const response = await this.fetch(`${this.testApp.baseUrl}/api/v1/activation/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ link }),
    });
    return response;
  }

  async view(): Promise<{ status: number; body: any }> {
    const response = await this.fetch(`${this.testApp.baseUrl}/api/v1/activation/session`);
    return { status: response.status, body: await response.json() };
  }

  /** Sign-in through the simulated "Pick an account" page; answers where the portal sent the browser. */
  async signIn(tenantId: string, userId: string, options: { cancel?: boolean } = {}): Promise<Response> {
    const toMicrosoft = await this.fetch(`${this.testApp.baseUrl}/api/v1/activation/sign-in`);
    const authorize = new URL(location(toMicrosoft));
    const form = new URLSearchParams(authorize.search);
    if (options.cancel) form.set('cancel', '1');
    else form.set('account', `${tenantId}/${userId}`);
    const fromMicrosoft = await fetch(`${authorize.origin}${authorize.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
    return this.fetch(location(fromMicrosoft));
  }

  /** Admin consent through the simulated consent page. */
  async consent(adminId: string, options: { cancel?: boolean } = {}): Promise<Response> {
    const toMicrosoft = await this.fetch(`${this.testApp.baseUrl}/api/v1/activation/consent`);
    const consent = new URL(location(toMicrosoft));
    const form = new URLSearchParams(consent.search);
    form.set('account', adminId);
    form.set(options.cancel ? 'cancel' : 'accept', '1');
    const fromMicrosoft = await fetch(`${consent.origin}${consent.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
    return this.fetch(location(fromMicrosoft));
  }

  async setAllowed(allowed: boolean): Promise<{ status: number; body: any }> {
    const response = await this.fetch(`${this.testApp.baseUrl}/api/v1/activation/co-management`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ allowed }),
    });
    return { status: response.status, body: await response.json() };
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    const set = response.headers.getSetCookie();
    for (const line of set) {
      const [pair] = line.split(';');
      if (pair) this.cookie = pair;
    }
    return response;
  }
}

function location(response: Response): string {
  const target = response.headers.get('location');
  if (!target) throw new Error(`expected a redirect, got ${response.status}`);
  return target;
}

/** The whole customer side for a customer of partner A: link, admin sign-in, consent, switch on. */
export async function allowCoManagement(
  testApp: TestApp,
  customerId: string,
  account: { tenantId: string; admin: string } = CONTOSO,
): Promise<ActivationBrowser> {
  const link = await testApp.request('POST', `/api/v1/customers/${customerId}/activation-link`);
  if (link.status !== 201) throw new Error(`no activation link: ${JSON.stringify(link.body)}`);
  const browser = new ActivationBrowser(testApp);
  await browser.open(link.body.url);
  await browser.signIn(account.tenantId, account.admin);
  await browser.consent(account.admin);
  const allowed = await browser.setAllowed(true);
  if (allowed.status !== 200 || !allowed.body.canManage) throw new Error(`not allowed: ${JSON.stringify(allowed.body)}`);
  return browser;
}
