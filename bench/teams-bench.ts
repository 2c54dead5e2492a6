/**
 * npm run bench:teams: the Users and Phone Numbers tabs of a large customer
 * tenant (5,000 users, 2,000 Direct Routing numbers) against the Graph
 * simulator at 30 ms a request, through the co-management service as the
 * routes call it. Prints time and Graph requests for a cold first page, a
 * second page and a search from the tenant cache, the numbers join, and the
 * time to answer an assignment (202).
 */
import { ObjectId } from 'mongodb';
import { createApp } from '../api/app';
import type { Caller } from '../api/auth/caller';
import { GraphSimulator, type SimulatedUserSpec } from '../api/graph/simulator/graph-simulator';
import { createLogger } from '../api/logging/logger';
import { numberCollection, type NumberDocument } from '../api/numbers/number-document';
import { STATUS_TEXT } from '../api/numbers/number-status';
import { loadSettings, SIMULATOR_ENTRA_APP } from '../api/settings/settings';
import { connectDatabase } from '../api/storage/database';
import { customerCollection } from '../api/customers/customer-document';
import { startEmbeddedMongo } from '../api/storage/embedded-mongo';
import { BENCH_PARTNER, benchFixture, startSimulatorProcess } from './bench-backend';

const USERS = 5000;
const NUMBERS = 2000;
const LATENCY_MS = 30;
const TENANT = 'be4c0000-0000-4000-8000-000000000001';

const number = (i: number) => `+1646${String(3_000_000 + i).padStart(7, '0')}`;

async function main() {
  const users: SimulatedUserSpec[] = Array.from({ length: USERS }, (_, i) => ({
    id: `be4c0000-0000-4000-8001-${String(i).padStart(12, '0')}`,
    displayName: `User ${String(i).padStart(5, '0')}`,
    userPrincipalName: `user${i}@bench.onmicrosoft.com`,
    enterpriseVoice: i < NUMBERS,
    ...(i < NUMBERS / 2 ? { number: number(i), voiceRoutingPolicy: 'Bench-Policy' } : {}),
  }));
  const graph = new GraphSimulator({
    ...SIMULATOR_ENTRA_APP,
    tenants: [
      {
        id: TENANT,
        displayName: 'Bench Tenant',
        domains: ['bench.onmicrosoft.com'],
        users,
        unassignedNumbers: Array.from({ length: NUMBERS / 2 }, (_, i) => number(NUMBERS / 2 + i)),
        voiceRoutingPolicies: ['Bench-Policy'],
        consentedApps: [SIMULATOR_ENTRA_APP.clientId],
      },
    ],
  });
  graph.setKnobs({ latencyMs: LATENCY_MS, pageSize: 999, operationMs: 1000 });
  const graphUrl = await graph.start();

  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  // The customer's account, under the bench partner's reseller: the backend is not what is measured.
  const backend = await startSimulatorProcess(benchFixture(['bench-teams']));
  const database = await connectDatabase(process.env.MONGODB_URI ?? embedded!.uri, `bench-teams-${Date.now()}`);
  const settings = loadSettings({ LOG_LEVEL: 'silent', GRAPH_CACHE_SECONDS: 30 }, {});
  const app = await createApp({
    database,
    settings,
    logger: createLogger('silent'),
    backendUrl: backend.url,
    microsoft: { authorityUrl: graphUrl, graphUrl, ...SIMULATOR_ENTRA_APP },
  });
  const { partner } = await app.services.partners.register(BENCH_PARTNER);
  const caller: Caller = { partnerId: partner._id, partnerName: partner.name, tenantId: partner.tenantId, userId: 'bench', role: 'admin' };
  const customer = await app.services.customers.create(caller, {
    accountId: 'bench-teams',
    tenantName: 'bench.onmicrosoft.com',
    maxChannels: 200,
    syncAfterSave: false,
  });
  const customerId = new ObjectId(customer.id);
  // The customer's side (consent, the switch) is not what is measured: set its outcome directly.
  await customerCollection.of(database.db).updateOne({ _id: customerId }, { $set: { canManage: true, customerTenantId: TENANT } });
  const now = new Date();
  await numberCollection.of(database.db).insertMany(
    Array.from({ length: NUMBERS }, (_, i): NumberDocument => ({
      _id: new ObjectId(),
      partnerId: partner._id,
      customerId,
      e164: number(i),
      status: 'synced',
      statusText: STATUS_TEXT.synced,
      addedBy: { tid: 'bench', oid: 'bench' },
      addedAt: now,
      syncedAt: now,
    })),
  );

  const measure = async <T>(label: string, run: () => Promise<T>, describe: (result: T) => string) => {
    const before = graph.callCount();
    const start = performance.now();
    const result = await run();
    const ms = performance.now() - start;
    const requests = graph.callCount() - before;
    console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms, ${String(requests).padStart(2)} Graph requests; ${describe(result)}`);
  };
  const services = app.services.coManagement;
  console.log(`tenant: ${USERS} users, ${NUMBERS} Direct Routing numbers; Graph ${LATENCY_MS} ms a request, pages of 999; cache ${settings.GRAPH_CACHE_SECONDS} s`);
  await measure('Users tab, first page (cold)', () => services.listUsers(caller, customer.id, { page: 1, pageSize: 50 }), (p) => `${p.total} users`);
  await measure('Users tab, page 40 (tenant cache)', () => services.listUsers(caller, customer.id, { page: 40, pageSize: 50 }), (p) => `${p.items.length} users`);
  await measure('Users tab, search "User 04"', () => services.listUsers(caller, customer.id, { search: 'User 04', page: 1, pageSize: 50 }), (p) => `${p.total} matches`);
  await measure('Phone Numbers tab, needs attention (cold)', () => services.listNumbers(caller, customer.id, { view: 'attention', page: 1, pageSize: 50 }), (p) => `${p.total} of ${NUMBERS} need attention`);
  await measure('Assign a number (to the 202)', () => services.assignNumber(caller, customer.id, users[NUMBERS + 1]!.id, number(NUMBERS - 1)), (op) => `state ${op.state}`);
  await services.idle();
  await database.close();
  await graph.stop();
  await embedded?.stop();
  backend.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
