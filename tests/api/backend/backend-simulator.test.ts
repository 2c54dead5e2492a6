import { BackendClient, type BackendClientOptions } from '../../../api/backend/backend-client';
import {
  BackendConflictError,
  BackendNotFoundError,
  BackendUnavailableError,
  BackendValidationError,
} from '../../../api/backend/backend-errors';
import { BackendSimulator, type SimulatorFixture } from '../../../api/backend/simulator/backend-simulator';
import { teamsCallflowFor } from '../../../api/backend/teams-callflow';
import { createLogger } from '../../../api/logging/logger';

const API_KEY = 'sim-key';
const TENANT = 'contoso.onmicrosoft.com';

const FREE = ['+12125550101', '+12125550102', '+12125550103'];
const TEAMS_PAIR = ['+12125550110', '+12125550111'];
const TEAMS_SINGLE = ['+12125550112'];
const ANN = '+12125550120';
const BO = '+12125550121';
const OTHER_ACCOUNT_NUMBER = '+13125550100';

function fixture(): SimulatorFixture {
  return {
    apiKeys: [API_KEY],
    accounts: [
      {
        id: 'acct-a',
        name: 'Contoso',
        teams: { max_channels: 10, tenant_name: TENANT },
        freeNumbers: FREE,
        teamsCallflows: [TEAMS_PAIR, TEAMS_SINGLE],
        seats: [
          { firstName: 'Ann', lastName: 'Lee', seatType: 'essentials', numbers: [ANN] },
          { firstName: 'Bo', lastName: 'Kim', seatType: 'premium', numbers: [BO] },
        ],
      },
      { id: 'acct-b', name: 'Fabrikam', freeNumbers: [OTHER_ACCOUNT_NUMBER] },
    ],
  };
}

const ALL_A = [...FREE, ...TEAMS_PAIR, ...TEAMS_SINGLE, ANN, BO].sort();

/** Shapes under which the simulator counts calls ("METHOD pattern-source"). */
const NUMBER_LIST = /^GET .*phone_numbers\$$/;
const CALLFLOW_LIST = /^GET .*callflows\$$/;
const USER_LIST = /^GET .*users\$$/;
const AUTH = /^PUT .*api_auth/;

