import fs from 'node:fs';
import path from 'node:path';
import { registerBotEndpoint } from '../bot/bot-endpoint';
import { createApp } from '../api/app';
import { BackendSimulator } from '../api/backend/simulator/backend-simulator';
import { demoBackendFixture } from '../api/demo/demo-backend';
import { seedDemoData } from '../api/demo/demo-data';
import { demoMicrosoftFixture } from '../api/demo/demo-microsoft';
import { GraphSimulator } from '../api/graph/simulator/graph-simulator';
import { createLogger } from '../api/logging/logger';
import { BACKEND_SIMULATOR, loadSettings, SettingsError, SIMULATOR_ENTRA_APP, type Settings } from '../api/settings/settings';
import { assertSafeToServe, hostOf } from '../api/settings/serving-rules';
import { connectDatabase } from '../api/storage/database';
import { startEmbeddedMongo, type EmbeddedMongo } from '../api/storage/embedded-mongo';
import { removeLocalDatabaseFile, writeLocalDatabaseFile } from '../api/storage/local-database-file';

/**
 * The process: the API (api/) with the bot (bot/) mounted on its server, the
 * built tab served at /, and locally the simulators and the embedded database.
 * It sits above the layers it composes, so api/ never imports bot/ or tab/.
 */
async function main(): Promise<void> {
  const settings = loadSettings();
  // Before anything touches the database or starts a worker: a deployment that
  // is incomplete or unsafe never serves, not even for a moment.
  assertSafeToServe(settings);
  const logger = createLogger(settings.LOG_LEVEL);
  const log = logger.child({ component: 'main' });

  let embedded: EmbeddedMongo | undefined;
  if (settings.embeddedDatabase) embedded = await startEmbeddedMongo();
  const database = await connectDatabase(settings.MONGODB_URI ?? embedded!.uri, settings.MONGODB_DB);
  let simulator: BackendSimulator | undefined;
  if (settings.BACKEND_URL === undefined || settings.BACKEND_URL === BACKEND_SIMULATOR) {
    simulator = new BackendSimulator(demoBackendFixture(settings.BACKEND_API_KEY));
    simulator.setKnobs({ latencyMs: settings.SIMULATOR_LATENCY_MS });
  }
  const backendUrl = simulator ? await simulator.start() : settings.BACKEND_URL!;
  const { microsoft, graphSimulator } = await microsoftFor(settings);
  const app = await createApp({
    database,
    settings,
    logger,
    backendUrl,
    tabDirectory: builtTabDirectory(),
    ...(microsoft ? { microsoft } : {}),
  });
  registerBotEndpoint(app.server, app.services, settings, logger);

  const seed = settings.SEED_DEMO_DATA === 'true' || (settings.SEED_DEMO_DATA === 'auto' && embedded !== undefined);
  if (seed) {
    const skipped = await seedDemoData(app.services, settings.DEMO_PARTNER_TENANT_ID);
    if (skipped.length > 0) log.warn({ accountIds: skipped }, 'demo customers left out: the backend has no such accounts under the demo resellers');
  }
  if (embedded) writeLocalDatabaseFile(embedded.uri);

  const host = hostOf(settings);
  await new Promise<void>((resolve, reject) => {
    app.server.server.once('error', reject);
    app.server.listen(settings.PORT, host, () => resolve());
  });
  // Workers start once the instance serves: one that cannot listen claims no work.
  // Queued jobs, and jobs another instance left when it stopped.
  app.services.jobRunner.start();
  // Bot cards to keep up to date and alerts to send, also those another instance left.
  app.services.followUps.start();
  // Due scheduled syncs; every instance looks, each slot runs once.
  app.services.scheduler.start();
  const address = app.server.address();
  const url = app.publicUrl();
  printBanner(url, settings.localMode, embedded !== undefined, seed, settings.DEMO_PARTNER_TENANT_ID, simulator !== undefined, microsoft === undefined ? 'off' : graphSimulator ? 'simulated' : 'entra');
  if (app.sharedAccounts.total > 0) {
    process.stdout.write(
      `  WARNING: ${app.sharedAccounts.total} backend account(s) are the Account ID of more than one customer (listed in the log: "customers of the portal share one backend account").\n` +
        '           Nothing was deleted. Each sync checks the account is under its partner\'s reseller account; one customer per account is enforced once they are resolved and the app restarts.\n\n',
    );
  }
  log.info({ url, host, port: address.port, localMode: settings.localMode, embedded: !!embedded }, 'listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    app.server.close();
    app.services.jobRunner.stop();
    app.services.followUps.stop();
    app.services.scheduler.stop();
    await app.services.scheduler.idle();
    await app.services.jobRunner.idle();
    await app.services.followUps.idle();
    await app.services.sync.idle();
    app.services.backend.close();
    await app.services.coManagement.idle();
    await simulator?.stop();
    await graphSimulator?.stop();
    await database.close().catch(() => undefined);
    if (embedded) {
      removeLocalDatabaseFile();
      await embedded.stop();
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function printBanner(
  url: string,
  localMode: boolean,
  embedded: boolean,
  seeded: boolean,
  demoTenant: string,
  simulated: boolean,
  coManagement: 'simulated' | 'entra' | 'off',
) {
  const lines = [
    '',
    `  Teams Partner Portal: ${url}`,
    '',
    ...(embedded
      ? [
          '  Database: embedded MongoDB-compatible server, IN MEMORY, for demo scale only.',
          '            Data is lost when the app stops. Set MONGODB_URI=mongodb://... for a real MongoDB.',
        ]
      : ['  Database: MONGODB_URI']),
    ...(seeded ? [`  Demo data: partner tenant ${demoTenant} with a few customers and numbers.`] : []),
    simulated
      ? '  Backend: built-in simulator of the carrier backend (set BACKEND_URL and BACKEND_API_KEY for the real one).'
      : '  Backend: BACKEND_URL (the carrier backend)',
    {
      simulated: '  Microsoft (co-management): built-in simulator of Microsoft sign-in, admin consent and Graph, with demo tenants.',
      entra: '  Microsoft (co-management): Entra app ENTRA_CLIENT_ID with ENTRA_CLIENT_SECRET, Microsoft Graph.',
      off: '  Microsoft (co-management): off; set ENTRA_CLIENT_SECRET to let customers allow it.',
    }[coManagement],
    localMode
      ? '  Sign-in: local dev sign-in (POST /api/v1/dev/token), loopback only; a deployment uses Microsoft Entra (ENTRA_CLIENT_ID).'
      : '  Sign-in: Microsoft Entra (ENTRA_CLIENT_ID); no dev sign-in.',
    '  API reference: /api/v1/openapi.json    Stop: Ctrl+C',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/**
 * Microsoft for co-management: the Graph simulator in local mode, Microsoft
 * itself when the Entra app has a secret, none otherwise.
 */
async function microsoftFor(settings: Settings) {
  if (settings.localMode) {
    const graphSimulator = new GraphSimulator(demoMicrosoftFixture(SIMULATOR_ENTRA_APP.clientId, SIMULATOR_ENTRA_APP.clientSecret));
    graphSimulator.setKnobs({ operationMs: settings.SIMULATOR_OPERATION_MS });
    const url = await graphSimulator.start();
    return { graphSimulator, microsoft: { authorityUrl: url, graphUrl: url, ...SIMULATOR_ENTRA_APP } };
  }
  // PUBLIC_URL is https here (serving-rules.ts): the redirect URIs registered in Entra are built from it.
  if (!settings.ENTRA_CLIENT_ID || !settings.ENTRA_CLIENT_SECRET) return {};
  return {
    microsoft: {
      authorityUrl: settings.ENTRA_AUTHORITY_URL,
      graphUrl: settings.GRAPH_URL,
      clientId: settings.ENTRA_CLIENT_ID,
      clientSecret: settings.ENTRA_CLIENT_SECRET,
    },
  };
}

/** dist/tab beside dist/server, when `npm run build` made it. */
function builtTabDirectory(): string | undefined {
  const directory = path.resolve(__dirname, '..', 'tab');
  return fs.existsSync(path.join(directory, 'index.html')) ? directory : undefined;
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`The app could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
