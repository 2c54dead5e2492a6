import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { BackendClient, type BackendClientOptions } from '../../../api/backend/backend-client';
import {
  BackendAuthError,
  BackendConflictError,
  BackendError,
  BackendMalformedResponseError,
  BackendNotFoundError,
  BackendUnavailableError,
  BackendValidationError,
} from '../../../api/backend/backend-errors';
import type { BackendCallflow } from '../../../api/backend/backend-types';
import { createLogger } from '../../../api/logging/logger';

const BASE = 'https://backend.test';
const API_KEY = 'key-1';
const ACCOUNT_PATH = '/v2/accounts/acct1';

/** A Crossbar success envelope. */
function ok(data: unknown, extra: Record<string, unknown> = {}) {
  return { data, status: 'success', request_id: 'req-ok', ...extra };
}

/** A Crossbar error envelope. */
function failure(status: number, message: string, data: unknown = {}, requestId = 'req-err') {
  return { data, status: 'error', error: String(status), message, request_id: requestId };
}

const account = { id: 'acct1', name: 'Contoso', realm: 'acct1.sip.example.net', enabled: true };

function callflow(id: string, numbers: string[]): BackendCallflow {
  return { id, numbers, flow: { module: 'teams', data: { tenant_name: 'contoso.onmicrosoft.com' } } };
}

/** The next api_auth call issues `token`, checking the body carries the API key. */
function authenticates(token = 'tok-1') {
  return nock(BASE)
    .put('/v2/api_auth', { data: { api_key: API_KEY } })
    .reply(201, ok({ account_id: 'reseller' }, { auth_token: token }));
}

