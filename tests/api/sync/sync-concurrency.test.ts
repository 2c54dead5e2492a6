import { ObjectId } from 'mongodb';
import { createCustomer, startTestApp, type TestApp } from '../../support/test-app';
import { syncRunDocument } from '../../support/sync-fixtures';

/** Numbers unique in this file: +1 415 555 07xx. */
const num = (i: number) => `+1415555${String(700 + i).padStart(4, '0')}`;

describe('a sync and the partner at the same time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ settings: { SYNC_LEASE_SECONDS: 5 } });
  });
  afterAll(() => t.close());
  afterEach(() => t.simulator.setKnobs({ latencyMs: 0 }));

  it('does not let a number whose removal a running sync carries out be added back half-way', async () => {
    t.simulator.load({
      apiKeys: [],
      accounts: [{ id: 'race-readd', name: 'Race', teams: { max_channels: 2, tenant_name: 'race.example.com' }, teamsCallflows: [[num(1), num(2)]] }],
    });
    const id = await createCustomer(t, { accountId: 'race-readd', tenantName: 'race.example.com', maxChannels: 2 });
    await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: `${num(1)}\n${num(2)}` } });
    t.simulator.setKnobs({ latencyMs: 40 });
    const removed = await t.request('POST', `/api/v1/customers/${id}/numbers/remove`, { body: { numbers: [num(1)], mode: 'delete' } });
    expect(removed.body.syncRun.started).toBe(true);
    // Wait until the run has taken the removal.
    for (let i = 0; i < 100; i++) {
      const doc = await t.database.numbers.findOne({ e164: num(1) });
      if (doc?.removal?.runId) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const readded = await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: num(1) } });
    expect(readded.body.results).toEqual([
      expect.objectContaining({ e164: num(1), outcome: 'invalid', reason: expect.stringContaining('sync running now') }),
    ]);
    await t.app.services.sync.idle();
    expect(t.simulator.accounts.get('race-readd')!.numbers.has(num(1))).toBe(false);
    expect(await t.database.numbers.countDocuments({ e164: num(1) })).toBe(0);
    // Once the run is over, the number can be added again.
    const again = await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: num(1) } });
    expect(again.body.results[0]).toMatchObject({ outcome: 'added' });
  });

  it('stops a run that lost its lease before it writes, and leaves it failed', async () => {
    t.simulator.load({
      apiKeys: [],
      accounts: [{ id: 'race-lease', name: 'Lease', teams: { max_channels: 3, tenant_name: 'lease.example.com' }, freeNumbers: [num(10)] }],
    });
    const id = await createCustomer(t, { accountId: 'race-lease', tenantName: 'lease.example.com', maxChannels: 3 });
    await t.request('POST', `/api/v1/customers/${id}/numbers`, { body: { numbers: num(10) } });
    // Slow enough that the heartbeat (every 5 s / 3) comes before the writes.
    t.simulator.setKnobs({ latencyMs: 2000 });
    const started = await t.request('POST', `/api/v1/customers/${id}/sync`);
    expect(started.body.started).toBe(true);
    // Another process takes the customer over: its lease, and the old run marked failed.
    await t.database.customers.updateOne({ _id: new ObjectId(id) }, { $set: { syncLease: { runId: new ObjectId(), until: new Date(Date.now() + 60_000) } } });
    await t.database.syncRuns.updateOne({ _id: new ObjectId(started.body.id) }, { $set: { state: 'failed' } });
    await t.app.services.sync.idle();

    const run = await t.request('GET', `/api/v1/sync-runs/${started.body.id}`);
    expect(run.body.state).toBe('failed');
    expect(t.simulator.callflowOf('race-lease', num(10))).toBeUndefined();
    const numbers = await t.request('GET', `/api/v1/customers/${id}/numbers`);
    expect(numbers.body.items).toEqual([expect.objectContaining({ e164: num(10), status: 'pending' })]);
  }, 20_000);
});

describe('a run whose process died', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ settings: { SYNC_LEASE_SECONDS: 5 } });
  });
  afterAll(() => t.close());

  /** A run another process started long ago, still marked running. */
  async function runningSince(customerId: string, run: { dryRun: boolean; aliveAt?: Date }) {
    const runId = new ObjectId();
    const longAgo = new Date(Date.now() - 60_000);
    await t.database.syncRuns.insertOne(
      syncRunDocument({
        _id: runId,
        partnerId: t.partnerA._id,
        customerId: new ObjectId(customerId),
        trigger: 'bot',
        dryRun: run.dryRun,
        createdAt: longAgo,
        startedAt: longAgo,
        ...(run.aliveAt ? { aliveAt: run.aliveAt } : {}),
      }),
    );
    return runId.toHexString();
  }

  it('a dry run another process still runs (its sign of life is recent) reads as running there too; one without reads as failed', async () => {
    const id = await createCustomer(t, { accountId: 'preview-1' });
    const alive = await runningSince(id, { dryRun: true, aliveAt: new Date(Date.now() - 1000) });
    expect((await t.request('GET', `/api/v1/sync-runs/${alive}`)).body.state).toBe('running');
    const dead = await runningSince(id, { dryRun: true, aliveAt: new Date(Date.now() - 30_000) });
    expect((await t.request('GET', `/api/v1/sync-runs/${dead}`)).body.state).toBe('failed');
  });

  it('a dry run in this process renews its sign of life while it runs', async () => {
    const id = await createCustomer(t, { accountId: 'preview-2' });
    t.simulator.load({ apiKeys: [], accounts: [{ id: 'preview-2', name: 'Preview' }] });
    // Slower than a third of the 5 s lease, when the sign of life is renewed.
    t.simulator.setKnobs({ latencyMs: 2500 });
    try {
      const started = await t.request('POST', `/api/v1/customers/${id}/sync?dryRun=true`);
      await new Promise((resolve) => setTimeout(resolve, 2200));
      const stored = await t.database.syncRuns.findOne({ _id: new ObjectId(started.body.id) });
      expect(stored!.aliveAt).toBeInstanceOf(Date);
    } finally {
      await t.app.services.sync.idle();
      t.simulator.setKnobs({ latencyMs: 0 });
    }
  }, 20_000);

  it('reads as failed once its lease is gone, so nobody waits on it', async () => {
    const id = await createCustomer(t, { accountId: 'died-1' });
    const runId = await runningSince(id, { dryRun: false });
    await t.database.customers.updateOne({ _id: new ObjectId(id) }, { $set: { syncLease: { runId: new ObjectId(runId), until: new Date(Date.now() - 1000) } } });
    const run = await t.request('GET', `/api/v1/sync-runs/${runId}`);
    expect(run.body).toMatchObject({ state: 'failed', errors: [expect.objectContaining({ message: expect.stringContaining('interrupted') })] });
  });

  it('reads as running while its lease is alive', async () => {
    const id = await createCustomer(t, { accountId: 'alive-1' });
    t.simulator.load({ apiKeys: [], accounts: [{ id: 'alive-1', name: 'Alive' }] });
    t.simulator.setKnobs({ latencyMs: 300 });
    try {
      const started = await t.request('POST', `/api/v1/customers/${id}/sync`);
      const run = await t.request('GET', `/api/v1/sync-runs/${started.body.id}`);
      expect(['queued', 'running']).toContain(run.body.state);
    } finally {
      await t.app.services.sync.idle();
      t.simulator.setKnobs({ latencyMs: 0 });
    }
  });
});
