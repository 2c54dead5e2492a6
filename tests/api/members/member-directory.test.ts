import nock from 'nock';
import type { ConflictError } from '../../../api/errors';
import { MemberDirectory } from '../../../api/members/member-directory';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../../../api/members/member-role';
import { FakeEntra } from '../../support/entra-tokens';
import { createCustomer, PARTNER_A, PARTNER_B, startTestApp, type TestApp } from '../../support/test-app';

describe('members and roles', () => {
  let t: TestApp;
  let serial = 0;
  const fresh = (prefix: string) => `${prefix}-${++serial}`;

  beforeAll(async () => {
    // Partners are cached for 30 s as in production: roles must not be.
    t = await startTestApp({ settings: { PARTNER_CACHE_SECONDS: 30 } });
  });
  afterAll(() => t.close());

  const me = (token: string) => t.request('GET', '/api/v1/me', { token });
  const setRole = (oid: string, role: string, token?: string) =>
    t.request('PUT', `/api/v1/members/${oid}`, { body: { role }, ...(token ? { token } : {}) });
  const members = async () => (await t.request('GET', '/api/v1/members')).body.items as { oid: string; role: string; grantedBy: { how: string } }[];
  async function auditOf(action: string) {
    const entries = (await t.request('GET', '/api/v1/audit?pageSize=200')).body.items as { action: string; actor: { oid: string }; details: any }[];
    return entries.filter((entry) => entry.action === action);
  }

  describe('GET /api/v1/me', () => {
    it('answers the partner, the name, the role and the operations the role may call', async () => {
      const admin = await me((await t.tokenFor(PARTNER_A.tenantId)));
      expect(admin.status).toBe(200);
      expect(admin.body).toMatchObject({ partner: { name: 'Partner A', tenantId: PARTNER_A.tenantId }, oid: 'user-1', name: 'Test User', role: 'admin', globalAdministrator: false });
      expect(admin.body.actions).toEqual(expect.arrayContaining(['listCustomers', 'removeNumbers', 'listMembers', 'updateSettings']));

      const operator = (await me(await t.tokenAs('operator', fresh('op')))).body;
      expect(operator.role).toBe('operator');
      expect(operator.actions).toEqual(expect.arrayContaining(['createCustomer', 'addNumbers', 'removeNumbers', 'startSync', 'assignTeamsNumber']));
      expect(operator.actions).not.toContain('listMembers');

      const viewer = (await me(await t.tokenAs('viewer', fresh('viewer')))).body;
      expect(viewer.role).toBe('viewer');
      expect(viewer.actions).toEqual(expect.arrayContaining(['listCustomers', 'listNumbers', 'listAudit', 'listTeamsUsers', 'me']));
      for (const action of ['createCustomer', 'updateCustomer', 'addNumbers', 'removeNumbers', 'startSync', 'createActivationLink', 'assignTeamsNumber', 'listMembers']) {
        expect(viewer.actions).not.toContain(action);
      }
      // Public routes are nobody's action.
      expect(viewer.actions).not.toContain('health');
    });
  });

  describe('who is a member', () => {
    it('records a user of the tenant who is not a member yet as a Viewer at their first sign-in', async () => {
      const oid = fresh('newcomer');
      expect((await members()).some((member) => member.oid === oid)).toBe(false);
      const first = await me(await t.tokenFor(PARTNER_A.tenantId, oid, 'Nina Newcomer'));
      expect(first.body).toMatchObject({ role: 'viewer', name: 'Nina Newcomer' });
      expect((await members()).find((member) => member.oid === oid)).toMatchObject({ role: 'viewer', name: 'Nina Newcomer', grantedBy: { how: 'first_sign_in' } });
    });

    it('with newMembers none refuses a newcomer with "Ask an admin of <partner> for access" and records nothing', async () => {
      expect((await t.request('PATCH', '/api/v1/settings', { body: { newMembers: 'none' } })).body).toEqual({ newMembers: 'none' });
      try {
        const oid = fresh('stranger');
        const refused = await t.request('GET', '/api/v1/customers', { token: await t.tokenFor(PARTNER_A.tenantId, oid) });
        expect(refused.status).toBe(403);
        expect(refused.body.error).toEqual({ code: 'not_a_member', message: 'Ask an admin of Partner A for access' });
        expect(await t.database.members.countDocuments({ oid })).toBe(0);
        // An Admin adds them by object id before they sign in: then they are let in with that role.
        expect((await setRole(oid, 'operator')).body).toMatchObject({ oid, role: 'operator', grantedBy: { how: 'admin', oid: 'user-1' } });
        expect((await me(await t.tokenFor(PARTNER_A.tenantId, oid))).body.role).toBe('operator');
      } finally {
        await t.request('PATCH', '/api/v1/settings', { body: { newMembers: 'viewer' } });
      }
      const changes = await auditOf('settings.updated');
      expect(changes.slice(0, 2).map((entry) => entry.details.newMembers)).toEqual([{ from: 'none', to: 'viewer' }, { from: 'viewer', to: 'none' }]);
    });

    it('refuses a bad role or setting with a 400 that names the field', async () => {
      const badRole = await setRole('someone', 'owner');
      expect(badRole.status).toBe(400);
      expect(badRole.body.error.details).toEqual([{ field: 'role', message: 'a role is viewer, operator or admin' }]);
      const badRule = await t.request('PATCH', '/api/v1/settings', { body: { newMembers: 'everyone' } });
      expect(badRule.status).toBe(400);
      expect(badRule.body.error.details[0].field).toBe('newMembers');
      expect((await t.request('DELETE', '/api/v1/members/nobody-at-all')).status).toBe(404);
    });

    it("keeps each partner's members to itself", async () => {
      const oid = fresh('a-only');
      await setRole(oid, 'viewer');
      const tokenB = await t.tokenFor(PARTNER_B.tenantId);
      const listB = await t.request('GET', '/api/v1/members', { token: tokenB });
      expect(listB.body.items.map((member: { oid: string }) => member.oid)).toEqual(['user-1']);
      expect((await t.request('DELETE', `/api/v1/members/${oid}`, { token: tokenB })).status).toBe(404);
      expect(await t.database.members.countDocuments({ oid })).toBe(1);
    });
  });

  describe('changing roles', () => {
    it('takes effect on the very next request, and is audited with before and after', async () => {
      const oid = fresh('clerk');
      const token = await t.tokenAs('operator', oid);
      const customerId = await createCustomer(t);
      const add = (number: string) => t.request('POST', `/api/v1/customers/${customerId}/numbers`, { token, body: { numbers: [number] } });
      expect((await add('+16465550401')).status).toBe(200);

      expect((await setRole(oid, 'viewer')).body).toMatchObject({ role: 'viewer' });
      const refused = await add('+16465550402');
      expect(refused.status).toBe(403);
      expect(refused.body.error).toEqual({
        code: 'role_required',
        message: 'This needs the Operator role; you are a Viewer of Partner A. Ask an admin of Partner A for access.',
        details: { requiredRole: 'operator', role: 'viewer' },
      });
      expect(await t.database.numbers.countDocuments({ e164: '+16465550402' })).toBe(0);

      expect((await setRole(oid, 'operator')).status).toBe(200);
      expect((await add('+16465550402')).status).toBe(200);

      const changes = (await auditOf('member.role_changed')).filter((entry) => entry.details.oid === oid);
      expect(changes.map((entry) => entry.details.role)).toEqual([
        { from: 'viewer', to: 'operator' },
        { from: 'operator', to: 'viewer' },
      ]);
      expect(changes[0]!.actor.oid).toBe('user-1');
      // Setting the role someone already has changes (and audits) nothing.
      await setRole(oid, 'operator');
      expect((await auditOf('member.role_changed')).filter((entry) => entry.details.oid === oid)).toHaveLength(2);
    });

    it('removes a member: audited, and at their next sign-in the new-members rule applies', async () => {
      const oid = fresh('leaver');
      const token = await t.tokenAs('admin', oid);
      expect((await t.request('DELETE', `/api/v1/members/${oid}`)).status).toBe(204);
      expect((await auditOf('member.removed')).find((entry) => entry.details.oid === oid)?.details.role).toEqual({ from: 'admin', to: null });
      expect((await me(token)).body.role).toBe('viewer');
    });
  });

  describe('the last Admin', () => {
    it('cannot be demoted or removed (409, nothing written); with a second Admin they can', async () => {
      const tokenB = await t.tokenFor(PARTNER_B.tenantId);
      const demote = await t.request('PUT', '/api/v1/members/user-1', { token: tokenB, body: { role: 'operator' } });
      expect(demote.status).toBe(409);
      expect(demote.body.error).toEqual({
        code: 'last_admin',
        message: 'You are the last Admin of Partner B; make another member Admin before you change this role',
      });
      const remove = await t.request('DELETE', '/api/v1/members/user-1', { token: tokenB });
      expect(remove.status).toBe(409);
      expect(remove.body.error.message).toBe('You are the last Admin of Partner B; make another member Admin before you remove them');
      expect(await t.database.members.findOne({ partnerId: t.partnerB._id, oid: 'user-1' })).toMatchObject({ role: 'admin' });

      const second = fresh('second-admin');
      const secondToken = await t.tokenAs('admin', second, t.partnerB);
      expect((await t.request('PUT', `/api/v1/members/user-1`, { token: secondToken, body: { role: 'operator' } })).status).toBe(200);
      // Now the second is the last one.
      const last = await t.request('PUT', `/api/v1/members/${second}`, { token: secondToken, body: { role: 'viewer' } });
      expect(last.status).toBe(409);
      await t.app.services.members.grantAdminAtRegistration(t.partnerB._id, 'user-1');
    });

    it('survives two Admins demoting each other at the same moment: one Admin stays', async () => {
      const [x, y] = [fresh('race-x'), fresh('race-y')];
      await t.tokenAs('admin', x, t.partnerB);
      await t.tokenAs('admin', y, t.partnerB);
      // Everyone else steps down for the race: X and Y are the partner's only Admins.
      await t.database.members.updateMany({ partnerId: t.partnerB._id, oid: { $nin: [x, y] } }, { $set: { role: 'viewer' } });
      // Both demotions pass the up-front check before either writes: the worst interleaving, on purpose.
      let waiting: (() => void)[] = [];
      const bothChecked = () =>
        new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === 2) [waiting, waiting = []][0]!.forEach((go) => go());
        });
      const real = t.database.members;
      const racing = new Proxy(real, {
        get(target, property) {
          if (property === 'findOneAndUpdate') {
            return async (...args: Parameters<typeof real.findOneAndUpdate>) => {
              await bothChecked();
              return target.findOneAndUpdate(...args);
            };
          }
          const value = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const directory = new MemberDirectory(racing, t.app.services.partners, t.app.services.audit);
      const as = (oid: string) => ({ ...t.callerB, userId: oid, userName: oid });
      const outcomes = await Promise.allSettled([
        directory.setRole(as(x), y, { role: 'viewer' }),
        directory.setRole(as(y), x, { role: 'viewer' }),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'rejected').length).toBeGreaterThanOrEqual(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect((outcome.reason as ConflictError).code).toBe('last_admin');
      }
      expect(await t.database.members.countDocuments({ partnerId: t.partnerB._id, role: 'admin' })).toBeGreaterThanOrEqual(1);
      await t.database.members.updateOne({ partnerId: t.partnerB._id, oid: 'user-1' }, { $set: { role: 'admin' } });
    });
  });
});

