import http from 'node:http';
import { publicUrlResolver } from '../../../api/http/public-url';
import { CONTOSO } from '../../support/co-management';
import { createCustomer, startTestApp, type TestApp } from '../../support/test-app';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** A request with the Host (and proxy headers) a client chooses, which fetch() will not send. */
function requestAs(t: TestApp, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const { hostname, port } = new URL(t.baseUrl);
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname, port, method, path, headers: { ...headers, ...(text === undefined ? {} : { 'content-type': 'application/json' }) } },
      (response) => {
        let received = '';
        response.on('data', (chunk: Buffer) => (received += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: received ? JSON.parse(received) : undefined }));
      },
    );
    request.on('error', reject);
    request.end(text);
  });
}

const FORGED = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };

/** Opens the activation page's session for a new link, with forged headers; answers its cookie. */
async function activationSession(t: TestApp, headers: Record<string, string>): Promise<{ link: string; cookie: string; setCookie: string }> {
  const customerId = await createCustomer(t, { tenantName: CONTOSO.tenantName });
  const token = await t.tokenFor('partner-a-tenant');
  const created = await requestAs(t, 'POST', `/api/v1/customers/${customerId}/activation-link`, { ...headers, authorization: `Bearer ${token}` });
  expect(created.status).toBe(201);
  const link = created.body.url as string;
  const opened = await requestAs(t, 'POST', '/api/v1/activation/session', headers, { link: new URL(link).hash.replace(/^#link=/, '') });
  expect(opened.status).toBe(200);
  const setCookie = opened.headers['set-cookie']?.[0] ?? '';
  return { link, cookie: setCookie.split(';')[0]!, setCookie };
}

describe('links and redirect URIs without PUBLIC_URL (local mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('are built on http://localhost and the port the server listens on', () => {
    const { port } = new URL(t.baseUrl);
    expect(t.publicUrl).toBe(`http://localhost:${port}`);
  });

  it('do not follow a forged Host header (nor X-Forwarded-*)', async () => {
    const { link, cookie, setCookie } = await activationSession(t, FORGED);
    expect(new URL(link).origin).toBe(t.publicUrl);
    expect(setCookie).not.toMatch(/secure/i);
    const toMicrosoft = await requestAs(t, 'GET', '/api/v1/activation/sign-in', { ...FORGED, cookie });
    expect(toMicrosoft.status).toBe(302);
    const redirectUri = new URL(toMicrosoft.headers.location!).searchParams.get('redirect_uri');
    expect(redirectUri).toBe(`${t.publicUrl}/api/v1/activation/signed-in`);
  });
});

describe('links and redirect URIs with PUBLIC_URL', () => {
  const PUBLIC_URL = 'https://portal.example.net';
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ settings: { PUBLIC_URL: `${PUBLIC_URL}/` } });
  });
  afterAll(() => t.close());

  it('are built on PUBLIC_URL whatever the request says, with a Secure cookie', async () => {
    const { link, cookie, setCookie } = await activationSession(t, { host: 'evil.example' });
    expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/activate\\.html#link=`));
    expect(setCookie).toMatch(/;\s*Secure/i);
    const toMicrosoft = await requestAs(t, 'GET', '/api/v1/activation/sign-in', { host: 'evil.example', cookie });
    expect(new URL(toMicrosoft.headers.location!).searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/api/v1/activation/signed-in`);
  });
});

describe('publicUrlResolver', () => {
  it('answers PUBLIC_URL without its trailing slashes', () => {
    expect(publicUrlResolver('https://portal.example.net//', () => undefined)()).toBe('https://portal.example.net');
  });

  it('reads the listening port only when asked, and refuses before the server listens', () => {
    const server: { port?: number } = {};
    const publicUrl = publicUrlResolver(undefined, () => server.port);
    expect(() => publicUrl()).toThrow(/not listening/);
    server.port = 4321;
    expect(publicUrl()).toBe('http://localhost:4321');
  });
});
