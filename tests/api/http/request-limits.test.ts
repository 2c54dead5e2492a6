import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { Server } from 'restify';
import { createApiServer } from '../../../api/http/api-server';
import { defineRoute } from '../../../api/http/route-definition';
import { createLogger } from '../../../api/logging/logger';
import { parseAnswer, rawConnection } from '../../support/raw-http';
import { startTestApp, type TestApp } from '../../support/test-app';

const MAX_BODY_BYTES = 2048;
const REQUEST_TIMEOUT_MS = 1000;

/** Headers of a JSON POST to the app, as partner A's user. */
function postHead(t: TestApp, token: string, length: string | undefined, path = '/api/v1/customers'): string {
  const framing = length === undefined ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`;
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`;
}

describe('request limits of the app (MAX_BODY_BYTES, REQUEST_TIMEOUT_MS)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({ settings: { MAX_BODY_BYTES: MAX_BODY_BYTES, REQUEST_TIMEOUT_MS: REQUEST_TIMEOUT_MS } });
    token = await t.tokenFor('partner-a-tenant');
  });
  afterAll(() => t.close());

  it('answers 413 at once to a declared Content-Length over the limit, without reading the body, and closes the connection', async () => {
    // Not a byte of the body is sent: an answer can only come from the declared length.
    const { closed } = rawConnection(t.baseUrl, postHead(t, token, String(50 * 1024 * 1024)));
    const answer = parseAnswer(await closed);
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({
      error: { code: 'payload_too_large', message: expect.stringContaining(`at most ${MAX_BODY_BYTES}`), details: { maxBodyBytes: MAX_BODY_BYTES } },
    });
    expect(answer.headers.connection).toBe('close');
  });

  it('answers 413 to a chunked body as soon as it passes the limit, and closes the connection', async () => {
    const chunk = `{"name":"${'x'.repeat(MAX_BODY_BYTES + 100)}"}`;
    // One chunk over the limit, and the body never ends: only the count can answer.
    const { closed } = rawConnection(t.baseUrl, `${postHead(t, token, undefined)}${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const answer = parseAnswer(await closed);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ code: 'payload_too_large', details: { maxBodyBytes: MAX_BODY_BYTES } });
  });

  it('still reads a body within the limit', async () => {
    t.backendAccount('within-limit');
    const response = await t.request('POST', '/api/v1/customers', {
      body: { accountId: 'within-limit', tenantName: 'within.onmicrosoft.com', maxChannels: 1 },
    });
    expect(response.status).toBe(201);
  });

  it('leaves upload routes to their own, larger limit', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `acct-${i},tenant${i}.onmicrosoft.com,5,Name ${i}`);
    const csv = ['Account ID,Office 365 Tenant Name,Max Channels,Name', ...rows].join('\n');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(MAX_BODY_BYTES);
    const response = await t.request('POST', '/api/v1/customers/import?dryRun=true', { rawBody: csv, headers: { 'content-type': 'text/csv' } });
    expect(response.status).toBe(200);
  });

  it("answers a CSV upload whose work takes longer than REQUEST_TIMEOUT_MS: the limit is the client's sending, not the server's work", async () => {
    t.backendAccount('slow-check');
    // Far more than one read of the socket, and one Account ID: the dry run waits on one slow backend check.
    const rows = Array.from({ length: 6_000 }, () => 'slow-check,slow.onmicrosoft.com,5');
    const csv = ['Account ID,Office 365 Tenant Name,Max Channels', ...rows].join('\n');
    t.simulator.setKnobs({ latencyMs: REQUEST_TIMEOUT_MS * 2 });
    try {
      const response = await t.request('POST', '/api/v1/customers/import?dryRun=true', { rawBody: csv, headers: { 'content-type': 'text/csv' } });
      expect(response.status).toBe(200);
      expect(response.body.summary).toMatchObject({ created: 1, 'duplicate-in-file': 5_999 });
    } finally {
      t.simulator.setKnobs({ latencyMs: 0 });
    }
  }, 30_000);

  it('cuts off a request whose body stalls: 408 in the error shape, connection closed', async () => {
    const { closed } = rawConnection(t.baseUrl, `${postHead(t, token, '100')}{"accountId":`);
    const answer = parseAnswer(await closed);
    expect(answer.status).toBe(408);
    expect(answer.body).toEqual({ error: { code: 'request_timeout', message: expect.stringContaining('REQUEST_TIMEOUT_MS') } });
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('cuts off a request whose headers stall', async () => {
    const { closed } = rawConnection(t.baseUrl, 'GET /api/v1/customers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(parseAnswer(await closed).status).toBe(408);
  });
});

describe('request deadlines leave answers and live downloads alone', () => {
  let server: Server;
  let baseUrl: string;
  let releaseSlow: () => void = () => undefined;
  const slowReleased = new Promise<void>((resolve) => (releaseSlow = resolve));
  let endlessClosed: () => void = () => undefined;
  const endlessDestroyed = new Promise<void>((resolve) => (endlessClosed = resolve));

  beforeAll(async () => {
    const routes = [
      defineRoute({
        method: 'get',
        path: '/slow',
        operationId: 'slow',
        summary: 'Answers when the test says',
        tag: 'test',
        role: 'public',
        response: { status: 200, description: 'ok' },
        handle: async () => {
          await slowReleased;
          return { body: { answered: true } };
        },
      }),
      defineRoute({
        method: 'get',
        path: '/endless',
        operationId: 'endless',
        summary: 'A download that never ends, as an export from a cursor would go on while the client reads',
        tag: 'test',
        role: 'public',
        downloads: 'text/plain',
        response: { status: 200, description: 'bytes' },
        handle: async () => {
          const stream = new Readable({
            read() {
              this.push(Buffer.alloc(64 * 1024, 'x'));
            },
          });
          stream.on('close', () => endlessClosed());
          return { download: { contentType: 'text/plain', fileName: 'endless.txt', stream } };
        },
      }),
      defineRoute({
        method: 'post',
        path: '/echo',
        operationId: 'echo',
        summary: 'Answers its body',
        tag: 'test',
        role: 'public',
        body: z.object({ text: z.string() }),
        response: { status: 200, description: 'the body' },
        handle: async ({ body }) => ({ body }),
      }),
    ];
    server = createApiServer({
      routes,
      authenticate: () => Promise.reject(new Error('public routes only')),
      logger: createLogger('silent'),
      maxBodyBytes: MAX_BODY_BYTES,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      publicUrl: () => baseUrl,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers a request received whole even when the answer takes longer than REQUEST_TIMEOUT_MS', async () => {
    const slow = fetch(`${baseUrl}/slow`);
    // A request that stalls after the slow one started: once it is cut off, the slow one's deadline has passed too.
    const stalled = rawConnection(baseUrl, 'GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(parseAnswer(await stalled.closed).status).toBe(408);
    releaseSlow();
    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ answered: true });
  });

  it('reads JSON bodies with its own reader, as restify parsed them', async () => {
    const response = await fetch(`${baseUrl}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hello"}' });
    expect(await response.json()).toEqual({ text: 'hello' });
    const invalid = await fetch(`${baseUrl}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":' });
    expect(invalid.status).toBe(400);
  });

  it('closes a download whose client stopped reading, which frees its stream (an export cursor)', async () => {
    const { socket } = rawConnection(baseUrl, 'GET /endless HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    // The client reads nothing: the buffers fill, no byte moves, and the idle connection is closed.
    socket.pause();
    await endlessDestroyed;
    socket.destroy();
  });
});
