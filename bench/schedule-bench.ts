/**
 * npm run bench:schedule: 1,000 customers on an hourly schedule, two
 * scheduler instances (each with a MongoDB connection of its own, as two app
 * processes have) on one database (the embedded default, or MONGODB_URI).
 * A simulated clock moves a minute per step through the hours; at each step
 * both instances look for due schedules at the same moment. Prints the slots
 * run, the duplicates (a customer's slot started twice: must be 0), each
 * instance's share, and the scheduler's own MongoDB round trips per look and
 * per minute (at SCHEDULER_POLL_MS) when nothing is due. Then the same with
 * the 1,000 customers following the partner default.
 *
 * The sync a slot starts is counted, not run: this measures the scheduler
 * (claims, slots, round trips), not the backend (npm run bench:sync does).
 */
import { ObjectId, type Db } from 'mongodb';
import { customerCollection, type CustomerDocument } from '../api/customers/customer-document';
import { leaseClaimCollection } from '../api/leases/leases';
import { createLogger } from '../api/logging/logger';
import { partnerCollection } from '../api/partners/partner-document';
import { syncScheduleCollection, type SyncScheduleDocument } from '../api/schedules/schedule-document';
import { ScheduleSlots, scheduleSlotCollection } from '../api/schedules/schedule-slots';
import { Scheduler, type StartScheduledSync } from '../api/schedules/scheduler';
import { nextSlot, type SyncSchedule } from '../api/schedules/sync-schedule';
import { loadSettings } from '../api/settings/settings';
import { ensureIndexes } from '../api/storage/collection-definition';
import { connectDatabase, type Database } from '../api/storage/database';
import { startEmbeddedMongo } from '../api/storage/embedded-mongo';

const CUSTOMERS = 1_000;
/**
 * Simulated hours: 3 on MONGODB_URI; 2 on the embedded emulator, whose
 * writes slow down with each collection's size (DESIGN.md). BENCH_HOURS sets it.
 */
const HOURS = Number(process.env.BENCH_HOURS ?? (process.env.MONGODB_URI ? 3 : 2));
/** Half a minute before the first hour: the steps are at :30 of each minute, so every slot of the hours falls inside them. */
const START = new Date('2027-02-28T23:59:30Z');

interface Instance {
  name: string;
  database: Database;
  scheduler: Scheduler;
  trips: number;
  started: number;
}

async function main() {
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  const uri = process.env.MONGODB_URI ?? embedded!.uri;
  const pollMs = loadSettings({}, {}).SCHEDULER_POLL_MS;
  try {
    for (const mode of ['own', 'default'] as const) await scenario(uri, mode, pollMs);
  } finally {
    await embedded?.stop();
  }
}

