import { randomBytes, randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import type {
  EffectivePolicyAssignment,
  GraphUser,
  NumberAssignment,
  TeamsUserConfiguration,
} from '../graph-types';
import { GRAPH_PERMISSIONS, VOICE_ROUTING_POLICY } from '../graph-types';
import { adminConsentPage, escapeHtml, signInPage, type PageAccount } from './simulated-pages';

/** Directory roles (wids) the simulator puts in an administrator's id token. */
export const GLOBAL_ADMINISTRATOR_ROLE = '62e90394-69f5-4237-9190-012177145e10';

export interface SimulatedUserSpec {
  id: string;
  displayName: string;
  userPrincipalName: string;
  accountEnabled?: boolean;
  /** A Global Administrator: can sign in to the activation page and grant consent. */
  admin?: boolean;
  /** Has a Teams Phone licence; assigning a number to a user without one fails as Microsoft fails it. */
  phoneLicensed?: boolean;
  enterpriseVoice?: boolean;
  /** Direct Routing number assigned to the user. */
  number?: string;
  voiceRoutingPolicy?: string;
}

export interface SimulatedTenantSpec {
  id: string;
  /** The tenant's names: its onmicrosoft.com domain and verified domains. */
  domains: string[];
  displayName: string;
  users: SimulatedUserSpec[];
  /** Direct Routing numbers in the tenant that no user holds. */
  unassignedNumbers?: string[];
  voiceRoutingPolicies?: string[];
  /** App (client) ids the tenant's administrator has already consented to. */
  consentedApps?: string[];
}

export interface GraphSimulatorFixture {
  clientId: string;
  clientSecret: string;
  tenants: SimulatedTenantSpec[];
}

export interface GraphSimulatorKnobs {
  /** How long an assign/unassign operation runs before it settles. */
  operationMs: number;
  /** Items per page of users and user configurations (Graph pages these). */
  pageSize: number;
  latencyMs: number;
}

export interface InjectedGraphFailure {
  method?: string;
  path?: RegExp;
  status: number;
  times?: number;
  retryAfterSeconds?: number;
  code?: string;
  message?: string;
}

interface SimulatedTenant {
  spec: SimulatedTenantSpec;
  users: Map<string, SimulatedUserSpec & { policies: EffectivePolicyAssignment[] }>;
  numbers: Map<string, NumberAssignment>;
  policies: Map<string, string>;
  consented: Set<string>;
  /** Application permissions granted with the consent; all of graph-api.md's unless a test says otherwise. */
  grantedPermissions?: string[];
}

interface SimulatedOperation {
  id: string;
  tenantId: string;
  /** The number it assigns or unassigns. */
  telephoneNumber: string;
  createdAt: Date;
  settlesAt: number;
  status: 'running' | 'succeeded' | 'failed';
  statusDetail?: string;
  apply: () => string | undefined;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  html?: string;
}

/**
 * Microsoft on loopback: the sign-in authority (OpenID configuration, keys,
 * authorize and admin-consent pages, token endpoint) and the Graph calls of
 * graph-api.md, with tenants, users and Direct Routing numbers in memory.
 * `npm start` uses it when no Entra app is configured; the tests use it
 * through the real client.
 */
export class GraphSimulator {
  readonly knobs: GraphSimulatorKnobs = { operationMs: 1500, pageSize: 100, latencyMs: 0 };
  readonly calls = new Map<string, number>();
  private readonly tenants = new Map<string, SimulatedTenant>();
  private readonly accessTokens = new Map<string, { tenantId: string; expiresAt: number }>();
  private readonly codes = new Map<string, { tenantId: string; userId: string; nonce?: string; clientId: string; redirectUri: string }>();
  private readonly operations = new Map<string, SimulatedOperation>();
  private readonly failures: (InjectedGraphFailure & { left: number })[] = [];
  private keys: { privateKey: KeyLike; jwk: JWK } | undefined;
  private server: http.Server | undefined;
  private baseUrl = '';

  constructor(private readonly fixture: GraphSimulatorFixture) {
    for (const spec of fixture.tenants) this.addTenant(spec);
  }

  get url(): string {
    return this.baseUrl;
  }

  addTenant(spec: SimulatedTenantSpec): void {
    const tenant: SimulatedTenant = {
      spec,
      users: new Map(),
      numbers: new Map(),
      // Every tenant has the Global (org-wide default) policy.
      policies: new Map(['Global', ...(spec.voiceRoutingPolicies ?? [])].map((name) => [name.toLowerCase(), policyIdOf(spec.id, name)])),
      consented: new Set(spec.consentedApps ?? []),
    };
    for (const user of spec.users) {
      const policies: EffectivePolicyAssignment[] = user.voiceRoutingPolicy
        ? [policyAssignmentOf(spec.id, user.voiceRoutingPolicy, 'direct')]
        : [policyAssignmentOf(spec.id, 'Global', 'default')];
      tenant.users.set(user.id, { phoneLicensed: true, accountEnabled: true, ...user, policies });
      if (user.number) tenant.numbers.set(user.number, assignedNumber(user.number, user.id));
    }
    for (const number of spec.unassignedNumbers ?? []) tenant.numbers.set(number, unassignedNumber(number));
    this.tenants.set(spec.id, tenant);
  }

  setKnobs(knobs: Partial<GraphSimulatorKnobs>): void {
    Object.assign(this.knobs, knobs);
  }

  failNext(failure: InjectedGraphFailure): void {
    this.failures.push({ ...failure, left: failure.times ?? 1 });
  }

  /** The customer's administrator removed the app from the tenant: tokens stop, new ones are refused. */
  revokeConsent(tenantId: string): void {
    this.tenants.get(tenantId)?.consented.delete(this.fixture.clientId);
    for (const [token, entry] of this.accessTokens) if (entry.tenantId === tenantId) this.accessTokens.delete(token);
  }

  /** The consent grants only these application permissions (as when the admin's consent was partial). */
  grantOnly(tenantId: string, permissions: string[]): void {
    const tenant = this.tenants.get(tenantId);
    if (tenant) tenant.grantedPermissions = permissions;
  }

  hasConsent(tenantId: string): boolean {
    return this.tenants.get(tenantId)?.consented.has(this.fixture.clientId) ?? false;
  }

  /** The tenant's Direct Routing number, as Graph would list it (after due operations settle). */
  numberAssignment(tenantId: string, telephoneNumber: string): NumberAssignment | undefined {
    this.settle();
    return this.tenants.get(tenantId)?.numbers.get(telephoneNumber);
  }

  userPolicy(tenantId: string, userId: string): string | undefined {
    const user = this.tenants.get(tenantId)?.users.get(userId);
    return user?.policies.find((p) => p.policyType === VOICE_ROUTING_POLICY)?.policyAssignment?.displayName ?? undefined;
  }

  callCount(pattern?: RegExp): number {
    let total = 0;
    for (const [key, count] of this.calls) if (!pattern || pattern.test(key)) total += count;
    return total;
  }

  async start(port = 0): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'graph-simulator', alg: 'RS256', use: 'sig' };
    this.keys = { privateKey: privateKey as KeyLike, jwk };
    // A client that went away mid-request (a time-out, a test's end) leaves nothing to answer.
    this.server = http.createServer((req, res) => void this.serve(req, res).catch(() => res.destroy()));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const text = await readBody(req);
    if (this.knobs.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.knobs.latencyMs));
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname);
    const shape = `${method} ${path.replace(/\/(v1\.0|beta)\//, '/$1/').replace(/'[^']*'/g, "'…'").replace(/^\/[^/]+\/(oauth2|v2\.0|discovery)/, '/{tenant}/$1')}`;
    this.calls.set(shape, (this.calls.get(shape) ?? 0) + 1);
    const injected = this.failures.find((f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(path)));
    let reply: Reply;
    if (injected) {
      injected.left--;
      reply = {
        status: injected.status,
        body: { error: { code: injected.code ?? `Injected${injected.status}`, message: injected.message ?? 'injected failure' } },
        headers: injected.retryAfterSeconds !== undefined ? { 'retry-after': String(injected.retryAfterSeconds) } : {},
      };
    } else {
      try {
        reply = await this.route(method, path, url.searchParams, text, req.headers.authorization);
      } catch (error) {
        reply = { status: 500, body: { error: { code: 'SimulatorError', message: String(error) } } };
      }
    }
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.html !== undefined) {
      res.writeHead(reply.status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(reply.html);
      return;
    }
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(reply.body));
  }

  private async route(method: string, path: string, query: URLSearchParams, text: string, authorization?: string): Promise<Reply> {
    let match: RegExpExecArray | null;
    // The sign-in authority.
    if (method === 'GET' && (match = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path))) {
      return this.openIdConfiguration(match[1]!);
    }
    if (method === 'GET' && /^\/[^/]+\/discovery\/v2\.0\/keys$/.test(path)) {
      return { status: 200, body: { keys: [this.keys!.jwk] } };
    }
    if ((match = /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/.exec(path))) {
      const form = method === 'POST' ? new URLSearchParams(text) : query;
      return this.authorize(match[1]!, form, method === 'POST');
    }
    if ((match = /^\/([^/]+)\/v2\.0\/adminconsent$/.exec(path))) {
      const form = method === 'POST' ? new URLSearchParams(text) : query;
      return this.adminConsent(match[1]!, form, method === 'POST');
    }
    if (method === 'POST' && (match = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path))) {
      return this.tokenEndpoint(match[1]!, new URLSearchParams(text));
    }

    // Graph: every call needs an app-only token of the tenant it reads.
    const caller = this.tenantOfToken(authorization);
    if (!caller) {
      return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty, expired or not valid.');
    }
    this.settle();
    const tenant = caller;
    if (method === 'GET' && path === '/v1.0/users') return this.page(tenant, query, [...tenant.users.values()].map(userOf), '/v1.0/users');
    if (method === 'GET' && path === '/beta/admin/teams/userConfigurations') {
      return this.page(tenant, query, [...tenant.users.values()].map((u) => configurationOf(tenant, u)), '/beta/admin/teams/userConfigurations');
    }
    if (method === 'GET' && path === '/beta/admin/teams/telephoneNumberManagement/numberAssignments') {
      const filter = query.get('$filter') ?? '';
      const numbers = [...tenant.numbers.values()].filter((n) => !/numberType eq 'directRouting'/.test(filter) || n.numberType === 'directRouting');
      const top = Math.min(Number(query.get('$top') ?? 1000), 1000);
      const skip = Number(query.get('$skip') ?? 0);
      return { status: 200, body: { value: numbers.slice(skip, skip + top) } };
    }
    if (method === 'POST' && path === '/beta/admin/teams/telephoneNumberManagement/numberAssignments/assignNumber') {
      return this.assignNumber(tenant, parseJson(text));
    }
    if (method === 'POST' && path === '/beta/admin/teams/telephoneNumberManagement/numberAssignments/unassignNumber') {
      return this.unassignNumber(tenant, parseJson(text));
    }
    if (method === 'GET' && (match = /^\/beta\/admin\/teams\/telephoneNumberManagement\/operations(?:\('([^']+)'\)|\/([^/]+))$/.exec(path))) {
      const operation = this.operations.get(match[1] ?? match[2]!);
      if (!operation || operation.tenantId !== tenant.spec.id) return graphError(404, 'NotFound', 'No such operation');
      return {
        status: 200,
        body: {
          id: operation.id,
          createdDateTime: operation.createdAt.toISOString(),
          status: operation.status,
          numbers: [{ status: operation.status, ...(operation.statusDetail ? { statusDetail: operation.statusDetail } : {}) }],
        },
      };
    }
    if (method === 'GET' && (match = /^\/beta\/admin\/teams\/policy\/getPolicyId\(type='([^']*)',name='([^']*)'\)$/.exec(path))) {
      const [, type, name] = match;
      const id = type === VOICE_ROUTING_POLICY ? tenant.policies.get(name!.toLowerCase()) : undefined;
      if (!id) return graphError(404, 'NotFound', `No ${type} named '${name}' in this tenant`);
      const spelled = ['Global', ...(tenant.spec.voiceRoutingPolicies ?? [])].find((p) => p.toLowerCase() === name!.toLowerCase())!;
      return { status: 200, body: { value: [{ name: spelled === 'Global' ? 'Global' : `Tag:${spelled}`, policyId: id }] } };
    }
    if (method === 'POST' && path === '/beta/admin/teams/policy/userAssignments/assign') {
      return this.assignPolicy(tenant, parseJson(text));
    }
    return graphError(404, 'UnknownPath', `The simulator does not answer ${method} ${path}`);
  }

  private findTenant(nameOrId: string): SimulatedTenant | undefined {
    const key = nameOrId.toLowerCase();
    for (const tenant of this.tenants.values()) {
      if (tenant.spec.id === nameOrId || tenant.spec.domains.some((d) => d.toLowerCase() === key)) return tenant;
    }
    return undefined;
  }

  private openIdConfiguration(nameOrId: string): Reply {
    const tenant = this.findTenant(nameOrId);
    if (!tenant) {
      return { status: 400, body: { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${nameOrId}' not found.` } };
    }
    const base = `${this.baseUrl}/${tenant.spec.id}`;
    return {
      status: 200,
      body: {
        issuer: `${base}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        jwks_uri: `${this.baseUrl}/common/discovery/v2.0/keys`,
      },
    };
  }

  /** Microsoft's "Pick an account" page: any account of any simulated tenant (as with /organizations). */
  private authorize(authority: string, form: URLSearchParams, submitted: boolean): Reply {
    const clientId = form.get('client_id') ?? '';
    const redirectUri = form.get('redirect_uri') ?? '';
    const state = form.get('state') ?? '';
    if (clientId !== this.fixture.clientId || !redirectUri) {
      return { status: 400, html: `<p>AADSTS700016: Application with identifier '${escapeHtml(clientId)}' was not found.</p>` };
    }
    const tenants = authority === 'organizations' || authority === 'common' ? [...this.tenants.values()] : [this.findTenant(authority)].filter(isDefined);
    if (!submitted) {
      const accounts: PageAccount[] = tenants.flatMap((t) =>
        [...t.users.values()].filter((u) => u.accountEnabled !== false).map((u) => ({ id: `${t.spec.id}/${u.id}`, name: u.displayName, upn: u.userPrincipalName, admin: !!u.admin, organisation: t.spec.displayName })),
      );
      return { status: 200, html: signInPage(`/${authority}/oauth2/v2.0/authorize`, form, accounts) };
    }
    if (form.get('cancel')) return redirect(redirectUri, { error: 'access_denied', error_description: 'AADSTS65004: User declined to sign in.', state });
    const [tenantId, userId] = (form.get('account') ?? '').split('/');
    const tenant = tenants.find((t) => t.spec.id === tenantId);
    if (!tenant || !tenant.users.has(userId ?? '')) return { status: 400, html: '<p>Pick an account.</p>' };
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { tenantId: tenant.spec.id, userId: userId!, clientId, redirectUri, ...(form.get('nonce') ? { nonce: form.get('nonce')! } : {}) });
    return redirect(redirectUri, { code, state });
  }

  /** The admin-consent page: an administrator of the tenant accepts the app's permissions. */
  private adminConsent(authority: string, form: URLSearchParams, submitted: boolean): Reply {
    const tenant = this.findTenant(authority);
    const clientId = form.get('client_id') ?? '';
    const redirectUri = form.get('redirect_uri') ?? '';
    const state = form.get('state') ?? '';
    if (!tenant) return { status: 400, html: `<p>AADSTS90002: Tenant '${escapeHtml(authority)}' not found.</p>` };
    if (clientId !== this.fixture.clientId || !redirectUri) {
      return { status: 400, html: `<p>AADSTS700016: Application with identifier '${escapeHtml(clientId)}' was not found.</p>` };
    }
    if (!submitted) {
      const admins = [...tenant.users.values()].filter((u) => u.admin).map((u) => ({ id: u.id, name: u.displayName, upn: u.userPrincipalName, admin: true }));
      return { status: 200, html: adminConsentPage(`/${authority}/v2.0/adminconsent`, form, tenant.spec.displayName, admins) };
    }
    if (form.get('cancel')) {
      return redirect(redirectUri, { error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.', state });
    }
    const admin = tenant.users.get(form.get('account') ?? '');
    if (!admin?.admin) return { status: 403, html: '<p>Need admin approval: only an administrator of this organisation can grant it.</p>' };
    tenant.consented.add(clientId);
    return redirect(redirectUri, { admin_consent: 'True', tenant: tenant.spec.id, state, scope: 'https://graph.microsoft.com/.default' });
  }

  private async tokenEndpoint(authority: string, form: URLSearchParams): Promise<Reply> {
    if (form.get('client_id') !== this.fixture.clientId || form.get('client_secret') !== this.fixture.clientSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } };
    }
    if (form.get('grant_type') === 'authorization_code') {
      const grant = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      if (!grant || grant.redirectUri !== form.get('redirect_uri')) {
        return { status: 400, body: { error: 'invalid_grant', error_description: 'AADSTS70008: The provided authorization code is invalid or has expired.' } };
      }
      const tenant = this.tenants.get(grant.tenantId)!;
      const user = tenant.users.get(grant.userId)!;
      const idToken = await new SignJWT({
        tid: tenant.spec.id,
        oid: user.id,
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        ...(grant.nonce ? { nonce: grant.nonce } : {}),
        ...(user.admin ? { wids: [GLOBAL_ADMINISTRATOR_ROLE] } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'graph-simulator' })
        .setIssuer(`${this.baseUrl}/${tenant.spec.id}/v2.0`)
        .setAudience(this.fixture.clientId)
        .setSubject(user.id)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(this.keys!.privateKey);
      return { status: 200, body: { token_type: 'Bearer', id_token: idToken, expires_in: 3599 } };
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'AADSTS70003: unsupported grant type' } };
    }
    const tenant = this.findTenant(authority);
    if (!tenant) return { status: 400, body: { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${authority}' not found.` } };
    if (!tenant.consented.has(this.fixture.clientId)) {
      return {
        status: 400,
        body: {
          error: 'unauthorized_client',
          error_description: `AADSTS700016: Application with identifier '${this.fixture.clientId}' was not found in the directory '${tenant.spec.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
        },
      };
    }
    // A JWT like Entra's, whose roles are the application permissions the tenant granted.
    const token = await new SignJWT({
      tid: tenant.spec.id,
      roles: tenant.grantedPermissions ?? [...GRAPH_PERMISSIONS],
      idtyp: 'app',
      uti: randomBytes(9).toString('base64url'),
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'graph-simulator' })
      .setIssuer(`${this.baseUrl}/${tenant.spec.id}/v2.0`)
      .setAudience('https://graph.microsoft.com')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(this.keys!.privateKey);
    this.accessTokens.set(token, { tenantId: tenant.spec.id, expiresAt: Date.now() + 3600_000 });
    return { status: 200, body: { token_type: 'Bearer', access_token: token, expires_in: 3599 } };
  }

  private tenantOfToken(authorization: string | undefined): SimulatedTenant | undefined {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const entry = token ? this.accessTokens.get(token) : undefined;
    if (!entry || entry.expiresAt < Date.now()) return undefined;
    return this.tenants.get(entry.tenantId);
  }

  private page(tenant: SimulatedTenant, query: URLSearchParams, items: unknown[], path: string): Reply {
    const size = Math.min(this.knobs.pageSize, Number(query.get('$top') ?? Infinity));
    const skip = Number(query.get('$skiptoken') ?? 0);
    const value = items.slice(skip, skip + size);
    const next = skip + size < items.length ? `${this.baseUrl}${path}?$skiptoken=${skip + size}` : undefined;
    void tenant;
    return { status: 200, body: { value, ...(next ? { '@odata.nextLink': next } : {}) } };
  }

  private assignNumber(tenant: SimulatedTenant, body: Record<string, unknown>): Reply {
    const telephoneNumber = String(body.telephoneNumber ?? '');
    const userId = String(body.assignmentTargetId ?? '');
    if (!/^\+?\d{7,15}$/.test(telephoneNumber) || !userId || body.numberType !== 'directRouting') {
      return graphError(400, 'BadRequest', 'telephoneNumber, assignmentTargetId and numberType directRouting are required');
    }
    const number = telephoneNumber.startsWith('+') ? telephoneNumber : `+${telephoneNumber}`;
    return this.startOperation(tenant, number, () => {
      const user = tenant.users.get(userId);
      if (!user) return `User '${userId}' was not found in the tenant.`;
      if (!user.phoneLicensed) return `The user ${user.userPrincipalName} does not have a Teams Phone license. Assign a Teams Phone license, then try again.`;
      const current = tenant.numbers.get(number);
      if (current && current.assignmentStatus !== 'unassigned' && current.assignmentTargetId !== userId) {
        return `The telephone number ${number} is already assigned to another user or resource account.`;
      }
      // A user holds one primary number: the old one is freed.
      for (const other of tenant.numbers.values()) {
        if (other.assignmentTargetId === userId && other.telephoneNumber !== number) Object.assign(other, unassignedNumber(other.telephoneNumber));
      }
      tenant.numbers.set(number, assignedNumber(number, userId));
      user.number = number;
      user.enterpriseVoice = true;
      return undefined;
    }, () => {
      const pending = tenant.numbers.get(number);
      if (pending && pending.assignmentStatus === 'unassigned') pending.activationState = 'assignmentPending';
    });
  }

  private unassignNumber(tenant: SimulatedTenant, body: Record<string, unknown>): Reply {
    const telephoneNumber = String(body.telephoneNumber ?? '');
    if (!telephoneNumber || body.numberType !== 'directRouting') {
      return graphError(400, 'BadRequest', 'telephoneNumber and numberType directRouting are required');
    }
    const number = telephoneNumber.startsWith('+') ? telephoneNumber : `+${telephoneNumber}`;
    return this.startOperation(tenant, number, () => {
      const current = tenant.numbers.get(number);
      if (!current || current.assignmentStatus === 'unassigned') return `The telephone number ${number} is not assigned.`;
      const user = current.assignmentTargetId ? tenant.users.get(current.assignmentTargetId) : undefined;
      if (user) delete user.number;
      tenant.numbers.set(number, unassignedNumber(number));
      return undefined;
    }, () => {
      const current = tenant.numbers.get(number);
      if (current && current.assignmentStatus !== 'unassigned') current.activationState = 'updatePending';
    });
  }

  private startOperation(tenant: SimulatedTenant, telephoneNumber: string, apply: () => string | undefined, markPending: () => void): Reply {
    const id = Buffer.from(`Assignment|${randomUUID()}`).toString('base64url');
    markPending();
    this.operations.set(id, {
      id,
      tenantId: tenant.spec.id,
      telephoneNumber,
      createdAt: new Date(),
      settlesAt: Date.now() + this.knobs.operationMs,
      status: 'running',
      apply,
    });
    if (this.knobs.operationMs <= 0) this.settle();
    return { status: 202, headers: { location: `${this.baseUrl}/beta/admin/teams/telephoneNumberManagement/operations('${id}')` } };
  }

  /** Operations whose time has come finish, in the order they started. */
  private settle(): void {
    const now = Date.now();
    for (const operation of this.operations.values()) {
      if (operation.status !== 'running' || operation.settlesAt > now) continue;
      const failure = operation.apply();
      operation.status = failure ? 'failed' : 'succeeded';
      if (failure) {
        operation.statusDetail = failure;
        // Only this operation's number goes back: others may still be under way.
        const number = this.tenants.get(operation.tenantId)!.numbers.get(operation.telephoneNumber);
        if (number && (number.activationState === 'assignmentPending' || number.activationState === 'updatePending')) number.activationState = 'activated';
      }
    }
  }

  private assignPolicy(tenant: SimulatedTenant, body: Record<string, unknown>): Reply {
    const value = Array.isArray(body.value) ? (body.value as Record<string, unknown>[]) : [];
    if (value.length === 0) return graphError(400, 'BadRequest', 'value must hold at least one assignment');
    for (const entry of value) {
      const user = tenant.users.get(String(entry.userId ?? ''));
      if (!user) return graphError(404, 'NotFound', `User '${String(entry.userId)}' was not found`);
      const policyName = [...tenant.policies.entries()].find(([, id]) => id === entry.policyId)?.[0];
      if (entry.policyType !== VOICE_ROUTING_POLICY || !policyName) return graphError(400, 'BadRequest', 'Unknown policy');
      const displayName = ['Global', ...(tenant.spec.voiceRoutingPolicies ?? [])].find((p) => p.toLowerCase() === policyName)!;
      user.policies = [
        ...user.policies.filter((p) => p.policyType !== VOICE_ROUTING_POLICY),
        policyAssignmentOf(tenant.spec.id, displayName, 'direct'),
      ];
      user.voiceRoutingPolicy = displayName;
    }
    return { status: 204 };
  }
}

function userOf(user: SimulatedUserSpec): GraphUser {
  return { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName, accountEnabled: user.accountEnabled ?? true };
}

function configurationOf(tenant: SimulatedTenant, user: SimulatedUserSpec & { policies: EffectivePolicyAssignment[] }): TeamsUserConfiguration {
  const number = [...tenant.numbers.values()].find((n) => n.assignmentTargetId === user.id && n.assignmentStatus === 'userAssigned');
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    isEnterpriseVoiceEnabled: user.enterpriseVoice ?? false,
    telephoneNumbers: number ? [{ telephoneNumber: number.telephoneNumber, assignmentCategory: 'primary' }] : [],
    effectivePolicyAssignments: user.policies,
    accountType: 'user',
  };
}

function assignedNumber(telephoneNumber: string, userId: string): NumberAssignment {
  return {
    telephoneNumber,
    assignmentStatus: 'userAssigned',
    assignmentTargetId: userId,
    activationState: 'activated',
    numberType: 'directRouting',
    assignmentCategory: 'primary',
  };
}

function unassignedNumber(telephoneNumber: string): NumberAssignment {
  return { telephoneNumber, assignmentStatus: 'unassigned', assignmentTargetId: null, activationState: 'activated', numberType: 'directRouting', assignmentCategory: null };
}

function policyIdOf(tenantId: string, name: string): string {
  return Buffer.from(`${tenantId}|${VOICE_ROUTING_POLICY}|${name.toLowerCase()}`).toString('base64url');
}

function policyAssignmentOf(tenantId: string, name: string, assignmentType: string): EffectivePolicyAssignment {
  return { policyType: VOICE_ROUTING_POLICY, policyAssignment: { displayName: name, policyId: policyIdOf(tenantId, name), assignmentType } };
}

function graphError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

function redirect(target: string, params: Record<string, string>): Reply {
  const url = new URL(target);
  for (const [key, value] of Object.entries(params)) if (value !== '') url.searchParams.set(key, value);
  return { status: 302, headers: { location: url.toString() }, html: '' };
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
