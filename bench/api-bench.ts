/**
 * npm run bench: database round trips and times of the API's hot paths, on the
 * embedded database (or MONGODB_URI) with 2,000 customers and 10,000 numbers
 * for one partner. Round trips are counted with the driver's command monitoring.
 */
import type { AddressInfo } from 'node:net';
import { ObjectId } from 'mongodb';
import { createApp } from '../api/app';
import { customerCollection, type CustomerDocument } from '../api/customers/customer-document';
import { createLogger } from '../api/logging/logger';
import { numberCollection, type NumberDocument } from '../api/numbers/number-document';
import { STATUS_TEXT } from '../api/numbers/number-status';
import { loadSettings } from '../api/settings/settings';
import { connectDatabase } from '../api/storage/database';
import { startEmbeddedMongo } from '../api/storage/embedded-mongo';

const CUSTOMERS = 2_000;
const NUMBERS = 10_000;
/** The most a paste answers at once (more are a job: npm run bench:bulk). */
const ADDED_NUMBERS = 1_000;
const LIST_RUNS = 40;
const TENANT = 'bench-partner';

async function main() {
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  const uri = process.env.MONGODB_URI ?? embedded!.uri;
  const database = await connectDatabase(uri, `bench-${Date.now()}`, { monitorCommands: true });
  let roundTrips = 0;
  const commands: string[] = [];
  database.client.on('commandStarted', (event) => {
    roundTrips++;
    commands.push(event.commandName);
  });

  const settings = loadSettings({ LOG_LEVEL: 'silent', PARTNER_CACHE_SECONDS: 300 }, {});
  const app = await createApp({ database, settings, logger: createLogger('silent'), backendUrl: 'http://127.0.0.1:9' });
  const { partner } = await app.services.partners.register({ tenantId: TENANT, name: 'Bench Partner' });
  // Adding numbers needs the Operator role: the bench's user is an Admin from registration.
  await app.services.members.grantAdminAtRegistration(partner._id, 'bench', 'Bench');

  const seedStart = performance.now();
  const now = new Date();
  const actor = { tid: TENANT, oid: 'bench' };
  const customers: CustomerDocument[] = Array.from({ length: CUSTOMERS }, (_, i) => {
    const name = `${['Contoso', 'Fabrikam', 'Adatum', 'Northwind', 'Tailspin'][i % 5]} Branch ${i}`;
    return {
      _id: new ObjectId(),
      partnerId: partner._id,
      accountId: `acct-${String(i).padStart(5, '0')}`,
      tenantName: `tenant${i}.onmicrosoft.com`,
      name,
      nameKey: name.toLowerCase(),
      maxChannels: 1 + (i % 50),
      canManage: i % 3 === 0,
      numberCount: NUMBERS / CUSTOMERS,
      createdAt: now,
      createdBy: actor,
      updatedAt: now,
    };
  });
  for (let i = 0; i < customers.length; i += 1000) await customerCollection.of(database.db).insertMany(customers.slice(i, i + 1000));
  const numbers: NumberDocument[] = Array.from({ length: NUMBERS }, (_, i) => ({
    _id: new ObjectId(),
    partnerId: partner._id,
    customerId: customers[i % CUSTOMERS]!._id,
    e164: `+1212${String(2_000_000 + i).padStart(7, '0')}`,
    status: 'pending',
    statusText: STATUS_TEXT.pending,
    addedBy: actor,
    addedAt: now,
  }));
  for (let i = 0; i < numbers.length; i += 1000) await numberCollection.of(database.db).insertMany(numbers.slice(i, i + 1000));
  const seedMs = performance.now() - seedStart;

  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const { token } = await app.devSignIn!.issue({ tenantId: TENANT, userId: 'bench' });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  async function measure(path: string, init: RequestInit = {}) {
    roundTrips = 0;
    commands.length = 0;
    const start = performance.now();
    const response = await fetch(`${base}${path}`, { headers, ...init });
    const body = (await response.json()) as Record<string, unknown>;
    const ms = performance.now() - start;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return { ms, roundTrips, commands: [...commands], body };
  }

  await measure('/api/v1/customers?pageSize=50'); // warm-up: partner cache, connections, JIT

  const searches = ['contoso', 'branch 1', 'acct-01', 'onmicrosoft', 'northwind branch 19'];
  const listRuns = [];
  for (let i = 0; i < LIST_RUNS; i++) {
    const search = searches[i % searches.length]!;
    listRuns.push(await measure(`/api/v1/customers?search=${encodeURIComponent(search)}&page=2&pageSize=50`));
  }
  const plainRuns = [];
  for (let i = 0; i < LIST_RUNS; i++) plainRuns.push(await measure(`/api/v1/customers?page=${1 + (i % 40)}&pageSize=50`));

  const target = customers[7]!._id.toHexString();
  const pasted = Array.from({ length: ADDED_NUMBERS }, (_, i) => `+1 (646) ${String(5_000_000 + i).replace(/(\d{3})(\d{4})/, '$1-$2')}`).join('\n');
  const add = await measure(`/api/v1/customers/${target}/numbers`, { method: 'POST', body: JSON.stringify({ numbers: pasted }) });
  const addAgain = await measure(`/api/v1/customers/${target}/numbers`, { method: 'POST', body: JSON.stringify({ numbers: pasted }) });
  const numberList = await measure(`/api/v1/customers/${target}/numbers?pageSize=50&search=646`);

  const summary = add.body.summary as Record<string, number>;
  const againSummary = addAgain.body.summary as Record<string, number>;
  const rows = [
    ['database', embedded ? 'embedded (jongodb emulator)' : 'MONGODB_URI'],
    ['data', `${CUSTOMERS} customers, ${NUMBERS} numbers, one partner (seeded in ${seedMs.toFixed(0)} ms)`],
    [`GET /customers?search=..&pageSize=50 (${LIST_RUNS} runs)`, stats(listRuns)],
    [`GET /customers?page=..&pageSize=50 (${LIST_RUNS} runs)`, stats(plainRuns)],
    [
      `POST ${ADDED_NUMBERS} pasted numbers`,
      `${add.ms.toFixed(0)} ms, ${add.roundTrips} round trips (${count(add.commands)}); added ${summary.added}`,
    ],
    [
      `POST the same ${ADDED_NUMBERS} again`,
      `${addAgain.ms.toFixed(0)} ms, ${addAgain.roundTrips} round trips (${count(addAgain.commands)}); already-present ${againSummary['already-present']}`,
    ],
    ['GET /customers/{id}/numbers?search=..', `${numberList.ms.toFixed(1)} ms, ${numberList.roundTrips} round trips (${count(numberList.commands)})`],
  ];
  const width = Math.max(...rows.map(([label]) => label!.length));
  for (const [label, value] of rows) console.log(`${label!.padEnd(width)}  ${value}`);

  await new Promise<void>((resolve) => app.server.close(() => resolve()));
  await database.close();
  await embedded?.stop();
}

function stats(runs: { ms: number; roundTrips: number; commands: string[] }[]): string {
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  const trips = [...new Set(runs.map((r) => r.roundTrips))].join('/');
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, ${trips} round trips (${count(runs[0]!.commands)})`;
}

function count(commands: string[]): string {
  const counts = new Map<string, number>();
  for (const name of commands) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${n} ${name}`).join(', ');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
