import { until } from '../support/until';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { startPortal, type PortalProcess } from '../browser/support/portal-process';

/** Instances that look for due schedules five times a second and hold a due schedule 2 s; a sync's lease on its customer lasts 5 s. */
const INSTANCE = { SCHEDULER_POLL_MS: '200', SCHEDULER_LEASE_SECONDS: '2', SYNC_LEASE_SECONDS: '5' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


/**
 * Schedules run by two instances of the app on one database. The schedules
 * are written straight into the database with a seconds field (every 3 s), so
 * the test sees many slots in little time: the API itself refuses schedules
 * closer than 15 minutes.
 */
describe('scheduled syncs across two instances', () => {
  const instances: PortalProcess[] = [];
  const client = new MongoClient(process.env.MONGODB_URI!);
  let db: Db;
  let partnerId: ObjectId;
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await client.close();
  }, 60_000);

  beforeAll(async () => {
    const first = await startPortal(INSTANCE);
    instances.push(first);
    instances.push(await startPortal({ ...INSTANCE, MONGODB_DB: first.database }));
    db = client.db(first.database);
    partnerId = (await db.collection('partners').findOne({ name: /^Northwind/ }))!._id as ObjectId;
  }, 120_000);

  async function scheduleEvery3s(customerIds: ObjectId[]) {
    const now = Date.now();
    const next = new Date(Math.ceil((now + 1000) / 3000) * 3000);
    await db.collection('syncSchedules').insertMany(
      customerIds.map((customerId) => ({
        _id: new ObjectId(),
        partnerId,
        customerId,
        schedule: { kind: 'cron', expression: '*/3 * * * * *', timeZone: 'UTC' },
        nextRunAt: next,
        updatedAt: new Date(),
        updatedBy: { tid: 'test', oid: 'test' },
      })),
    );
  }

  async function unschedule(customerIds: ObjectId[]) {
    await db.collection('syncSchedules').deleteMany({ customerId: { $in: customerIds } });
    // A look under way finishes its slot.
    await sleep(1500);
  }

  const ownerPid = (owner: string) => Number(owner.split(':')[1]);

  it('gives every slot of every customer one sync, not one per instance', async () => {
    const customers = (await db.collection('customers').find({ partnerId }).sort({ nameKey: 1 }).limit(3).toArray()).map((c) => c._id as ObjectId);
    await scheduleEvery3s(customers);
    await sleep(13_000);
    await unschedule(customers);

    const slots = await db.collection('scheduleSlots').find({ customerId: { $in: customers } }).toArray();
    const runs = await db.collection('syncRuns').find({ customerId: { $in: customers }, trigger: 'scheduled' }).toArray();
    // About four slots each in 13 s; each slot once (the unique index), each recorded.
    expect(slots.length).toBeGreaterThanOrEqual(customers.length * 3);
    expect(slots.every((slot) => slot.outcome)).toBe(true);
    // A slot starts a run, or (a sync under way) names the one run queued behind it: N runs named, N runs, not 2N.
    const named = new Set(slots.filter((slot) => slot.outcome.state !== 'skipped').map((slot) => String(slot.outcome.runId)));
    expect(runs).toHaveLength(named.size);
    expect(named).toEqual(new Set(runs.map((run) => String(run._id))));
    for (const customerId of customers) {
      const times = slots.filter((slot) => slot.customerId.equals(customerId)).map((slot) => slot.slot.getTime());
      expect(new Set(times).size).toBe(times.length);
    }
    // Both instances took part (the one that looks first claims the slot).
    const claimers = new Set(slots.map((slot) => ownerPid(slot.claimedBy)));
    expect([...claimers].every((pid) => instances.some((instance) => instance.pid === pid))).toBe(true);
  }, 60_000);

  it('when the instance running a scheduled sync is killed, the run is marked interrupted and the other instance carries on', async () => {
    const customer = (await db.collection('customers').find({ partnerId }).sort({ nameKey: -1 }).limit(1).toArray())[0]!._id as ObjectId;
    // Each instance's backend simulator answers slowly: a sync takes seconds.
    const slowA = await startPortal({ ...INSTANCE, SIMULATOR_LATENCY_MS: '400', MONGODB_DB: instances[0]!.database });
    const slowB = await startPortal({ ...INSTANCE, SIMULATOR_LATENCY_MS: '400', MONGODB_DB: instances[0]!.database });
    instances.push(slowA, slowB);
    // Only the slow pair looks for schedules from here on.
    await Promise.all([instances[0]!.stop(), instances[1]!.stop()]);
    await scheduleEvery3s([customer]);

    let running: { _id: ObjectId } | undefined;
    let holder: PortalProcess | undefined;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline && !holder; ) {
      const run = await db.collection('syncRuns').findOne({ customerId: customer, trigger: 'scheduled', state: 'running' });
      const slot = run ? await db.collection('scheduleSlots').findOne({ 'outcome.runId': run._id }) : null;
      if (run && slot) {
        running = run as { _id: ObjectId };
        holder = [slowA, slowB].find((instance) => instance.pid === ownerPid(slot.claimedBy));
      } else {
        await sleep(50);
      }
    }
    expect(holder).toBeDefined();
    await holder!.kill();
    const survivor = holder === slowA ? slowB : slowA;
    const killedAt = new Date();

    // Once the dead run's lease runs out (5 s), the survivor's next slot marks it interrupted and syncs again.
    type Run = { _id: ObjectId; state: string; errors: { message: string }[] };
    let after = null as Run | null;
    let next = null as Run | null;
    for (const deadline = Date.now() + 45_000; Date.now() < deadline; ) {
      after = (await db.collection('syncRuns').findOne({ _id: running!._id })) as Run | null;
      next = (await db.collection('syncRuns').findOne(
        { customerId: customer, trigger: 'scheduled', createdAt: { $gt: killedAt }, state: 'succeeded' },
        { sort: { createdAt: 1 } },
      )) as Run | null;
      if (after?.state === 'failed' && next) break;
      await sleep(250);
    }
    await unschedule([customer]);
    expect(after).toMatchObject({ state: 'failed', errors: [{ message: expect.stringContaining('interrupted') }] });
    expect(next).not.toBeNull();
    const nextSlot = await db.collection('scheduleSlots').findOne({ 'outcome.runId': next!._id });
    expect(ownerPid(nextSlot!.claimedBy)).toBe(survivor.pid);
    // A slot that found a sync under way queued the one run behind it: however many slots found the dead run, one run
    // was queued behind it; and no queued run is left waiting, though the dead run never handed over.
    const queued = await db.collection('scheduleSlots').find({ customerId: customer, 'outcome.state': 'queued' }).toArray();
    expect(new Set(queued.filter((slot) => running!._id.equals(slot.outcome.after)).map((slot) => String(slot.outcome.runId))).size).toBeLessThanOrEqual(1);
    const queuedRuns = [...new Set(queued.map((slot) => String(slot.outcome.runId)))].map((id) => new ObjectId(id));
    await until('every queued run ends', async () =>
      (await db.collection('syncRuns').countDocuments({ _id: { $in: queuedRuns }, state: { $in: ['queued', 'running'] } })) === 0 ? true : undefined,
    );
    expect(await db.collection('syncRuns').countDocuments({ _id: { $in: queuedRuns }, state: 'succeeded' })).toBe(queuedRuns.length);
    expect(await db.collection('scheduleSlots').countDocuments({ customerId: customer, 'outcome.state': 'skipped' })).toBe(0);
  }, 120_000);
});
