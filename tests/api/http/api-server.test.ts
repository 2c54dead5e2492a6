import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { Writable } from 'node:stream';
import { createLogger } from '../../../api/logging/logger';
import { startTestApp, type TestApp } from '../../support/test-app';

describe('the API server', () => {
  let t: TestApp;
  const logLines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunk
          .toString()
          .split('\n')
          .filter(Boolean)
          .forEach((line) => logLines.push(JSON.parse(line)));
        done();
      },
    });
    t = await startTestApp({ logger: createLogger('info', sink), settings: { MAX_BODY_BYTES: '2048' } });
  });
  afterAll(() => t.close());

  it('answers /healthz and /readyz', async () => {
    expect(await t.request('GET', '/healthz', { token: null })).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await t.request('GET', '/readyz', { token: null })).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('answers 404 in the error shape for an unknown route', async () => {
    const response = await t.request('GET', '/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it('answers 400 to a body that is not valid JSON', async () => {
    const response = await t.request('POST', '/api/v1/customers', {
      rawBody: '{"accountId": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/JSON/);
  });

  it('answers 415 to a body that is not JSON', async () => {
    const response = await t.request('POST', '/api/v1/customers', {
      rawBody: 'accountId=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('unsupported_media_type');
  });

  it('answers 415 to a compressed body, without reading it', async () => {
    const response = await t.request('POST', '/api/v1/customers', {
      rawBody: 'not really gzip',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(response.status).toBe(415);
    expect((await t.request('GET', '/healthz', { token: null })).status).toBe(200);
  });

  it.each(['/api/v1/customers', '/api/v1/audit'])('answers 400, not 500, to a page far past the end of %s', async (path) => {
    const response = await t.request('GET', `${path}?page=100000000`);
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([expect.objectContaining({ field: 'page' })]);
  });

  it('answers 413 to a body over the size cap, and stores nothing', async () => {
    const response = await t.request('POST', '/api/v1/customers', {
      body: { accountId: 'too-big', tenantName: 'big.com', maxChannels: 1, name: 'x'.repeat(4000) },
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBeDefined();
    expect(await t.database.customers.countDocuments({ accountId: 'too-big' })).toBe(0);
  });

  it('gives every answer a request id, and keeps a well-formed one it was sent', async () => {
    const generated = await t.request('GET', '/healthz', { token: null });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await t.request('GET', '/healthz', { token: null, headers: { 'x-request-id': 'trace-123' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-123');
  });

  it('logs one JSON line per request, with its request id and never the token', async () => {
    const token = await t.tokenFor('partner-a-tenant');
    logLines.length = 0;
    await t.request('GET', '/api/v1/customers?search=abc', { token, headers: { 'x-request-id': 'log-check-1' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = logLines.filter((line) => line.requestId === 'log-check-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: 'GET', path: '/api/v1/customers', status: 200, partnerTenantId: 'partner-a-tenant' });
    expect(JSON.stringify(logLines)).not.toContain(token);
    expect(JSON.stringify(logLines)).not.toContain(token.split('.')[1]);
  });

  describe('GET /api/v1/openapi.json', () => {
    let document: OpenAPIV3_1.Document;
    beforeAll(async () => {
      const response = await t.request('GET', '/api/v1/openapi.json', { token: null });
      expect(response.status).toBe(200);
      document = response.body;
    });

    it('is a valid OpenAPI 3.1 document', async () => {
      expect(document.openapi).toBe('3.1.0');
      await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    });

    it('documents every route the server has', () => {
      const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
        Object.keys(item ?? {}).map((method) => `${method.toUpperCase()} ${path}`),
      );
      const served = t.app.routes.map((r) => `${(r.method === 'del' ? 'delete' : r.method).toUpperCase()} ${r.path}`);
      expect(documented.sort()).toEqual(served.sort());
      expect(documented).toEqual(
        expect.arrayContaining([
          'GET /healthz',
          'GET /readyz',
          'POST /api/v1/dev/token',
          'GET /api/v1/customers',
          'POST /api/v1/customers',
          'GET /api/v1/customers/{id}',
          'PATCH /api/v1/customers/{id}',
          'GET /api/v1/customers/{id}/numbers',
          'POST /api/v1/customers/{id}/numbers',
          'POST /api/v1/customers/{id}/numbers/remove',
          'GET /api/v1/channels/suggest',
          'GET /api/v1/audit',
          'GET /api/v1/openapi.json',
        ]),
      );
    });

    it('takes its schemas from the zod schemas that validate requests', () => {
      const create = document.paths?.['/api/v1/customers']?.post as OpenAPIV3_1.OperationObject;
      const schema = (create.requestBody as OpenAPIV3_1.RequestBodyObject).content['application/json']!
        .schema as OpenAPIV3_1.SchemaObject;
      expect(schema.required).toEqual(expect.arrayContaining(['accountId', 'tenantName', 'maxChannels']));
      expect(schema.additionalProperties).toBe(false);
      expect(schema.properties?.maxChannels).toMatchObject({ type: 'integer', minimum: 1, maximum: 10000 });
      const list = document.paths?.['/api/v1/customers']?.get as OpenAPIV3_1.OperationObject;
      const names = (list.parameters as OpenAPIV3_1.ParameterObject[]).map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['search', 'page', 'pageSize', 'sort']));
    });
  });
});
