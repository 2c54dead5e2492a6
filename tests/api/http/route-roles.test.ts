import { APP_COLLECTIONS } from '../../../api/app';
import { hasRole, type MemberRole } from '../../../api/members/member-role';
import { allowCoManagement, CONTOSO } from '../../support/co-management';
import { LEAST_ROLE } from '../../support/route-roles';
import { createCustomer, startTestApp, type TestApp } from '../../support/test-app';


const ACCOUNT = 'roles-contoso';
/** Contoso's numbers (demo-microsoft.ts): free ones on the backend account, and Teams users to give them to. */
const FREE = ['+12125550101', '+12125550107'];
const ASSIGNED = { alex: '+12125550100' };

/** Who calls: the three roles, and a user of the tenant who is not a member while newMembers is none. */
type Who = MemberRole | 'outsider';
const WHO: Who[] = ['viewer', 'operator', 'admin', 'outsider'];

interface Call {
  method: string;
  path: string;
  body?: unknown;
  /** A CSV file sent as the body (text/csv). */
  csv?: string;
}

describe('every route states its least role, and the API keeps to it', () => {
  let t: TestApp;
  let openApi: { paths: Record<string, Record<string, { operationId: string; 'x-required-role'?: string; description?: string }>> };
  const tokens = {} as Record<Who, string>;
  /** What the calls need, made once by the Admin. */
  const f = { contoso: '', plain: '', runId: '', operationId: '', jobId: '', number: '+16465550200' };
  /** A job that stays queued (the app's runner is stopped here), for the job routes. */
  const queuedJob = async () =>
    (await t.app.services.jobs.enqueue(t.callerA, { kind: 'test.table', rows: [{ input: 'x' }], outcomes: ['ok'] }))._id.toHexString();
  let serial = 0;

  beforeAll(async () => {
    t = await startTestApp({
      backend: { accounts: [{ id: ACCOUNT, name: 'Contoso', teamsCallflows: [[ASSIGNED.alex]], freeNumbers: FREE }] },
    });
    f.contoso = await createCustomer(t, { accountId: ACCOUNT, tenantName: CONTOSO.tenantName, name: 'Contoso' });
    f.plain = await createCustomer(t, { name: 'Plain' });
    expect((await t.request('POST', `/api/v1/customers/${f.contoso}/numbers`, { body: { numbers: [...FREE, ASSIGNED.alex] } })).status).toBe(200);
    expect((await t.request('POST', `/api/v1/customers/${f.plain}/numbers`, { body: { numbers: [f.number] } })).status).toBe(200);
    const run = await t.request('POST', `/api/v1/customers/${f.contoso}/sync`);
    f.runId = run.body.id;
    await t.app.services.sync.idle();
    await allowCoManagement(t, f.contoso);
    const operation = await t.request('PUT', `/api/v1/customers/${f.contoso}/teams/users/${CONTOSO.megan}/number`, { body: { telephoneNumber: FREE[0] } });
    expect(operation.status).toBe(202);
    f.operationId = operation.body.id;
    await t.app.services.coManagement.idle();
    for (const role of ['viewer', 'operator', 'admin'] as const) tokens[role] = await t.tokenAs(role, `table-${role}`);
    expect((await t.request('PATCH', '/api/v1/settings', { body: { newMembers: 'none' } })).status).toBe(200);
    tokens.outsider = await t.tokenFor(t.partnerA.tenantId, 'not-a-member');
    openApi = (await t.request('GET', '/api/v1/openapi.json', { token: null })).body;
    t.app.services.jobRunner.stop();
    f.jobId = await queuedJob();
  });
  afterAll(() => t.close());

  /** A request that the route answers with 2xx for a caller allowed to make it; each caller's writes are their own. */
  async function callFor(operationId: string, who: Who): Promise<Call> {
    const n = ++serial;
    const customer = `/api/v1/customers/${f.plain}`;
    const teams = `/api/v1/customers/${f.contoso}/teams`;
    switch (operationId) {
      case 'me':
        return { method: 'GET', path: '/api/v1/me' };
      case 'listCustomers':
        return { method: 'GET', path: '/api/v1/customers' };
      case 'getCustomer':
        return { method: 'GET', path: customer };
      case 'createCustomer':
        t.backendAccount(`table-${n}`);
        return { method: 'POST', path: '/api/v1/customers', body: { accountId: `table-${n}`, tenantName: 'table.onmicrosoft.com', maxChannels: 4 } };
      case 'updateCustomer':
        return { method: 'PATCH', path: customer, body: { name: `Plain ${n}` } };
      case 'listNumbers':
        return { method: 'GET', path: `${customer}/numbers` };
      case 'numberHistory':
        return { method: 'GET', path: `${customer}/numbers/${encodeURIComponent(f.number)}/history` };
      case 'addNumbers':
        return { method: 'POST', path: `${customer}/numbers`, body: { numbers: [`+1646555${String(300 + n).padStart(4, '0')}`] } };
      case 'removeNumbers': {
        const number = `+1646555${String(600 + n).padStart(4, '0')}`;
        await t.app.services.numbers.add(t.callerA, f.plain, [number]);
        return { method: 'POST', path: `${customer}/numbers/remove`, body: { numbers: [number], mode: 'retain' } };
      }
      case 'suggestMaxChannels':
        return { method: 'GET', path: '/api/v1/channels/suggest?seatType=unbundled&seats=10' };
      case 'listAudit':
        return { method: 'GET', path: '/api/v1/audit' };
      case 'startSync':
        return { method: 'POST', path: `${customer}/sync?dryRun=true` };
      case 'getSyncRun':
        return { method: 'GET', path: `/api/v1/sync-runs/${f.runId}` };
      case 'listSyncRuns':
        return { method: 'GET', path: `/api/v1/customers/${f.contoso}/sync-runs` };
      case 'getCustomerDrift':
        return { method: 'GET', path: `${customer}/drift` };
      case 'getCustomerSchedule':
        return { method: 'GET', path: `${customer}/schedule` };
      case 'setCustomerSchedule':
        return { method: 'PUT', path: `${customer}/schedule`, body: { kind: 'hourly', minute: n % 60 } };
      case 'getDefaultSchedule':
        return { method: 'GET', path: '/api/v1/schedule' };
      case 'setDefaultSchedule':
        return { method: 'PUT', path: '/api/v1/schedule', body: { kind: 'daily', time: `0${n % 10}:30`, timeZone: 'Europe/Berlin' } };
      case 'createActivationLink':
        return { method: 'POST', path: `${customer}/activation-link` };
      case 'listTeamsUsers':
        return { method: 'GET', path: `${teams}/users` };
      case 'listTeamsNumbers':
        return { method: 'GET', path: `${teams}/numbers` };
      case 'listAssignableNumbers':
        return { method: 'GET', path: `${teams}/assignable-numbers` };
      case 'listVoiceRoutingPolicies':
        return { method: 'GET', path: `${teams}/voice-routing-policies` };
      case 'getTeamsOperation':
        return { method: 'GET', path: `${teams}/operations/${f.operationId}` };
      case 'assignTeamsNumber': {
        await t.app.services.coManagement.idle();
        // Each allowed caller gives the other free number to Lee, taking it back from whoever had it.
        return { method: 'PUT', path: `${teams}/users/${CONTOSO.lee}/number`, body: { telephoneNumber: FREE[n % 2] } };
      }
      case 'unassignTeamsNumber':
        await t.app.services.coManagement.idle();
        return { method: 'DELETE', path: `${teams}/users/${CONTOSO.lee}/number` };
      case 'setVoiceRoutingPolicy':
        return { method: 'PUT', path: `${teams}/users/${CONTOSO.lee}/voice-routing-policy`, body: { name: 'US-West' } };
      case 'listMembers':
        return { method: 'GET', path: '/api/v1/members' };
      case 'setMemberRole':
        return { method: 'PUT', path: `/api/v1/members/granted-${n}`, body: { role: 'viewer', name: `Granted ${n}` } };
      case 'removeMember':
        await t.app.services.members.setRole(t.callerA, `leaving-${n}`, { role: 'viewer' });
        return { method: 'DELETE', path: `/api/v1/members/leaving-${n}` };
      case 'getSettings':
        return { method: 'GET', path: '/api/v1/settings' };
      case 'updateSettings':
        return { method: 'PATCH', path: '/api/v1/settings', body: { newMembers: 'none' } };
      case 'listJobs':
        return { method: 'GET', path: '/api/v1/jobs' };
      case 'getJob':
        return { method: 'GET', path: `/api/v1/jobs/${f.jobId}` };
      case 'listJobRows':
        return { method: 'GET', path: `/api/v1/jobs/${f.jobId}/rows` };
      case 'importCustomers':
        return { method: 'POST', path: '/api/v1/customers/import?dryRun=true', csv: `Account ID,Tenant Name,Max Channels\ntable-file-${n},table.onmicrosoft.com,4\n` };
      case 'exportCustomers':
        return { method: 'GET', path: '/api/v1/customers/export' };
      case 'importNumbers':
        return { method: 'POST', path: `${customer}/numbers/import?dryRun=true`, csv: `number\n+1646555${String(900 + n).padStart(4, '0')}\n` };
      case 'exportNumbers':
        return { method: 'GET', path: `${customer}/numbers/export` };
      case 'exportJobRows':
        return { method: 'GET', path: `/api/v1/jobs/${f.jobId}/rows/export` };
      case 'cancelJob':
        return { method: 'POST', path: `/api/v1/jobs/${await queuedJob()}/cancel` };
      default:
        throw new Error(`${operationId} (${who}): no call written for this route; add one to callFor`);
    }
  }

  /** Every document of every collection the app owns: what a refused call must leave as it was. */
  async function everything(): Promise<string> {
    const all = await Promise.all(APP_COLLECTIONS.map((definition) => definition.of(t.database.db).find({}).sort({ _id: 1 }).toArray()));
    return JSON.stringify(all);
  }

  it('the OpenAPI document states each route’s least role, as the table says, and no route is missing from the table', () => {
    const stated: Record<string, string | undefined> = {};
    for (const operations of Object.values(openApi.paths)) {
      for (const operation of Object.values(operations)) {
        stated[operation.operationId] = operation['x-required-role'];
        if (operation['x-required-role'] !== 'public') {
          expect(operation.description).toMatch(/^Needs the (Viewer|Operator|Admin) role or above\./);
        }
      }
    }
    expect(stated).toEqual(LEAST_ROLE);
  });

  const signedInRoutes = Object.entries(LEAST_ROLE).filter(([, role]) => role !== 'public') as [string, MemberRole][];

  describe.each(WHO)('as %s', (who) => {
    it.each(signedInRoutes)('%s (least role %s)', async (operationId, least) => {
      const call = await callFor(operationId, who);
      const allowed = who !== 'outsider' && hasRole(who, least);
      // What earlier calls started in the background (syncs, Teams operations) is finished first.
      await Promise.all([t.app.services.sync.idle(), t.app.services.coManagement.idle()]);
      const before = allowed ? '' : await everything();
      const response = await t.request(call.method, call.path, {
        token: tokens[who],
        ...(call.body === undefined ? {} : { body: call.body }),
        ...(call.csv === undefined ? {} : { rawBody: call.csv, headers: { 'content-type': 'text/csv' } }),
      });
      if (allowed) {
        expect({ operationId, status: response.status, body: response.status < 300 ? 'ok' : response.body }).toEqual({ operationId, status: expect.any(Number), body: 'ok' });
        expect(response.status).toBeGreaterThanOrEqual(200);
        return;
      }
      expect(response.status).toBe(403);
      if (who === 'outsider') {
        expect(response.body.error).toEqual({ code: 'not_a_member', message: 'Ask an admin of Partner A for access' });
      } else {
        expect(response.body.error).toMatchObject({ code: 'role_required', details: { requiredRole: least, role: who } });
        expect(response.body.error.message).toContain(`Ask an admin of Partner A for access`);
      }
      // Refused before anything was read into a write: not one document changed.
      expect(await everything()).toBe(before);
    });
  });
});