describe('BackendSimulator through the BackendClient', () => {
  let simulator: BackendSimulator;
  let baseUrl: string;
  const clients: BackendClient[] = [];

  beforeEach(async () => {
    simulator = new BackendSimulator(fixture());
    baseUrl = await simulator.start();
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await simulator.stop();
  });

  function client(overrides: Partial<BackendClientOptions> = {}): BackendClient {
    const made = new BackendClient({
      baseUrl,
      apiKey: API_KEY,
      concurrency: 2,
      timeoutMs: 2000,
      maxRetries: 3,
      pageSize: 2,
      backoffMs: 1,
      maxBackoffMs: 5,
      logger: createLogger('silent'),
      ...overrides,
    });
    clients.push(made);
    return made;
  }

  describe("the carrier's account tree (parents)", () => {
    it("lists an account's ancestors from the top down to its direct parent, and 404s an unknown account", async () => {
      simulator.load({
        apiKeys: [],
        accounts: [
          { id: 'carrier', name: 'Carrier' },
          { id: 'reseller-1', name: 'Reseller One', parent: 'carrier' },
          { id: 'customer-1', name: 'Customer One', parent: 'reseller-1' },
        ],
      });
      await expect(client().getParents('customer-1')).resolves.toEqual([
        { id: 'carrier', name: 'Carrier' },
        { id: 'reseller-1', name: 'Reseller One' },
      ]);
      await expect(client().getParents('reseller-1')).resolves.toEqual([{ id: 'carrier', name: 'Carrier' }]);
      // An account with no parent: the top of its tree.
      await expect(client().getParents('acct-a')).resolves.toEqual([]);
      await expect(client().getParents('no-such-account')).rejects.toBeInstanceOf(BackendNotFoundError);
    });
  });

  describe('fixture accounts', () => {
    it('lists every number, in a callflow or free', async () => {
      const numbers = await client().listPhoneNumbers('acct-a');

      expect([...numbers.keys()].sort()).toEqual(ALL_A);
      for (const e164 of FREE) expect(numbers.get(e164)).toMatchObject({ state: 'in_service', used_by: '' });
      for (const e164 of [...TEAMS_PAIR, ...TEAMS_SINGLE, ANN, BO]) {
        expect(numbers.get(e164)).toMatchObject({ state: 'in_service', used_by: 'callflow' });
      }
      expect(numbers.has(OTHER_ACCOUNT_NUMBER)).toBe(false);
    });

    it('lists the teams callflows and the seats with their users', async () => {
      const backend = client();
      const callflows = await backend.listCallflows('acct-a');
      const users = await backend.listUsers('acct-a');

      const teams = callflows.filter((c) => c.flow.module === 'teams');
      expect(teams.map((c) => c.numbers).sort()).toEqual([TEAMS_PAIR, TEAMS_SINGLE].sort());
      for (const callflow of teams) expect(callflow.flow.data).toEqual({ tenant_name: TENANT });

      expect(users.map((u) => [u.first_name, u.last_name, u.seat_type]).sort()).toEqual([
        ['Ann', 'Lee', 'essentials'],
        ['Bo', 'Kim', 'premium'],
      ]);
      const seats = callflows.filter((c) => c.flow.module === 'user');
      expect(seats).toHaveLength(2);
      const seatOf = (e164: string) => {
        const seat = seats.find((c) => c.numbers.includes(e164));
        return users.find((u) => u.id === seat?.flow.data.id);
      };
      expect(seatOf(ANN)).toMatchObject({ first_name: 'Ann', seat_type: 'essentials' });
      expect(seatOf(BO)).toMatchObject({ first_name: 'Bo', seat_type: 'premium' });
    });

    it('reads the account with its teams settings', async () => {
      await expect(client().getAccount('acct-a')).resolves.toEqual({
        id: 'acct-a',
        name: 'Contoso',
        realm: 'acct-a.sip.example.net',
        enabled: true,
        teams: { max_channels: 10, tenant_name: TENANT },
      });
    });

    it('pages with a small page size and returns every item exactly once', async () => {
      const backend = client({ pageSize: 2 });
      const numbers = await backend.listPhoneNumbers('acct-a');
      const callflows = await backend.listCallflows('acct-a');
      const users = await backend.listUsers('acct-a');

      expect([...numbers.keys()]).toEqual(ALL_A);
      expect(new Set(callflows.map((c) => c.id)).size).toBe(4);
      expect(callflows).toHaveLength(4);
      expect(users).toHaveLength(2);
      // 8 numbers in pages of 2, 4 callflows, 2 users.
      expect(simulator.callCount(NUMBER_LIST)).toBe(4);
      expect(simulator.callCount(CALLFLOW_LIST)).toBe(2);
      expect(simulator.callCount(USER_LIST)).toBe(1);
    });

    it('pages one item at a time without losing or repeating any', async () => {
      const backend = client({ pageSize: 1 });
      const numbers = await backend.listPhoneNumbers('acct-a');
      const callflows = await backend.listCallflows('acct-a');

      expect([...numbers.keys()]).toEqual(ALL_A);
      expect(callflows.map((c) => c.id)).toEqual([...new Set(callflows.map((c) => c.id))].sort());
      expect(callflows).toHaveLength(4);
      expect(simulator.callCount(NUMBER_LIST)).toBe(8);
      expect(simulator.callCount(CALLFLOW_LIST)).toBe(4);
    });

    it('answers an unknown account with a BackendNotFoundError', async () => {
      const backend = client();
      await expect(backend.getAccount('nope')).rejects.toBeInstanceOf(BackendNotFoundError);
      await expect(backend.listCallflows('nope')).rejects.toBeInstanceOf(BackendNotFoundError);
      await expect(backend.listPhoneNumbers('nope')).rejects.toBeInstanceOf(BackendNotFoundError);
      await expect(backend.updateAccountTeams('nope', { max_channels: 1 })).rejects.toBeInstanceOf(BackendNotFoundError);
      expect(backend.stats.retries).toBe(0);
    });
  });

  describe('callflows', () => {
    it('creates a teams callflow for a free number', async () => {
      const backend = client();
      const created = await backend.createCallflow('acct-a', teamsCallflowFor([FREE[0]!], TENANT));

      expect(created).toEqual({
        id: expect.any(String),
        name: `Teams ${TENANT}`,
        numbers: [FREE[0]],
        flow: { module: 'teams', data: { tenant_name: TENANT } },
      });
      await expect(backend.getCallflow('acct-a', created.id)).resolves.toEqual(created);
      expect(simulator.callflowOf('acct-a', FREE[0]!)?.id).toBe(created.id);
      expect((await backend.listPhoneNumbers('acct-a')).get(FREE[0]!)?.used_by).toBe('callflow');
    });

    it('refuses a number already in another callflow with numbers.unique', async () => {
      const backend = client();
      const error = await backend
        .createCallflow('acct-a', teamsCallflowFor([FREE[1]!, TEAMS_PAIR[1]!], TENANT))
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BackendValidationError);
      expect((error as BackendValidationError).has('numbers', 'unique')).toBe(true);
      expect((error as BackendValidationError).status).toBe(400);
      expect(await backend.listCallflows('acct-a')).toHaveLength(4);
      expect(simulator.callflowOf('acct-a', FREE[1]!)).toBeUndefined();
    });

    it('refuses a callflow without numbers with numbers.required', async () => {
      const error = await client()
        .createCallflow('acct-a', { flow: { module: 'teams', data: {} } } as never)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendValidationError);
      expect((error as BackendValidationError).has('numbers', 'required')).toBe(true);
    });

    it('replaces a callflow: the numbers it drops become free', async () => {
      const backend = client();
      const pair = simulator.callflowOf('acct-a', TEAMS_PAIR[0]!)!;

      const replaced = await backend.replaceCallflow('acct-a', { ...pair, numbers: [TEAMS_PAIR[0]!, FREE[2]!] });

      expect(replaced).toEqual({ ...pair, numbers: [TEAMS_PAIR[0], FREE[2]] });
      await expect(backend.getCallflow('acct-a', pair.id)).resolves.toEqual(replaced);
      const numbers = await backend.listPhoneNumbers('acct-a');
      expect(numbers.get(TEAMS_PAIR[1]!)?.used_by).toBe('');
      expect(numbers.get(FREE[2]!)?.used_by).toBe('callflow');
    });

    it('refuses to replace a callflow with a number of another callflow', async () => {
      const backend = client();
      const pair = simulator.callflowOf('acct-a', TEAMS_PAIR[0]!)!;

      const error = await backend.replaceCallflow('acct-a', { ...pair, numbers: [...pair.numbers, ANN] }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BackendValidationError);
      expect((error as BackendValidationError).has('numbers', 'unique')).toBe(true);
      await expect(backend.getCallflow('acct-a', pair.id)).resolves.toEqual(pair);
    });

    it('replacing an unknown callflow is a BackendNotFoundError', async () => {
      const error = await client()
        .replaceCallflow('acct-a', { id: 'cf-missing', ...teamsCallflowFor([FREE[0]!], TENANT) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendNotFoundError);
    });

    it('deletes a callflow: it is gone and its numbers are free', async () => {
      const backend = client();
      const single = simulator.callflowOf('acct-a', TEAMS_SINGLE[0]!)!;

      await backend.deleteCallflow('acct-a', single.id);

      await expect(backend.getCallflow('acct-a', single.id)).rejects.toBeInstanceOf(BackendNotFoundError);
      // Deleting again is done already (a retried DELETE whose first answer was lost).
      await expect(backend.deleteCallflow('acct-a', single.id)).resolves.toBeUndefined();
      expect((await backend.listPhoneNumbers('acct-a')).get(TEAMS_SINGLE[0]!)?.used_by).toBe('');
      expect(await backend.listCallflows('acct-a')).toHaveLength(3);
    });
  });

  describe('numbers and account', () => {
    it('releases a number; releasing it again is done already', async () => {
      const backend = client();
      await backend.releasePhoneNumber('acct-a', FREE[0]!);

      expect((await backend.listPhoneNumbers('acct-a')).has(FREE[0]!)).toBe(false);
      await expect(backend.releasePhoneNumber('acct-a', FREE[0]!)).resolves.toBeUndefined();
      expect(simulator.callCount(/^DELETE .*phone_numbers/)).toBeGreaterThanOrEqual(2);
    });

    it('adds a new number as reserved', async () => {
      const backend = client();
      await expect(backend.addPhoneNumber('acct-b', '+14155550100')).resolves.toMatchObject({ state: 'reserved' });

      expect((await backend.listPhoneNumbers('acct-b')).get('+14155550100')).toMatchObject({ state: 'reserved', used_by: '' });
    });

    it('adding a number another account holds is a BackendConflictError (409)', async () => {
      const backend = client();
      const error = await backend.addPhoneNumber('acct-b', FREE[0]!).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BackendConflictError);
      expect(error).toMatchObject({ status: 409 });
      expect((await backend.listPhoneNumbers('acct-b')).has(FREE[0]!)).toBe(false);
      expect((await backend.listPhoneNumbers('acct-a')).has(FREE[0]!)).toBe(true);
    });

    it('merges teams settings into the account', async () => {
      const backend = client();
      const updated = await backend.updateAccountTeams('acct-a', { max_channels: 20 });

      expect(updated.teams).toEqual({ max_channels: 20, tenant_name: TENANT });
      await expect(backend.getAccount('acct-a')).resolves.toMatchObject({
        id: 'acct-a',
        name: 'Contoso',
        teams: { max_channels: 20, tenant_name: TENANT },
      });
      await backend.updateAccountTeams('acct-a', { tenant_name: 'other.onmicrosoft.com' });
      await expect(backend.getAccount('acct-a')).resolves.toMatchObject({
        teams: { max_channels: 20, tenant_name: 'other.onmicrosoft.com' },
      });
    });
  });

  describe('knobs', () => {
    it('failNext makes exactly that many matching calls fail', async () => {
      const strict = client({ maxRetries: 0 });
      simulator.failNext({ method: 'GET', path: /^\/v2\/accounts\/acct-a$/, status: 503, times: 2 });

      await expect(strict.getAccount('acct-a')).rejects.toMatchObject({ name: 'BackendUnavailableError', status: 503 });
      // Other calls are not affected.
      await expect(strict.listUsers('acct-a')).resolves.toHaveLength(2);
      await expect(strict.getAccount('acct-a')).rejects.toBeInstanceOf(BackendUnavailableError);
      await expect(strict.getAccount('acct-a')).resolves.toMatchObject({ id: 'acct-a' });
    });

    it('the client retries through injected failures', async () => {
      const backend = client();
      simulator.failNext({ method: 'GET', path: /\/callflows$/, status: 500, times: 2 });
      simulator.failNext({ method: 'PUT', path: /\/callflows$/, status: 429, times: 1 });

      await expect(backend.listCallflows('acct-a')).resolves.toHaveLength(4);
      await expect(backend.createCallflow('acct-a', teamsCallflowFor([FREE[0]!], TENANT))).resolves.toMatchObject({
        numbers: [FREE[0]],
      });
      expect(backend.stats.retries).toBe(3);
      expect(simulator.callCount(CALLFLOW_LIST)).toBe(2 + 2);
    });

    it('gives up when failures outlast the retries', async () => {
      const backend = client({ maxRetries: 2 });
      simulator.failNext({ path: /^\/v2\/accounts\/acct-a$/, status: 503, times: 3 });

      const error = await backend.getAccount('acct-a').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect(error).toMatchObject({ attempts: 3, status: 503 });
      await expect(backend.getAccount('acct-a')).resolves.toMatchObject({ id: 'acct-a' });
    });

    it('expireTokens forces exactly one re-authentication', async () => {
      const backend = client();
      await backend.getAccount('acct-a');
      await backend.getAccount('acct-a');
      expect(backend.stats.authentications).toBe(1);

      simulator.expireTokens();
      await expect(backend.getAccount('acct-a')).resolves.toMatchObject({ id: 'acct-a' });
      await backend.listUsers('acct-a');
      expect(backend.stats.authentications).toBe(2);
      expect(simulator.callCount(AUTH)).toBe(2);
    });

    it('refuses an unknown API key', async () => {
      const stranger = client({ apiKey: 'wrong' });
      await expect(stranger.getAccount('acct-a')).rejects.toMatchObject({ name: 'BackendAuthError', status: 401 });
    });

    it('throttleRate 1 throttles every call until the client gives up', async () => {
      const backend = client({ maxRetries: 2 });
      await backend.getAccount('acct-a');
      simulator.setKnobs({ throttleRate: 1, retryAfterSeconds: 0 });

      const error = await backend.getAccount('acct-a').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect(error).toMatchObject({ attempts: 3, status: 429 });
      expect(backend.stats.retries).toBe(2);
    });

    it('errorRate with a seed repeats the same failures', async () => {
      const backend = client({ maxRetries: 0 });
      await backend.getAccount('acct-a');
      const outcomes = async (seed: number) => {
        simulator.setKnobs({ errorRate: 0.5, seed });
        const results: string[] = [];
        for (let i = 0; i < 20; i++) {
          results.push(await backend.getAccount('acct-a').then(
            () => 'ok',
            (e: unknown) => (e instanceof BackendUnavailableError && e.status === 503 ? '503' : String(e)),
          ));
        }
        return results;
      };

      const first = await outcomes(42);
      const again = await outcomes(42);
      const other = await outcomes(7);

      expect(again).toEqual(first);
      expect(first).toContain('ok');
      expect(first).toContain('503');
      expect(other).not.toEqual(first);
    });

    it('latencyMs delays every answer', async () => {
      const backend = client();
      await backend.getAccount('acct-a');
      simulator.setKnobs({ latencyMs: 60 });

      const started = performance.now();
      await backend.getAccount('acct-a');
      expect(performance.now() - started).toBeGreaterThanOrEqual(59);
    });

    it('callCount counts the calls answered, by shape', async () => {
      const backend = client();
      expect(simulator.callCount()).toBe(0);

      await backend.getAccount('acct-a');
      await backend.listCallflows('acct-a');
      await backend.releasePhoneNumber('acct-a', FREE[0]!);

      expect(simulator.callCount()).toBe(5);
      expect(simulator.callCount(AUTH)).toBe(1);
      expect(simulator.callCount(CALLFLOW_LIST)).toBe(2);
      expect(simulator.callCount(/^DELETE /)).toBe(1);
    });
  });

  describe('a backend that is down', () => {
    it('is a BackendUnavailableError after the retries', async () => {
      const backend = client({ maxRetries: 2 });
      await backend.getAccount('acct-a');
      await simulator.stop();

      const error = await backend.getAccount('acct-a').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect(error).toMatchObject({ attempts: 3 });
      expect(backend.stats.retries).toBe(2);
    });
  });
});
