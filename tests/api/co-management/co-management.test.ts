import { ObjectId } from 'mongodb';
import { DEMO_TENANTS } from '../../../api/demo/demo-microsoft';
import { allowCoManagement, CONTOSO, type ActivationBrowser } from '../../support/co-management';
import { createCustomer, PARTNER_B, startTestApp, type TestApp } from '../../support/test-app';

/** Contoso's numbers (demo-microsoft.ts) and the portal's view of them once synced. */
const N = {
  /** Alex's in Teams; in a Teams callflow of the account: synced. */
  alex: '+12125550100',
  /** Free on the backend account: synced; not in Teams. */
  free: '+12125550101',
  /** Added after the sync: pending. */
  pending: '+12125550102',
  /** Lynne's in Teams; not on the backend account: not_in_backend. */
  lynne: '+12125550103',
  /** Unassigned Direct Routing number of the tenant; in a Teams callflow: synced. */
  unassigned: '+12125550105',
  /** Free on the backend account: synced; not in Teams. */
  spare: '+12125550107',
  /** Diego's in Teams; not one of the customer's numbers. */
  diego: '+12125550109',
};
const ACCOUNT = 'cm-contoso';
const ISAIAH = 'c0a1c0a1-0000-4000-8000-000000000107';
const PRADEEP = 'c0a1c0a1-0000-4000-8000-000000000109';
const FABRIKAM = { tenantId: DEMO_TENANTS.fabrikam, tenantName: 'fabrikam.onmicrosoft.com', admin: 'fab0fab0-0000-4000-8000-000000000101' };
const NOT_IN_BACKEND_TEXT = 'Needs to be added to portal (not in backend)';
const ROUTED_NOT_ASSIGNED = 'Routed to Teams by the backend, not assigned to anyone in Teams';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface AuditEntry {
  action: string;
  actor: { tid: string; oid: string; name?: string };
  details: Record<string, unknown>;
}

