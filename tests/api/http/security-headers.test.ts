import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TAB_PAGES, TEAMS_FRAME_ANCESTORS } from '../../../api/http/security-headers';
import { startTestApp, type TestApp } from '../../support/test-app';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A Content-Security-Policy header as directive → sources. */
function directives(header: string | null): Record<string, string[]> {
  expect(header).toBeTruthy();
  return Object.fromEntries(
    header!
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/** The tab as built: its pages and an asset, in a folder of their own. */
function tabFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tab-headers-'));
  fs.mkdirSync(path.join(folder, 'assets'));
  for (const page of ['index.html', 'auth-start.html', 'auth-end.html', 'activate.html', 'privacy.html']) {
    fs.writeFileSync(path.join(folder, page), `<html>${page}</html>`);
  }
  fs.writeFileSync(path.join(folder, 'assets', 'index-abc123.js'), 'console.log(1)');
  return folder;
}

describe('security headers', () => {
  let t: TestApp;
  const folder = tabFolder();
  beforeAll(async () => {
    t = await startTestApp({ tabDirectory: folder });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const get = (url: string) => fetch(`${t.baseUrl}${url}`);

  it("gives each of the tab's own pages a policy (index, Teams' consent pages) or the activation page's", () => {
    // A new page in tab/ must be put in TAB_PAGES on purpose, or it is never framed.
    const pages = fs.readdirSync(path.join(ROOT, 'tab')).filter((file) => file.endsWith('.html'));
    expect(pages.sort()).toEqual([...TAB_PAGES.filter((page) => page !== '/').map((page) => page.slice(1)), 'activate.html'].sort());
  });

  it.each(['/', '/index.html', '/auth-start.html', '/auth-end.html'])(
    'lets only Teams and Microsoft 365 frame the tab page %s, and run only its own scripts',
    async (url) => {
      const response = await get(url);
      expect(response.status).toBe(200);
      const csp = directives(response.headers.get('content-security-policy'));
      // Microsoft's list in "Tab requirements" (learn.microsoft.com/microsoftteams/platform/tabs/how-to/tab-requirements).
      expect(csp['frame-ancestors']).toEqual([
        'https://*.cloud.microsoft',
        'https://teams.microsoft.com',
        'https://*.teams.microsoft.com',
        'https://*.microsoft365.com',
        'https://*.office.com',
        'https://outlook.office.com',
        'https://outlook.office365.com',
        'https://outlook-sdf.office.com',
        'https://outlook-sdf.office365.com',
      ]);
      expect(csp['frame-ancestors']).toEqual([...TEAMS_FRAME_ANCESTORS]);
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(csp['connect-src']).toEqual(["'self'", 'https://login.microsoftonline.com', 'https://res.cdn.office.net']);
      // Teams must be able to frame it: no X-Frame-Options, which would forbid it.
      expect(response.headers.get('x-frame-options')).toBeNull();
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
    },
  );

  it.each(['/activate.html', '/privacy.html'])('lets nobody frame %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(200);
    const csp = directives(response.headers.get('content-security-policy'));
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    ['a JSON answer', '/api/v1/customers', 200],
    ['a health check', '/healthz', 200],
    ['an unknown route', '/api/v1/nothing-here', 404],
    ['an asset', '/assets/index-abc123.js', 200],
  ])('gives %s a policy that loads and frames nothing', async (_what, url, status) => {
    const response = await fetch(`${t.baseUrl}${url}`, { headers: { authorization: `Bearer ${await t.tokenFor('partner-a-tenant')}` } });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('sends no HSTS while the public URL is http', async () => {
    expect((await get('/')).headers.get('strict-transport-security')).toBeNull();
    expect((await get('/healthz')).headers.get('strict-transport-security')).toBeNull();
  });
});

describe('security headers with an https PUBLIC_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ settings: { PUBLIC_URL: 'https://portal.example.net' } });
  });
  afterAll(() => t.close());

  it('send HSTS on every answer (TLS may end before us, behind App Service)', async () => {
    for (const url of ['/healthz', '/api/v1/nothing-here']) {
      const response = await fetch(`${t.baseUrl}${url}`);
      expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}$/);
    }
  });
});
