import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackendAccount, BackendCallflow, BackendPhoneNumber, BackendUser } from '../backend-types';
import { teamsCallflowFor } from '../teams-callflow';
import { invalid, paginate, readBody, send, setCallflow, validateCallflow, type Reply } from './crossbar-replies';
import type { SimulatedAccount } from './simulated-account';

export type { SimulatedAccount } from './simulated-account';

export interface SimulatorFixture {
  apiKeys: string[];
  accounts: {
    id: string;
    name: string;
    /** The account directly above it: a customer account sits under its partner's reseller account. */
    parent?: string;
    teams?: BackendAccount['teams'];
    /** On the account, in no callflow. */
    freeNumbers?: string[];
    /** Teams callflows: each list of numbers becomes one callflow. */
    teamsCallflows?: string[][];
    /** Non-Teams seats: a user with a user callflow holding the numbers. */
    seats?: { firstName: string; lastName: string; seatType: string; numbers: string[] }[];
  }[];
}

/** Knobs for tests and benchmarks. Rates are probabilities from 0 to 1. */
export interface SimulatorKnobs {
  latencyMs: number;
  errorRate: number;
  throttleRate: number;
  retryAfterSeconds: number;
  /** Seed of the random draws behind the rates, so runs repeat. */
  seed: number;
}

export interface InjectedFailure {
  method?: string;
  /** Matched against the path (no query). */
  path?: RegExp;
  status: number;
  /** How many matching calls fail; default 1. */
  times?: number;
  retryAfterSeconds?: number;
}

interface Route {
  method: string;
  pattern: RegExp;
  handle(request: SimRequest): Reply;
}

interface SimRequest {
  params: string[];
  query: URLSearchParams;
  body: unknown;
}


/**
 * The carrier's backend on loopback: exactly the Crossbar subset of
 * backend-api.md, with its envelopes, pagination and errors, state in memory.
 * `npm start` uses it when BACKEND_URL is not set; the tests use it through
 * the real client.
 */
export class BackendSimulator {
  readonly accounts = new Map<string, SimulatedAccount>();
  readonly knobs: SimulatorKnobs = { latencyMs: 0, errorRate: 0, throttleRate: 0, retryAfterSeconds: 1, seed: 1 };
  /** Calls answered, by "METHOD /path-shape", for tests and the bench. */
  readonly calls = new Map<string, number>();
  private readonly apiKeys = new Set<string>();
  private readonly tokens = new Set<string>();
  private readonly failures: (InjectedFailure & { left: number })[] = [];
  private readonly routes: Route[];
  private server: http.Server | undefined;
  private randomState = 1;
  private nextCallflowId = 1;

  constructor(fixture: SimulatorFixture = { apiKeys: [], accounts: [] }) {
    this.routes = this.defineRoutes();
    this.load(fixture);
  }

  /** Adds the fixture's keys and accounts to the state. */
  load(fixture: SimulatorFixture): void {
    fixture.apiKeys.forEach((key) => this.apiKeys.add(key));
    const now = Math.floor(Date.now() / 1000);
    for (const spec of fixture.accounts) {
      const account: SimulatedAccount = {
        account: { id: spec.id, name: spec.name, realm: `${spec.id}.sip.example.net`, enabled: true, teams: { ...spec.teams } },
        ...(spec.parent === undefined ? {} : { parentId: spec.parent }),
        numbers: new Map(),
        callflows: new Map(),
        callflowOfNumber: new Map(),
        users: new Map(),
      };
      this.accounts.set(spec.id, account);
      const put = (e164: string) => account.numbers.set(e164, { state: 'in_service', created: now, updated: now });
      spec.freeNumbers?.forEach(put);
      for (const numbers of spec.teamsCallflows ?? []) {
        numbers.forEach(put);
        this.addCallflow(account, teamsCallflowFor(numbers, spec.teams?.tenant_name ?? ''));
      }
      for (const seat of spec.seats ?? []) {
        const user: BackendUser = {
          id: randomUUID().replace(/-/g, ''),
          first_name: seat.firstName,
          last_name: seat.lastName,
          seat_type: seat.seatType,
        };
        account.users.set(user.id, user);
        seat.numbers.forEach(put);
        this.addCallflow(account, { numbers: seat.numbers, flow: { module: 'user', data: { id: user.id } } });
      }
    }
  }

  setKnobs(knobs: Partial<SimulatorKnobs>): void {
    Object.assign(this.knobs, knobs);
    if (knobs.seed !== undefined) this.randomState = knobs.seed;
  }

  /** The next matching calls answer `status` instead. */
  failNext(failure: InjectedFailure): void {
    this.failures.push({ ...failure, left: failure.times ?? 1 });
  }

