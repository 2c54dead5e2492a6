/**
 * npm run bench:bulk: bulk work on the embedded database (or MONGODB_URI), the
 * server in a process of its own (bench/bulk-server.ts). Imports 10,000
 * numbers from a CSV file and pastes 10,000 more (each a job, timed from the
 * request to the job's end), then exports 100,000 numbers of one customer,
 * read as a stream. For each: wall time, rows/s, the server's MongoDB round
 * trips (driver command monitoring) and its peak RSS above what it held before.
 * BENCH_TRACE=1 prints each command and its time; BENCH_EXPORT_ROWS sets the export size.
 */
import { ObjectId } from 'mongodb';
import { customerCollection } from '../api/customers/customer-document';
import { numberCollection, type NumberDocument } from '../api/numbers/number-document';
import { STATUS_TEXT } from '../api/numbers/number-status';
import { connectDatabase } from '../api/storage/database';
import { startEmbeddedMongo } from '../api/storage/embedded-mongo';
import { forkBulkServer, nextMessage } from './bulk-server-process';

const IMPORTED = 10_000;
const PASTED = 10_000;
/**
 * Numbers exported: 100,000 on MONGODB_URI. The embedded emulator's inserts
 * slow down with the collection's size (DESIGN.md), so seeding 100,000 there
 * takes many minutes: it exports 20,000 unless BENCH_EXPORT_ROWS says more.
 */
const EXPORTED = Number(process.env.BENCH_EXPORT_ROWS ?? (process.env.MONGODB_URI ? 100_000 : 20_000));

interface Report {
  roundTrips: number;
  commands: Record<string, number>;
  waitedMs: Record<string, number>;
  rssAtReset: number;
  peakRss: number;
}

async function main() {
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  const uri = process.env.MONGODB_URI ?? embedded!.uri;
  const name = `bench-bulk-${Date.now()}`;
  const { child: server, base, auth, partnerId } = await forkBulkServer(uri, name);
  const ask = async (type: 'reset' | 'report' | 'idle') => {
    if (process.env.BENCH_TRACE) console.error(`bench: ${type}`);
    server.send({ type });
    return nextMessage(server, type);
  };

  const createCustomer = async (accountId: string) => {
    const response = await fetch(`${base}/api/v1/customers`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ accountId, tenantName: `${accountId}.onmicrosoft.com`, maxChannels: 100 }),
    });
    return ((await response.json()) as { id: string }).id;
  };
  const [importTo, pasteTo, exportFrom] = [await createCustomer('import'), await createCustomer('paste'), await createCustomer('export')];

  /** A job started by `request`, timed from the request to the job's end. */
  async function job(label: string, rows: number, request: () => Promise<Response>) {
    await ask('reset');
    const start = performance.now();
    const response = await request();
    const answer = (await response.json()) as { job?: { id: string } };
    if (response.status !== 202 || !answer.job) throw new Error(`${label}: ${response.status} ${JSON.stringify(answer)}`);
    await ask('idle');
    const ms = performance.now() - start;
    const report = (await ask('report')) as Report;
    const view = (await (await fetch(`${base}/api/v1/jobs/${answer.job.id}`, { headers: auth })).json()) as {
      state: string;
      outcomes: Record<string, number>;
    };
    return { label, rows, ms, report, result: `${view.state}, ${JSON.stringify(view.outcomes)}` };
  }

  const numbers = (start: number, count: number) =>
    Array.from({ length: count }, (_, i) => `+1212${String(2_000_000 + start + i).padStart(7, '0')}`);
  const csv = `Site,Number\r\n${numbers(0, IMPORTED)
    .map((n, i) => `Office ${i},${n}`)
    .join('\r\n')}\r\n`;
  const imported = await job(`import ${IMPORTED.toLocaleString()} numbers (CSV)`, IMPORTED, () =>
    fetch(`${base}/api/v1/customers/${importTo}/numbers/import`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: csv }),
  );
  const pasted = await job(`paste ${PASTED.toLocaleString()} numbers`, PASTED, () =>
    fetch(`${base}/api/v1/customers/${pasteTo}/numbers`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ numbers: numbers(IMPORTED, PASTED).join('\n') }),
    }),
  );

  // 100,000 numbers for one customer, written straight to the database.
  const seedStart = performance.now();
  const database = await connectDatabase(uri, name);
  const customerId = new ObjectId(exportFrom);
  const partner = new ObjectId(partnerId);
  const now = new Date();
  for (let start = 0; start < EXPORTED; start += 5_000) {
    const batch: NumberDocument[] = Array.from({ length: Math.min(5_000, EXPORTED - start) }, (_, i) => ({
      _id: new ObjectId(),
      partnerId: partner,
      customerId,
      e164: `+1646${String(2_000_000 + start + i).padStart(7, '0')}`,
      status: 'synced',
      statusText: STATUS_TEXT.synced,
      addedBy: { tid: 'bench-partner', oid: 'bench', name: 'Bench' },
      addedAt: now,
      syncedAt: now,
    }));
    await numberCollection.of(database.db).insertMany(batch);
    if (process.env.BENCH_TRACE) console.error(`bench: seeded ${start + batch.length} in ${(performance.now() - seedStart).toFixed(0)} ms`);
  }
  await customerCollection.of(database.db).updateOne({ _id: customerId }, { $set: { numberCount: EXPORTED } });
  const seedMs = performance.now() - seedStart;

  await ask('reset');
  const exportStart = performance.now();
  const response = await fetch(`${base}/api/v1/customers/${exportFrom}/numbers/export`, { headers: auth });
  let bytes = 0;
  let lines = 0;
  // Read as it comes, as a browser saving the file does: the bench holds no more than a chunk.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 0x0a) lines++;
  }
  const exportMs = performance.now() - exportStart;
  const exportReport = (await ask('report')) as Report;
  if (lines - 1 !== EXPORTED) throw new Error(`export: ${lines - 1} rows, expected ${EXPORTED}`);

  const mb = (value: number) => `${(value / (1024 * 1024)).toFixed(1)} MB`;
  const line = (label: string, rows: number, ms: number, report: Report, result: string) =>
    [
      label,
      `${ms.toFixed(0)} ms`,
      `${Math.round(rows / (ms / 1000)).toLocaleString()} rows/s`,
      `${report.roundTrips} round trips (${Object.entries(report.commands)
        .map(([command, count]) => `${count} ${command}`)
        .join(', ')})`,
      `peak RSS ${mb(report.peakRss)} (${report.peakRss >= report.rssAtReset ? '+' : '-'}${mb(Math.abs(report.peakRss - report.rssAtReset))} over its RSS before)`,
      result,
    ].join(' | ');
  console.log(`database: ${embedded ? 'embedded (jongodb emulator)' : 'MONGODB_URI'}; node ${process.version}`);
  console.log(line(imported.label, imported.rows, imported.ms, imported.report, imported.result));
  console.log(line(pasted.label, pasted.rows, pasted.ms, pasted.report, pasted.result));
  console.log(
    line(`export ${EXPORTED.toLocaleString()} numbers (CSV)`, EXPORTED, exportMs, exportReport, `${mb(bytes)} streamed (seeded in ${seedMs.toFixed(0)} ms)`),
  );

  server.send({ type: 'stop' });
  await new Promise((resolve) => server.once('exit', resolve));
  await database.close();
  await embedded?.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
