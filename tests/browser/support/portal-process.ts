import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface PortalProcess {
  url: string;
  /** The app's database name (on MONGODB_URI, or its embedded server). */
  database: string;
  /** The process id (a job's lease names it). */
  pid: number;
  stop(): Promise<void>;
  /** kill -9: no shutdown of any kind, as a crash or an evicted instance. */
  kill(): Promise<void>;
}

/**
 * The app as `npm start` runs it (built code, embedded database, simulator,
 * demo data, dev sign-in), on a free port. Needs `npm run build` first, which
 * `npm test` does.
 */
export async function startPortal(env: Record<string, string> = {}): Promise<PortalProcess> {
  const main = path.join(ROOT, 'dist', 'server', 'main.js');
  if (!fs.existsSync(path.join(ROOT, 'dist', 'tab', 'index.html')) || !fs.existsSync(main)) {
    throw new Error('The app is not built: run "npm run build" (npm test does it before the tests)');
  }
  const database = env.MONGODB_DB ?? `browser-${process.pid}-${Date.now()}`;
  const child: ChildProcess = spawn(process.execPath, ['--disable-warning=DEP0111', main], {
    cwd: ROOT,
    // With the tests' MONGODB_URI (the shared test server) the app gets a database of its own, seeded.
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'warn',
      MONGODB_DB: database,
      SEED_DEMO_DATA: 'true',
      // A trial on this machine: with MONGODB_URI set, the dev sign-in is off unless asked for.
      DEV_SIGN_IN: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start in 60 s: ${stderr.join('')}`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code}: ${stderr.join('')}`));
    });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /Teams Partner Portal: (http\S+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    database,
    pid: child.pid!,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A JSON call to an instance, as the tab or a script would make it. */
export async function portalCall(instance: PortalProcess, method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${instance.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