describe('the Global Administrator of the partner tenant (Entra tokens)', () => {
  let entra: FakeEntra;
  let t: TestApp;

  beforeAll(async () => {
    entra = await FakeEntra.create();
    entra.serveJwks();
    t = await startTestApp({ entra });
  });
  afterAll(async () => {
    await t.close();
    nock.cleanAll();
  });

  it('is Admin without being granted, even with newMembers none, and is marked so in the members list', async () => {
    await t.app.services.partnerSettings.update(t.callerA, { newMembers: 'none' });
    const token = await entra.token({ oid: 'global-admin-1', name: 'Grace Global', wids: ['b79fbf4d-3ef9-4689-8143-76b194e85509', GLOBAL_ADMINISTRATOR_ROLE_ID] });
    const me = await t.request('GET', '/api/v1/me', { token });
    expect(me.body).toMatchObject({ role: 'admin', globalAdministrator: true, name: 'Grace Global' });
    expect((await t.request('GET', '/api/v1/members', { token })).body.items).toContainEqual(
      expect.objectContaining({ oid: 'global-admin-1', role: 'admin', globalAdministrator: true, grantedBy: { how: 'global_administrator' } }),
    );

    // Other directory roles in wids make no one Admin.
    const other = await entra.token({ oid: 'helpdesk-1', wids: ['729827e3-9c14-49f7-bb1b-9608f156bbb8'] });
    expect((await t.request('GET', '/api/v1/me', { token: other })).body.error.code).toBe('not_a_member');
  });

  it('stays Admin while the token says so, whatever role an Admin stored', async () => {
    await t.request('PUT', '/api/v1/members/global-admin-1', { body: { role: 'viewer' } });
    const token = await entra.token({ oid: 'global-admin-1', wids: [GLOBAL_ADMINISTRATOR_ROLE_ID] });
    expect((await t.request('GET', '/api/v1/me', { token })).body.role).toBe('admin');
    // Without the role in the token (no longer Global Administrator), the stored role applies.
    const plain = await entra.token({ oid: 'global-admin-1' });
    expect((await t.request('GET', '/api/v1/me', { token: plain })).body).toMatchObject({ role: 'viewer', globalAdministrator: false });
  });
});
