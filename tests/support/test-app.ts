import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../../api/app';
import type { Caller } from '../../api/auth/caller';
import type { MemberRole } from '../../api/members/member-role';
import { createLogger, type Logger } from '../../api/logging/logger';
import type { PartnerDocument } from '../../api/partners/partner-document';
import { loadSettings, type Settings } from '../../api/settings/settings';
import { openTestDatabase, type TestDatabase } from './test-database';
import { BackendSimulator, type SimulatorFixture } from '../../api/backend/simulator/backend-simulator';
import { SIMULATOR_API_KEY } from '../../api/settings/settings';
import { ENTRA_APP_ID_URI, ENTRA_CLIENT_ID, JWKS_URL, type FakeEntra } from './entra-tokens';
import { GraphSimulator, type SimulatedTenantSpec } from '../../api/graph/simulator/graph-simulator';
import { demoMicrosoftFixture } from '../../api/demo/demo-microsoft';
import { SIMULATOR_ENTRA_APP } from '../../api/settings/settings';

export const PARTNER_A = { tenantId: 'partner-a-tenant', name: 'Partner A', backendAccountId: 'reseller-a' };
export const PARTNER_B = { tenantId: 'partner-b-tenant', name: 'Partner B', backendAccountId: 'reseller-b' };

/** The carrier's tree in the backend simulator: the carrier, then each test partner's reseller account. */
const RESELLER_ACCOUNTS = [
  { id: 'carrier', name: 'Carrier' },
  { id: PARTNER_A.backendAccountId, name: 'Reseller A', parent: 'carrier' },
  { id: PARTNER_B.backendAccountId, name: 'Reseller B', parent: 'carrier' },
];
export const UNREGISTERED_TENANT = 'not-a-partner-tenant';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  /** A body sent as it is: text, bytes, or a multipart form (fetch sets its content type). */
  rawBody?: string | Buffer | FormData;
  headers?: Record<string, string>;
}