describe("co-management, the partner's side (Teams users and numbers)", () => {
  let t: TestApp;
  let tokenB: string;
  /** Partner A's customer on Contoso, synced with the backend, co-management allowed. */
  let contoso: string;
  /** An assignment of Contoso's, to look for under another customer. */
  let contosoOperation = '';
  /** Contoso's administrator on the activation page, to switch co-management off and on. */
  let contosoAdmin: ActivationBrowser;

  beforeAll(async () => {
    t = await startTestApp({
      backend: { accounts: [{ id: ACCOUNT, name: 'Contoso', teamsCallflows: [[N.alex, N.unassigned]], freeNumbers: [N.free, N.spare] }] },
    });
    tokenB = await t.tokenFor(PARTNER_B.tenantId);
    contoso = await createCustomer(t, { accountId: ACCOUNT, tenantName: CONTOSO.tenantName, name: 'Contoso' });
    await addNumbers(contoso, [N.alex, N.free, N.unassigned, N.lynne, N.spare]);
    const run = await t.request('POST', `/api/v1/customers/${contoso}/sync`);
    expect(run.status).toBe(202);
    await t.app.services.sync.idle();
    await addNumbers(contoso, [N.pending]);
    contosoAdmin = await allowCoManagement(t, contoso);
  });
  afterAll(() => t.close());

  async function addNumbers(customerId: string, numbers: string[]) {
    const response = await t.request('POST', `/api/v1/customers/${customerId}/numbers`, { body: { numbers: numbers.join('\n') } });
    expect(response.status).toBe(200);
    expect(response.body.summary.added).toBe(numbers.length);
  }

  const teams = (customerId: string, rest: string) => `/api/v1/customers/${customerId}/teams${rest}`;

  async function audit(customerId: string): Promise<AuditEntry[]> {
    const response = await t.request('GET', `/api/v1/audit?customerId=${customerId}&pageSize=200`);
    expect(response.status).toBe(200);
    return response.body.items;
  }

  async function user(userId: string) {
    const response = await t.request('GET', teams(contoso, '/users?pageSize=200'));
    expect(response.status).toBe(200);
    return response.body.items.find((u: { id: string }) => u.id === userId);
  }

  /** Starts an assignment or unassignment, waits for the app to follow it to the end, and reads it back. */
  async function finished(start: { status: number; body: any }) {
    expect(start.status).toBe(202);
    expect(start.body.state).toBe('pending');
    await t.app.services.coManagement.idle();
    const operation = await t.request('GET', teams(contoso, `/operations/${start.body.id}`));
    expect(operation.status).toBe(200);
    return operation.body;
  }

  it('the customer is set up as the tests need it (synced numbers)', async () => {
    const numbers = await t.request('GET', `/api/v1/customers/${contoso}/numbers?pageSize=200`);
    const status = Object.fromEntries(numbers.body.items.map((n: { e164: string; status: string }) => [n.e164, n.status]));
    expect(status).toEqual({ [N.alex]: 'synced', [N.free]: 'synced', [N.unassigned]: 'synced', [N.lynne]: 'not_in_backend', [N.pending]: 'pending', [N.spare]: 'synced' });
  });

  describe('the manage rule: only while the customer allows co-management', () => {
    const routes: [what: string, method: string, path: string, body?: unknown][] = [
      ['users', 'GET', '/users'],
      ['numbers', 'GET', '/numbers'],
      ['assignable-numbers', 'GET', '/assignable-numbers'],
      ['voice-routing-policies', 'GET', '/voice-routing-policies'],
      ['assign', 'PUT', `/users/${CONTOSO.lee}/number`, { telephoneNumber: N.free }],
      ['unassign', 'DELETE', `/users/${CONTOSO.alex}/number`],
      ['policy', 'PUT', `/users/${CONTOSO.lee}/voice-routing-policy`, { name: 'US-West' }],
      ['operation', 'GET', `/operations/${new ObjectId().toHexString()}`],
    ];
    const call = (customerId: string, [, method, path, body]: (typeof routes)[number], token?: string) =>
      t.request(method, teams(customerId, path), { ...(body ? { body } : {}), ...(token ? { token } : {}) });

    it.each(routes)('%s: never allowed: 403 co_management_off, "has not allowed", audited as teams.refused, Microsoft not asked', async (...route) => {
      const id = await createCustomer(t, { tenantName: CONTOSO.tenantName, name: 'Contoso Never' });
      const graphCalls = t.graph.callCount();
      const response = await call(id, route);
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('co_management_off');
      expect(response.body.error.message).toMatch(/^Contoso Never has not allowed co-management\. Send its administrator the activation link/);
      expect(t.graph.callCount()).toBe(graphCalls);
      const refused = (await audit(id)).filter((e) => e.action === 'teams.refused');
      expect(refused).toEqual([expect.objectContaining({ actor: expect.objectContaining({ tid: t.partnerA.tenantId }), details: expect.objectContaining({ reason: 'co_management_off' }) })]);
    });

    it('allowed: the reads answer 200', async () => {
      for (const route of routes.filter(([, method]) => method === 'GET').slice(0, 4)) {
        const response = await call(contoso, route);
        expect([route[0], response.status]).toEqual([route[0], 200]);
      }
    });

    it('switched off after being allowed: every route is 403 "switched co-management off", each refusal audited', async () => {
      const id = await createCustomer(t, { tenantName: CONTOSO.tenantName, name: 'Contoso Off' });
      const browser = await allowCoManagement(t, id);
      expect((await call(id, routes[0]!)).status).toBe(200);
      expect((await browser.setAllowed(false)).status).toBe(200);
      const today = new Date().toISOString().slice(0, 10);
      for (const route of routes) {
        const response = await call(id, route);
        expect([route[0], response.status, response.body.error.code]).toEqual([route[0], 403, 'co_management_off']);
        expect(response.body.error.message).toBe(
          `Contoso Off switched co-management off on ${today}: its Teams users and numbers can no longer be managed from the portal.`,
        );
      }
      const refused = (await audit(id)).filter((e) => e.action === 'teams.refused');
      expect(refused).toHaveLength(routes.length);
      expect(new Set(refused.map((e) => e.details.what))).toEqual(new Set(['users', 'numbers', 'voice-routing-policies', 'assign', 'unassign', 'policy', 'operation']));
    });

    it.each(routes)("%s: another partner's customer is 404", async (...route) => {
      const response = await call(contoso, route, tokenB);
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    });
  });

  describe('GET teams/users', () => {
    it('joins Entra users with their Teams configuration, sorted by name, and audits the read', async () => {
      const response = await t.request('GET', teams(contoso, '/users'));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ total: 9, page: 1, pageSize: 25 });
      expect(response.body.items.map((u: { displayName: string }) => u.displayName)).toEqual([
        'Adele Vance',
        'Alex Wilber',
        'Diego Siciliani',
        'Isaiah Langer',
        'Lee Gu',
        'Lynne Robbins',
        'Megan Bowen',
        'Nestor Wilke',
        'Pradeep Gupta',
      ]);
      const byId = new Map(response.body.items.map((u: { id: string }) => [u.id, u]));
      expect(byId.get(CONTOSO.alex)).toEqual({
        id: CONTOSO.alex,
        displayName: 'Alex Wilber',
        userPrincipalName: 'AlexW@contoso.onmicrosoft.com',
        accountEnabled: true,
        voiceEnabled: true,
        number: N.alex,
        voiceRoutingPolicy: 'US-East',
        operation: null,
      });
      expect(byId.get(CONTOSO.megan)).toMatchObject({ voiceEnabled: false, number: null, voiceRoutingPolicy: 'Global' });
      expect(byId.get(CONTOSO.lynne)).toMatchObject({ voiceEnabled: true, number: N.lynne, voiceRoutingPolicy: 'US-West' });
      expect(byId.get(PRADEEP)).toMatchObject({ accountEnabled: false });
      const read = (await audit(contoso)).find((e) => e.action === 'teams.users_read');
      expect(read).toMatchObject({ actor: { tid: t.partnerA.tenantId }, details: { search: null, page: 1 } });
    });

    it.each([
      ['a name', 'alex', ['Alex Wilber']],
      ['a sign-in name, any case', 'lynner@CONTOSO', ['Lynne Robbins']],
      ['a number', '2125550109', ['Diego Siciliani']],
      ['a number as people type it', '+1 (212) 555-0109', ['Diego Siciliani']],
      ['nothing', 'nobody-here', []],
    ])('searches %s', async (_, search, names) => {
      const response = await t.request('GET', teams(contoso, `/users?search=${encodeURIComponent(search as string)}`));
      expect(response.status).toBe(200);
      expect(response.body.items.map((u: { displayName: string }) => u.displayName)).toEqual(names);
      expect(response.body.total).toBe((names as string[]).length);
    });

    it('pages the list, reading every page Graph gives', async () => {
      t.graph.setKnobs({ pageSize: 2 });
      try {
        const configurationPages = t.graph.callCount(/userConfigurations/);
        const first = await t.request('GET', teams(contoso, '/users?pageSize=4'));
        expect(first.status).toBe(200);
        expect(first.body).toMatchObject({ total: 9, page: 1, pageSize: 4 });
        expect(first.body.items).toHaveLength(4);
        // Nine users, two a page: five pages of configurations.
        expect(t.graph.callCount(/userConfigurations/) - configurationPages).toBe(5);
        const second = await t.request('GET', teams(contoso, '/users?pageSize=4&page=2'));
        expect(second.body.items.map((u: { displayName: string }) => u.displayName)).toEqual(['Lee Gu', 'Lynne Robbins', 'Megan Bowen', 'Nestor Wilke']);
        // Lynne's configuration came from a later Graph page than her user.
        expect(second.body.items[1]).toMatchObject({ number: N.lynne, voiceRoutingPolicy: 'US-West' });
        const last = await t.request('GET', teams(contoso, '/users?pageSize=4&page=3'));
        expect(last.body).toMatchObject({ total: 9, page: 3 });
        expect(last.body.items.map((u: { id: string }) => u.id)).toEqual([PRADEEP]);
        const beyond = await t.request('GET', teams(contoso, '/users?pageSize=4&page=4'));
        expect(beyond.body).toMatchObject({ total: 9, items: [] });
        const searched = await t.request('GET', teams(contoso, '/users?search=contoso&pageSize=2&page=2'));
        expect(searched.body).toMatchObject({ total: 9, page: 2 });
        expect(searched.body.items).toHaveLength(2);
      } finally {
        t.graph.setKnobs({ pageSize: 100 });
      }
    });

    it('answers 400 to a page size over the limit', async () => {
      const response = await t.request('GET', teams(contoso, '/users?pageSize=500'));
      expect(response.status).toBe(400);
    });
  });

  describe('GET teams/numbers', () => {
    it("joins Microsoft's Direct Routing numbers with the portal's, saying where they disagree", async () => {
      const response = await t.request('GET', teams(contoso, '/numbers'));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ total: 7, attentionCount: 5 });
      const rows = Object.fromEntries(response.body.items.map((row: { telephoneNumber: string }) => [row.telephoneNumber, row]));
      expect(Object.keys(rows)).toEqual([N.alex, N.free, N.pending, N.lynne, N.unassigned, N.spare, N.diego]);
      expect(rows[N.alex]).toEqual({
        telephoneNumber: N.alex,
        teams: { assignmentStatus: 'userAssigned', activationState: 'activated', assignedTo: { id: CONTOSO.alex, displayName: 'Alex Wilber' } },
        portal: { status: 'synced', statusText: expect.any(String) },
        attention: null,
      });
      expect(rows[N.free]).toMatchObject({ teams: null, portal: { status: 'synced' }, attention: ROUTED_NOT_ASSIGNED });
      expect(rows[N.pending]).toMatchObject({ teams: null, portal: { status: 'pending' }, attention: null });
      expect(rows[N.lynne]).toMatchObject({
        teams: { assignmentStatus: 'userAssigned', assignedTo: { displayName: 'Lynne Robbins' } },
        portal: { status: 'not_in_backend', statusText: NOT_IN_BACKEND_TEXT },
        attention: `Assigned in Teams, not synced (${NOT_IN_BACKEND_TEXT})`,
      });
      expect(rows[N.unassigned]).toMatchObject({
        teams: { assignmentStatus: 'unassigned', assignedTo: null },
        portal: { status: 'synced' },
        attention: ROUTED_NOT_ASSIGNED,
      });
      expect(rows[N.diego]).toMatchObject({
        teams: { assignedTo: { id: CONTOSO.diego, displayName: 'Diego Siciliani' } },
        portal: null,
        attention: "Assigned in Teams, not one of this customer's numbers in the portal",
      });
      expect((await audit(contoso)).find((e) => e.action === 'teams.numbers_read')).toMatchObject({ details: { view: 'all', search: null } });
    });

    it('view=attention lists only those, attentionCount counts them whatever the page', async () => {
      const response = await t.request('GET', teams(contoso, '/numbers?view=attention&pageSize=1&page=2'));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ total: 5, attentionCount: 5, page: 2, pageSize: 1 });
      expect(response.body.items.map((row: { telephoneNumber: string }) => row.telephoneNumber)).toEqual([N.lynne]);
      const all = await t.request('GET', teams(contoso, '/numbers?view=attention&pageSize=10'));
      expect(all.body.items.map((row: { telephoneNumber: string }) => row.telephoneNumber)).toEqual([N.free, N.lynne, N.unassigned, N.spare, N.diego]);
    });

    it('searches by number as typed, and by the name of who holds it', async () => {
      const byNumber = await t.request('GET', teams(contoso, `/numbers?search=${encodeURIComponent('(212) 555-0109')}`));
      expect(byNumber.body.items.map((row: { telephoneNumber: string }) => row.telephoneNumber)).toEqual([N.diego]);
      const byName = await t.request('GET', teams(contoso, '/numbers?search=lynne'));
      expect(byName.body.items.map((row: { telephoneNumber: string }) => row.telephoneNumber)).toEqual([N.lynne]);
      expect(byName.body.attentionCount).toBe(5);
    });

    it('400 for an unknown view', async () => {
      expect((await t.request('GET', teams(contoso, '/numbers?view=some'))).status).toBe(400);
    });
  });

  describe('GET teams/assignable-numbers and teams/voice-routing-policies', () => {
    it("lists the customer's synced numbers that no one holds in Teams", async () => {
      const response = await t.request('GET', teams(contoso, '/assignable-numbers'));
      expect(response.status).toBe(200);
      // Not Alex's (assigned in Teams), not the pending or not_in_backend ones, not Diego's (another's).
      expect(response.body).toEqual({ numbers: [N.free, N.unassigned, N.spare] });
    });

    it('lists the voice routing policy names in use in the tenant', async () => {
      const response = await t.request('GET', teams(contoso, '/voice-routing-policies'));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ names: ['Global', 'US-East', 'US-West'] });
    });
  });

  describe('assigning and unassigning numbers', () => {
    it('assigns a synced number: 202 pending, then done at Microsoft, shown on the user, audited', async () => {
      const start = await t.request('PUT', teams(contoso, `/users/${CONTOSO.lee}/number`), { body: { telephoneNumber: '(212) 555-0101' } });
      expect(start.body).toMatchObject({
        kind: 'assign',
        telephoneNumber: N.free,
        userId: CONTOSO.lee,
        userName: 'Lee Gu',
        state: 'pending',
        reason: null,
        finishedAt: null,
      });
      const operation = await finished(start);
      expect(operation).toMatchObject({ id: start.body.id, state: 'done', reason: null, finishedAt: expect.any(String) });
      contosoOperation = operation.id;
      expect(t.graph.numberAssignment(CONTOSO.tenantId, N.free)).toMatchObject({ assignmentStatus: 'userAssigned', assignmentTargetId: CONTOSO.lee });
      expect(await user(CONTOSO.lee)).toMatchObject({ number: N.free, voiceEnabled: true, operation: { id: start.body.id, state: 'done' } });
      const entries = await audit(contoso);
      expect(entries.find((e) => e.action === 'teams.number_assign_started')).toMatchObject({
        actor: { tid: t.partnerA.tenantId, name: 'Test User' },
        details: { telephoneNumber: N.free, userId: CONTOSO.lee, user: 'LeeG@contoso.onmicrosoft.com' },
      });
      expect(entries.find((e) => e.action === 'teams.operation_finished')).toMatchObject({
        actor: { tid: t.partnerA.tenantId },
        details: { kind: 'assign', telephoneNumber: N.free, userId: CONTOSO.lee, state: 'done', reason: null },
      });
      // No longer assignable.
      expect((await t.request('GET', teams(contoso, '/assignable-numbers'))).body.numbers).toEqual([N.unassigned, N.spare]);
    });

    it("to a user without a Teams Phone licence (Megan): failed, with Microsoft's reason", async () => {
      const start = await t.request('PUT', teams(contoso, `/users/${CONTOSO.megan}/number`), { body: { telephoneNumber: N.unassigned } });
      const operation = await finished(start);
      expect(operation.state).toBe('failed');
      expect(operation.reason).toMatch(/MeganB@contoso\.onmicrosoft\.com does not have a Teams Phone license/);
      expect(t.graph.numberAssignment(CONTOSO.tenantId, N.unassigned)).toMatchObject({ assignmentStatus: 'unassigned', activationState: 'activated' });
      expect(await user(CONTOSO.megan)).toMatchObject({ number: null, operation: { state: 'failed', reason: operation.reason } });
      const finishedEntries = (await audit(contoso)).filter((e) => e.action === 'teams.operation_finished');
      expect(finishedEntries[0]).toMatchObject({ details: { state: 'failed', reason: operation.reason } });
    });

    it.each([
      ['not synced', N.pending, 409, 'number_not_synced', /is not synced \(Added, waiting for sync\)/],
      ['not synced (not in backend)', N.lynne, 409, 'number_not_synced', /is not synced/],
      ["not one of the customer's", N.diego, 409, 'number_not_customers', /is not one of the customer's numbers/],
      ['not a valid number', '12345', 400, 'invalid_request', /is not a valid phone number/],
      ['taken in Teams by someone else', N.alex, 409, 'number_taken', /already assigned in Teams/],
    ])('refuses a number %s, naming the field', async (_, telephoneNumber, status, code, fieldMessage) => {
      const before = t.graph.callCount(/assignNumber/);
      const response = await t.request('PUT', teams(contoso, `/users/${CONTOSO.nestor}/number`), { body: { telephoneNumber } });
      expect(response.status).toBe(status);
      expect(response.body.error.code).toBe(code);
      expect(response.body.error.details).toEqual([{ field: 'telephoneNumber', message: expect.stringMatching(fieldMessage as RegExp) }]);
      expect(t.graph.callCount(/assignNumber/)).toBe(before);
    });

    it('says who already has a number taken in Teams', async () => {
      const mine = await t.request('PUT', teams(contoso, `/users/${CONTOSO.alex}/number`), { body: { telephoneNumber: N.alex } });
      expect(mine.status).toBe(409);
      expect(mine.body.error.message).toBe(`${N.alex} cannot be assigned: Alex Wilber already has it.`);
    });

    it('answers 400 to no number and 404 to a user not in the tenant', async () => {
      expect((await t.request('PUT', teams(contoso, `/users/${CONTOSO.nestor}/number`), { body: {} })).status).toBe(400);
      const unknown = await t.request('PUT', teams(contoso, '/users/no-such-user/number'), { body: { telephoneNumber: N.unassigned } });
      expect(unknown.status).toBe(404);
    });

    it('refuses a second assignment while one is under way: 409 assignment_under_way', async () => {
      t.graph.setKnobs({ operationMs: 2000 });
      try {
        const first = await t.request('PUT', teams(contoso, `/users/${ISAIAH}/number`), { body: { telephoneNumber: N.unassigned } });
        expect(first.status).toBe(202);
        const second = await t.request('PUT', teams(contoso, `/users/${CONTOSO.nestor}/number`), { body: { telephoneNumber: N.unassigned } });
        expect(second.status).toBe(409);
        expect(second.body.error.code).toBe('assignment_under_way');
        expect(second.body.error.message).toContain(`${N.unassigned} to Isaiah Langer`);
        // Meanwhile: not assignable, and the user's row shows it pending.
        expect((await t.request('GET', teams(contoso, '/assignable-numbers'))).body.numbers).toEqual([N.spare]);
        expect((await user(ISAIAH)).operation).toMatchObject({ id: first.body.id, state: 'pending' });
        const pending = await t.request('GET', teams(contoso, `/operations/${first.body.id}`));
        expect(pending.body.state).toBe('pending');
        const activationOf = async (telephoneNumber: string) =>
          (await t.request('GET', teams(contoso, `/numbers?search=${encodeURIComponent(telephoneNumber)}`))).body.items[0].teams.activationState;
        expect(await activationOf(N.unassigned)).toBe('assignmentPending');
        // Another assignment fails meanwhile: Microsoft still shows the first number pending.
        t.graph.setKnobs({ operationMs: 30 });
        const failing = await t.request('PUT', teams(contoso, `/users/${CONTOSO.megan}/number`), { body: { telephoneNumber: N.spare } });
        expect(failing.status).toBe(202);
        let failed = failing.body;
        for (let i = 0; i < 100 && failed.state === 'pending'; i++) {
          await delay(20);
          failed = (await t.request('GET', teams(contoso, `/operations/${failing.body.id}`))).body;
        }
        expect(failed.state).toBe('failed');
        expect(await activationOf(N.unassigned)).toBe('assignmentPending');
        expect((await finished(first)).state).toBe('done');
      } finally {
        t.graph.setKnobs({ operationMs: 30 });
      }
      expect(await user(ISAIAH)).toMatchObject({ number: N.unassigned });
    });

    it('unassigns a number: done, the user has none; a user without a number is 409 no_number', async () => {
      const start = await t.request('DELETE', teams(contoso, `/users/${CONTOSO.lee}/number`));
      expect(start.body).toMatchObject({ kind: 'unassign', telephoneNumber: N.free, userId: CONTOSO.lee, state: 'pending' });
      expect((await finished(start)).state).toBe('done');
      expect(t.graph.numberAssignment(CONTOSO.tenantId, N.free)).toMatchObject({ assignmentStatus: 'unassigned', assignmentTargetId: null });
      expect(await user(CONTOSO.lee)).toMatchObject({ number: null, operation: { kind: 'unassign', state: 'done' } });
      expect((await audit(contoso)).find((e) => e.action === 'teams.number_unassign_started')).toMatchObject({
        details: { telephoneNumber: N.free, userId: CONTOSO.lee },
      });

      const none = await t.request('DELETE', teams(contoso, `/users/${CONTOSO.nestor}/number`));
      expect(none.status).toBe(409);
      expect(none.body.error.code).toBe('no_number');
      expect(none.body.error.message).toBe('Nestor Wilke has no phone number to unassign.');
    });

    it('GET operation: an unknown id is 404', async () => {
      expect((await t.request('GET', teams(contoso, `/operations/${new ObjectId().toHexString()}`))).status).toBe(404);
      expect((await t.request('GET', teams(contoso, '/operations/not-an-id'))).status).toBe(404);
    });

    it('a pending operation no process follows any more is settled by GET operation', async () => {
      // Microsoft's operation exists; the instance that started it went away before following it.
      t.graph.setKnobs({ operationMs: 500 });
      const operationUrl = await t.app.services.graph!.assignNumber(CONTOSO.tenantId, N.free, CONTOSO.nestor).finally(() =>
        t.graph.setKnobs({ operationMs: 30 }),
      );
      const id = new ObjectId();
      const long = new Date(Date.now() - 60_000);
      await t.database.teamsOperations.insertOne({
        _id: id,
        partnerId: t.partnerA._id,
        customerId: new ObjectId(contoso),
        tenantId: CONTOSO.tenantId,
        kind: 'assign',
        telephoneNumber: N.free,
        userId: CONTOSO.nestor,
        userName: 'Nestor Wilke',
        operationUrl,
        state: 'pending',
        startedAt: long,
        checkedAt: long,
        actor: { tid: t.partnerA.tenantId, oid: 'user-1', name: 'Test User' },
      });
      // Still running at Microsoft: pending (and checked now).
      const early = await t.request('GET', teams(contoso, `/operations/${id.toHexString()}`));
      expect(early.status).toBe(200);
      expect(early.body.state).toBe('pending');
      let late = early;
      for (let i = 0; i < 100 && late.body.state === 'pending'; i++) {
        await delay(20);
        late = await t.request('GET', teams(contoso, `/operations/${id.toHexString()}`));
      }
      expect(late.body).toMatchObject({ state: 'done', finishedAt: expect.any(String) });
      const finishedEntries = (await audit(contoso)).filter((e) => e.action === 'teams.operation_finished');
      expect(finishedEntries[0]).toMatchObject({ details: { telephoneNumber: N.free, userId: CONTOSO.nestor, state: 'done' } });
      // Recorded once, however often it is read.
      await t.request('GET', teams(contoso, `/operations/${id.toHexString()}`));
      expect((await audit(contoso)).filter((e) => e.action === 'teams.operation_finished')).toHaveLength(finishedEntries.length);
      expect(await user(CONTOSO.nestor)).toMatchObject({ number: N.free });
    });
  });

  describe('PUT teams/users/{userId}/voice-routing-policy', () => {
    it("sets the policy by name in any case, answering the tenant's spelling, and audits it", async () => {
      const response = await t.request('PUT', teams(contoso, `/users/${CONTOSO.lee}/voice-routing-policy`), { body: { name: '  us-west ' } });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: CONTOSO.lee, displayName: 'Lee Gu', voiceRoutingPolicy: 'US-West' });
      expect(t.graph.userPolicy(CONTOSO.tenantId, CONTOSO.lee)).toBe('US-West');
      expect((await user(CONTOSO.lee)).voiceRoutingPolicy).toBe('US-West');
      expect((await audit(contoso)).find((e) => e.action === 'teams.voice_routing_policy_set')).toMatchObject({
        actor: { tid: t.partnerA.tenantId },
        details: { userId: CONTOSO.lee, user: 'LeeG@contoso.onmicrosoft.com', from: 'Global', to: 'US-West' },
      });
    });

    it('answers 400 on the field name for a policy the tenant does not have', async () => {
      const response = await t.request('PUT', teams(contoso, `/users/${CONTOSO.lee}/voice-routing-policy`), { body: { name: 'Mars-Base' } });
      expect(response.status).toBe(400);
      expect(response.body.error.details).toEqual([{ field: 'name', message: expect.stringContaining('no voice routing policy named "Mars-Base"') }]);
      expect(t.graph.userPolicy(CONTOSO.tenantId, CONTOSO.lee)).toBe('US-West');
      const empty = await t.request('PUT', teams(contoso, `/users/${CONTOSO.lee}/voice-routing-policy`), { body: { name: '' } });
      expect(empty.status).toBe(400);
      expect(empty.body.error.details).toEqual([expect.objectContaining({ field: 'name' })]);
    });
  });

  describe('when Microsoft fails', () => {
    it('throttling (429 with Retry-After) is waited out: still 200', async () => {
      t.graph.failNext({ status: 429, retryAfterSeconds: 0, times: 2 });
      const response = await t.request('GET', teams(contoso, '/users'));
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(9);
    });

    it('Graph down: 502 microsoft_error with a message; then back', async () => {
      const graphPaths = /^\/(v1\.0|beta)\//;
      const before = t.graph.callCount(/ \/(v1\.0|beta)\//);
      // Each of the two reads (users, configurations) tries 1 + GRAPH_MAX_RETRIES times.
      const times = 2 * (t.settings.GRAPH_MAX_RETRIES + 1);
      t.graph.failNext({ path: graphPaths, status: 503, retryAfterSeconds: 0, times, message: 'Service unavailable (injected)' });
      const response = await t.request('GET', teams(contoso, '/users'));
      expect(response.status).toBe(502);
      expect(response.body.error).toMatchObject({ code: 'microsoft_error', message: 'Microsoft answered: Service unavailable (injected)' });
      // The other read may still be retrying: let it use up the failures.
      for (let i = 0; i < 100 && t.graph.callCount(/ \/(v1\.0|beta)\//) - before < times; i++) await delay(10);
      expect((await t.request('GET', teams(contoso, '/users'))).status).toBe(200);
    });

    it("consent removed in Entra while allowed: 409 microsoft_consent_missing", async () => {
      const id = await createCustomer(t, { tenantName: FABRIKAM.tenantName, name: 'Fabrikam' });
      await allowCoManagement(t, id, FABRIKAM);
      expect((await t.request('GET', teams(id, '/users'))).status).toBe(200);
      // Another customer's assignment is not found here.
      expect((await t.request('GET', teams(id, `/operations/${contosoOperation}`))).status).toBe(404);
      t.graph.revokeConsent(FABRIKAM.tenantId);
      const response = await t.request('GET', teams(id, '/users'));
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('microsoft_consent_missing');
      expect(response.body.error.message).toContain(`Microsoft refused access to ${FABRIKAM.tenantName}`);
      expect(response.body.error.message).toContain('send the activation link again');
    });
  });

  describe('one assignment per number and per user at a time (claims), the rule checked again before Microsoft writes', () => {
    const assignCalls = () => t.graph.callCount(/\/assignNumber$/);
    const assign = (userId: string, telephoneNumber: string) =>
      t.request('PUT', teams(contoso, `/users/${userId}/number`), { body: { telephoneNumber } });
    const unassign = (userId: string) => t.request('DELETE', teams(contoso, `/users/${userId}/number`));
    const claimsHeld = async () => (await t.database.teamsClaims.find({}).toArray()).length;
    /** Of two answers, the one accepted and the one refused. */
    const split = (a: { status: number; body: any }, b: { status: number; body: any }) => {
      expect([a.status, b.status].sort()).toEqual([202, 409]);
      return a.status === 202 ? { started: a, refused: b } : { started: b, refused: a };
    };

    beforeAll(async () => {
      // Free the numbers earlier tests assigned, so three synced numbers are free in Teams.
      for (const userId of [CONTOSO.nestor, ISAIAH, CONTOSO.lee]) {
        if ((await user(userId)).number) expect((await finished(await unassign(userId))).state).toBe('done');
      }
      expect((await t.request('GET', teams(contoso, '/assignable-numbers'))).body.numbers).toEqual([N.free, N.unassigned, N.spare]);
      expect(await claimsHeld()).toBe(0);
    });

    afterEach(async () => {
      t.graph.setKnobs({ operationMs: 30 });
      await t.app.services.coManagement.idle();
    });

    it('the same number to two users at once: one 202, one 409 assignment_under_way; Microsoft asked once; given back when done', async () => {
      t.graph.setKnobs({ operationMs: 500 });
      const before = assignCalls();
      const [a, b] = await Promise.all([assign(CONTOSO.lee, N.spare), assign(ISAIAH, N.spare)]);
      const { started, refused } = split(a, b);
      expect(refused.body.error.code).toBe('assignment_under_way');
      expect(assignCalls() - before).toBe(1);
      // The number's and the user's, held while Microsoft works.
      expect(await claimsHeld()).toBe(2);
      t.graph.setKnobs({ operationMs: 30 });
      expect((await finished(started)).state).toBe('done');
      expect(t.graph.numberAssignment(CONTOSO.tenantId, N.spare)).toMatchObject({ assignmentTargetId: started.body.userId });
      expect(await claimsHeld()).toBe(0);
      // Given back: the number and the user can be worked on again straight away.
      expect((await finished(await unassign(started.body.userId))).state).toBe('done');
      const other = started.body.userId === CONTOSO.lee ? ISAIAH : CONTOSO.lee;
      expect((await finished(await assign(other, N.spare))).state).toBe('done');
      expect((await finished(await unassign(other))).state).toBe('done');
      expect(await claimsHeld()).toBe(0);
    });

    it('two numbers to one user at once: one 202, one 409 assignment_under_way; Microsoft asked once', async () => {
      t.graph.setKnobs({ operationMs: 500 });
      const before = assignCalls();
      const [a, b] = await Promise.all([assign(CONTOSO.lee, N.free), assign(CONTOSO.lee, N.unassigned)]);
      const { started, refused } = split(a, b);
      expect(refused.body.error.code).toBe('assignment_under_way');
      expect(assignCalls() - before).toBe(1);
      t.graph.setKnobs({ operationMs: 30 });
      expect((await finished(started)).state).toBe('done');
      expect((await user(CONTOSO.lee)).number).toBe(started.body.telephoneNumber);
      expect(await claimsHeld()).toBe(0);
      expect((await finished(await unassign(CONTOSO.lee))).state).toBe('done');
    });

    it('Microsoft refuses the start: its error, the claims given back, the next attempt accepted', async () => {
      t.graph.failNext({ path: /\/assignNumber$/, status: 400, message: 'Bad request (injected)' });
      const refused = await assign(CONTOSO.lee, N.spare);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'microsoft_error', message: 'Microsoft answered: Bad request (injected)' });
      expect(await claimsHeld()).toBe(0);
      expect((await finished(await assign(CONTOSO.lee, N.spare))).state).toBe('done');
      expect((await finished(await unassign(CONTOSO.lee))).state).toBe('done');
    });

    it("a claim held elsewhere (another instance) refuses; once expired it does not block", async () => {
      const claim = { _id: `${CONTOSO.tenantId}:number:${N.spare}`, operationId: new ObjectId(), expiresAt: new Date(Date.now() + 60_000) };
      await t.database.teamsClaims.insertOne(claim);
      try {
        const before = assignCalls();
        const refused = await assign(ISAIAH, N.spare);
        expect(refused.status).toBe(409);
        expect(refused.body.error.code).toBe('assignment_under_way');
        expect(refused.body.error.message).toBe(`Another assignment of ${N.spare} or for Isaiah Langer is starting. Wait for it to finish.`);
        expect(assignCalls()).toBe(before);
        // Nothing of the refused request stays: only the holder's claim.
        expect(await t.database.teamsClaims.find({}).toArray()).toEqual([claim]);
        // Its holder died long ago.
        await t.database.teamsClaims.updateOne({ _id: claim._id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
        expect((await finished(await assign(ISAIAH, N.spare))).state).toBe('done');
        expect(await claimsHeld()).toBe(0);
        // The same for a user's claim.
        await t.database.teamsClaims.insertOne({ ...claim, _id: `${CONTOSO.tenantId}:user:${ISAIAH}` });
        const busyUser = await unassign(ISAIAH);
        expect(busyUser.status).toBe(409);
        expect(busyUser.body.error.code).toBe('assignment_under_way');
        expect(await claimsHeld()).toBe(1);
      } finally {
        await t.database.teamsClaims.deleteMany({ operationId: claim.operationId });
      }
      expect((await finished(await unassign(ISAIAH))).state).toBe('done');
    });

    it('switched off while the assignment starts: 403 co_management_off before Microsoft is asked, audited teams.refused, claims given back', async () => {
      const claims = t.database.teamsClaims;
      const insert = claims.insertOne.bind(claims);
      // The customer switches off between the partner's first check and Microsoft's write (while the claims are taken).
      const spy = jest.spyOn(claims, 'insertOne').mockImplementationOnce(async (...args: Parameters<typeof insert>) => {
        expect((await contosoAdmin.setAllowed(false)).body.canManage).toBe(false);
        return insert(...args);
      });
      const entriesBefore = await audit(contoso);
      const before = assignCalls();
      try {
        const refused = await assign(CONTOSO.lee, N.spare);
        expect(spy).toHaveBeenCalled();
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe('co_management_off');
        expect(refused.body.error.message).toMatch(/^Contoso switched co-management off on /);
      } finally {
        spy.mockRestore();
        expect((await contosoAdmin.setAllowed(true)).body.canManage).toBe(true);
      }
      expect(assignCalls()).toBe(before);
      expect(t.graph.numberAssignment(CONTOSO.tenantId, N.spare)).toMatchObject({ assignmentStatus: 'unassigned' });
      expect(await claimsHeld()).toBe(0);
      const entries = await audit(contoso);
      const count = (list: AuditEntry[], action: string) => list.filter((e) => e.action === action).length;
      expect(count(entries, 'teams.refused')).toBe(count(entriesBefore, 'teams.refused') + 1);
      expect(entries.find((e) => e.action === 'teams.refused')).toMatchObject({ details: { what: 'assign', reason: 'co_management_off' } });
      expect(count(entries, 'teams.number_assign_started')).toBe(count(entriesBefore, 'teams.number_assign_started'));
    });

    it("switched off while a voice routing policy is looked up: 403 before Microsoft writes, audited teams.refused", async () => {
      const graph = t.app.services.graph!;
      const getPolicyId = graph.getPolicyId.bind(graph);
      const spy = jest.spyOn(graph, 'getPolicyId').mockImplementationOnce(async (...args: Parameters<typeof getPolicyId>) => {
        expect((await contosoAdmin.setAllowed(false)).body.canManage).toBe(false);
        return getPolicyId(...args);
      });
      const writes = t.graph.callCount(/userAssignments\/assign/);
      const policy = t.graph.userPolicy(CONTOSO.tenantId, CONTOSO.lee);
      try {
        const refused = await t.request('PUT', teams(contoso, `/users/${CONTOSO.lee}/voice-routing-policy`), { body: { name: 'International' } });
        expect(spy).toHaveBeenCalled();
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe('co_management_off');
      } finally {
        spy.mockRestore();
        expect((await contosoAdmin.setAllowed(true)).body.canManage).toBe(true);
      }
      expect(t.graph.callCount(/userAssignments\/assign/)).toBe(writes);
      expect(t.graph.userPolicy(CONTOSO.tenantId, CONTOSO.lee)).toBe(policy);
      const refusals = (await audit(contoso)).filter((e) => e.action === 'teams.refused');
      expect(refusals[0]).toMatchObject({ details: { what: 'policy', reason: 'co_management_off' } });
    });

    it('the follower records its polls: reading the operation while it is followed does not ask Microsoft again', async () => {
      t.graph.setKnobs({ operationMs: 800 });
      const graph = t.app.services.graph!;
      const getOperation = graph.getOperation.bind(graph);
      // Microsoft's operation reads not made by the follower (its polls run in waitForOperation).
      const notFollower: string[] = [];
      const spy = jest.spyOn(graph, 'getOperation').mockImplementation((...args: Parameters<typeof getOperation>) => {
        if (!new Error().stack?.includes('waitForOperation')) notFollower.push(args[1]);
        return getOperation(...args);
      });
      try {
        const start = await assign(ISAIAH, N.spare);
        expect(start.status).toBe(202);
        const pollMs = t.settings.GRAPH_OPERATION_POLL_MS;
        // Reads spaced wider than the "no one follows it" limit (three polls): each would ask Microsoft without the follower's marks.
        for (let i = 0; i < 5; i++) {
          await delay(pollMs * 4);
          const read = await t.request('GET', teams(contoso, `/operations/${start.body.id}`));
          expect(read.status).toBe(200);
          expect(read.body.state).toBe('pending');
        }
        const stored = await t.database.teamsOperations.findOne({ _id: new ObjectId(start.body.id as string) });
        expect(stored!.checkedAt.getTime() - stored!.startedAt.getTime()).toBeGreaterThanOrEqual(pollMs * 4);
        expect(spy.mock.calls.length).toBeGreaterThan(notFollower.length);
        // Loosely (a stalled event loop may let one through): not one Microsoft read per GET.
        expect(notFollower.length).toBeLessThanOrEqual(1);
        expect((await finished(start)).state).toBe('done');
      } finally {
        spy.mockRestore();
      }
      expect((await finished(await unassign(ISAIAH))).state).toBe('done');
    });
  });
});
