import { until } from '../../support/until';
import { ObjectId } from 'mongodb';
import { createApp, type App } from '../../../api/app';
import { BackendSimulator, type SimulatorFixture } from '../../../api/backend/simulator/backend-simulator';
import { createLogger } from '../../../api/logging/logger';
import { SIMULATOR_API_KEY } from '../../../api/settings/settings';
import { SyncRunner } from '../../../api/sync/sync-runner';
import { CustomerSyncLease } from '../../../api/sync/sync-lease';
import { createCustomer, PARTNER_A, startTestApp, type TestApp } from '../../support/test-app';
import { syncRunDocument } from '../../support/sync-fixtures';

/** Numbers unique in this file: +1 646 555 08xx. */
const num = (i: number) => `+1646555${String(800 + i).padStart(4, '0')}`;
const TENANT = 'queue.example.com';
/** The backend's list of an account's callflows: a run asks for it right after it has read the portal's numbers. */
const CALLFLOW_LIST = /^GET .*callflows\$$/;

type AccountSpec = SimulatorFixture['accounts'][number];


describe('a sync asked for while one runs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ settings: { SYNC_LEASE_SECONDS: 5 } });
  });
  afterAll(() => t.close());
  afterEach(() => t.simulator.setKnobs({ latencyMs: 0 }));

  const runs = (customerId: string) => t.database.syncRuns.find({ customerId: new ObjectId(customerId) }).sort({ createdAt: 1 }).toArray();

  async function customerOn(spec: AccountSpec, numbers: string[]): Promise<string> {
    t.simulator.load({ apiKeys: [], accounts: [spec] });
    const id = await createCustomer(t, { accountId: spec.id, tenantName: TENANT, maxChannels: 4 });
    const added = await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: numbers.join('\n') } });
    expect(added.body.summary.added).toBe(numbers.length);
    return id;
  }

  /**
   * Holds the next run at its list of callflows (the backend answers 429,
   * retry in 2 s) and resolves once the run has asked for it: the run has
   * read the portal's numbers by then, so what changes next it cannot see.
   */
  function holdNextRunAfterItReadThePortal() {
    const before = t.simulator.callCount(CALLFLOW_LIST);
    t.simulator.failNext({ method: 'GET', path: /\/callflows$/, status: 429, retryAfterSeconds: 2 });
    return () => until('the run asks for the callflows', () => (t.simulator.callCount(CALLFLOW_LIST) > before ? true : undefined));
  }

  /** A run of another process, under way: its record, and its lease on the customer until `until`. */
  async function runElsewhere(customerId: string, until: Date): Promise<ObjectId> {
    const runId = new ObjectId();
    await t.database.syncRuns.insertOne(syncRunDocument({ _id: runId, partnerId: t.partnerA._id, customerId: new ObjectId(customerId) }));
    await t.database.customers.updateOne({ _id: new ObjectId(customerId) }, { $set: { syncLease: { runId, until } } });
    return runId;
  }

  it("the issue's case: delete A, retain B right away, press Sync; after the runs A is released, B is on the account in no callflow, and neither comes back", async () => {
    const [A, B, KEPT] = [num(1), num(2), num(3)];
    const ACCOUNT = 'queue-issue';
    const id = await customerOn(
      { id: ACCOUNT, name: 'Issue', teams: { max_channels: 4, tenant_name: TENANT }, teamsCallflows: [[A, B, KEPT]] },
      [A, B, KEPT],
    );
    const readThePortal = holdNextRunAfterItReadThePortal();

    const first = await t.request('POST', `/api/v1/customers/${id}/numbers/remove`, { body: { numbers: [A], mode: 'delete' } });
    expect(first.body.syncRun).toMatchObject({ started: true, queuedAfter: null, trigger: 'after-remove' });
    const underWay = first.body.syncRun.id as string;
    await readThePortal();

    const second = await t.request('POST', `/api/v1/customers/${id}/numbers/remove`, { body: { numbers: [B], mode: 'retain' } });
    expect(second.body.syncRun).toMatchObject({ started: false, queuedAfter: underWay, state: 'queued' });
    const next = second.body.syncRun.id as string;
    expect(next).not.toBe(underWay);
    const pressed = await t.request('POST', `/api/v1/customers/${id}/sync`);
    expect(pressed.status).toBe(202);
    expect(pressed.body).toMatchObject({ id: next, started: false, queuedAfter: underWay });

    await t.app.services.sync.idle();
    const ran = await runs(id);
    expect(ran.map((run) => [run._id.toHexString(), run.state])).toEqual([
      [underWay, 'succeeded'],
      [next, 'succeeded'],
    ]);
    expect(ran[1]!.asks).toBe(1);
    const account = t.simulator.accounts.get(ACCOUNT)!;
    expect(account.numbers.has(A)).toBe(false);
    expect(account.numbers.has(B)).toBe(true);
    expect(t.simulator.callflowOf(ACCOUNT, B)).toBeUndefined();
    expect(t.simulator.callflowOf(ACCOUNT, KEPT)?.flow.module).toBe('teams');
    expect(await t.database.numbers.find({ customerId: new ObjectId(id) }).map((n) => n.e164).toArray()).toEqual([KEPT]);

    const again = await t.request('POST', `/api/v1/customers/${id}/sync`);
    expect(again.body).toMatchObject({ started: true, queuedAfter: null });
    await t.app.services.sync.idle();
    expect((await t.request('GET', `/api/v1/sync-runs/${again.body.id}`)).body).toMatchObject({ state: 'succeeded', changeCounts: { imported: 0 } });
    expect(account.numbers.has(A)).toBe(false);
    expect(t.simulator.callflowOf(ACCOUNT, B)).toBeUndefined();
    const listed = await t.request('GET', `/api/v1/customers/${id}/numbers`);
    expect(listed.body.items.map((n: { e164: string }) => n.e164)).toEqual([KEPT]);
  }, 30_000);

  it('answers every request while a run is under way (presses, a schedule, the bot) with one queued run, which applies a change the first run could not see', async () => {
    const [ROUTED, LATE] = [num(10), num(11)];
    const ACCOUNT = 'queue-many';
    const id = await customerOn({ id: ACCOUNT, name: 'Many', teams: { max_channels: 4, tenant_name: TENANT }, freeNumbers: [ROUTED, LATE] }, [ROUTED]);
    const readThePortal = holdNextRunAfterItReadThePortal();
    const first = await t.request('POST', `/api/v1/customers/${id}/sync`);
    expect(first.body).toMatchObject({ started: true });
    await readThePortal();
    // Added after the run under way read the portal: only a later run can route it.
    await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: LATE } });

    const { sync } = t.app.services;
    const answers = await Promise.all([
      t.request('POST', `/api/v1/customers/${id}/sync`).then((r) => ({ id: r.body.id, started: r.body.started, queuedAfter: r.body.queuedAfter })),
      t.request('POST', `/api/v1/customers/${id}/sync`).then((r) => ({ id: r.body.id, started: r.body.started, queuedAfter: r.body.queuedAfter })),
      sync.start(t.callerA, id, { trigger: 'scheduled' }).then((a) => ({ id: a.run.id, started: a.started, queuedAfter: a.queuedAfter })),
      sync.start(t.callerA, id, { trigger: 'bot' }).then((a) => ({ id: a.run.id, started: a.started, queuedAfter: a.queuedAfter })),
    ]);
    const queuedId = answers[0]!.id;
    expect(queuedId).not.toBe(first.body.id);
    expect(answers).toEqual(answers.map(() => ({ id: queuedId, started: false, queuedAfter: first.body.id })));
    // One queued run, whatever the number of requests; the others are counted on it.
    expect(await t.database.syncRuns.countDocuments({ customerId: new ObjectId(id) })).toBe(2);
    expect((await t.database.syncRuns.findOne({ _id: new ObjectId(queuedId) }))!.asks).toBe(3);

    await sync.idle();
    const [firstRun, queuedRun] = await runs(id);
    expect(firstRun!.changes.toRoute).toEqual([ROUTED]);
    expect(queuedRun).toMatchObject({ state: 'succeeded', after: new ObjectId(first.body.id) });
    expect(queuedRun!.changes.toRoute).toEqual([LATE]);
    expect(t.simulator.callflowOf(ACCOUNT, LATE)?.flow.module).toBe('teams');
    const customer = await t.database.customers.findOne({ _id: new ObjectId(id) });
    expect(customer?.syncLease).toBeUndefined();
    expect(customer?.syncQueued).toBeUndefined();
    expect(customer?.lastSync).toMatchObject({ runId: new ObjectId(queuedId), state: 'succeeded' });
  }, 30_000);

  it('leaves a preview alone: it starts at once beside the run under way', async () => {
    const id = await customerOn({ id: 'queue-preview', name: 'Preview', freeNumbers: [num(20)] }, [num(20)]);
    const readThePortal = holdNextRunAfterItReadThePortal();
    const first = await t.request('POST', `/api/v1/customers/${id}/sync`);
    await readThePortal();
    const preview = await t.request('POST', `/api/v1/customers/${id}/sync?dryRun=true`);
    expect(preview.body).toMatchObject({ dryRun: true, started: true, queuedAfter: null });
    expect(preview.body.id).not.toBe(first.body.id);
    await t.app.services.sync.idle();
    expect((await t.database.customers.findOne({ _id: new ObjectId(id) }))?.syncQueued).toBeUndefined();
    expect(await t.database.syncRuns.countDocuments({ customerId: new ObjectId(id) })).toBe(2);
  }, 30_000);

  it('keeps a queued run waiting, not abandoned, however long the run under way lives', async () => {
    const id = await customerOn({ id: 'queue-wait', name: 'Wait' }, [num(30)]);
    const underWay = await runElsewhere(id, new Date(Date.now() + 60_000));
    const queued = await t.request('POST', `/api/v1/customers/${id}/sync`);
    expect(queued.body).toMatchObject({ started: false, queuedAfter: underWay.toHexString() });
    // Asked for longer ago than a lease lasts (5 s): only the live run it waits for keeps it.
    const longAgo = new Date(Date.now() - 60_000);
    await t.database.syncRuns.updateOne({ _id: new ObjectId(queued.body.id) }, { $set: { createdAt: longAgo } });
    expect((await t.request('GET', `/api/v1/sync-runs/${queued.body.id}`)).body).toMatchObject({ state: 'queued', phase: 'queued' });
    await t.database.customers.updateOne({ _id: new ObjectId(id) }, { $unset: { syncLease: '', syncQueued: '' } });
    await t.database.syncRuns.deleteMany({ customerId: new ObjectId(id) });
    await t.database.db.collection('followUps').deleteMany({ 'subject.runId': queued.body.id });
  });

  it('keeps its own queued run when its write stands but the confirmation went to another claimer (the emulator applies both), and runs it', async () => {
    const FREE = num(45);
    const ACCOUNT = 'queue-own-write';
    const id = await customerOn({ id: ACCOUNT, name: 'Own', teams: { max_channels: 4, tenant_name: TENANT }, freeNumbers: [FREE] }, [FREE]);
    const underWay = await runElsewhere(id, new Date(Date.now() + 1000));
    // The queue write lands, but its confirmation is lost as to a claimer of the same moment.
    const queue = CustomerSyncLease.prototype.queue;
    const lost = jest.spyOn(CustomerSyncLease.prototype, 'queue').mockImplementationOnce(async function (this: CustomerSyncLease, seen, runId) {
      await queue.call(this, seen, runId);
      return false;
    });
    try {
      const queued = await t.request('POST', `/api/v1/customers/${id}/sync`);
      expect(lost).toHaveBeenCalledTimes(1);
      expect(queued.body).toMatchObject({ started: false, queuedAfter: underWay.toHexString(), state: 'queued' });
      // The run the customer names is the one answered, and it is kept.
      expect((await t.database.customers.findOne({ _id: new ObjectId(id) }))?.syncQueued?.runId.toHexString()).toBe(queued.body.id);
      expect(await t.database.syncRuns.countDocuments({ _id: new ObjectId(queued.body.id) })).toBe(1);
      await t.app.services.followUps.settled(['sync.queued']);
      await t.app.services.sync.idle();
      expect((await t.request('GET', `/api/v1/sync-runs/${queued.body.id}`)).body).toMatchObject({ state: 'succeeded', changes: { toRoute: [FREE] } });
    } finally {
      lost.mockRestore();
    }
  }, 30_000);

  it("starts the queued run once the run under way stopped without handing over (its process died): the stored follow-up does it when that run's lease runs out", async () => {
    const FREE = num(40);
    const ACCOUNT = 'queue-dead';
    const id = await customerOn({ id: ACCOUNT, name: 'Dead', teams: { max_channels: 4, tenant_name: TENANT }, freeNumbers: [FREE] }, [FREE]);
    // Another process's run, whose lease runs out in a second and is never renewed (kill -9).
    const dead = await runElsewhere(id, new Date(Date.now() + 1000));
    const queued = await t.request('POST', `/api/v1/customers/${id}/sync`);
    expect(queued.body).toMatchObject({ started: false, queuedAfter: dead.toHexString(), state: 'queued' });
    expect(await t.database.db.collection('followUps').countDocuments({ kind: 'sync.queued', 'subject.runId': queued.body.id, state: 'open' })).toBe(1);

    await t.app.services.followUps.settled(['sync.queued']);
    await t.app.services.sync.idle();
    expect((await t.database.syncRuns.findOne({ _id: dead }))).toMatchObject({ state: 'failed', errors: [{ message: expect.stringContaining('interrupted') }] });
    expect((await t.request('GET', `/api/v1/sync-runs/${queued.body.id}`)).body).toMatchObject({ state: 'succeeded', changes: { toRoute: [FREE] } });
    expect(t.simulator.callflowOf(ACCOUNT, FREE)?.flow.module).toBe('teams');
    expect((await t.database.customers.findOne({ _id: new ObjectId(id) }))?.syncLease).toBeUndefined();
  }, 30_000);
});

