import { ObjectId } from 'mongodb';
import { customerDriftCollection } from '../../../api/drift/drift-document';
import type { PortalEvent } from '../../../api/events/portal-events';
import { allowCoManagement, CONTOSO } from '../../support/co-management';
import { createCustomer, PARTNER_B, startTestApp, type TestApp } from '../../support/test-app';

/** Numbers unique in this file: +1 312 555 xxxx. */
const num = (i: number) => `+1312555${String(i).padStart(4, '0')}`;

describe('the drift report over HTTP', () => {
  let t: TestApp;
  const events: PortalEvent[] = [];
  beforeAll(async () => {
    t = await startTestApp({ settings: { REMOVAL_CLEANUP: 'next-sync', BACKEND_MAX_RETRIES: 1 } });
    t.app.services.events.on(async (event) => {
      events.push(event);
    });
  });
  afterAll(() => t.close());

  async function addNumbers(customerId: string, e164s: string[]) {
    const response = await t.request('POST', `/api/v1/customers/${customerId}/numbers`, { body: { numbers: e164s.join('\n') } });
    expect(response.status).toBe(200);
  }

  async function syncNow(customerId: string) {
    const started = await t.request('POST', `/api/v1/customers/${customerId}/sync`);
    expect(started.status).toBe(202);
    await t.app.services.sync.idle();
    return (await t.request('GET', `/api/v1/sync-runs/${started.body.id}`)).body;
  }

  const driftOf = async (customerId: string) => {
    const response = await t.request('GET', `/api/v1/customers/${customerId}/drift`);
    expect(response.status).toBe(200);
    return response.body;
  };

  const failListing = () =>
    t.simulator.failNext({ method: 'GET', path: /\/phone_numbers$/, status: 500, times: t.settings.BACKEND_MAX_RETRIES + 1 });

  let drifting: string;
  let clean: string;

  it('answers a report saying nothing was computed before any sync', async () => {
    clean = await createCustomer(t, { accountId: 'drift-clean', name: 'Clean Co' });
    const report = await driftOf(clean);
    expect(report).toMatchObject({
      customerId: clean,
      computedAt: null,
      runId: null,
      total: 0,
      counts: { missing_at_backend: 0, not_in_portal: 0, assigned_not_synced: 0, synced_not_assigned: 0 },
      items: [],
      teams: null,
      consecutiveFailures: 0,
      needsAttention: false,
    });
    const list = await t.request('GET', '/api/v1/customers?search=drift-clean');
    expect(list.body.items[0].drift).toBeNull();
  });

  it('computes the drift after a sync, stores one report, and mirrors it on the customer', async () => {
    t.simulator.load({ apiKeys: [], accounts: [{ id: 'drift-clean', name: 'Clean', freeNumbers: [num(50)] }] });
    await addNumbers(clean, [num(50)]);
    expect((await syncNow(clean)).state).toBe('succeeded');

    t.simulator.load({
      apiKeys: [],
      accounts: [
        {
          id: 'drift-a',
          name: 'Drifting',
          // num(4) is free on the account: stock, not drift.
          freeNumbers: [num(1), num(4)],
          teamsCallflows: [[num(2)]],
          seats: [{ firstName: 'Ann', lastName: 'Lee', seatType: 'essentials', numbers: [num(3), num(6)] }],
        },
      ],
    });
    drifting = await createCustomer(t, { accountId: 'drift-a', name: 'Drifting Co' });
    await addNumbers(drifting, [num(1), num(5)]);
    const run = await syncNow(drifting);
    expect(run.state).toBe('succeeded');

    const report = await driftOf(drifting);
    expect(report).toMatchObject({
      runId: run.id,
      total: 3,
      counts: { missing_at_backend: 1, not_in_portal: 2, assigned_not_synced: 0, synced_not_assigned: 0 },
      itemsTruncated: false,
      teams: { checked: false, reason: expect.stringContaining('co-management') },
      consecutiveFailures: 0,
      needsAttention: true,
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(report.computedAt).not.toBeNull();
    expect(report.items).toEqual([
      { e164: num(5), kind: 'missing_at_backend', detail: 'Needs to be added to portal (not in backend)' },
      { e164: num(3), kind: 'not_in_portal', detail: 'on a non-Teams callflow, on the seat of Ann Lee (essentials)' },
      { e164: num(6), kind: 'not_in_portal', detail: 'on a non-Teams callflow, on the seat of Ann Lee (essentials)' },
    ]);
    expect(await customerDriftCollection.of(t.database.db).countDocuments({ customerId: new ObjectId(drifting) })).toBe(1);

    // Raised after each successful sync; with no drift (total 0) it only settles an earlier alert.
    const found = events.filter((e) => e.kind === 'drift.found');
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'drift.found', total: 3, fingerprint: report.fingerprint, customerLabel: 'Drifting Co' }),
        expect.objectContaining({ kind: 'drift.found', total: 0, customerLabel: 'Clean Co' }),
      ]),
    );
    expect(found).toHaveLength(2);
    expect((await driftOf(clean)).needsAttention).toBe(false);
  });

  it('lists each customer with its drift, and only those needing attention with attention=true', async () => {
    const all = await t.request('GET', '/api/v1/customers?search=drift');
    const byId = new Map(all.body.items.map((c: { id: string }) => [c.id, c]));
    expect(byId.get(drifting)).toMatchObject({ drift: { total: 3, consecutiveFailures: 0, needsAttention: true } });
    expect(byId.get(clean)).toMatchObject({ drift: { total: 0, consecutiveFailures: 0, needsAttention: false } });

    const attention = await t.request('GET', '/api/v1/customers?search=drift&attention=true');
    expect(attention.status).toBe(200);
    expect(attention.body.items.map((c: { id: string }) => c.id)).toEqual([drifting]);
    expect(attention.body.total).toBe(1);
  });

  it('refuses an attention value that is not true or false with 400, naming it', async () => {
    const response = await t.request('GET', '/api/v1/customers?attention=yes');
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([expect.objectContaining({ field: 'attention' })]);
  });

  it("answers 404 for another partner's customer and for an unknown one", async () => {
    const tokenB = await t.tokenFor(PARTNER_B.tenantId);
    expect((await t.request('GET', `/api/v1/customers/${drifting}/drift`, { token: tokenB })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/customers/0123456789abcdef01234567/drift')).status).toBe(404);
    expect((await t.request('GET', '/api/v1/customers/nope/drift')).status).toBe(404);
  });

  it('counts failed syncs in a row, keeps the last drift meanwhile, and starts again at 0 after a success', async () => {
    const before = await driftOf(drifting);
    failListing();
    expect((await syncNow(drifting)).state).toBe('failed');
    failListing();
    const failed = await syncNow(drifting);
    expect(failed.state).toBe('failed');

    const report = await driftOf(drifting);
    expect(report).toMatchObject({ consecutiveFailures: 2, total: 3, items: before.items, computedAt: before.computedAt, needsAttention: true });
    expect(report.lastFailure).toMatchObject({ runId: failed.id, message: failed.errors[0].message });
    expect(report.fingerprint).not.toBe(before.fingerprint);
    const listed = await t.request('GET', '/api/v1/customers?search=drift-a');
    expect(listed.body.items[0].drift).toMatchObject({ total: 3, consecutiveFailures: 2, needsAttention: true });
    // A dry run is not a real run: it changes nothing.
    await t.request('POST', `/api/v1/customers/${drifting}/sync?dryRun=true`);
    await t.app.services.sync.idle();
    expect((await driftOf(drifting)).consecutiveFailures).toBe(2);

    expect((await syncNow(drifting)).state).toBe('succeeded');
    const healed = await driftOf(drifting);
    expect(healed).toMatchObject({ consecutiveFailures: 0, lastFailure: null, total: 3 });
    expect(healed.fingerprint).toBe(before.fingerprint);
  });

  it('records a first sync that fails: no drift computed yet, but the customer needs attention', async () => {
    t.simulator.load({ apiKeys: [], accounts: [{ id: 'drift-failing', name: 'Failing', freeNumbers: [] }] });
    const failing = await createCustomer(t, { accountId: 'drift-failing' });
    failListing();
    expect((await syncNow(failing)).state).toBe('failed');
    expect(await driftOf(failing)).toMatchObject({ computedAt: null, total: 0, consecutiveFailures: 1, needsAttention: true });
    const attention = await t.request('GET', '/api/v1/customers?attention=true&search=drift-failing');
    expect(attention.body.items.map((c: { id: string }) => c.id)).toEqual([failing]);
  });

  describe('where the customer allows co-management', () => {
    // The demo Contoso tenant: +12125550100 (Alex), +12125550103 (Lynne), +12125550109 (Diego) assigned; +12125550105 unassigned.
    let contoso: string;
    beforeAll(async () => {
      t.simulator.load({ apiKeys: [], accounts: [{ id: 'drift-contoso', name: 'Contoso', teamsCallflows: [['+12125550100', '+12125550105']] }] });
      contoso = await createCustomer(t, { accountId: 'drift-contoso', name: 'Contoso Drift', tenantName: CONTOSO.tenantName });
      await addNumbers(contoso, ['+12125550100', '+12125550103']);
      await allowCoManagement(t, contoso);
    });

    it('compares the Teams assignments with the synced numbers', async () => {
      expect((await syncNow(contoso)).state).toBe('succeeded');
      const report = await driftOf(contoso);
      expect(report.teams).toEqual({ checked: true, reason: null });
      expect(report.counts).toEqual({ missing_at_backend: 1, not_in_portal: 0, assigned_not_synced: 2, synced_not_assigned: 1 });
      expect(report.items.filter((i: { kind: string }) => i.kind !== 'missing_at_backend')).toEqual([
        { e164: '+12125550103', kind: 'assigned_not_synced', detail: 'assigned in Teams, not synced (Needs to be added to portal (not in backend))' },
        { e164: '+12125550109', kind: 'assigned_not_synced', detail: "assigned in Teams, not one of this customer's numbers in the portal" },
        { e164: '+12125550105', kind: 'synced_not_assigned', detail: 'synced, not assigned to anyone in Teams' },
      ]);
    });

    it('still succeeds when Microsoft cannot be read, and says the Teams side was not compared; the outage is no new drift', async () => {
      const before = (await driftOf(contoso)).fingerprint;
      t.graph.failNext({ path: /numberAssignments/, status: 503, retryAfterSeconds: 0, times: t.settings.GRAPH_MAX_RETRIES + 1 });
      const run = await syncNow(contoso);
      expect(run.state).toBe('succeeded');
      const report = await driftOf(contoso);
      expect(report.runId).toBe(run.id);
      expect(report.teams).toEqual({ checked: false, reason: expect.stringContaining('Microsoft Teams could not be read') });
      expect(report.counts).toEqual({ missing_at_backend: 1, not_in_portal: 0, assigned_not_synced: 0, synced_not_assigned: 0 });
      // The Teams part is the last one read: the same drift, so no new alert, during the outage and once Teams answers again.
      expect(report.fingerprint).toBe(before);
      await syncNow(contoso);
      const after = await driftOf(contoso);
      expect(after.teams).toEqual({ checked: true, reason: null });
      expect(after.fingerprint).toBe(before);
    });
  });
});
