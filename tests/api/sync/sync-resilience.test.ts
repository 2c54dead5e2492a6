import { ObjectId } from 'mongodb';
import type { SimulatorFixture } from '../../../api/backend/simulator/backend-simulator';
import { teamsCallflowFor } from '../../../api/backend/teams-callflow';
import type { SyncRunDocument } from '../../../api/sync/sync-run-document';
import { createCustomer, startTestApp, type TestApp } from '../../support/test-app';
import { syncRunDocument } from '../../support/sync-fixtures';

const TENANT = 'resilient.example.com';
const PENDING_TEXT = 'Added, waiting for sync';

/**
 * The same situation on any account, with its own numbers (+1 212 555 bbkk, k the role):
 *  0 routed to Teams and in the portal; 1 routed to Teams, not in the portal (imported);
 *  2 routed to Teams alone, removed in the portal with "delete"; 3 shares a Teams callflow
 *  with 4, removed with "retain"; 5 on a non-Teams seat; 6-8 free on the account; 9 on no account.
 */
function scenario(base: number, accountId: string) {
  const n = (k: number) => `+1212555${String(base + k).padStart(4, '0')}`;
  const spec: SimulatorFixture['accounts'][number] = {
    id: accountId,
    name: accountId,
    teams: { max_channels: 2, tenant_name: 'old.example.com' },
    teamsCallflows: [[n(0), n(1)], [n(2)], [n(3), n(4)]],
    seats: [{ firstName: 'Bo', lastName: 'Ek', seatType: 'essentials', numbers: [n(5)] }],
    freeNumbers: [n(6), n(7), n(8)],
  };
  return {
    accountId,
    spec,
    n,
    portal: [0, 2, 3, 4, 5, 6, 7, 8, 9].map(n),
    /** The role of one of this scenario's numbers. */
    role: (e164: string) => String(Number(e164.slice(-4)) - base),
  };
}
type Scenario = ReturnType<typeof scenario>;

