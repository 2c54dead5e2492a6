import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../../support/test-app';

describe('the built tab, served by the API server', () => {
  let t: TestApp;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tab-'));
  beforeAll(async () => {
    fs.mkdirSync(path.join(folder, 'assets'));
    fs.writeFileSync(path.join(folder, 'index.html'), '<html>the tab</html>');
    fs.writeFileSync(path.join(folder, 'auth-start.html'), '<html>consent start</html>');
    fs.writeFileSync(path.join(folder, 'assets', 'index-abc123.js'), 'console.log(1)');
    t = await startTestApp({ tabDirectory: folder });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const get = async (url: string) => {
    const response = await fetch(`${t.baseUrl}${url}`);
    return { status: response.status, text: await response.text(), cache: response.headers.get('cache-control') };
  };

  it('serves the tab at /, always fresh', async () => {
    expect(await get('/')).toMatchObject({ status: 200, text: '<html>the tab</html>', cache: 'no-cache' });
  });

  it('serves each page of its own', async () => {
    expect(await get('/auth-start.html')).toMatchObject({ status: 200, text: '<html>consent start</html>' });
  });

  it('serves hashed assets with a long cache', async () => {
    const asset = await get('/assets/index-abc123.js');
    expect(asset).toMatchObject({ status: 200, text: 'console.log(1)' });
    expect(asset.cache).toMatch(/max-age=\d{6,}/);
  });

  it('leaves unknown paths, and every /api path, to the API and its JSON 404', async () => {
    for (const url of ['/api/v1/nothing', '/nothing.html', '/assets/missing.js']) {
      const response = await get(url);
      expect(response.status).toBe(404);
      expect(JSON.parse(response.text)).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });
});