  /** Every token issued so far stops working (as when they expire). */
  expireTokens(): void {
    this.tokens.clear();
  }

  callCount(pattern?: RegExp): number {
    let total = 0;
    for (const [key, count] of this.calls) if (!pattern || pattern.test(key)) total += count;
    return total;
  }

  async start(port = 0): Promise<string> {
    // A client that went away mid-request (a time-out, a test's end) leaves nothing to answer.
    this.server = http.createServer((req, res) => void this.serve(req, res).catch(() => res.destroy()));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Where a number is on an account: its callflow, if any. */
  callflowOf(accountId: string, e164: string): BackendCallflow | undefined {
    const account = this.accounts.get(accountId);
    const id = account?.callflowOfNumber.get(e164);
    return id === undefined ? undefined : account!.callflows.get(id);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const text = await readBody(req);
    if (this.knobs.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.knobs.latencyMs));
    const method = req.method ?? 'GET';
    const route = this.routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    const shape = route ? `${method} ${route.pattern.source}` : `${method} ${url.pathname}`;
    this.calls.set(shape, (this.calls.get(shape) ?? 0) + 1);

    const injected = this.failures.find(
      (f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(url.pathname)),
    );
    if (injected) {
      injected.left--;
      const headers: Record<string, string> =
        injected.status === 429 ? { 'retry-after': String(injected.retryAfterSeconds ?? 0) } : {};
      return send(res, { status: injected.status, extra: { message: 'injected failure' } }, headers);
    }
    if (this.knobs.throttleRate > 0 && this.random() < this.knobs.throttleRate) {
      return send(res, { status: 429, extra: { message: 'too many requests' } }, {
        'retry-after': String(this.knobs.retryAfterSeconds),
      });
    }
    if (this.knobs.errorRate > 0 && this.random() < this.knobs.errorRate) {
      return send(res, { status: 503, extra: { message: 'service unavailable' } });
    }
    if (!route) return send(res, { status: 404, extra: { message: 'not_found' } });

    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return send(res, { status: 400, extra: { message: 'invalid json' } });
    }
    const isAuth = url.pathname === '/v2/api_auth';
    if (!isAuth && !this.tokens.has(req.headers['x-auth-token'] as string)) {
      return send(res, { status: 401, extra: { message: 'invalid credentials' } });
    }
    const params = route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
    try {
      send(res, route.handle({ params, query: url.searchParams, body }));
    } catch (error) {
      send(res, { status: 500, extra: { message: error instanceof Error ? error.message : 'error' } });
    }
  }

  private defineRoutes(): Route[] {
    const account = (id: string) => this.accounts.get(id);
    const badIdentifier: Reply = { status: 404, data: { message: 'bad identifier' }, extra: { message: 'bad_identifier' } };
    const ACCT = '/v2/accounts/([^/]+)';
    return [
      {
        method: 'PUT',
        pattern: /^\/v2\/api_auth$/,
        handle: ({ body }) => {
          const key = (body as { data?: { api_key?: unknown } } | undefined)?.data?.api_key;
          if (typeof key !== 'string' || !this.apiKeys.has(key)) {
            return { status: 401, extra: { message: 'invalid credentials' } };
          }
          const token = randomUUID().replace(/-/g, '');
          this.tokens.add(token);
          return { status: 201, data: { account_id: 'reseller' }, extra: { auth_token: token } };
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${ACCT}$`),
        handle: ({ params }) => {
          const found = account(params[0]!);
          return found ? { status: 200, data: found.account } : badIdentifier;
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${ACCT}/parents$`),
        handle: ({ params }) => {
          const found = account(params[0]!);
          if (!found) return badIdentifier;
          // From the top down to the direct parent, as Crossbar lists an account's tree.
          const parents: { id: string; name: string }[] = [];
          const seen = new Set([found.account.id]);
          for (let parentId = found.parentId; parentId !== undefined && !seen.has(parentId); parentId = account(parentId)?.parentId) {
            seen.add(parentId);
            parents.unshift({ id: parentId, name: account(parentId)?.account.name ?? parentId });
          }
          return { status: 200, data: parents };
        },
      },
      {
        method: 'PATCH',
        pattern: new RegExp(`^${ACCT}$`),
        handle: ({ params, body }) => {
          const found = account(params[0]!);
          if (!found) return badIdentifier;
          const data = (body as { data?: Partial<BackendAccount> } | undefined)?.data;
          if (typeof data !== 'object' || data === null) return invalid('data', 'required', 'data is required');
          const { teams, ...rest } = data;
          Object.assign(found.account, rest, { id: found.account.id });
          if (teams) found.account.teams = { ...found.account.teams, ...teams };
          return { status: 200, data: found.account };
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${ACCT}/phone_numbers$`),
        handle: ({ params, query }) => {
          const found = account(params[0]!);
          if (!found) return badIdentifier;
          const used = found.callflowOfNumber;
          const page = paginate([...found.numbers.keys()].sort(), query);
          const numbers: Record<string, BackendPhoneNumber> = {};
          for (const e164 of page.items) {
            const n = found.numbers.get(e164)!;
            numbers[e164] = { ...n, used_by: used.has(e164) ? 'callflow' : '' };
          }
          return { status: 200, data: { numbers }, extra: page.extra };
        },
      },
      {
        method: 'PUT',
        pattern: new RegExp(`^${ACCT}/phone_numbers/([^/]+)$`),
        handle: ({ params }) => {
          const [acct, e164] = params as [string, string];
          const found = account(acct);
          if (!found) return badIdentifier;
          if (found.numbers.has(e164)) return { status: 200, data: { ...found.numbers.get(e164), id: e164 } };
          for (const other of this.accounts.values()) {
            if (other.numbers.has(e164)) return { status: 409, data: { message: 'number_exists' }, extra: { message: 'number_exists' } };
          }
          const now = Math.floor(Date.now() / 1000);
          found.numbers.set(e164, { state: 'reserved', created: now, updated: now });
          return { status: 201, data: { id: e164, state: 'reserved' } };
        },
      },
      {
        method: 'DELETE',
        pattern: new RegExp(`^${ACCT}/phone_numbers/([^/]+)$`),
        handle: ({ params }) => {
          const [acct, e164] = params as [string, string];
          const found = account(acct);
          if (!found) return badIdentifier;
          if (!found.numbers.delete(e164)) return { status: 404, data: { message: 'number not found' }, extra: { message: 'not_found' } };
          return { status: 200, data: { id: e164, state: 'released' } };
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${ACCT}/callflows$`),
        handle: ({ params, query }) => {
          const found = account(params[0]!);
          if (!found) return badIdentifier;
          const page = paginate([...found.callflows.keys()].sort(), query);
          return { status: 200, data: page.items.map((id) => found.callflows.get(id)), extra: page.extra };
        },
      },
      {
        method: 'PUT',
        pattern: new RegExp(`^${ACCT}/callflows$`),
        handle: ({ params, body }) => {
          const found = account(params[0]!);
          if (!found) return badIdentifier;
          const problem = validateCallflow(found, body);
          if (problem) return problem;
          const created = this.addCallflow(found, (body as { data: Omit<BackendCallflow, 'id'> }).data);
          return { status: 201, data: created };
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${ACCT}/callflows/([^/]+)$`),
        handle: ({ params }) => {
          const callflow = account(params[0]!)?.callflows.get(params[1]!);
          return callflow ? { status: 200, data: callflow } : badIdentifier;
        },
      },
      {
        method: 'POST',
        pattern: new RegExp(`^${ACCT}/callflows/([^/]+)$`),
        handle: ({ params, body }) => {
          const found = account(params[0]!);
          const id = params[1]!;
          if (!found?.callflows.has(id)) return badIdentifier;
          const problem = validateCallflow(found, body, id);
          if (problem) return problem;
          const replaced = { ...(body as { data: BackendCallflow }).data, id };
          setCallflow(found, replaced);
          return { status: 200, data: replaced };
        },
      },
      {
        method: 'DELETE',
        pattern: new RegExp(`^${ACCT}/callflows/([^/]+)$`),
        handle: ({ params }) => {
          const found = account(params[0]!);
          const callflow = found?.callflows.get(params[1]!);
          if (!found || !callflow) return badIdentifier;
          setCallflow(found, callflow, true);
          return { status: 200, data: callflow };
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${ACCT}/users$`),
        handle: ({ params, query }) => {
          const found = account(params[0]!);
          if (!found) return badIdentifier;
          const page = paginate([...found.users.keys()].sort(), query);
          return { status: 200, data: page.items.map((id) => found.users.get(id)), extra: page.extra };
        },
      },
    ];
  }

  private addCallflow(account: SimulatedAccount, callflow: Omit<BackendCallflow, 'id'>): BackendCallflow {
    const id = `cf${String(this.nextCallflowId++).padStart(8, '0')}`;
    const created = { ...callflow, id, numbers: [...callflow.numbers] };
    setCallflow(account, created);
    return created;
  }

  /** mulberry32: small, seeded, good enough for failure injection. */
  private random(): number {
    let t = (this.randomState += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