describe('sync resilience', () => {
  let t: TestApp;
  let reference: Awaited<ReturnType<typeof finalState>>;

  beforeAll(async () => {
    // Twenty per cent of 5xx plus twenty per cent of 429 fail a try 36% of the time: a retry
    // budget of 10 makes a give-up (0.36^11 per call) too rare to turn this suite flaky, and a
    // 1 ms first backoff step keeps the calls that must fail for good quick.
    // Each scenario starts its runs itself.
    t = await startTestApp({ settings: { BACKEND_MAX_RETRIES: 10, BACKEND_BACKOFF_MS: 1, REMOVAL_CLEANUP: 'next-sync' } });
    const clean = scenario(1000, 'clean');
    const id = await prepare(clean);
    const run = await syncNow(id);
    expect(run).toMatchObject({ state: 'succeeded', errors: [] });
    reference = await finalState(clean, id);
  });
  afterAll(() => t.close());

  async function prepare(s: Scenario): Promise<string> {
    t.simulator.load({ apiKeys: [], accounts: [s.spec] });
    const id = await createCustomer(t, { accountId: s.accountId, tenantName: TENANT, maxChannels: 20 });
    const added = await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: s.portal.join('\n') } });
    expect(added.body.summary.added).toBe(s.portal.length);
    for (const [e164, mode] of [
      [s.n(2), 'delete'],
      [s.n(3), 'retain'],
    ]) {
      const removed = await t.request('POST', `/api/v1/customers/${id}/numbers/remove`, { body: { numbers: [e164], mode } });
      expect(removed.body.summary.removed).toBe(1);
    }
    return id;
  }

  async function syncNow(customerId: string) {
    const started = await t.request('POST', `/api/v1/customers/${customerId}/sync`);
    expect(started.status).toBe(202);
    expect(started.body.started).toBe(true);
    await t.app.services.sync.idle();
    return (await t.request('GET', `/api/v1/sync-runs/${started.body.id}`)).body;
  }

  /** Portal statuses and backend state, by role, so two scenarios compare. */
  async function finalState(s: Scenario, customerId: string) {
    const numbers = await t.request('GET', `/api/v1/customers/${customerId}/numbers?pageSize=200`);
    const details = await t.request('GET', `/api/v1/customers/${customerId}`);
    const account = t.simulator.accounts.get(s.accountId)!;
    return {
      statuses: Object.fromEntries(
        numbers.body.items.map((x: { e164: string; status: string; statusText: string }) => [s.role(x.e164), `${x.status}: ${x.statusText}`]),
      ),
      pendingRemovals: details.body.pendingRemovals,
      numberCounts: details.body.numberCounts,
      callflows: [...account.callflows.values()]
        .map((c) => `${c.flow.module}${c.flow.module === 'teams' ? `(${String(c.flow.data.tenant_name)})` : ''}: ${c.numbers.map(s.role).sort().join(',')}`)
        .sort(),
      onAccount: [...account.numbers.keys()].map(s.role).sort(),
      teams: account.account.teams,
    };
  }

  const runDocument = (customerId: string, state: SyncRunDocument['state']): SyncRunDocument =>
    syncRunDocument({
      partnerId: t.partnerA._id,
      customerId: new ObjectId(customerId),
      actor: { tid: t.partnerA.tenantId, oid: 'user-1', name: 'Test User' },
      state,
      phase: 'routing',
      progress: { done: 1, total: 3 },
      createdAt: new Date(Date.now() - 120_000),
      startedAt: new Date(Date.now() - 120_000),
    });

  it('reaches the expected state in a clean run', () => {
    const synced = 'synced: Synced';
    expect(reference).toEqual({
      statuses: {
        '0': synced,
        '1': synced,
        '4': synced,
        '5': "backend_fatal: This number cannot be sync'ed automatically (backend reports fatal)",
        '6': synced,
        '7': synced,
        '8': synced,
        '9': 'not_in_backend: Needs to be added to portal (not in backend)',
      },
      pendingRemovals: 0,
      numberCounts: { pending: 0, synced: 6, backend_fatal: 1, not_in_backend: 1 },
      // Teams callflows that named the old tenant now route to the customer's.
      callflows: [`teams(${TENANT}): 0,1`, `teams(${TENANT}): 4`, `teams(${TENANT}): 6,7,8`, 'user: 5'],
      onAccount: ['0', '1', '3', '4', '5', '6', '7', '8'],
      teams: { max_channels: 20, tenant_name: TENANT },
    });
  });

  it('ends in the same state as a clean run under 20% injected 5xx and 20% 429', async () => {
    const noisy = scenario(2000, 'noisy');
    const id = await prepare(noisy);
    const retriesBefore = t.app.services.backend.stats.retries;
    t.simulator.setKnobs({ errorRate: 0.2, throttleRate: 0.2, retryAfterSeconds: 0, seed: 7 });
    let run: any;
    try {
      run = await syncNow(id);
    } finally {
      t.simulator.setKnobs({ errorRate: 0, throttleRate: 0, retryAfterSeconds: 1 });
    }
    // The failures did happen, and the client rode them out.
    expect(t.app.services.backend.stats.retries - retriesBefore).toBeGreaterThan(0);
    expect(run).toMatchObject({ state: 'succeeded', errors: [] });
    expect(await finalState(noisy, id)).toEqual(reference);
  });

  it('keeps numbers pending when routing fails for good, then converges when run again', async () => {
    const halfway = scenario(3000, 'halfway-route');
    const id = await prepare(halfway);
    const tries = t.settings.BACKEND_MAX_RETRIES + 1;
    const createsBefore = t.simulator.callCount(/^PUT .*callflows/);
    t.simulator.failNext({ method: 'PUT', path: /\/callflows$/, status: 500, times: tries });

    const cut = await syncNow(id);
    expect(t.simulator.callCount(/^PUT .*callflows/) - createsBefore).toBe(tries);
    expect(cut.state).toBe('succeeded');
    expect(cut.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('route') })]);
    const free = [6, 7, 8].map(halfway.n);
    for (const e164 of free) expect(t.simulator.callflowOf(halfway.accountId, e164)).toBeUndefined();
    const afterCut = await finalState(halfway, id);
    expect(afterCut.statuses).toMatchObject({
      '6': `pending: ${PENDING_TEXT}`,
      '7': `pending: ${PENDING_TEXT}`,
      '8': `pending: ${PENDING_TEXT}`,
      '0': reference.statuses['0'],
      '5': reference.statuses['5'],
      '9': reference.statuses['9'],
    });
    expect(cut.changes.toRoute).toEqual([]);
    expect(cut.counts).toEqual({ pending: 3, synced: 3, backend_fatal: 1, not_in_backend: 1 });
    // Nothing half-known: no history says the unrouted numbers were synced.
    expect(await t.database.numberHistory.countDocuments({ e164: { $in: free } })).toBe(0);

    const rerun = await syncNow(id);
    expect(rerun).toMatchObject({ state: 'succeeded', errors: [] });
    expect(rerun.changes.toRoute).toEqual(free);
    expect(await finalState(halfway, id)).toEqual(reference);
    expect(await t.database.numberHistory.countDocuments({ e164: { $in: free }, runId: new ObjectId(rerun.id), status: 'synced' })).toBe(3);
  });

  it("records in the run only the status changes that happened when routing fails", async () => {
    const halfway = scenario(6000, 'halfway-record');
    const id = await prepare(halfway);
    t.simulator.failNext({ method: 'PUT', path: /\/callflows$/, status: 500, times: t.settings.BACKEND_MAX_RETRIES + 1 });
    const cut = await syncNow(id);
    expect(cut.state).toBe('succeeded');
    expect((await finalState(halfway, id)).statuses['6']).toBe(`pending: ${PENDING_TEXT}`);
    // 6, 7 and 8 stayed pending: the run's record must not say they became synced.
    expect(cut.changes.statusChanges.map((c: { e164: string }) => halfway.role(c.e164)).sort()).toEqual(['0', '4', '5', '9']);
    expect(cut.changeCounts.statusChanges).toBe(4);
  });

  it('keeps a removal pending when the release fails for good, then completes it when run again', async () => {
    const halfway = scenario(4000, 'halfway-release');
    const id = await prepare(halfway);
    const tries = t.settings.BACKEND_MAX_RETRIES + 1;
    t.simulator.failNext({ method: 'DELETE', path: /\/phone_numbers\/[^/]+$/, status: 503, times: tries });

    const cut = await syncNow(id);
    expect(cut.state).toBe('succeeded');
    expect(cut.errors).toEqual([expect.objectContaining({ e164: halfway.n(2) })]);
    // The callflow step went through; the number is still on the account and its removal still pending.
    expect(t.simulator.callflowOf(halfway.accountId, halfway.n(2))).toBeUndefined();
    expect(t.simulator.accounts.get(halfway.accountId)!.numbers.has(halfway.n(2))).toBe(true);
    expect(await t.database.numbers.findOne({ e164: halfway.n(2) })).toMatchObject({ removal: { mode: 'delete' } });

    const rerun = await syncNow(id);
    expect(rerun).toMatchObject({ state: 'succeeded', errors: [] });
    expect(rerun.changes.toRelease).toEqual([halfway.n(2)]);
    expect(await finalState(halfway, id)).toEqual(reference);
    expect(await t.database.numbers.countDocuments({ e164: halfway.n(2) })).toBe(0);
  });

  it('starts over a stale lease, fails the dead run, and completes what it left half-done', async () => {
    const stale = scenario(5000, 'stale-lease');
    const id = await prepare(stale);
    // A run whose process died after some backend writes and before saving anything: it had
    // routed the free numbers, and deleted the callflow of the number removed with "delete" and released it.
    const backend = t.app.services.backend;
    await backend.createCallflow(stale.accountId, teamsCallflowFor([6, 7, 8].map(stale.n), TENANT));
    await backend.deleteCallflow(stale.accountId, t.simulator.callflowOf(stale.accountId, stale.n(2))!.id);
    await backend.releasePhoneNumber(stale.accountId, stale.n(2));
    const dead = runDocument(id, 'running');
    await t.database.syncRuns.insertOne(dead);
    await t.database.customers.updateOne(
      { _id: new ObjectId(id) },
      { $set: { syncLease: { runId: dead._id, until: new Date(Date.now() - 1_000) } } },
    );

    const response = await t.request('POST', `/api/v1/customers/${id}/sync`);
    expect(response.status).toBe(202);
    expect(response.body.started).toBe(true);
    expect(response.body.id).not.toBe(dead._id.toHexString());
    await t.app.services.sync.idle();

    const deadNow = await t.request('GET', `/api/v1/sync-runs/${dead._id.toHexString()}`);
    expect(deadNow.body.state).toBe('failed');
    expect(deadNow.body.finishedAt).not.toBeNull();
    expect(deadNow.body.errors).toEqual([expect.objectContaining({ message: expect.any(String) })]);
    const run = (await t.request('GET', `/api/v1/sync-runs/${response.body.id}`)).body;
    expect(run).toMatchObject({ state: 'succeeded', errors: [] });
    expect(await finalState(stale, id)).toEqual(reference);
    const customer = await t.database.customers.findOne({ _id: new ObjectId(id) });
    expect(customer?.syncLease).toBeUndefined();
    expect(customer?.lastSync).toMatchObject({ runId: new ObjectId(response.body.id), state: 'succeeded' });
  });

  it('queues one run behind the run under way, starting nothing now, while a live lease holds the customer', async () => {
    const FREE = "+12125559000";
    t.simulator.load({ apiKeys: [], accounts: [{ id: 'live-lease', name: 'Live', freeNumbers: [FREE] }] });
    const id = await createCustomer(t, { accountId: 'live-lease' });
    await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: FREE } });
    const live = runDocument(id, 'running');
    await t.database.syncRuns.insertOne(live);
    await t.database.customers.updateOne(
      { _id: new ObjectId(id) },
      { $set: { syncLease: { runId: live._id, until: new Date(Date.now() + 60_000) } } },
    );
    const writesBefore = t.simulator.callCount(/^(PUT|POST|PATCH|DELETE) (?!.*api_auth)/);

    const response = await t.request('POST', `/api/v1/customers/${id}/sync`);
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ started: false, queuedAfter: live._id.toHexString(), state: 'queued', phase: 'queued' });
    expect(response.body.id).not.toBe(live._id.toHexString());
    await t.app.services.sync.idle();
    // Waiting: read back, it is still queued, and the customer names it as the one run to start next.
    expect((await t.request('GET', `/api/v1/sync-runs/${response.body.id}`)).body).toMatchObject({ state: 'queued' });
    const customer = await t.database.customers.findOne({ _id: new ObjectId(id) });
    expect(customer?.syncQueued).toMatchObject({ runId: new ObjectId(response.body.id), after: live._id });
    expect(await t.database.syncRuns.countDocuments({ customerId: new ObjectId(id) })).toBe(2);
    expect((await t.database.syncRuns.findOne({ _id: live._id }))?.state).toBe('running');
    expect(t.simulator.callCount(/^(PUT|POST|PATCH|DELETE) (?!.*api_auth)/)).toBe(writesBefore);
    expect(t.simulator.callflowOf('live-lease', FREE)).toBeUndefined();
    const numbers = await t.request('GET', `/api/v1/customers/${id}/numbers`);
    expect(numbers.body.items).toEqual([expect.objectContaining({ e164: FREE, status: 'pending' })]);
    await t.database.customers.updateOne({ _id: new ObjectId(id) }, { $unset: { syncLease: '', syncQueued: '' } });
    await t.database.syncRuns.deleteOne({ _id: new ObjectId(response.body.id) });
  });
});
