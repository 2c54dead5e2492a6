/**
 * The app server of `npm run bench:bulk`, in a process of its own so its
 * memory is measured alone. Told over IPC: `reset` (round trips to 0, peak
 * RSS to now), `report` (round trips and peak RSS since the reset), `idle`
 * (answers once the job runner has nothing left to do).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app';
import { createLogger } from '../api/logging/logger';
import { loadSettings } from '../api/settings/settings';
import { connectDatabase } from '../api/storage/database';
import { BENCH_PARTNER, benchFixture, startSimulatorProcess } from './bench-backend';

/** The Account IDs bench:bulk and bench:import-memory create their customers with. */
export const BENCH_ACCOUNTS = ['import', 'paste', 'export', 'bench-import'];

type Message = { type: 'reset' | 'report' | 'idle' | 'stop' };

function rssOf(field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
}

/** Linux: writing 5 to clear_refs starts the peak (VmHWM) again from the RSS now. */
function resetPeak(): void {
  fs.writeFileSync('/proc/self/clear_refs', '5');
}

async function main() {
  const [uri, name] = process.argv.slice(2);
  const database = await connectDatabase(uri!, name!, { monitorCommands: true });
  let roundTrips = 0;
  const commands = new Map<string, number>();
  const started = new Map<number, number>();
  /** Milliseconds spent waiting on each kind of command: what the database costs of a phase. */
  const waited = new Map<string, number>();
  database.client.on('commandStarted', (event) => {
    roundTrips++;
    commands.set(event.commandName, (commands.get(event.commandName) ?? 0) + 1);
    started.set(event.requestId, performance.now());
    names.set(event.requestId, `${event.commandName} ${String((event.command as Record<string, unknown>)[event.commandName])}`);
  });
  const names = new Map<number, string>();
  const finished = (event: { requestId: number; commandName: string }) => {
    const at = started.get(event.requestId);
    started.delete(event.requestId);
    if (at !== undefined && process.env.BENCH_TRACE) console.error(`  ${names.get(event.requestId)} ${(performance.now() - at).toFixed(0)} ms`);
    if (at !== undefined) waited.set(event.commandName, (waited.get(event.commandName) ?? 0) + performance.now() - at);
  };
  database.client.on('commandSucceeded', finished);
  database.client.on('commandFailed', finished);
  const settings = loadSettings({ LOG_LEVEL: 'silent', PARTNER_CACHE_SECONDS: 300, JOB_POLL_MS: 60_000 }, {});
  // The accounts the benches create customers with, under the bench partner's reseller account (a process of its own: not measured).
  const backend = await startSimulatorProcess(benchFixture(BENCH_ACCOUNTS));
  const app = await createApp({ database, settings, logger: createLogger('silent'), backendUrl: backend.url });
  app.services.jobRunner.start();
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const port = (app.server.address() as AddressInfo).port;
  let rssAtReset = rssOf('VmRSS');

  process.on('message', (message: Message) => {
    switch (message.type) {
      case 'reset':
        roundTrips = 0;
        commands.clear();
        waited.clear();
        global.gc?.();
        resetPeak();
        rssAtReset = rssOf('VmRSS');
        process.send!({ type: 'reset' });
        break;
      case 'report':
        process.send!({
          type: 'report',
          roundTrips,
          commands: Object.fromEntries(commands),
          waitedMs: Object.fromEntries([...waited].map(([name, ms]) => [name, Math.round(ms)])),
          rssAtReset,
          peakRss: rssOf('VmHWM'),
        });
        break;
      case 'idle':
        void app.services.jobRunner.idle().then(() => process.send!({ type: 'idle' }));
        break;
      case 'stop':
        app.services.jobRunner.stop();
        void app.services.jobRunner
          .idle()
          .then(() => new Promise<void>((resolve) => app.server.close(() => resolve())))
          .then(() => database.close())
          .then(() => backend.stop())
          .then(() => process.exit(0));
        break;
    }
  });
  const { partner } = await app.services.partners.register(BENCH_PARTNER);
  await app.services.members.grantAdminAtRegistration(partner._id, 'bench', 'Bench');
  // The bench is gone (it failed, or was stopped): so is its server.
  process.on('disconnect', () => process.exit(0));
  const { token } = await app.devSignIn!.issue({ tenantId: 'bench-partner', userId: 'bench' });
  process.send!({ type: 'ready', port, token, partnerId: partner._id.toHexString() });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