describe('a queued run and two instances on one database', () => {
  let t: TestApp;
  let other: App;
  const otherBackend = new BackendSimulator({ apiKeys: [SIMULATOR_API_KEY], accounts: [] });
  beforeAll(async () => {
    t = await startTestApp({ settings: { SYNC_LEASE_SECONDS: 5 } });
    // A second instance: the same database, a backend of its own, as another process would have.
    other = await createApp({ database: t.database, settings: t.settings, logger: createLogger('silent'), backendUrl: await otherBackend.start() });
  });
  afterAll(async () => {
    other.services.followUps.stop();
    await other.services.followUps.idle();
    await other.services.sync.idle();
    other.services.backend.close();
    await otherBackend.stop();
    await t.close();
  });

  it('starts a queued run once, however many requests, reads and instances race to start it when the run under way died', async () => {
    const execute = jest.spyOn(SyncRunner.prototype, 'execute');
    try {
      for (let round = 0; round < 4; round++) {
        const accountId = `queue-race-${round}`;
        const spec: AccountSpec = { id: accountId, name: 'Race', teams: { max_channels: 4, tenant_name: TENANT }, freeNumbers: [num(50 + round)] };
        t.simulator.load({ apiKeys: [], accounts: [spec] });
        // Under partner A's reseller account there too, as on every backend of the carrier.
        otherBackend.load({ apiKeys: [SIMULATOR_API_KEY], accounts: [{ ...spec, parent: PARTNER_A.backendAccountId }] });
        const id = await createCustomer(t, { accountId, tenantName: TENANT, maxChannels: 4 });
        await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: num(50 + round) } });
        const dead = new ObjectId();
        await t.database.syncRuns.insertOne(syncRunDocument({ _id: dead, partnerId: t.partnerA._id, customerId: new ObjectId(id) }));
        await t.database.customers.updateOne({ _id: new ObjectId(id) }, { $set: { syncLease: { runId: dead, until: new Date(Date.now() + 60_000) } } });
        const queued = await t.app.services.sync.start(t.callerA, id, { trigger: 'tab' });
        expect(queued).toMatchObject({ started: false, queuedAfter: dead.toHexString() });
        // The run under way dies: its lease runs out, nobody hands over.
        await t.database.customers.updateOne({ _id: new ObjectId(id) }, { $set: { 'syncLease.until': new Date(Date.now() - 1) } });

        execute.mockClear();
        const answers = await Promise.all([
          t.app.services.sync.get(t.callerA, queued.run.id),
          other.services.sync.get(t.callerA, queued.run.id),
          t.app.services.sync.start(t.callerA, id, { trigger: 'tab' }),
          other.services.sync.start(t.callerA, id, { trigger: 'bot' }),
          other.services.sync.start(t.callerA, id, { trigger: 'scheduled' }),
        ]);
        await Promise.all([t.app.services.sync.idle(), other.services.sync.idle()]);

        const executed = execute.mock.calls.map(([run]) => run._id.toHexString());
        expect(executed.filter((runId) => runId === queued.run.id)).toHaveLength(1);
        expect(new Set(executed).size).toBe(executed.length);
        const all = await t.database.syncRuns.find({ customerId: new ObjectId(id) }).toArray();
        const [died, rest] = [all.filter((run) => run._id.equals(dead)), all.filter((run) => !run._id.equals(dead))];
        expect(died).toEqual([expect.objectContaining({ state: 'failed' })]);
        // Every run recorded ran once and succeeded (the requests that lost the race share one run queued behind it): none waits.
        expect(new Set(executed)).toEqual(new Set(rest.map((run) => run._id.toHexString())));
        expect(rest.map((run) => run.state)).toEqual(rest.map(() => 'succeeded'));
        // The requests were answered by the queued run, or by the one run queued behind it.
        expect(new Set(answers.slice(2).map((answer) => (answer as { run: { id: string } }).run.id)).size).toBeLessThanOrEqual(2);
        const customer = await t.database.customers.findOne({ _id: new ObjectId(id) });
        expect(customer?.syncLease).toBeUndefined();
        expect(customer?.syncQueued).toBeUndefined();
      }
    } finally {
      execute.mockRestore();
    }
  }, 60_000);
});
