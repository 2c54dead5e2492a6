import { ObjectId } from 'mongodb';
import { leaseClaimCollection } from '../../../api/leases/leases';
import { createLogger } from '../../../api/logging/logger';
import { partnerCollection } from '../../../api/partners/partner-document';
import { customerCollection } from '../../../api/customers/customer-document';
import { syncScheduleCollection } from '../../../api/schedules/schedule-document';
import { ScheduleSlots, scheduleSlotCollection } from '../../../api/schedules/schedule-slots';
import { Scheduler, scheduledSync, type StartScheduledSync } from '../../../api/schedules/scheduler';
import { syncRunCollection } from '../../../api/sync/sync-run-document';
import { createCustomer, startTestApp, type TestApp } from '../../support/test-app';

/** A clock the test moves. */
function clockAt(iso: string) {
  let now = new Date(iso);
  return {
    now: () => now,
    set(at: string) {
      now = new Date(at);
    },
  };
}

describe('the scheduler', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const db = () => t.database.db;
  const schedules = () => syncScheduleCollection.of(db());
  const slots = () => scheduleSlotCollection.of(db());

  /** A scheduler as an instance runs it, on the shared database, with the test's clock and starter. */
  function schedulerWith(start: StartScheduledSync, now: () => Date, owner: string, leaseSeconds = 30) {
    return new Scheduler(
      { schedules: schedules(), customers: customerCollection.of(db()), partners: partnerCollection.of(db()), claims: leaseClaimCollection.of(db()) },
      new ScheduleSlots(slots()),
      start,
      { pollMs: 1000, leaseSeconds },
      createLogger('silent'),
      owner,
      now,
    );
  }

  /** A starter that records which customer it started, as a sync that always starts would. */
  function countingStarter() {
    const started: string[] = [];
    const start: StartScheduledSync = async (_caller, customerId) => {
      started.push(customerId);
      return { started: true, runId: new ObjectId().toHexString() };
    };
    return { started, start };
  }

  async function ownSchedule(customerId: string, schedule: object, nextRunAt: string) {
    await schedules().insertOne({
      _id: new ObjectId(),
      partnerId: t.partnerA._id,
      customerId: new ObjectId(customerId),
      schedule: schedule as never,
      nextRunAt: new Date(nextRunAt),
      updatedAt: new Date(),
      updatedBy: { tid: 't', oid: 'o' },
    });
  }

  beforeEach(async () => {
    await schedules().deleteMany({});
    await slots().deleteMany({});
  });

  it('starts a due slot once, then the next slot an hour later, with the real sync (trigger scheduled)', async () => {
    const customerId = await createCustomer(t, { name: 'Hourly Ltd' });
    await ownSchedule(customerId, { kind: 'hourly', minute: 15 }, '2027-03-01T10:15:00Z');
    const clock = clockAt('2027-03-01T10:15:20Z');
    const scheduler = schedulerWith(scheduledSync(t.app.services.sync), clock.now, 'instance-a');

    expect(await scheduler.look()).toEqual({ schedules: 1, started: 1, queued: 0, skipped: 0, claimedElsewhere: 0 });
    await t.app.services.sync.idle();
    expect(await scheduler.look()).toMatchObject({ schedules: 0, started: 0 });
    const runs = await syncRunCollection.of(db()).find({ customerId: new ObjectId(customerId) }).toArray();
    expect(runs.map((r) => r.trigger)).toEqual(['scheduled']);
    expect(runs[0]!.actor).toMatchObject({ oid: 'scheduler', name: 'Scheduled sync' });
    expect((await schedules().findOne({ customerId: new ObjectId(customerId) }))!.nextRunAt).toEqual(new Date('2027-03-01T11:15:00Z'));

    clock.set('2027-03-01T11:15:01Z');
    expect(await scheduler.look()).toMatchObject({ started: 1 });
    await t.app.services.sync.idle();
    const slotsRun = await slots().find({ customerId: new ObjectId(customerId) }).sort({ slot: 1 }).toArray();
    expect(slotsRun.map((s) => [s.slot.toISOString(), s.outcome?.state])).toEqual([
      ['2027-03-01T10:15:00.000Z', 'started'],
      ['2027-03-01T11:15:00.000Z', 'started'],
    ]);
  });

  it('after downtime runs the latest missed slot once, not once per missed slot (catch-up)', async () => {
    const customerId = new ObjectId().toHexString();
    await ownSchedule(customerId, { kind: 'hourly', minute: 0 }, '2027-03-01T05:00:00Z');
    const clock = clockAt('2027-03-01T10:20:00Z');
    const { started, start } = countingStarter();
    const scheduler = schedulerWith(start, clock.now, 'instance-a');
    expect(await scheduler.look()).toMatchObject({ schedules: 1, started: 1 });
    expect(started).toEqual([customerId]);
    expect((await slots().find({ customerId: new ObjectId(customerId) }).toArray()).map((s) => s.slot)).toEqual([new Date('2027-03-01T10:00:00Z')]);
    expect((await schedules().findOne({ customerId: new ObjectId(customerId) }))!.nextRunAt).toEqual(new Date('2027-03-01T11:00:00Z'));
  });

  it('runs a daily slot at its local time across a change to summer time', async () => {
    const customerId = new ObjectId().toHexString();
    // Europe/Berlin moves to summer time on 28 March 2027: 02:30 does not exist that night and runs at 03:30.
    await ownSchedule(customerId, { kind: 'daily', time: '02:30', timeZone: 'Europe/Berlin' }, '2027-03-27T01:30:00Z');
    const clock = clockAt('2027-03-27T01:30:05Z');
    const { start } = countingStarter();
    const scheduler = schedulerWith(start, clock.now, 'instance-a');
    await scheduler.look();
    expect((await schedules().findOne({ customerId: new ObjectId(customerId) }))!.nextRunAt).toEqual(new Date('2027-03-28T01:30:00Z'));
  });

  it('with many instances looking at once, each slot of a partner default starts one sync per customer', async () => {
    const customers = await customerCollection.of(db()).find({ partnerId: t.partnerA._id }, { projection: { _id: 1 } }).toArray();
    const own = new ObjectId().toHexString();
    await schedules().insertOne({
      _id: new ObjectId(),
      partnerId: t.partnerA._id,
      schedule: { kind: 'hourly', minute: 0 },
      nextRunAt: new Date('2027-03-01T10:00:00Z'),
      updatedAt: new Date(),
      updatedBy: { tid: 't', oid: 'o' },
    });
    // One customer has a schedule of its own (not due): the default leaves it alone.
    const ownCustomer = customers[0]!._id.toHexString();
    await ownSchedule(ownCustomer, { kind: 'off' }, '2099-01-01T00:00:00Z');
    const clock = clockAt('2027-03-01T10:00:30Z');
    const { started, start } = countingStarter();
    const instances = Array.from({ length: 6 }, (_, i) => schedulerWith(start, clock.now, `instance-${i}`));
    await Promise.all(instances.map((s) => s.look()));
    await Promise.all(instances.map((s) => s.look()));

    const expected = customers.map((c) => c._id.toHexString()).filter((id) => id !== ownCustomer);
    expect(started.sort()).toEqual(expected.sort());
    expect(new Set(started).size).toBe(started.length);
    expect(await slots().countDocuments({ partnerId: t.partnerA._id })).toBe(expected.length);
    expect(own).toBeDefined();
  });

  it('queues the slot\'s sync behind a sync of the customer already running, and records it on the slot; the queued run then runs', async () => {
    const customerId = await createCustomer(t, { name: 'Busy Ltd' });
    t.simulator.setKnobs({ latencyMs: 300 });
    try {
      const { run } = await t.app.services.sync.start(t.callerA, customerId, { trigger: 'tab' });
      await ownSchedule(customerId, { kind: 'hourly', minute: 0 }, '2027-03-01T10:00:00Z');
      const scheduler = schedulerWith(scheduledSync(t.app.services.sync), clockAt('2027-03-01T10:00:10Z').now, 'instance-a');
      expect(await scheduler.look()).toMatchObject({ started: 0, queued: 1, skipped: 0 });
      const slot = await slots().findOne({ customerId: new ObjectId(customerId) });
      expect(slot!.outcome).toEqual({ state: 'queued', runId: expect.any(ObjectId), after: new ObjectId(run.id) });
      const queuedId = (slot!.outcome as { runId: ObjectId }).runId;
      expect(queuedId.toHexString()).not.toBe(run.id);
      const view = await t.app.services.schedules.forCustomer(t.callerA, customerId);
      expect(view.lastSlot).toMatchObject({ state: 'queued', runId: queuedId.toHexString(), reason: null });
      await t.app.services.sync.idle();
      expect(await syncRunCollection.of(db()).findOne({ _id: queuedId })).toMatchObject({ trigger: 'scheduled', state: expect.stringMatching(/succeeded|failed/) });
    } finally {
      t.simulator.setKnobs({ latencyMs: 0 });
      await t.app.services.sync.idle();
    }
  });

  /** The 10:00 slot of the customer as another instance left it: claimed by `owner` at `claimedAt`, and what it recorded. */
  async function slotLeftBy(customerId: string, owner: string, claimedAt: Date, outcome?: { state: 'started'; runId: ObjectId }) {
    await slots().insertOne({
      _id: new ObjectId(),
      partnerId: t.partnerA._id,
      customerId: new ObjectId(customerId),
      slot: new Date('2027-03-01T10:00:00Z'),
      claimedBy: owner,
      claimedAt,
      ...(outcome ? { outcome } : {}),
    });
  }

  it('finishes a slot whose instance stopped after claiming it: the next instance takes the schedule over once its lease runs out', async () => {
    const customerId = new ObjectId().toHexString();
    await ownSchedule(customerId, { kind: 'hourly', minute: 0 }, '2027-03-01T10:00:00Z');
    // What an instance killed mid-slot leaves: the schedule held by it, its slot claimed, nothing recorded.
    const held = { owner: 'instance-dead', until: new Date(Date.now() + 60_000) };
    await schedules().updateOne({ customerId: new ObjectId(customerId) }, { $set: { lease: held } });
    // Claimed before its last renewal: its hold ran out a whole lease later.
    await slotLeftBy(customerId, 'instance-dead', new Date(Date.now() - 60_000));
    const { started, start } = countingStarter();
    const survivor = schedulerWith(start, clockAt('2027-03-01T10:00:10Z').now, 'instance-b');
    // Still held (its lease has not run out): left alone.
    expect(await survivor.look()).toMatchObject({ schedules: 0 });

    await schedules().updateOne({ customerId: new ObjectId(customerId) }, { $set: { 'lease.until': new Date(Date.now() - 1) } });
    expect(await survivor.look()).toMatchObject({ schedules: 1, started: 1 });
    expect(started).toEqual([customerId]);
    expect(await slots().countDocuments({ customerId: new ObjectId(customerId) })).toBe(1);
    expect(await slots().findOne({ customerId: new ObjectId(customerId) })).toMatchObject({ claimedBy: 'instance-b', takenOver: true, outcome: { state: 'started' } });
    expect(await schedules().findOne({ customerId: new ObjectId(customerId) })).toMatchObject({ nextRunAt: new Date('2027-03-01T11:00:00Z') });
  });

  it('leaves a slot a live instance claimed moments ago to it, though this instance now holds the schedule', async () => {
    const customerId = new ObjectId().toHexString();
    await ownSchedule(customerId, { kind: 'hourly', minute: 0 }, '2027-03-01T10:00:00Z');
    // A stalled instance whose hold was taken over, still starting the slot it has just claimed.
    await slotLeftBy(customerId, 'instance-stalled', new Date(Date.now() - 1000));
    const { started, start } = countingStarter();
    expect(await schedulerWith(start, clockAt('2027-03-01T10:00:10Z').now, 'instance-b').look()).toMatchObject({ schedules: 1, started: 0, claimedElsewhere: 1 });
    expect(started).toEqual([]);
    expect(await slots().findOne({ customerId: new ObjectId(customerId) })).toMatchObject({ claimedBy: 'instance-stalled' });
  });

  it('leaves a slot another instance started and recorded alone', async () => {
    const customerId = new ObjectId().toHexString();
    await ownSchedule(customerId, { kind: 'hourly', minute: 0 }, '2027-03-01T10:00:00Z');
    await slotLeftBy(customerId, 'instance-a', new Date(), { state: 'started', runId: new ObjectId() });
    const { started, start } = countingStarter();
    expect(await schedulerWith(start, clockAt('2027-03-01T10:00:10Z').now, 'instance-b').look()).toMatchObject({ schedules: 1, started: 0, claimedElsewhere: 1 });
    expect(started).toEqual([]);
  });
});
