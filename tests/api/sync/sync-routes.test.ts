import { ObjectId } from 'mongodb';
import type { SimulatorFixture } from '../../../api/backend/simulator/backend-simulator';
import { createCustomer, PARTNER_B, startTestApp, type TestApp } from '../../support/test-app';

const FATAL_TEXT = "This number cannot be sync'ed automatically (backend reports fatal)";
const NOT_IN_BACKEND_TEXT = 'Needs to be added to portal (not in backend)';
const PENDING_TEXT = 'Added, waiting for sync';
/** Writes the sync makes to the backend; authentication is not one. */
const BACKEND_WRITES = /^(PUT|POST|PATCH|DELETE) (?!.*api_auth)/;

/** Numbers unique in this file: +1 212 555 xxxx. */
const num = (i: number) => `+1212555${String(i).padStart(4, '0')}`;

type AccountSpec = SimulatorFixture['accounts'][number];

describe('sync over HTTP', () => {
  let t: TestApp;
  let tokenB: string;
  beforeAll(async () => {
    // Runs start when a test says so; the clean-up started by a removal is tested at the end.
    t = await startTestApp({ settings: { REMOVAL_CLEANUP: 'next-sync' } });
    tokenB = await t.tokenFor(PARTNER_B.tenantId);
  });
  afterAll(() => t.close());

  const loadAccount = (spec: AccountSpec) => t.simulator.load({ apiKeys: [], accounts: [spec] });

  async function addNumbers(customerId: string, e164s: string[]) {
    const response = await t.request('POST', `/api/v1/customers/${customerId}/numbers`, { body: { numbers: e164s.join('\n') } });
    expect(response.status).toBe(200);
    expect(response.body.summary.added).toBe(e164s.length);
  }

  async function removeNumbers(customerId: string, e164s: string[], mode: 'delete' | 'retain') {
    const response = await t.request('POST', `/api/v1/customers/${customerId}/numbers/remove`, { body: { numbers: e164s, mode } });
    expect(response.status).toBe(200);
    expect(response.body.summary.removed).toBe(e164s.length);
  }

  /** Starts a sync, waits for every run to end, and reads the run back. */
  async function syncNow(customerId: string, query = '') {
    const started = await t.request('POST', `/api/v1/customers/${customerId}/sync${query}`);
    expect(started.status).toBe(202);
    await t.app.services.sync.idle();
    const run = await t.request('GET', `/api/v1/sync-runs/${started.body.id}`);
    expect(run.status).toBe(200);
    return run.body;
  }

  async function statuses(customerId: string): Promise<Record<string, { status: string; statusText: string }>> {
    const response = await t.request('GET', `/api/v1/customers/${customerId}/numbers?pageSize=200`);
    expect(response.status).toBe(200);
    return Object.fromEntries(
      response.body.items.map((n: { e164: string; status: string; statusText: string }) => [
        n.e164,
        { status: n.status, statusText: n.statusText },
      ]),
    );
  }

  function backendSnapshot(accountId: string) {
    const account = t.simulator.accounts.get(accountId)!;
    return JSON.parse(
      JSON.stringify({
        account: account.account,
        numbers: [...account.numbers.keys()].sort(),
        callflows: [...account.callflows.values()],
      }),
    );
  }

  const writes = () => t.simulator.callCount(BACKEND_WRITES);

  describe('POST /api/v1/customers/{id}/sync', () => {
    it('answers 202 at once with the run, which then runs to success', async () => {
      loadAccount({ id: 'sync-start', name: 'Start', freeNumbers: [num(1)] });
      const id = await createCustomer(t, { accountId: 'sync-start' });
      await addNumbers(id, [num(1)]);
      t.simulator.setKnobs({ latencyMs: 30 });
      try {
        const response = await t.request('POST', `/api/v1/customers/${id}/sync`);
        expect(response.status).toBe(202);
        expect(response.body).toMatchObject({ customerId: id, trigger: 'tab', dryRun: false, started: true, finishedAt: null });
        expect(['queued', 'running']).toContain(response.body.state);
        expect(response.body.id).toMatch(/^[0-9a-f]{24}$/);

        let run = response.body;
        for (let i = 0; i < 200 && run.state !== 'succeeded' && run.state !== 'failed'; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          const polled = await t.request('GET', `/api/v1/sync-runs/${response.body.id}`);
          expect(polled.status).toBe(200);
          run = polled.body;
        }
        expect(run.state).toBe('succeeded');
        expect(run.phase).toBe('done');
        expect(run.startedAt).not.toBeNull();
        expect(run.finishedAt).not.toBeNull();
        expect(run.progress.total).toBeGreaterThan(0);
        expect(run.progress.done).toBe(run.progress.total);
      } finally {
        t.simulator.setKnobs({ latencyMs: 0 });
      }
    });

    it('refuses a dryRun that is not true or false with 400, naming it', async () => {
      const id = await createCustomer(t, { accountId: 'sync-bad-query' });
      const response = await t.request('POST', `/api/v1/customers/${id}/sync?dryRun=maybe`);
      expect(response.status).toBe(400);
      expect(response.body.error.details).toEqual([expect.objectContaining({ field: 'dryRun' })]);
      expect(await t.database.syncRuns.countDocuments({ customerId: new ObjectId(id) })).toBe(0);
    });

    it('answers 404 for an unknown or malformed customer id', async () => {
      expect((await t.request('POST', '/api/v1/customers/0123456789abcdef01234567/sync')).status).toBe(404);
      expect((await t.request('POST', '/api/v1/customers/nope/sync')).status).toBe(404);
    });
  });

  describe('a full sync', () => {
    const ACCOUNT = 'sync-full';
    const TEAMS = num(100); // in a teams callflow, in the portal
    const IMPORT = num(101); // in the same teams callflow, not in the portal
    const SEAT = num(102); // on Ann Lee's essentials seat
    const FREE_1 = num(103);
    const FREE_2 = num(104);
    const ABSENT = num(105); // on no account
    let id: string;
    let first: any;

    beforeAll(async () => {
      loadAccount({
        id: ACCOUNT,
        name: 'Full',
        teams: { max_channels: 5, tenant_name: 'old.example.com' },
        teamsCallflows: [[TEAMS, IMPORT]],
        seats: [{ firstName: 'Ann', lastName: 'Lee', seatType: 'essentials', numbers: [SEAT] }],
        freeNumbers: [FREE_1, FREE_2],
      });
      id = await createCustomer(t, { accountId: ACCOUNT, tenantName: 'contoso.example.com', maxChannels: 12 });
      await addNumbers(id, [TEAMS, SEAT, FREE_1, FREE_2, ABSENT]);
      first = await syncNow(id);
    });

    it('succeeds', () => {
      expect(first).toMatchObject({ state: 'succeeded', trigger: 'tab', dryRun: false, errors: [] });
    });

    it('gives every number its status with the exact status text', async () => {
      expect(await statuses(id)).toEqual({
        [TEAMS]: { status: 'synced', statusText: 'Synced' },
        [IMPORT]: { status: 'synced', statusText: 'Synced' },
        [SEAT]: { status: 'backend_fatal', statusText: FATAL_TEXT },
        [FREE_1]: { status: 'synced', statusText: 'Synced' },
        [FREE_2]: { status: 'synced', statusText: 'Synced' },
        [ABSENT]: { status: 'not_in_backend', statusText: NOT_IN_BACKEND_TEXT },
      });
    });

    it('imports the Teams-routed number the portal lacked, as synced, for this customer', async () => {
      const imported = await t.database.numbers.findOne({ e164: IMPORT });
      expect(imported).toMatchObject({ customerId: new ObjectId(id), status: 'synced' });
      expect(first.changes.toImport).toEqual([IMPORT]);
      expect(first.changeCounts.imported).toBe(1);
    });

    it('gives the free numbers Teams routing in the backend, and leaves the others where they were', () => {
      for (const e164 of [FREE_1, FREE_2]) {
        const callflow = t.simulator.callflowOf(ACCOUNT, e164);
        expect(callflow?.flow.module).toBe('teams');
        expect(callflow?.flow.data).toEqual({ tenant_name: 'contoso.example.com' });
      }
      expect(t.simulator.callflowOf(ACCOUNT, SEAT)?.flow.module).toBe('user');
      expect(t.simulator.callflowOf(ACCOUNT, TEAMS)?.numbers.sort()).toEqual([TEAMS, IMPORT].sort());
      // The sync does not put numbers on accounts.
      expect(t.simulator.accounts.get(ACCOUNT)!.numbers.has(ABSENT)).toBe(false);
      expect(first.changes.toRoute).toEqual([FREE_1, FREE_2]);
    });

    it("pushes max channels and tenant to the backend account's teams settings", () => {
      expect(t.simulator.accounts.get(ACCOUNT)!.account.teams).toEqual({ max_channels: 12, tenant_name: 'contoso.example.com' });
      expect(first.changes.account).toEqual({
        from: { maxChannels: 5, tenantName: 'old.example.com' },
        to: { maxChannels: 12, tenantName: 'contoso.example.com' },
      });
    });

    it('records counts, status changes and what needs attention, naming the seat', () => {
      expect(first.counts).toEqual({ pending: 0, synced: 4, backend_fatal: 1, not_in_backend: 1 });
      expect(first.changes.statusChanges).toEqual(
        expect.arrayContaining([
          { e164: TEAMS, from: 'pending', to: 'synced' },
          { e164: SEAT, from: 'pending', to: 'backend_fatal' },
          { e164: ABSENT, from: 'pending', to: 'not_in_backend' },
        ]),
      );
      expect(first.changes.statusChanges).toHaveLength(5);
      expect(first.attention).toEqual([
        { e164: SEAT, status: 'backend_fatal', statusText: FATAL_TEXT, detail: expect.stringMatching(/Ann Lee.*essentials/) },
        { e164: ABSENT, status: 'not_in_backend', statusText: NOT_IN_BACKEND_TEXT },
      ]);
    });

    it('shows the last sync and the counts on the customer', async () => {
      const response = await t.request('GET', `/api/v1/customers/${id}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        numberCount: 6,
        numberCounts: { pending: 0, synced: 4, backend_fatal: 1, not_in_backend: 1 },
        pendingRemovals: 0,
        lastSync: { runId: first.id, state: 'succeeded', startedAt: expect.any(String), finishedAt: expect.any(String) },
      });
    });

    it('keeps one history entry per status change, with the run id', async () => {
      const entries = await t.database.numberHistory.find({ customerId: new ObjectId(id) }).toArray();
      expect(entries.map((e) => [e.e164, e.status, e.runId.toHexString()]).sort()).toEqual(
        [
          [TEAMS, 'synced', first.id],
          [IMPORT, 'synced', first.id],
          [SEAT, 'backend_fatal', first.id],
          [FREE_1, 'synced', first.id],
          [FREE_2, 'synced', first.id],
          [ABSENT, 'not_in_backend', first.id],
        ].sort(),
      );
      const seat = entries.find((e) => e.e164 === SEAT)!;
      expect(seat.statusText).toBe(FATAL_TEXT);
      expect(seat.detail).toContain('Ann Lee');
    });

    it('writes nothing to the backend and no history when run again', async () => {
      const writesBefore = writes();
      const historyBefore = await t.database.numberHistory.countDocuments({ customerId: new ObjectId(id) });
      const before = await statuses(id);
      const second = await syncNow(id);
      expect(second.state).toBe('succeeded');
      expect(writes()).toBe(writesBefore);
      expect(second.changeCounts).toEqual({ routed: 0, imported: 0, removed: 0, released: 0, statusChanges: 0 });
      expect(second.changes.account).toBeNull();
      expect(await statuses(id)).toEqual(before);
      expect(await t.database.numberHistory.countDocuments({ customerId: new ObjectId(id) })).toBe(historyBefore);
    });

    it('adds one history entry when a status changes at a later sync', async () => {
      // The carrier frees the seat's number (through the backend's API): the next sync routes it to Teams.
      await t.app.services.backend.deleteCallflow(ACCOUNT, t.simulator.callflowOf(ACCOUNT, SEAT)!.id);
      expect(t.simulator.callflowOf(ACCOUNT, SEAT)).toBeUndefined();
      const third = await syncNow(id);
      expect(third.state).toBe('succeeded');
      expect((await statuses(id))[SEAT]).toEqual({ status: 'synced', statusText: 'Synced' });
      expect(t.simulator.callflowOf(ACCOUNT, SEAT)?.flow.module).toBe('teams');
      const entries = await t.database.numberHistory.find({ customerId: new ObjectId(id), runId: new ObjectId(third.id) }).toArray();
      expect(entries.map((e) => [e.e164, e.status])).toEqual([[SEAT, 'synced']]);
      expect(await t.database.numberHistory.countDocuments({ customerId: new ObjectId(id), e164: SEAT })).toBe(2);
    });

    it('answers a number\'s history over HTTP, newest first, and 404 to another partner', async () => {
      const path = `/api/v1/customers/${id}/numbers/${encodeURIComponent(SEAT)}/history`;
      const response = await t.request('GET', path);
      expect(response.status).toBe(200);
      expect(response.body.e164).toBe(SEAT);
      expect(response.body.items.map((e: { status: string }) => e.status)).toEqual(['synced', 'backend_fatal']);
      expect(response.body.items[1]).toMatchObject({ runId: first.id, statusText: FATAL_TEXT, detail: expect.stringContaining('Ann Lee') });
      expect((await t.request('GET', path, { token: tokenB })).status).toBe(404);
      expect((await t.request('GET', `/api/v1/customers/${id}/numbers/not-a-number/history`)).status).toBe(404);
    });

    it('lists the runs newest first', async () => {
      const response = await t.request('GET', `/api/v1/customers/${id}/sync-runs`);
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(3);
      expect(response.body.items).toHaveLength(3);
      expect(response.body.items[2].id).toBe(first.id);
      const created = response.body.items.map((r: { createdAt: string }) => Date.parse(r.createdAt));
      expect([...created].sort((a, b) => b - a)).toEqual(created);
      const customer = await t.request('GET', `/api/v1/customers/${id}`);
      expect(response.body.items[0].id).toBe(customer.body.lastSync.runId);
      const paged = await t.request('GET', `/api/v1/customers/${id}/sync-runs?pageSize=1&page=3`);
      expect(paged.body.items.map((r: { id: string }) => r.id)).toEqual([first.id]);
    });
  });

  describe('removals', () => {
    it('with mode delete: takes numbers out of their Teams callflows and releases them from the account', async () => {
      const ACCOUNT = 'sync-remove-delete';
      const [ALONE, SHARED, KEPT] = [num(200), num(201), num(202)];
      loadAccount({ id: ACCOUNT, name: 'Delete', teamsCallflows: [[ALONE], [SHARED, KEPT]] });
      const id = await createCustomer(t, { accountId: ACCOUNT });
      await addNumbers(id, [ALONE, SHARED, KEPT]);
      await syncNow(id);
      const aloneFlow = t.simulator.callflowOf(ACCOUNT, ALONE)!.id;
      const sharedFlow = t.simulator.callflowOf(ACCOUNT, SHARED)!.id;

      await removeNumbers(id, [ALONE, SHARED], 'delete');
      const run = await syncNow(id);

      expect(run.state).toBe('succeeded');
      const account = t.simulator.accounts.get(ACCOUNT)!;
      // The callflow that held only the removed number is gone; the other one is replaced, keeping the rest.
      expect(account.callflows.has(aloneFlow)).toBe(false);
      expect(account.callflows.get(sharedFlow)).toMatchObject({ numbers: [KEPT], flow: { module: 'teams' } });
      expect(t.simulator.callflowOf(ACCOUNT, SHARED)).toBeUndefined();
      expect(account.numbers.has(ALONE)).toBe(false);
      expect(account.numbers.has(SHARED)).toBe(false);
      expect(account.numbers.has(KEPT)).toBe(true);

      expect(run.changes.toRemove).toEqual(
        expect.arrayContaining([
          { e164: ALONE, mode: 'delete' },
          { e164: SHARED, mode: 'delete' },
        ]),
      );
      expect([...run.changes.toRelease].sort()).toEqual([ALONE, SHARED]);
      expect(run.changeCounts).toMatchObject({ removed: 2, released: 2, imported: 0 });
      expect(await statuses(id)).toEqual({ [KEPT]: { status: 'synced', statusText: 'Synced' } });
      expect(await t.database.numbers.countDocuments({ e164: { $in: [ALONE, SHARED] } })).toBe(0);
      const removed = await t.database.numberHistory.find({ runId: new ObjectId(run.id), status: 'removed' }).toArray();
      expect(removed.map((e) => e.e164).sort()).toEqual([ALONE, SHARED]);
      expect((await t.request('GET', `/api/v1/customers/${id}`)).body).toMatchObject({ pendingRemovals: 0, numberCount: 1 });
    });

    it('with mode retain: takes the number out of its callflow but keeps it on the account', async () => {
      const ACCOUNT = 'sync-remove-retain';
      const [GOING, STAYING] = [num(210), num(211)];
      loadAccount({ id: ACCOUNT, name: 'Retain', teamsCallflows: [[GOING, STAYING]] });
      const id = await createCustomer(t, { accountId: ACCOUNT });
      await addNumbers(id, [GOING, STAYING]);
      await syncNow(id);
      const flow = t.simulator.callflowOf(ACCOUNT, GOING)!.id;

      await removeNumbers(id, [GOING], 'retain');
      const run = await syncNow(id);

      expect(run.state).toBe('succeeded');
      expect(t.simulator.callflowOf(ACCOUNT, GOING)).toBeUndefined();
      expect(t.simulator.accounts.get(ACCOUNT)!.numbers.has(GOING)).toBe(true);
      expect(t.simulator.accounts.get(ACCOUNT)!.callflows.get(flow)?.numbers).toEqual([STAYING]);
      expect(run.changes.toRemove).toEqual([{ e164: GOING, mode: 'retain' }]);
      expect(run.changes.toRelease).toEqual([]);
      expect(run.changeCounts).toMatchObject({ removed: 1, released: 0 });
      expect(await statuses(id)).toEqual({ [STAYING]: { status: 'synced', statusText: 'Synced' } });
      expect(await t.database.numbers.countDocuments({ e164: GOING })).toBe(0);
    });

    it('never re-imports a number whose removal is still pending, and completes the removal later', async () => {
      const ACCOUNT = 'sync-remove-pending';
      const [GOING, OTHER] = [num(220), num(221)];
      loadAccount({ id: ACCOUNT, name: 'Pending', teamsCallflows: [[GOING], [OTHER]] });
      const id = await createCustomer(t, { accountId: ACCOUNT });
      await addNumbers(id, [GOING, OTHER]);
      await syncNow(id);
      await removeNumbers(id, [GOING], 'delete');

      // The backend refuses to delete the callflow for every try of the run: the removal stays pending.
      const tries = t.settings.BACKEND_MAX_RETRIES + 1;
      const deletesBefore = t.simulator.callCount(/^DELETE .*callflows/);
      t.simulator.failNext({ method: 'DELETE', path: /\/callflows\/[^/]+$/, status: 500, times: tries });
      const failed = await syncNow(id);
      expect(t.simulator.callCount(/^DELETE .*callflows/) - deletesBefore).toBe(tries);

      expect(failed.state).toBe('succeeded');
      expect(failed.errors).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining(GOING) })]));
      expect(t.simulator.callflowOf(ACCOUNT, GOING)?.flow.module).toBe('teams');
      expect(t.simulator.accounts.get(ACCOUNT)!.numbers.has(GOING)).toBe(true);
      expect(failed.changes.toImport).toEqual([]);
      expect(failed.changeCounts).toMatchObject({ imported: 0, removed: 0, released: 0 });
      expect(Object.keys(await statuses(id))).toEqual([OTHER]);
      expect(await t.database.numbers.findOne({ e164: GOING })).toMatchObject({ removal: { mode: 'delete' } });
      expect((await t.request('GET', `/api/v1/customers/${id}`)).body.pendingRemovals).toBe(1);

      const retried = await syncNow(id);
      expect(retried.state).toBe('succeeded');
      expect(retried.errors).toEqual([]);
      expect(retried.changes.toImport).toEqual([]);
      expect(t.simulator.callflowOf(ACCOUNT, GOING)).toBeUndefined();
      expect(t.simulator.accounts.get(ACCOUNT)!.numbers.has(GOING)).toBe(false);
      expect(await t.database.numbers.countDocuments({ e164: GOING })).toBe(0);
      expect(Object.keys(await statuses(id))).toEqual([OTHER]);
    });
  });

  describe('imports', () => {
    it("reports, and does not import, a Teams-routed number that another customer holds in the portal", async () => {
      const [MINE, THEIRS] = [num(250), num(251)];
      loadAccount({ id: 'sync-import-owner', name: 'Owner' });
      loadAccount({ id: 'sync-import-conflict', name: 'Conflict', teamsCallflows: [[MINE, THEIRS]] });
      const owner = await createCustomer(t, { accountId: 'sync-import-owner', name: 'Owner Co' });
      await addNumbers(owner, [THEIRS]);
      const id = await createCustomer(t, { accountId: 'sync-import-conflict' });
      await addNumbers(id, [MINE]);

      const run = await syncNow(id);

      expect(run.state).toBe('succeeded');
      expect(run.changes.toImport).toEqual([]);
      expect(run.errors).toEqual([expect.objectContaining({ e164: THEIRS })]);
      expect(JSON.stringify(run.errors)).not.toContain('Owner');
      expect(await statuses(id)).toEqual({ [MINE]: { status: 'synced', statusText: 'Synced' } });
      expect(await t.database.numbers.findOne({ e164: THEIRS })).toMatchObject({ customerId: new ObjectId(owner), status: 'pending' });
    });
  });

  describe('dry run', () => {
    it('lists what would change and changes nothing', async () => {
      const ACCOUNT = 'sync-dry';
      const [ROUTED, IMPORT, REMOVED, FREE, ABSENT] = [num(300), num(301), num(302), num(303), num(304)];
      loadAccount({
        id: ACCOUNT,
        name: 'Dry',
        teams: { max_channels: 1, tenant_name: 'old.example.com' },
        teamsCallflows: [[ROUTED, IMPORT], [REMOVED]],
        freeNumbers: [FREE],
      });
      const id = await createCustomer(t, { accountId: ACCOUNT, tenantName: 'dry.example.com', maxChannels: 9 });
      await addNumbers(id, [ROUTED, REMOVED, FREE, ABSENT]);
      await removeNumbers(id, [REMOVED], 'delete');
      const backendBefore = backendSnapshot(ACCOUNT);
      const writesBefore = writes();
      const statusesBefore = await statuses(id);

      const response = await t.request('POST', `/api/v1/customers/${id}/sync?dryRun=true`);
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({ dryRun: true, started: true });
      await t.app.services.sync.idle();
      const run = (await t.request('GET', `/api/v1/sync-runs/${response.body.id}`)).body;

      expect(run).toMatchObject({ state: 'succeeded', dryRun: true });
      expect(run.changes).toEqual({
        account: { from: { maxChannels: 1, tenantName: 'old.example.com' }, to: { maxChannels: 9, tenantName: 'dry.example.com' } },
        toRoute: [FREE],
        toImport: [IMPORT],
        toRemove: [{ e164: REMOVED, mode: 'delete' }],
        toRelease: [REMOVED],
        statusChanges: expect.arrayContaining([
          { e164: ROUTED, from: 'pending', to: 'synced' },
          { e164: FREE, from: 'pending', to: 'synced' },
          { e164: ABSENT, from: 'pending', to: 'not_in_backend' },
        ]),
      });
      expect(run.changes.statusChanges).toHaveLength(3);
      expect(run.counts).toEqual({ pending: 0, synced: 3, backend_fatal: 0, not_in_backend: 1 });

      // Nothing changed: backend, statuses, pending removal, history, last sync.
      expect(backendSnapshot(ACCOUNT)).toEqual(backendBefore);
      expect(writes()).toBe(writesBefore);
      expect(statusesBefore).toEqual({
        [ROUTED]: { status: 'pending', statusText: PENDING_TEXT },
        [FREE]: { status: 'pending', statusText: PENDING_TEXT },
        [ABSENT]: { status: 'pending', statusText: PENDING_TEXT },
      });
      expect(await statuses(id)).toEqual(statusesBefore);
      expect(await t.database.numbers.findOne({ e164: IMPORT })).toBeNull();
      expect(await t.database.numbers.findOne({ e164: REMOVED })).toMatchObject({ removal: { mode: 'delete' } });
      expect(await t.database.numberHistory.countDocuments({ customerId: new ObjectId(id) })).toBe(0);
      const customer = (await t.request('GET', `/api/v1/customers/${id}`)).body;
      expect(customer).toMatchObject({ lastSync: null, pendingRemovals: 1, numberCount: 3 });

      // The real run then does what the preview said.
      const real = await syncNow(id);
      expect(real.dryRun).toBe(false);
      expect(real.changes).toEqual(run.changes);
    });
  });

  describe('sync after save', () => {
    it('starts a run when a customer is created with syncAfterSave', async () => {
      const ACCOUNT = 'sync-after-save';
      const ROUTED = num(400);
      loadAccount({ id: ACCOUNT, name: 'After save', teams: {}, teamsCallflows: [[ROUTED]] });
      const response = await t.request('POST', '/api/v1/customers', {
        body: { accountId: ACCOUNT, tenantName: 'saved.example.com', maxChannels: 4, syncAfterSave: true },
      });
      expect(response.status).toBe(201);
      expect(response.body.syncRun).not.toBeNull();
      expect(response.body.syncRun).toMatchObject({ customerId: response.body.id, trigger: 'after-save', dryRun: false });
      await t.app.services.sync.idle();
      const run = (await t.request('GET', `/api/v1/sync-runs/${response.body.syncRun.id}`)).body;
      expect(run).toMatchObject({ state: 'succeeded', trigger: 'after-save' });
      expect(t.simulator.accounts.get(ACCOUNT)!.account.teams).toEqual({ max_channels: 4, tenant_name: 'saved.example.com' });
      expect(await statuses(response.body.id)).toEqual({ [ROUTED]: { status: 'synced', statusText: 'Synced' } });
    });

    it('starts nothing without it', async () => {
      t.backendAccount('sync-no-after-save');
      const response = await t.request('POST', '/api/v1/customers', {
        body: { accountId: 'sync-no-after-save', tenantName: 'saved.example.com', maxChannels: 4, syncAfterSave: false },
      });
      expect(response.status).toBe(201);
      expect(response.body.syncRun).toBeNull();
      expect(await t.database.syncRuns.countDocuments({ customerId: new ObjectId(response.body.id) })).toBe(0);
    });
  });

  describe('one run at a time', () => {
    it('answers two requests at once with one run started and one queued behind it, which starts when it ends', async () => {
      const ACCOUNT = 'sync-concurrent';
      loadAccount({ id: ACCOUNT, name: 'Concurrent', freeNumbers: [num(500), num(501)] });
      const id = await createCustomer(t, { accountId: ACCOUNT });
      await addNumbers(id, [num(500), num(501)]);
      t.simulator.setKnobs({ latencyMs: 50 });
      let runId: string;
      try {
        const [a, b] = await Promise.all([
          t.request('POST', `/api/v1/customers/${id}/sync`),
          t.request('POST', `/api/v1/customers/${id}/sync`),
        ]);
        expect([a.status, b.status]).toEqual([202, 202]);
        expect([a.body.started, b.body.started].sort()).toEqual([false, true]);
        const [first, queued] = a.body.started ? [a.body, b.body] : [b.body, a.body];
        expect(first.queuedAfter).toBeNull();
        expect(queued).toMatchObject({ queuedAfter: first.id, state: 'queued' });
        expect(queued.id).not.toBe(first.id);
        runId = queued.id;
        await t.app.services.sync.idle();
        // The queued run started once the first ended (both ran in this process, one after the other).
        const runs = await t.database.syncRuns.find({ customerId: new ObjectId(id) }).sort({ createdAt: 1 }).toArray();
        expect(runs.map((run) => run.state)).toEqual(['succeeded', 'succeeded']);
        const [firstRun, queuedRun] = [runs.find((run) => run._id.toHexString() === first.id)!, runs.find((run) => run._id.toHexString() === queued.id)!];
        expect(queuedRun.startedAt!.getTime()).toBeGreaterThanOrEqual(firstRun.finishedAt!.getTime());
      } finally {
        t.simulator.setKnobs({ latencyMs: 0 });
      }
      expect(await t.database.syncRuns.countDocuments({ customerId: new ObjectId(id) })).toBe(2);
      // The routing was created once.
      const flows = [...t.simulator.accounts.get(ACCOUNT)!.callflows.values()];
      expect(flows.flatMap((c) => c.numbers).sort()).toEqual([num(500), num(501)]);
      // The lease is released: the next request starts a new run.
      const next = await t.request('POST', `/api/v1/customers/${id}/sync`);
      expect(next.body.started).toBe(true);
      expect(next.body.id).not.toBe(runId);
      await t.app.services.sync.idle();
    });
  });

  describe('failures', () => {
    it('fails the run with a message when the backend account does not exist', async () => {
      const id = await createCustomer(t, { accountId: 'sync-no-such-account' });
      // Gone from the backend since (the carrier deleted it).
      t.simulator.accounts.delete('sync-no-such-account');
      await addNumbers(id, [num(600)]);
      const run = await syncNow(id);
      expect(run.state).toBe('failed');
      expect(run.finishedAt).not.toBeNull();
      expect(run.errors).toEqual([expect.objectContaining({ message: expect.any(String) })]);
      expect(run.errors[0].message).toMatch(/sync-no-such-account|not found|404/i);
      expect(await statuses(id)).toEqual({ [num(600)]: { status: 'pending', statusText: PENDING_TEXT } });
      const customer = (await t.request('GET', `/api/v1/customers/${id}`)).body;
      expect(customer.lastSync).toMatchObject({ runId: run.id, state: 'failed' });
      // A failed run frees the customer.
      const again = await t.request('POST', `/api/v1/customers/${id}/sync`);
      expect(again.body.started).toBe(true);
      await t.app.services.sync.idle();
    });
  });

  describe("another partner's customer and runs", () => {
    let id: string;
    let runId: string;
    beforeAll(async () => {
      loadAccount({ id: 'sync-private', name: 'Private', freeNumbers: [num(700)] });
      id = await createCustomer(t, { accountId: 'sync-private', name: 'Private Co' });
      await addNumbers(id, [num(700)]);
      runId = (await syncNow(id)).id;
    });

    it.each([
      ['POST', '/customers/{id}/sync', () => `/api/v1/customers/${id}/sync`],
      ['POST', '/customers/{id}/sync?dryRun=true', () => `/api/v1/customers/${id}/sync?dryRun=true`],
      ['GET', '/customers/{id}/sync-runs', () => `/api/v1/customers/${id}/sync-runs`],
      ['GET', '/sync-runs/{runId}', () => `/api/v1/sync-runs/${runId}`],
    ])('%s /api/v1%s answers 404 to partner B and starts nothing', async (method, _label, path) => {
      const response = await t.request(method, path(), { token: tokenB });
      expect(response.status).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('Private');
      await t.app.services.sync.idle();
      expect(await t.database.syncRuns.countDocuments({ customerId: new ObjectId(id) })).toBe(1);
    });

    it('answers 404 for an unknown or malformed run id', async () => {
      expect((await t.request('GET', `/api/v1/sync-runs/${new ObjectId().toHexString()}`)).status).toBe(404);
      expect((await t.request('GET', '/api/v1/sync-runs/not-an-id')).status).toBe(404);
    });
  });
});

describe('removal clean-up at once (REMOVAL_CLEANUP=immediate, the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('starts a sync when numbers are removed, which takes them out of the backend', async () => {
    t.simulator.load({
      apiKeys: [],
      accounts: [
        {
          id: 'cleanup-now',
          name: 'Cleanup',
          teams: { max_channels: 4, tenant_name: 'cleanup.example.com' },
          teamsCallflows: [[num(900), num(901)]],
        },
      ],
    });
    const id = await createCustomer(t, { accountId: 'cleanup-now', tenantName: 'cleanup.example.com', maxChannels: 4 });
    await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: `${num(900)}\n${num(901)}` } });
    const removed = await t.request('POST', `/api/v1/customers/${id}/numbers/remove`, {
      body: { numbers: [num(900)], mode: 'delete' },
    });
    expect(removed.status).toBe(200);
    expect(removed.body.syncRun).toMatchObject({ trigger: 'after-remove', started: true, customerId: id });
    await t.app.services.sync.idle();
    const run = await t.request('GET', `/api/v1/sync-runs/${removed.body.syncRun.id}`);
    expect(run.body).toMatchObject({ state: 'succeeded', changeCounts: { removed: 1, released: 1 } });
    expect(t.simulator.callflowOf('cleanup-now', num(900))).toBeUndefined();
    expect(t.simulator.accounts.get('cleanup-now')!.numbers.has(num(900))).toBe(false);
    expect(t.simulator.callflowOf('cleanup-now', num(901))?.flow.module).toBe('teams');
    const customer = await t.request('GET', `/api/v1/customers/${id}`);
    expect(customer.body).toMatchObject({ pendingRemovals: 0, numberCount: 1 });
  });

  it('starts nothing when nothing was removed', async () => {
    const id = await createCustomer(t, { accountId: 'cleanup-none' });
    const removed = await t.request('POST', `/api/v1/customers/${id}/numbers/remove`, {
      body: { numbers: [num(950)], mode: 'retain' },
    });
    expect(removed.body).toMatchObject({ summary: { removed: 0, 'not-found': 1 }, syncRun: null });
  });
});
