import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NumberAssignment } from '../graph-types';
import { VOICE_ROUTING_POLICY } from '../graph-types';
import { graphError, parseJson, readBody, type Reply } from './graph-replies';
import { SimulatedIdentity } from './simulated-identity';
import {
  assignedNumber,
  configurationOf,
  policyAssignmentOf,
  simulatedTenant,
  unassignedNumber,
  userOf,
  type SimulatedTenant,
  type SimulatedTenantSpec,
} from './simulated-tenant';

export { GLOBAL_ADMINISTRATOR_ROLE, type SimulatedTenantSpec, type SimulatedUserSpec } from './simulated-tenant';

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

/**
 * Microsoft on loopback: the sign-in authority (simulated-identity.ts) and the
 * Graph calls of graph-api.md, with tenants, users and Direct Routing numbers
 * in memory (simulated-tenant.ts).
 * `npm start` uses it when no Entra app is configured; the tests use it
 * through the real client.
 */
export class GraphSimulator {
  readonly knobs: GraphSimulatorKnobs = { operationMs: 1500, pageSize: 100, latencyMs: 0 };
  readonly calls = new Map<string, number>();
  private readonly tenants = new Map<string, SimulatedTenant>();
  private readonly identity: SimulatedIdentity;
  private readonly operations = new Map<string, SimulatedOperation>();
  private readonly failures: (InjectedGraphFailure & { left: number })[] = [];
  private server: http.Server | undefined;
  private baseUrl = '';

  constructor(private readonly fixture: GraphSimulatorFixture) {
    for (const spec of fixture.tenants) this.addTenant(spec);
    this.identity = new SimulatedIdentity(fixture, this.tenants, () => this.baseUrl);
  }

  get url(): string {
    return this.baseUrl;
  }

  addTenant(spec: SimulatedTenantSpec): void {
    this.tenants.set(spec.id, simulatedTenant(spec));
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
    this.identity.revokeTokens(tenantId);
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
    await this.identity.start();
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
    const signIn = await this.identity.route(method, path, query, text);
    if (signIn) return signIn;
    let match: RegExpExecArray | null;
    // Graph: every call needs an app-only token of the tenant it reads.
    const caller = this.identity.tenantOfToken(authorization);
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

