/**
 * The carrier's backend for the benchmarks: the simulator in a child process
 * (its work does not share the app's event loop, as a real backend is
 * remote), with the bench partner's reseller account on top of the accounts
 * a bench needs, so the customers the bench creates are the partner's.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { SimulatorFixture } from '../api/backend/simulator/backend-simulator';
import { SIMULATOR_API_KEY } from '../api/settings/settings';

/** The bench partner's reseller account on the simulated backend. */
export const BENCH_RESELLER = 'bench-reseller';

/** The bench partner as every bench registers it. */
export const BENCH_PARTNER = { tenantId: 'bench-partner', name: 'Bench Partner', backendAccountId: BENCH_RESELLER } as const;

/** Accounts under the bench reseller: each bare (no numbers), or as `accounts` describe them. */
export function benchFixture(accountIds: readonly string[], accounts: SimulatorFixture['accounts'] = []): SimulatorFixture {
  return {
    apiKeys: [SIMULATOR_API_KEY],
    accounts: [
      { id: BENCH_RESELLER, name: 'Bench reseller' },
      ...accountIds.map((id) => ({ id, name: id, parent: BENCH_RESELLER })),
      ...accounts.map((account) => ({ parent: BENCH_RESELLER, ...account })),
    ],
  };
}

/** The simulator in a child process; `changes` counts the writes it answered (sign-ins excluded). */
export async function startSimulatorProcess(fixture: SimulatorFixture, latencyMs = 0) {
  const child = fork(path.join(__dirname, 'simulator-process.ts'), [JSON.stringify({ fixture, knobs: { latencyMs } })], {
    execArgv: ['--import', 'tsx', '--disable-warning=DEP0111'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^SIMULATOR_URL=(\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    changes: () =>
      new Promise<number>((resolve) => {
        child.once('message', (calls) =>
          resolve(
            Object.entries(calls as Record<string, number>)
              .filter(([key]) => /^(PUT|POST|PATCH|DELETE) /.test(key) && !key.includes('api_auth'))
              .reduce((sum, [, count]) => sum + count, 0),
          ),
        );
        child.send('calls');
      }),
    stop: () => child.disconnect(),
  };
}
