import { spawn } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { startPortal } from '../browser/support/portal-process';

const MAIN = path.resolve(__dirname, '..', '..', 'dist', 'server', 'main.js');

/** A complete deployment's settings (fake values; nothing is called before the check). */
const DEPLOYMENT = {
  ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  ENTRA_CLIENT_SECRET: 'not-a-real-secret',
  BOT_ID: '00000000-1111-2222-3333-444444444444',
  BOT_PASSWORD: 'not-a-real-secret',
  BACKEND_URL: 'https://crossbar.carrier.test:8443',
  BACKEND_API_KEY: 'not-a-real-key',
  PUBLIC_URL: 'https://portal.carrier.test',
};

/**
 * A stand-in for the database that only records whether anyone connected: a
 * refused start must not have touched it (nor started a worker, which would
 * need it first).
 */
async function watchedDatabase() {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    uri: `mongodb://127.0.0.1:${port}/?serverSelectionTimeoutMS=2000`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs the built app with exactly `env` (plus PATH), and what it said before it exited. */
function startWith(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after 20 s: ${stdout}${stderr}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('start-up refuses a missing or unsafe setting, before it touches the database', () => {
  let database: Awaited<ReturnType<typeof watchedDatabase>>;
  beforeAll(async () => {
    database = await watchedDatabase();
  });
  afterAll(() => database.close());

  const without = (name: keyof typeof DEPLOYMENT) => {
    const { [name]: _dropped, ...rest } = DEPLOYMENT;
    return rest;
  };
  const cases: [string, Record<string, string>, RegExp[]][] = [
    [
      'MONGODB_URI alone (no dev sign-in, and nothing else of a deployment)',
      {},
      [/ENTRA_CLIENT_ID is required/, /BOT_ID is required/, /BOT_PASSWORD is required/, /BACKEND_URL is required/, /PUBLIC_URL is required/],
    ],
    ['a blank ENTRA_CLIENT_ID beside MONGODB_URI (never the dev sign-in)', { ...DEPLOYMENT, ENTRA_CLIENT_ID: ' ' }, [/ENTRA_CLIENT_ID is required/]],
    ['Entra without BOT_ID (/api/messages would be open)', without('BOT_ID'), [/BOT_ID is required/]],
    ['no BOT_PASSWORD', without('BOT_PASSWORD'), [/BOT_PASSWORD is required/]],
    ['no BACKEND_URL (no silent simulator)', without('BACKEND_URL'), [/BACKEND_URL is required/]],
    ['a real BACKEND_URL without BACKEND_API_KEY', without('BACKEND_API_KEY'), [/BACKEND_API_KEY is required/]],
    ['no PUBLIC_URL', without('PUBLIC_URL'), [/PUBLIC_URL is required/]],
    ['an http PUBLIC_URL', { ...DEPLOYMENT, PUBLIC_URL: 'http://portal.carrier.test' }, [/PUBLIC_URL must be an https URL/]],
    ['an http JWKS URL', { ...DEPLOYMENT, ENTRA_JWKS_URL: 'http://keys.example.test/keys' }, [/ENTRA_JWKS_URL must be an https URL/]],
    ['DEV_SIGN_IN=true beside Entra settings', { ...DEPLOYMENT, DEV_SIGN_IN: 'true' }, [/DEV_SIGN_IN=true cannot run beside Microsoft Entra settings/]],
    ['DEV_SIGN_IN=true on a non-loopback interface', { DEV_SIGN_IN: 'true', HOST: '0.0.0.0' }, [/HOST=0\.0\.0\.0 would expose the local dev sign-in/]],
    ['DEV_SIGN_IN=true behind a public URL (a tunnel to loopback)', { DEV_SIGN_IN: 'true', PUBLIC_URL: 'https://portal.tunnel.test' }, [/PUBLIC_URL=https:\/\/portal\.tunnel\.test would reach the local dev sign-in/]],
    ['an invalid value', { ...DEPLOYMENT, DEV_SIGN_IN: 'yes' }, [/DEV_SIGN_IN: true or false/]],
  ];

  it.each(cases)('%s', async (_name, env, expected) => {
    const before = database.connections();
    const { code, stderr, stdout } = await startWith({ MONGODB_URI: database.uri, ...env });
    expect(code).toBe(1);
    for (const pattern of expected) expect(stderr).toMatch(pattern);
    expect(stdout).not.toContain('Teams Partner Portal:');
    expect(database.connections()).toBe(before);
  });

  it('the embedded default on a non-loopback HOST is refused too, before the embedded database starts', async () => {
    const { code, stderr } = await startWith({ HOST: '0.0.0.0' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/HOST=0\.0\.0\.0 would expose the local dev sign-in/);
    expect(stderr).not.toMatch(/JONGODB|embedded/i);
  });
});

describe('a complete deployment starts, without the dev sign-in', () => {
  it('serves, and /api/v1/dev/token does not exist', async () => {
    const port = await freePort();
    const portal = await startPortal({
      ...DEPLOYMENT,
      BACKEND_URL: 'simulator',
      DEV_SIGN_IN: '',
      SEED_DEMO_DATA: 'false',
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    try {
      // The banner names PUBLIC_URL; the process itself is on loopback.
      expect(portal.url).toBe(DEPLOYMENT.PUBLIC_URL);
      const local = `http://127.0.0.1:${port}`;
      const token = await fetch(`${local}/api/v1/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId: 'any-partner', globalAdministrator: true }),
      });
      expect(token.status).toBe(404);
      const config = (await (await fetch(`${local}/api/v1/client-config`)).json()) as { localMode: boolean };
      expect(config.localMode).toBe(false);
      // An unauthenticated activity is refused: the bot endpoint needs a Bot Framework token.
      const activity = await fetch(`${local}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'customers', channelId: 'msteams', serviceUrl: 'https://smba.test/' }),
      });
      expect(activity.status).toBe(401);
    } finally {
      await portal.stop();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