/** Calls that must carry `token` as X-Auth-Token. */
function withToken(token = 'tok-1') {
  return nock(BASE, { reqheaders: { 'x-auth-token': token } });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Harness {
  client: BackendClient;
  /** Every delay the client asked to sleep, in order (the injected sleep does not wait). */
  delays: number[];
}

const clients: BackendClient[] = [];

function makeClient(overrides: Partial<BackendClientOptions> = {}): Harness {
  const delays: number[] = [];
  const client = new BackendClient({
    baseUrl: BASE,
    apiKey: API_KEY,
    concurrency: 2,
    // Generous: on a loaded machine (CI runs suites side by side) a loopback answer can take
    // a few hundred ms, and a time-out would retry a call whose one answer nock has given.
    // The time-out tests set their own.
    timeoutMs: 5000,
    maxRetries: 3,
    pageSize: 2,
    backoffMs: 1,
    maxBackoffMs: 5,
    logger: createLogger('silent'),
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...overrides,
  });
  clients.push(client);
  return { client, delays };
}

describe('BackendClient', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    clients.splice(0).forEach((client) => client.close());
    const pending = nock.pendingMocks();
    nock.abortPendingRequests();
    nock.cleanAll();
    // Every interaction a test arranged must have happened.
    expect(pending).toEqual([]);
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  describe('parents', () => {
    it("reads an account's ancestors, and refuses an answer that is not a list of accounts", async () => {
      const { client } = makeClient();
      authenticates('tok-1');
      withToken('tok-1').get(`${ACCOUNT_PATH}/parents`).reply(200, ok([{ id: 'carrier', name: 'Carrier' }, { id: 'reseller-1', name: 'R' }]));
      await expect(client.getParents('acct1')).resolves.toEqual([{ id: 'carrier', name: 'Carrier' }, { id: 'reseller-1', name: 'R' }]);
      withToken('tok-1').get(`${ACCOUNT_PATH}/parents`).reply(200, ok({ id: 'carrier' }));
      await expect(client.getParents('acct1')).rejects.toBeInstanceOf(BackendMalformedResponseError);
    });
  });

  describe('authentication', () => {
    it('authenticates with the API key and sends the token as X-Auth-Token', async () => {
      const { client } = makeClient();
      authenticates('tok-1');
      withToken('tok-1').get(ACCOUNT_PATH).reply(200, ok(account));

      await expect(client.getAccount('acct1')).resolves.toEqual(account);
      expect(client.stats.authentications).toBe(1);
    });

    it('reuses the token: one authentication for several calls', async () => {
      const { client } = makeClient();
      authenticates('tok-1');
      withToken('tok-1').get(ACCOUNT_PATH).times(3).reply(200, ok(account));

      await client.getAccount('acct1');
      await client.getAccount('acct1');
      await client.getAccount('acct1');
      expect(client.stats.authentications).toBe(1);
    });

    it('shares one authentication between concurrent first calls', async () => {
      // A long timeout: on a loaded machine a 200 ms one retried a slow call, asking for a fifth answer.
      const { client } = makeClient({ concurrency: 4, timeoutMs: 5000 });
      const auths = nock(BASE)
        .put('/v2/api_auth')
        .times(4)
        .delay(20)
        .reply(201, ok({}, { auth_token: 'tok-1' }));
      withToken('tok-1').get(ACCOUNT_PATH).times(4).reply(200, ok(account));

      const results = await Promise.all([1, 2, 3, 4].map(() => client.getAccount('acct1')));

      expect(results).toEqual([account, account, account, account]);
      expect(client.stats.authentications).toBe(1);
      // Three of the four arranged api_auth answers were never asked for.
      expect(auths.pendingMocks()).toHaveLength(1);
      nock.cleanAll();
    });

    it('on a 401 authenticates again once and retries the call with the new token', async () => {
      const { client } = makeClient();
      authenticates('tok-1');
      withToken('tok-1').get(ACCOUNT_PATH).reply(401, failure(401, 'invalid credentials'));
      authenticates('tok-2');
      withToken('tok-2').get(ACCOUNT_PATH).reply(200, ok(account));

      await expect(client.getAccount('acct1')).resolves.toEqual(account);
      expect(client.stats.authentications).toBe(2);
    });

    it('keeps the fresh token after a re-authentication', async () => {
      const { client } = makeClient();
      authenticates('tok-1');
      withToken('tok-1').get(ACCOUNT_PATH).reply(401, failure(401, 'invalid credentials'));
      authenticates('tok-2');
      withToken('tok-2').get(ACCOUNT_PATH).times(2).reply(200, ok(account));

      await client.getAccount('acct1');
      await client.getAccount('acct1');
      expect(client.stats.authentications).toBe(2);
    });

    it('a second 401 after re-authenticating is a BackendAuthError', async () => {
      const { client } = makeClient();
      authenticates('tok-1');
      withToken('tok-1').get(ACCOUNT_PATH).reply(401, failure(401, 'invalid credentials'));
      authenticates('tok-2');
      withToken('tok-2').get(ACCOUNT_PATH).reply(401, failure(401, 'invalid credentials', {}, 'req-401'));

      const error = await client.getAccount('acct1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendAuthError);
      expect(error).toMatchObject({ status: 401, requestId: 'req-401' });
      expect(client.stats.authentications).toBe(2);
    });

    it.each([401, 403])('a refused API key (%i) is a BackendAuthError and makes no call', async (status) => {
      const { client } = makeClient();
      nock(BASE).put('/v2/api_auth').reply(status, failure(status, 'invalid credentials'));

      const error = await client.getAccount('acct1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendAuthError);
      expect(error).toMatchObject({ status });
      expect(client.stats).toMatchObject({ reads: 0, writes: 1, retries: 0, authentications: 1 });
    });

    it('does not keep a failed authentication: the next call authenticates again', async () => {
      const { client } = makeClient();
      nock(BASE).put('/v2/api_auth').reply(401, failure(401, 'invalid credentials'));
      authenticates('tok-2');
      withToken('tok-2').get(ACCOUNT_PATH).reply(200, ok(account));

      await expect(client.getAccount('acct1')).rejects.toBeInstanceOf(BackendAuthError);
      await expect(client.getAccount('acct1')).resolves.toEqual(account);
      expect(client.stats.authentications).toBe(2);
    });

    it('an api_auth answer without auth_token is a BackendMalformedResponseError', async () => {
      const { client } = makeClient();
      nock(BASE).put('/v2/api_auth').reply(201, ok({ account_id: 'reseller' }));

      await expect(client.getAccount('acct1')).rejects.toBeInstanceOf(BackendMalformedResponseError);
    });

    it('retries api_auth itself on a 503', async () => {
      const { client, delays } = makeClient();
      nock(BASE).put('/v2/api_auth').reply(503, failure(503, 'service unavailable'));
      authenticates('tok-1');
      withToken('tok-1').get(ACCOUNT_PATH).reply(200, ok(account));

      await expect(client.getAccount('acct1')).resolves.toEqual(account);
      expect(delays).toHaveLength(1);
      expect(client.stats).toMatchObject({ retries: 1, authentications: 1 });
    });
  });

  describe('pagination', () => {
    it('follows callflow pages to the end with page_size and start_key', async () => {
      const { client } = makeClient();
      authenticates();
      withToken()
        .get(`${ACCOUNT_PATH}/callflows`)
        .query({ page_size: '2' })
        .reply(200, ok([callflow('cf1', ['+12125550101']), callflow('cf2', ['+12125550102'])], { next_start_key: 'cf3' }));
      withToken()
        .get(`${ACCOUNT_PATH}/callflows`)
        .query({ page_size: '2', start_key: 'cf3' })
        .reply(200, ok([callflow('cf3', ['+12125550103', '+12125550104'])]));

      const callflows = await client.listCallflows('acct1');

      expect(callflows.map((c) => c.id)).toEqual(['cf1', 'cf2', 'cf3']);
      expect(callflows[2]).toEqual(callflow('cf3', ['+12125550103', '+12125550104']));
      expect(client.stats.reads).toBe(2);
    });

    it('follows user pages to the end', async () => {
      const { client } = makeClient();
      authenticates();
      const user = (id: string) => ({ id, first_name: `F${id}`, last_name: `L${id}`, seat_type: 'essentials' });
      withToken()
        .get(`${ACCOUNT_PATH}/users`)
        .query({ page_size: '2' })
        .reply(200, ok([user('u1'), user('u2')], { next_start_key: 'u3' }));
      withToken()
        .get(`${ACCOUNT_PATH}/users`)
        .query({ page_size: '2', start_key: 'u3' })
        .reply(200, ok([user('u3'), user('u4')], { next_start_key: 'u5' }));
      withToken()
        .get(`${ACCOUNT_PATH}/users`)
        .query({ page_size: '2', start_key: 'u5' })
        .reply(200, ok([user('u5')]));

      const users = await client.listUsers('acct1');

      expect(users).toEqual(['u1', 'u2', 'u3', 'u4', 'u5'].map(user));
    });

    it('reads phone numbers from data.numbers across pages into a map', async () => {
      const { client } = makeClient();
      authenticates();
      const number = (usedBy: string) => ({ state: 'in_service', used_by: usedBy, created: 1, updated: 2 });
      withToken()
        .get(`${ACCOUNT_PATH}/phone_numbers`)
        .query({ page_size: '2' })
        .reply(
          200,
          ok({ numbers: { '+12125550101': number(''), '+12125550102': number('callflow') } }, { next_start_key: '+12125550103' }),
        );
      withToken()
        .get(`${ACCOUNT_PATH}/phone_numbers`)
        .query({ page_size: '2', start_key: '+12125550103' })
        .reply(200, ok({ numbers: { '+12125550103': number('') } }));

      const numbers = await client.listPhoneNumbers('acct1');

      expect([...numbers.keys()]).toEqual(['+12125550101', '+12125550102', '+12125550103']);
      expect(numbers.get('+12125550102')).toEqual(number('callflow'));
    });

    it('sends the configured page size', async () => {
      const { client } = makeClient({ pageSize: 1000 });
      authenticates();
      withToken().get(`${ACCOUNT_PATH}/users`).query({ page_size: '1000' }).reply(200, ok([]));

      await expect(client.listUsers('acct1')).resolves.toEqual([]);
    });

    it('a repeating start key is a BackendMalformedResponseError', async () => {
      const { client } = makeClient();
      authenticates();
      withToken()
        .get(`${ACCOUNT_PATH}/callflows`)
        .query({ page_size: '2' })
        .reply(200, ok([callflow('cf1', [])], { next_start_key: 'k1' }));
      withToken()
        .get(`${ACCOUNT_PATH}/callflows`)
        .query({ page_size: '2', start_key: 'k1' })
        .reply(200, ok([callflow('cf2', [])], { next_start_key: 'k2' }));
      withToken()
        .get(`${ACCOUNT_PATH}/callflows`)
        .query({ page_size: '2', start_key: 'k2' })
        .reply(200, ok([callflow('cf3', [])], { next_start_key: 'k1' }));

      const error = await client.listCallflows('acct1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendMalformedResponseError);
      expect((error as Error).message).toContain('k1');
      expect(client.stats.reads).toBe(3);
    });

    it('a phone_numbers page without a numbers object is a BackendMalformedResponseError', async () => {
      const { client } = makeClient();
      authenticates();
      withToken().get(`${ACCOUNT_PATH}/phone_numbers`).query(true).reply(200, ok([]));

      await expect(client.listPhoneNumbers('acct1')).rejects.toBeInstanceOf(BackendMalformedResponseError);
    });

    it('a list page that is not a list is a BackendMalformedResponseError', async () => {
      const { client } = makeClient();
      authenticates();
      withToken().get(`${ACCOUNT_PATH}/users`).query(true).reply(200, ok({ users: [] }));

      await expect(client.listUsers('acct1')).rejects.toBeInstanceOf(BackendMalformedResponseError);
    });
  });

  describe('requests', () => {
    it('creates a callflow with PUT {data: callflow}', async () => {
      const { client } = makeClient();
      authenticates();
      const { id: _id, ...newCallflow } = callflow('cf9', ['+12125550101']);
      const bodies: unknown[] = [];
      withToken()
        .put(`${ACCOUNT_PATH}/callflows`)
        .reply((_uri, body) => {
          bodies.push(body);
          return [201, ok(callflow('cf9', ['+12125550101']))];
        });

      await expect(client.createCallflow('acct1', newCallflow)).resolves.toEqual(callflow('cf9', ['+12125550101']));
      expect(bodies).toEqual([{ data: newCallflow }]);
      expect(client.stats.retries).toBe(0);
    });

    it('replaces a callflow with POST to its id, without the id in the body', async () => {
      const { client } = makeClient();
      authenticates();
      const replaced = callflow('cf/1', ['+12125550101', '+12125550102']);
      const { id: _id, ...body } = replaced;
      const bodies: unknown[] = [];
      withToken()
        .post(`${ACCOUNT_PATH}/callflows/cf%2F1`)
        .reply((_uri, sent) => {
          bodies.push(sent);
          return [200, ok(replaced)];
        });

      await expect(client.replaceCallflow('acct1', replaced)).resolves.toEqual(replaced);
      expect(bodies).toEqual([{ data: body }]);
    });

    it('pushes teams settings with PATCH {data: {teams}}', async () => {
      const { client } = makeClient();
      authenticates();
      const teams = { max_channels: 20, tenant_name: 'contoso.onmicrosoft.com' };
      withToken()
        .patch(ACCOUNT_PATH, { data: { teams } })
        .reply(200, ok({ ...account, teams }));

      await expect(client.updateAccountTeams('acct1', teams)).resolves.toEqual({ ...account, teams });
    });

    it('URL-encodes numbers and ids in paths (%2B)', async () => {
      const { client } = makeClient();
      authenticates();
      const paths: string[] = [];
      withToken()
        .put(/phone_numbers/)
        .reply((uri) => {
          paths.push(uri);
          return [201, ok({ id: '+12125550101', state: 'reserved' })];
        });
      withToken()
        .delete(/phone_numbers/)
        .reply((uri) => {
          paths.push(uri);
          return [200, ok({ id: '+12125550101', state: 'released' })];
        });
      withToken()
        .get(/callflows/)
        .reply((uri) => {
          paths.push(uri);
          return [200, ok(callflow('cf 1', []))];
        });

      await expect(client.addPhoneNumber('acct/1', '+12125550101')).resolves.toEqual({ id: '+12125550101', state: 'reserved' });
      await client.releasePhoneNumber('acct1', '+12125550101');
      await client.getCallflow('acct1', 'cf 1');

      expect(paths).toEqual([
        '/v2/accounts/acct%2F1/phone_numbers/%2B12125550101',
        '/v2/accounts/acct1/phone_numbers/%2B12125550101',
        '/v2/accounts/acct1/callflows/cf%201',
      ]);
    });

    it('accepts a 204 without a body', async () => {
      const { client } = makeClient();
      authenticates();
      withToken().delete(`${ACCOUNT_PATH}/callflows/cf1`).reply(204);

      await expect(client.deleteCallflow('acct1', 'cf1')).resolves.toBeUndefined();
    });
  });

  describe('errors', () => {
    it('maps a 400 with field validators to a BackendValidationError', async () => {
      const { client } = makeClient();
      authenticates();
      withToken()
        .put(`${ACCOUNT_PATH}/callflows`)
        .reply(
          400,
          failure(400, 'invalid data', { numbers: { unique: { message: 'Number +12125550101 exists in callflow cf1' } } }, 'req-400'),
        );

      const error = await client.createCallflow('acct1', callflow('x', ['+12125550101'])).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BackendValidationError);
      const validation = error as BackendValidationError;
      expect(validation.has('numbers', 'unique')).toBe(true);
      expect(validation.has('numbers', 'required')).toBe(false);
      expect(validation.has('flow', 'unique')).toBe(false);
      expect(validation.fields).toEqual({ numbers: ['unique'] });
      expect(validation.status).toBe(400);
      expect(validation.requestId).toBe('req-400');
      expect(client.stats.retries).toBe(0);
    });

    it('maps a 404 to a BackendNotFoundError, not retried', async () => {
      const { client } = makeClient();
      authenticates();
      withToken().get(`${ACCOUNT_PATH}/callflows/nope`).reply(404, failure(404, 'bad_identifier', {}, 'req-404'));

      const error = await client.getCallflow('acct1', 'nope').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendNotFoundError);
      expect(error).toMatchObject({ status: 404, requestId: 'req-404', name: 'BackendNotFoundError' });
      expect(client.stats.retries).toBe(0);
    });

    it('maps a 409 to a BackendConflictError, not retried', async () => {
      const { client } = makeClient();
      authenticates();
      withToken()
        .put(`${ACCOUNT_PATH}/phone_numbers/%2B12125550101`)
        .reply(409, failure(409, 'number_exists', { message: 'number_exists' }));

      const error = await client.addPhoneNumber('acct1', '+12125550101').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendConflictError);
      expect(error).toMatchObject({ status: 409 });
      expect((error as Error).message).toContain('number_exists');
      expect(client.stats.retries).toBe(0);
    });

    it('maps another 4xx to a plain BackendError', async () => {
      const { client } = makeClient();
      authenticates();
      withToken().get(ACCOUNT_PATH).reply(422, failure(422, 'unprocessable'));

      const error = await client.getAccount('acct1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendError);
      expect(error).not.toBeInstanceOf(BackendValidationError);
      expect(error).toMatchObject({ status: 422, name: 'BackendError' });
    });

    it('a body that is not JSON is a BackendMalformedResponseError, not retried', async () => {
      const { client } = makeClient();
      authenticates();
      withToken().get(ACCOUNT_PATH).reply(200, '<html>gateway</html>');

      const error = await client.getAccount('acct1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendMalformedResponseError);
      expect(error).toMatchObject({ status: 200 });
      expect(client.stats.retries).toBe(0);
    });

    it('JSON without data is a BackendMalformedResponseError', async () => {
      const { client } = makeClient();
      authenticates();
      withToken().get(ACCOUNT_PATH).reply(200, { status: 'success', id: 'acct1' });

      await expect(client.getAccount('acct1')).rejects.toBeInstanceOf(BackendMalformedResponseError);
    });
  });

  describe('retries', () => {
    it('retries 5xx answers, then succeeds', async () => {
      const { client, delays } = makeClient();
      authenticates();
      withToken().get(ACCOUNT_PATH).reply(500, failure(500, 'internal'));
      withToken().get(ACCOUNT_PATH).reply(503, '<html>bad gateway</html>');
      withToken().get(ACCOUNT_PATH).reply(200, ok(account));

      await expect(client.getAccount('acct1')).resolves.toEqual(account);
      expect(delays).toHaveLength(2);
      expect(client.stats.retries).toBe(2);
    });

    it('gives up after maxRetries with a BackendUnavailableError counting the attempts', async () => {
      const { client, delays } = makeClient();
      authenticates();
      withToken().get(ACCOUNT_PATH).times(4).reply(503, failure(503, 'service unavailable'));

      const error = await client.getAccount('acct1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect(error).toMatchObject({ attempts: 4, status: 503 });
      expect(delays).toHaveLength(3);
      expect(client.stats).toMatchObject({ reads: 4, retries: 3 });
    });

    it('honours Retry-After on a 429', async () => {
      const { client, delays } = makeClient();
      authenticates();
      withToken().get(ACCOUNT_PATH).reply(429, failure(429, 'too many requests'), { 'Retry-After': '2' });
      withToken().get(ACCOUNT_PATH).reply(200, ok(account));

      await expect(client.getAccount('acct1')).resolves.toEqual(account);
      expect(delays).toEqual([2000]);
      expect(client.stats.retries).toBe(1);
    });

    it('honours Retry-After: 0 as no wait', async () => {
      const { client, delays } = makeClient({ random: () => 0.99 });
      authenticates();
      withToken().get(ACCOUNT_PATH).reply(429, failure(429, 'too many requests'), { 'Retry-After': '0' });
      withToken().get(ACCOUNT_PATH).reply(200, ok(account));

      await client.getAccount('acct1');
      expect(delays).toEqual([0]);
    });

    it('caps a Retry-After above maxRetryAfterMs', async () => {
      const { client, delays } = makeClient({ maxRetryAfterMs: 3000 });
      authenticates();
      withToken().get(ACCOUNT_PATH).reply(429, failure(429, 'too many requests'), { 'Retry-After': '120' });
      withToken().get(ACCOUNT_PATH).reply(200, ok(account));

      await client.getAccount('acct1');
      expect(delays).toEqual([3000]);
    });

    it('caps Retry-After at 60 s by default', async () => {
      const { client, delays } = makeClient();
      authenticates();
      withToken().get(ACCOUNT_PATH).reply(429, failure(429, 'too many requests'), { 'Retry-After': '3600' });
      withToken().get(ACCOUNT_PATH).reply(200, ok(account));

      await client.getAccount('acct1');
      expect(delays).toEqual([60_000]);
    });

    it('backs off on a 429 without Retry-After', async () => {
      const { client, delays } = makeClient({ backoffMs: 100, maxBackoffMs: 1000, random: () => 0.5 });
      authenticates();
      withToken().get(ACCOUNT_PATH).reply(429, failure(429, 'too many requests'));
      withToken().get(ACCOUNT_PATH).reply(200, ok(account));

      await client.getAccount('acct1');
      expect(delays).toEqual([50]);
    });

    it('gives up on repeated 429s with a BackendUnavailableError', async () => {
      const { client, delays } = makeClient({ maxRetries: 2 });
      authenticates();
      withToken().get(ACCOUNT_PATH).times(3).reply(429, failure(429, 'too many requests'), { 'Retry-After': '1' });

      const error = await client.getAccount('acct1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect(error).toMatchObject({ attempts: 3, status: 429 });
      expect(delays).toEqual([1000, 1000]);
    });

    it('grows the backoff exponentially up to maxBackoffMs', async () => {
      const { client, delays } = makeClient({ backoffMs: 100, maxBackoffMs: 350, maxRetries: 4, random: () => 0.5 });
      authenticates();
      withToken().get(ACCOUNT_PATH).times(5).reply(503, failure(503, 'service unavailable'));

      await expect(client.getAccount('acct1')).rejects.toBeInstanceOf(BackendUnavailableError);
      // Half (random 0.5) of 100, 200, 400 -> 350 (cap), 800 -> 350 (cap).
      expect(delays).toEqual([50, 100, 175, 175]);
    });

    it('jitters each backoff step with random()', async () => {
      const draws = [0.1, 0.9, 0.3];
      const { client, delays } = makeClient({ backoffMs: 100, maxBackoffMs: 350, random: () => draws.shift()! });
      authenticates();
      withToken().get(ACCOUNT_PATH).times(3).reply(503, failure(503, 'service unavailable'));
      withToken().get(ACCOUNT_PATH).reply(200, ok(account));

      await client.getAccount('acct1');
      // floor(0.1 * 100), floor(0.9 * 200), floor(0.3 * min(350, 400)).
      expect(delays).toEqual([10, 180, 105]);
      expect(draws).toEqual([]);
    });

    it('waits with the real timer when no sleep is injected', async () => {
      const { client } = makeClient({ sleep: undefined, backoffMs: 40, maxBackoffMs: 40, random: () => 1 });
      authenticates();
      withToken().get(ACCOUNT_PATH).reply(503, failure(503, 'service unavailable'));
      withToken().get(ACCOUNT_PATH).reply(200, ok(account));

      const started = performance.now();
      await client.getAccount('acct1');
      expect(performance.now() - started).toBeGreaterThanOrEqual(38);
    });

    it('retries a time-out, then succeeds', async () => {
      const { client } = makeClient({ timeoutMs: 400 });
      authenticates();
      withToken().get(ACCOUNT_PATH).delay(5000).reply(200, ok(account));
      withToken().get(ACCOUNT_PATH).reply(200, ok({ ...account, name: 'second answer' }));

      const started = performance.now();
      await expect(client.getAccount('acct1')).resolves.toEqual({ ...account, name: 'second answer' });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(390);
      expect(elapsed).toBeLessThan(5000);
      expect(client.stats.retries).toBe(1);
    });

    it('gives up on repeated time-outs with a BackendUnavailableError', async () => {
      // The time-out is long enough that a loaded machine still answers the log-in inside it.
      const { client } = makeClient({ maxRetries: 1, timeoutMs: 400 });
      authenticates();
      withToken().get(ACCOUNT_PATH).times(2).delay(4000).reply(200, ok(account));

      const error = await client.getAccount('acct1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect(error).toMatchObject({ attempts: 2 });
      expect((error as Error).message).toContain('timed out');
    });
  });

  describe('stats and concurrency', () => {
    it('counts reads, writes, retries and authentications', async () => {
      const { client } = makeClient();
      expect(client.stats).toEqual({ reads: 0, writes: 0, retries: 0, authentications: 0, busyMs: 0 });
      authenticates();
      withToken().get(ACCOUNT_PATH).reply(200, ok(account));
      withToken().get(ACCOUNT_PATH).reply(503, failure(503, 'service unavailable'));
      withToken().get(ACCOUNT_PATH).reply(200, ok(account));
      withToken().put(`${ACCOUNT_PATH}/callflows`).reply(201, ok(callflow('cf1', [])));
      withToken().delete(`${ACCOUNT_PATH}/callflows/cf1`).reply(200, ok(callflow('cf1', [])));

      await client.getAccount('acct1');
      await client.getAccount('acct1');
      await client.createCallflow('acct1', callflow('cf1', []));
      await client.deleteCallflow('acct1', 'cf1');

      const stats = client.stats;
      // Every attempt counts; the api_auth PUT is a write.
      expect(stats).toMatchObject({ reads: 3, writes: 3, retries: 1, authentications: 1 });
      expect(stats.busyMs).toBeGreaterThan(0);
    });

    it('never has more than `concurrency` requests in flight', async () => {
      const { client } = makeClient({ concurrency: 2 });
      authenticates();
      let inFlight = 0;
      let most = 0;
      withToken()
        .get(/\/callflows\/cf\d$/)
        .times(6)
        .reply(async (uri) => {
          inFlight++;
          most = Math.max(most, inFlight);
          await sleep(25);
          inFlight--;
          return [200, ok(callflow(uri.split('/').pop()!, []))];
        });

      const ids = ['cf1', 'cf2', 'cf3', 'cf4', 'cf5', 'cf6'];
      const results = await Promise.all(ids.map((id) => client.getCallflow('acct1', id)));

      expect(results.map((c) => c.id)).toEqual(ids);
      expect(most).toBe(2);
      expect(inFlight).toBe(0);
    });

    it('does not hold a slot while waiting to retry', async () => {
      let wake: () => void = () => undefined;
      const { client } = makeClient({
        concurrency: 1,
        sleep: () => new Promise<void>((resolve) => (wake = resolve)),
      });
      authenticates();
      withToken().get(`${ACCOUNT_PATH}/callflows/slow`).reply(503, failure(503, 'service unavailable'));
      withToken().get(`${ACCOUNT_PATH}/callflows/slow`).reply(200, ok(callflow('slow', [])));
      withToken().get(`${ACCOUNT_PATH}/callflows/fast`).reply(200, ok(callflow('fast', [])));

      const slow = client.getCallflow('acct1', 'slow');
      // The slow call is now sleeping before its retry; the fast one must get through meanwhile.
      while (client.stats.retries === 0) await sleep(2);
      await expect(client.getCallflow('acct1', 'fast')).resolves.toMatchObject({ id: 'fast' });
      wake();
      await expect(slow).resolves.toMatchObject({ id: 'slow' });
    });
  });

  describe('against a real socket', () => {
    // Failures nock cannot stage: a connection that dies or stalls after the headers.
    let server: http.Server;
    let baseUrl: string;
    let answer: (res: http.ServerResponse) => void;
    const answers: string[] = [];

    beforeAll(async () => {
      nock.enableNetConnect('127.0.0.1');
      server = http.createServer((req, res) => {
        if (req.url === '/v2/api_auth') {
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(JSON.stringify(ok({}, { auth_token: 'tok-1' })));
          return;
        }
        answers.push(req.url ?? '');
        answer(res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      nock.disableNetConnect();
    });
    beforeEach(() => {
      answers.length = 0;
    });

    const full = (res: http.ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok(account)));
    };
    /** Headers and half a body, then nothing more: `then` decides what happens to the socket. */
    const half = (then: (res: http.ServerResponse) => void) => (res: http.ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
      res.write('{"data":{"id":');
      then(res);
    };

    // Network errors on real sockets: nock's staged ones surface as unhandled socket errors under load.
    it('retries a connection reset before any answer', async () => {
      const { client, delays } = makeClient({ baseUrl });
      let calls = 0;
      answer = (res) => (calls++ === 0 ? res.socket?.destroy() : full(res));

      await expect(client.getAccount('acct1')).resolves.toEqual(account);
      expect(answers).toEqual([ACCOUNT_PATH, ACCOUNT_PATH]);
      expect(delays).toHaveLength(1);
      expect(client.stats.retries).toBe(1);
    });

    it('gives up on a refused connection with a BackendUnavailableError after the retries', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const { client } = makeClient({ baseUrl: `http://127.0.0.1:${port}` });

      const error = await client.getAccount('acct1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect(error).toMatchObject({ attempts: 4 });
      expect((error as Error).message).toContain('ECONNREFUSED');
    });

    it('retries a connection dropped in the middle of the body', async () => {
      const { client } = makeClient({ baseUrl });
      let calls = 0;
      answer = (res) => (calls++ === 0 ? half((r) => setTimeout(() => r.socket?.destroy(), 10))(res) : full(res));

      await expect(client.getAccount('acct1')).resolves.toEqual(account);
      expect(answers).toEqual([ACCOUNT_PATH, ACCOUNT_PATH]);
      expect(client.stats.retries).toBe(1);
    });

    it('times out a body that stalls, and retries', async () => {
      const { client } = makeClient({ baseUrl, timeoutMs: 100 });
      let calls = 0;
      answer = (res) => (calls++ === 0 ? half(() => undefined)(res) : full(res));

      await expect(client.getAccount('acct1')).resolves.toEqual(account);
      expect(answers).toEqual([ACCOUNT_PATH, ACCOUNT_PATH]);
      expect(client.stats.retries).toBe(1);
    });
  });
});
