/**
 * npm run bench:import-memory: what CSV dry runs cost the server's memory. The
 * server runs in a process of its own (bench/bulk-server.ts, as bench:bulk) on
 * the embedded database (or MONGODB_URI). Each phase sends 8 dry runs of a
 * 100,000-row file at once, each retried after its Retry-After when answered
 * 429, until all 8 are answered 200; it prints the server's RSS before the
 * phase, its peak (VmHWM, reset before the phase), the difference, the wall
 * time and the 429s. Phases: numbers as a text/csv body, numbers as a
 * multipart upload (what the tab sends), customers as a text/csv body.
 * Before each phase one small dry run loads what the first one loads once
 * (the phone number metadata), so the figure is what the dry runs hold.
 * BENCH_CONCURRENT and BENCH_ROWS change the 8 and the 100,000;
 * BENCH_SERVER_FLAGS adds node flags to the server (such as --trace-gc).
 */
import { loadSettings } from '../api/settings/settings';
import { startEmbeddedMongo } from '../api/storage/embedded-mongo';
import { forkBulkServer, nextMessage } from './bulk-server-process';

const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 8);
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);

interface Report {
  rssAtReset: number;
  peakRss: number;
}

interface Phase {
  label: string;
  bytes: number;
  ms: number;
  tooMany: number;
  report: Report;
  totals: number[];
}

async function main() {
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  const uri = process.env.MONGODB_URI ?? embedded!.uri;

  // Spreadsheet-like files: a few columns the import ignores beside the one it reads.
  const numbersCsv = `Site,Number,Note\r\n${Array.from(
    { length: ROWS },
    (_, i) => `Office ${i},+1212${String(2_000_000 + i).padStart(7, '0')},floor ${i % 40}`,
  ).join('\r\n')}\r\n`;
  const customersCsv = `Account ID,Office 365 Tenant Name,Max Channels,Name\r\n${Array.from(
    { length: ROWS },
    (_, i) => `acct-${i},tenant-${i}.onmicrosoft.com,${1 + (i % 50)},Customer ${i}`,
  ).join('\r\n')}\r\n`;
  const text = (csv: string) => () => ({ body: csv, headers: { 'content-type': 'text/csv' } });
  const multipart = (csv: string, fileName: string) => () => {
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), fileName);
    return { body: form, headers: {} };
  };
  const rows = ROWS.toLocaleString('en-US');
  const phases = [
    await phase(uri, `numbers, text/csv body: ${CONCURRENT} concurrent dry runs of ${rows} rows`, numbersPath, text(numbersCsv), numbersCsv.length),
    await phase(
      uri,
      `numbers, multipart upload: ${CONCURRENT} concurrent dry runs of ${rows} rows`,
      numbersPath,
      multipart(numbersCsv, 'numbers.csv'),
      numbersCsv.length,
    ),
    await phase(
      uri,
      `customers, text/csv body: ${CONCURRENT} concurrent dry runs of ${rows} rows`,
      () => '/api/v1/customers/import?dryRun=true',
      text(customersCsv),
      customersCsv.length,
    ),
  ];

  const mb = (value: number) => `${(value / (1024 * 1024)).toFixed(1)} MB`;
  // The bench server runs on the default settings.
  const { CSV_PARSE_CONCURRENCY } = loadSettings({}, {});
  console.log(`database: ${embedded ? 'embedded (jongodb emulator)' : 'MONGODB_URI'}; node ${process.version}; a new server process for each phase`);
  console.log(`server settings: defaults (CSV_PARSE_CONCURRENCY ${CSV_PARSE_CONCURRENCY})`);
  for (const { label, bytes, ms, tooMany, report, totals } of phases) {
    const grew = report.peakRss - report.rssAtReset;
    console.log(label);
    console.log(`    file ${mb(bytes)}; every dry run answered 200 with ${[...new Set(totals)].join(', ')} rows`);
    console.log(`    RSS before ${mb(report.rssAtReset)}, peak ${mb(report.peakRss)} (${grew >= 0 ? '+' : '-'}${mb(Math.abs(grew))})`);
    console.log(`    ${ms.toFixed(0)} ms wall, ${tooMany} answered 429 first (retried after Retry-After)`);
  }
  await embedded?.stop();
}

const numbersPath = (customerId: string) => `/api/v1/customers/${customerId}/numbers/import?dryRun=true`;

/**
 * `CONCURRENT` dry runs at once, each retried after its Retry-After until it is
 * answered, against a server started for the phase alone: a process keeps the
 * heap it grew, so a phase after another would start from the first one's peak.
 */
async function phase(
  uri: string,
  label: string,
  pathOf: (customerId: string) => string,
  body: () => { body: string | FormData; headers: Record<string, string> },
  bytes: number,
): Promise<Phase> {
  const { child: server, base, auth } = await forkBulkServer(uri, `bench-import-memory-${Date.now()}`, (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean));
  const ask = async (type: 'reset' | 'report') => {
    server.send({ type });
    return nextMessage(server, type);
  };
  const created = await fetch(`${base}/api/v1/customers`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ accountId: 'bench-import', tenantName: 'bench-import.onmicrosoft.com', maxChannels: 100 }),
  });
  const url = `${base}${pathOf(((await created.json()) as { id: string }).id)}`;
  const warmUp = await fetch(url, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/csv' },
    body: 'Number,Account ID,Office 365 Tenant Name,Max Channels\r\n+12125550100,warm-up,warm-up.onmicrosoft.com,1\r\n',
  });
  if (warmUp.status !== 200) throw new Error(`${label}: the warm-up answered ${warmUp.status} ${await warmUp.text()}`);

  await ask('reset');
  let tooMany = 0;
  const start = performance.now();
  const one = async (): Promise<number> => {
    for (;;) {
      const request = body();
      const response = await fetch(url, { method: 'POST', headers: { ...auth, ...request.headers }, body: request.body });
      const answer = (await response.json()) as { total?: number };
      if (response.status === 429) {
        tooMany++;
        const seconds = Number(response.headers.get('retry-after') ?? 1);
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        continue;
      }
      if (response.status !== 200 || answer.total === undefined) throw new Error(`${label}: ${response.status} ${JSON.stringify(answer)}`);
      return answer.total;
    }
  };
  const totals = await Promise.all(Array.from({ length: CONCURRENT }, one));
  const ms = performance.now() - start;
  const report = (await ask('report')) as Report;
  server.send({ type: 'stop' });
  await new Promise((resolve) => server.once('exit', resolve));
  return { label, bytes, ms, tooMany, report, totals };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
