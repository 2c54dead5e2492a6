/**
 * npm run bench:sync: one customer with 5,000 numbers (4,000 free on the
 * account, 500 already routed to Teams, 300 on non-Teams seats, 200 not on
 * the account), the backend simulator at 20 ms a request and 16 requests in
 * flight; syncs it twice and prints what each run cost.
 */
import { ObjectId } from 'mongodb';
import { createApp } from '../api/app';
import type { Caller } from '../api/auth/caller';
import type { SimulatorFixture } from '../api/backend/simulator/backend-simulator';
import { createLogger } from '../api/logging/logger';
import { numberCollection, type NumberDocument } from '../api/numbers/number-document';
import { STATUS_TEXT } from '../api/numbers/number-status';
import { loadSettings } from '../api/settings/settings';
import { BENCH_PARTNER, benchFixture, startSimulatorProcess } from './bench-backend';
import { connectDatabase } from '../api/storage/database';
import { startEmbeddedMongo } from '../api/storage/embedded-mongo';

const LATENCY_MS = 20;
const IN_FLIGHT = 16;
const PAGE_SIZE = 1000;
const ACCOUNT = 'b0a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
const FREE = 4000;
const ROUTED = 500;
const SEATS = 300;
const MISSING = 200;

const number = (i: number) => `+1347${String(2_000_000 + i).padStart(7, '0')}`;

async function main() {
  const free = Array.from({ length: FREE }, (_, i) => number(i));
  const routed = Array.from({ length: ROUTED }, (_, i) => number(FREE + i));
  const seated = Array.from({ length: SEATS }, (_, i) => number(FREE + ROUTED + i));
  const missing = Array.from({ length: MISSING }, (_, i) => number(FREE + ROUTED + SEATS + i));
  const fixture: SimulatorFixture = benchFixture(
    [],
    [
      {
        id: ACCOUNT,
        name: 'Bench Customer',
        teams: { max_channels: 100, tenant_name: 'bench.onmicrosoft.com' },
        freeNumbers: free,
        teamsCallflows: chunk(routed, 100),
        seats: seated.map((e164, i) => ({ firstName: 'Seat', lastName: String(i), seatType: 'essentials', numbers: [e164] })),
      },
    ],
  );
  const simulator = await startSimulatorProcess(fixture, LATENCY_MS);
  const backendUrl = simulator.url;

  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  const database = await connectDatabase(process.env.MONGODB_URI ?? embedded!.uri, `bench-sync-${Date.now()}`, {
    monitorCommands: true,
  });
  const db = { trips: 0, ms: 0 };
  database.client.on('commandStarted', () => db.trips++);
  database.client.on('commandSucceeded', (event) => (db.ms += event.duration));
  database.client.on('commandFailed', (event) => (db.ms += event.duration));

  const settings = loadSettings(
    { LOG_LEVEL: 'silent', BACKEND_CONCURRENCY: IN_FLIGHT, BACKEND_PAGE_SIZE: PAGE_SIZE },
    {},
  );
  const app = await createApp({ database, settings, logger: createLogger('silent'), backendUrl });
  const { partner } = await app.services.partners.register(BENCH_PARTNER);
  const caller: Caller = { partnerId: partner._id, partnerName: partner.name, tenantId: partner.tenantId, userId: 'bench', role: 'admin' };
  const customer = await app.services.customers.create(caller, {
    accountId: ACCOUNT,
    tenantName: 'bench.onmicrosoft.com',
    maxChannels: 400,
    syncAfterSave: false,
  });
  const now = new Date();
  const portal: NumberDocument[] = [...free, ...routed, ...seated, ...missing].map((e164) => ({
    _id: new ObjectId(),
    partnerId: partner._id,
    customerId: new ObjectId(customer.id),
    e164,
    status: 'pending',
    statusText: STATUS_TEXT.pending,
    addedBy: { tid: 'bench-partner', oid: 'bench' },
    addedAt: now,
  }));
  for (let i = 0; i < portal.length; i += 1000) await numberCollection.of(database.db).insertMany(portal.slice(i, i + 1000));

  // The critical path: the check that the account is the partner's (parents,
  // before anything else), the longest chain of dependent list pages (the
  // numbers list), then the writes spread over the in-flight limit.
  // A long-lived app has its backend token already: sign in before measuring.
  await app.services.backend.getAccount(ACCOUNT);

  const longestChain = 1 + Math.max(Math.ceil((FREE + ROUTED + SEATS) / PAGE_SIZE), 1);
  console.log(
    `customer with ${portal.length} numbers (${FREE} free, ${ROUTED} routed, ${SEATS} on seats, ${MISSING} not on the account); ` +
      `backend ${LATENCY_MS} ms/request, ${IN_FLIGHT} in flight, pages of ${PAGE_SIZE}; database ${embedded ? 'embedded' : 'MONGODB_URI'}`,
  );
  for (const label of ['first sync', 'second sync']) {
    const before = app.services.backend.stats;
    const writesBefore = await simulator.changes();
    db.trips = 0;
    db.ms = 0;
    const start = performance.now();
    const { run } = await app.services.sync.start(caller, customer.id, { trigger: 'scheduled' });
    await app.services.sync.idle();
    const wall = performance.now() - start;
    const after = app.services.backend.stats;
    const finished = await app.services.sync.get(caller, run.id);
    const reads = after.reads - before.reads;
    const writes = after.writes - before.writes;
    const backendWrites = (await simulator.changes()) - writesBefore;
    const backendMs = after.busyMs - before.busyMs;
    const critical = (longestChain + writes / IN_FLIGHT) * LATENCY_MS;
    console.log(
      [
        `${label}: ${finished.state} in ${wall.toFixed(0)} ms wall`,
        `  backend: ${backendMs.toFixed(0)} ms busy, ${reads} reads + ${writes} writes (${backendWrites} changes reached the backend, ${after.retries - before.retries} retries)`,
        `  critical path: (1 account check + ${longestChain - 1} pages + ${writes}/${IN_FLIGHT} writes) x ${LATENCY_MS} ms = ${critical.toFixed(0)} ms; ratio ${(backendMs / critical).toFixed(2)}`,
        `  database: ${db.trips} round trips, ${db.ms.toFixed(0)} ms`,
        `  outcome: ${JSON.stringify(finished.counts)}; routed ${finished.changeCounts.routed}, status changes ${finished.changeCounts.statusChanges}, errors ${finished.errors.length}`,
      ].join('\n'),
    );
  }

  simulator.stop();
  app.services.backend.close();
  await database.close();
  await embedded?.stop();
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