export interface TestApp {
  app: App;
  database: TestDatabase;
  settings: Settings;
  /** The backend, simulated on loopback; its knobs are the tests' to turn. */
  simulator: BackendSimulator;
  /** Microsoft (sign-in, admin consent, Graph), simulated on loopback; the demo tenants unless told otherwise. */
  graph: GraphSimulator;
  /** Where the tests reach the server (http://127.0.0.1:<port>). */
  baseUrl: string;
  /** The URL links and redirect URIs are built from: PUBLIC_URL, else http://localhost:<port> (never the request's Host). */
  publicUrl: string;
  partnerA: PartnerDocument;
  partnerB: PartnerDocument;
  /** Partner A's user, for calling services directly. */
  callerA: Caller;
  callerB: Caller;
  /** A signed token for a tenant (dev sign-in, or the fake Entra in Entra mode). */
  tokenFor(tenantId: string, userId?: string, name?: string): Promise<string>;
  /**
   * Puts a bare account on the backend under partner A's reseller account
   * (or `partner`'s), so a customer may be created with it; an account the
   * simulator has already is left as it is.
   */
  backendAccount(accountId: string, partner?: PartnerDocument): void;
  /** A token for a member of partner A (or `partner`) given `role` first. */
  tokenAs(role: MemberRole, userId?: string, partner?: PartnerDocument): Promise<string>;
  /** A request as partner A's user unless `token` says otherwise (null: no token). */
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/**
 * The real app (routes, services, database) on a loopback port, with two
 * registered partners. Local mode by default; `entra` uses a fake Entra JWKS.
 */
export async function startTestApp(
  options: {
    entra?: FakeEntra;
    settings?: Record<string, string | number>;
    logger?: Logger;
    backend?: Omit<SimulatorFixture, 'apiKeys'>;
    /** Microsoft's tenants; the demo tenants (demo-microsoft.ts) by default. */
    microsoftTenants?: SimulatedTenantSpec[];
    /** false: no Microsoft configured (co-management answers 503). */
    microsoft?: boolean;
    tabDirectory?: string;
  } = {},
): Promise<TestApp> {
  const settings = loadSettings(
    {
      LOG_LEVEL: 'silent',
      PARTNER_CACHE_SECONDS: 0,
      BACKEND_BACKOFF_MS: 5,
      BACKEND_TIMEOUT_MS: 5000,
      GRAPH_OPERATION_POLL_MS: 20,
      GRAPH_CACHE_SECONDS: 0,
      ...(options.entra
        ? { ENTRA_CLIENT_ID, ENTRA_APP_ID_URI, ENTRA_JWKS_URL: JWKS_URL, TOKEN_CLOCK_SKEW_SECONDS: 5 }
        : {}),
      ...options.settings,
    },
    {},
  );
  const database = await openTestDatabase();
  const simulator = new BackendSimulator({ apiKeys: [SIMULATOR_API_KEY], accounts: RESELLER_ACCOUNTS });
  // An account a test puts on the backend with no parent is partner A's, as most tests are partner A's.
  const load = simulator.load.bind(simulator);
  simulator.load = (fixture) => load({ ...fixture, accounts: fixture.accounts.map((account) => ({ parent: PARTNER_A.backendAccountId, ...account })) });
  simulator.load({ apiKeys: [], accounts: options.backend?.accounts ?? [] });
  const backendUrl = await simulator.start();
  const demoMicrosoft = demoMicrosoftFixture(SIMULATOR_ENTRA_APP.clientId, SIMULATOR_ENTRA_APP.clientSecret);
  const graph = new GraphSimulator({ ...demoMicrosoft, tenants: options.microsoftTenants ?? demoMicrosoft.tenants });
  graph.setKnobs({ operationMs: 30 });
  const graphUrl = await graph.start();
  const app = await createApp({
    database,
    settings,
    logger: options.logger ?? createLogger('silent'),
    backendUrl,
    ...(options.tabDirectory ? { tabDirectory: options.tabDirectory } : {}),
    ...(options.microsoft === false
      ? {}
      : { microsoft: { authorityUrl: graphUrl, graphUrl, ...SIMULATOR_ENTRA_APP } }),
  });
  const { partner: partnerA } = await app.services.partners.register(PARTNER_A);
  const { partner: partnerB } = await app.services.partners.register(PARTNER_B);
  // The tests' usual user is each partner's Admin, named at registration as the CLI would.
  await app.services.members.grantAdminAtRegistration(partnerA._id, 'user-1', 'Test User');
  await app.services.members.grantAdminAtRegistration(partnerB._id, 'user-1', 'Test User');
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  const tokenFor = async (tenantId: string, userId = 'user-1', name = 'Test User') => {
    if (options.entra) return options.entra.token({ tid: tenantId, oid: userId, name });
    if (!app.devSignIn) throw new Error('no dev sign-in in Entra mode');
    return (await app.devSignIn.issue({ tenantId, userId, name })).token;
  };
  const tokenA = await tokenFor(PARTNER_A.tenantId);

  const caller = (partner: PartnerDocument): Caller => ({
    partnerId: partner._id,
    partnerName: partner.name,
    tenantId: partner.tenantId,
    userId: 'user-1',
    userName: 'Test User',
    role: 'admin',
  });

  return {
    app,
    database,
    settings,
    simulator,
    graph,
    baseUrl,
    publicUrl: app.publicUrl(),
    partnerA,
    partnerB,
    callerA: caller(partnerA),
    callerB: caller(partnerB),
    tokenFor,
    backendAccount(accountId, partner = partnerA) {
      if (simulator.accounts.has(accountId)) return;
      simulator.load({ apiKeys: [], accounts: [{ id: accountId, name: accountId, parent: partner.backendAccountId! }] });
    },
    async tokenAs(role, userId = `${role}-user`, partner = partnerA) {
      await app.services.members.setRole(caller(partner), userId, { role, name: `Test ${role}` });
      return tokenFor(partner.tenantId, userId, `Test ${role}`);
    },
    async request(method, path, requestOptions = {}) {
      const token = requestOptions.token === undefined ? tokenA : requestOptions.token;
      const headers: Record<string, string> = { ...requestOptions.headers };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | Buffer | FormData | undefined = requestOptions.rawBody;
      if (requestOptions.body !== undefined) {
        body = JSON.stringify(requestOptions.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON: the test sees the text.
      }
      return { status: response.status, body: parsed as never, headers: response.headers };
    },
    async close() {
      app.services.jobRunner.stop();
      await app.services.jobRunner.idle();
      // Follow-ups a test started (or kicked) end their look before the database closes.
      app.services.followUps.stop();
      await app.services.followUps.idle();
      await app.services.sync.idle();
      await app.services.coManagement.idle();
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
      app.services.backend.close();
      await simulator.stop();
      await graph.stop();
      await database.close();
    },
  };
}

/**
 * Creates a customer through the API (partner A's, or the partner of
 * `token`) and returns its id; its account is put on the backend under that
 * partner's reseller first when the simulator does not have it.
 */
export async function createCustomer(
  testApp: TestApp,
  fields: Partial<{ accountId: string; tenantName: string; maxChannels: number; name: string }> = {},
  token?: string,
): Promise<string> {
  const accountId = fields.accountId ?? `acct-${Math.random().toString(36).slice(2, 10)}`;
  testApp.backendAccount(accountId, token && tenantOf(token) === testApp.partnerB.tenantId ? testApp.partnerB : testApp.partnerA);
  const response = await testApp.request('POST', '/api/v1/customers', {
    ...(token ? { token } : {}),
    body: {
      accountId,
      tenantName: fields.tenantName ?? 'contoso.onmicrosoft.com',
      maxChannels: fields.maxChannels ?? 10,
      ...(fields.name ? { name: fields.name } : {}),
    },
  });
  if (response.status !== 201) throw new Error(`customer not created: ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

/** The tenant a token names (its payload read, not verified: the API verifies it). */
function tenantOf(token: string): string | undefined {
  const payload = token.split('.')[1];
  return payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { tid?: string }).tid : undefined;
}