async function scenario(uri: string, mode: 'own' | 'default', pollMs: number) {
  const name = `bench-schedule-${mode}-${Date.now()}`;
  const seed = await connectDatabase(uri, name);
  await ensureIndexes(seed.db, [partnerCollection, customerCollection, syncScheduleCollection, scheduleSlotCollection]);
  const partnerId = await seedCustomers(seed.db, mode);

  let now = START;
  const clock = () => now;
  /** Per customer, the simulated times its syncs were started. */
  const starts = new Map<string, number[]>();
  const instances: Instance[] = [];
  for (const instanceName of ['instance-a', 'instance-b']) {
    const database = await connectDatabase(uri, name, { monitorCommands: true });
    const instance = { name: instanceName, database, trips: 0, started: 0 } as Instance;
    database.client.on('commandStarted', () => instance.trips++);
    const start: StartScheduledSync = async (_caller, customerId) => {
      instance.started++;
      starts.set(customerId, [...(starts.get(customerId) ?? []), now.getTime()]);
      return { started: true, runId: new ObjectId().toHexString() };
    };
    instance.scheduler = new Scheduler(
      {
        schedules: syncScheduleCollection.of(database.db),
        customers: customerCollection.of(database.db),
        partners: partnerCollection.of(database.db),
        claims: leaseClaimCollection.of(database.db),
      },
      new ScheduleSlots(scheduleSlotCollection.of(database.db)),
      start,
      { pollMs, leaseSeconds: 60 },
      createLogger('silent'),
      instanceName,
      clock,
    );
    instances.push(instance);
  }

  const began = performance.now();
  for (let minute = 0; minute <= HOURS * 60; minute++) {
    now = new Date(START.getTime() + minute * 60_000);
    await Promise.all(instances.map((instance) => instance.scheduler.look()));
  }
  const wallMs = performance.now() - began;
  // Every customer is hourly: two starts of one customer less than half an hour apart are one slot run twice
  // (a slot started a minute late, because its look came after the minute, is not).
  const duplicates = [...starts.values()].reduce(
    (sum, times) => sum + times.sort((a, b) => a - b).filter((at, i) => i > 0 && at - times[i - 1]! < 30 * 60_000).length,
    0,
  );
  const slots = await scheduleSlotCollection.of(seed.db).countDocuments({ partnerId });

  // Nothing due: the clock stays where no slot is due; each look is what an idle instance does every SCHEDULER_POLL_MS.
  now = new Date(START.getTime() + HOURS * 3_600_000 + 15_000);
  const idleLooks = 20;
  const before = instances.map((instance) => instance.trips);
  for (let look = 0; look < idleLooks; look++) await Promise.all(instances.map((instance) => instance.scheduler.look()));
  const perLook = instances.map((instance, i) => (instance.trips - before[i]!) / idleLooks);

  console.log(`\n${mode === 'own' ? `${CUSTOMERS.toLocaleString()} customers, each on its own hourly schedule` : `${CUSTOMERS.toLocaleString()} customers following the partner default (hourly)`}, two instances, ${HOURS} simulated hours`);
  console.log(`  slots run:        ${slots.toLocaleString()} (expected ${(CUSTOMERS * HOURS).toLocaleString()}), syncs started ${[...starts.values()].reduce((a, times) => a + times.length, 0).toLocaleString()}`);
  console.log(`  duplicates:       ${duplicates}`);
  console.log(`  per instance:     ${instances.map((i) => `${i.name} started ${i.started.toLocaleString()}`).join(', ')}`);
  console.log(`  wall time:        ${Math.round(wallMs).toLocaleString()} ms for ${HOURS * 60 + 1} looks by each instance (${Math.round(wallMs / HOURS)} ms per simulated hour)`);
  console.log(`  busy round trips: ${instances.map((i) => `${i.name} ${(i.trips - perLook[instances.indexOf(i)]! * idleLooks).toLocaleString()}`).join(', ')} (claims, slots, starts)`);
  console.log(`  idle round trips: ${perLook.map((n) => n.toFixed(1)).join(' and ')} per look; ${perLook.map((n) => ((n * 60_000) / pollMs).toFixed(1)).join(' and ')} per minute at SCHEDULER_POLL_MS=${pollMs}`);

  for (const instance of instances) await instance.database.close();
  await seed.db.dropDatabase().catch(() => undefined);
  await seed.close();
  if (duplicates > 0 || slots !== CUSTOMERS * HOURS) process.exitCode = 1;
}

async function seedCustomers(db: Db, mode: 'own' | 'default'): Promise<ObjectId> {
  const partnerId = new ObjectId();
  await partnerCollection.of(db).insertOne({ _id: partnerId, tenantId: `bench-${partnerId.toHexString()}`, name: 'Bench partner', createdAt: new Date() });
  const actor = { tid: 'bench', oid: 'bench' };
  const customers: CustomerDocument[] = Array.from({ length: CUSTOMERS }, (_, i) => ({
    _id: new ObjectId(),
    partnerId,
    accountId: `bench-${i}`,
    tenantName: `bench-${i}.onmicrosoft.com`,
    nameKey: `bench-${String(i).padStart(4, '0')}`,
    maxChannels: 10,
    canManage: false,
    numberCount: 0,
    createdAt: new Date(),
    createdBy: actor,
    updatedAt: new Date(),
  }));
  await customerCollection.of(db).insertMany(customers);
  const schedules: SyncScheduleDocument[] =
    mode === 'own'
      ? customers.map((customer, i) => {
          // Spread over the hour, as partners' schedules are.
          const schedule: SyncSchedule = { kind: 'hourly', minute: i % 60 };
          return { _id: new ObjectId(), partnerId, customerId: customer._id, schedule, nextRunAt: nextSlot(schedule, START)!, updatedAt: new Date(), updatedBy: actor };
        })
      : [{ _id: new ObjectId(), partnerId, schedule: { kind: 'hourly', minute: 0 }, nextRunAt: nextSlot({ kind: 'hourly', minute: 0 }, START)!, updatedAt: new Date(), updatedBy: actor }];
  await syncScheduleCollection.of(db).insertMany(schedules);
  return partnerId;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
