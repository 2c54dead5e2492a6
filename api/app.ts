import { createRemoteJWKSet } from 'jose';
import type { Server } from 'restify';
import { auditRoutes } from './audit/audit-routes';
import { AuditLog } from './audit/audit-log';
import { createDevSignIn, type DevSignIn } from './auth/dev-sign-in';
import { devSignInRoutes } from './auth/dev-routes';
import { createPartnerAuthenticator } from './auth/partner-authenticator';
import { createTokenValidator } from './auth/token-validator';
import { channelRoutes } from './channels/channel-routes';
import { customerRoutes } from './customers/customer-routes';
import { CustomerService } from './customers/customer-service';
import { createApiServer } from './http/api-server';
import { healthRoutes } from './http/health-routes';
import { openApiRoute } from './http/openapi';
import { clientConfigRoute } from './http/client-config';
import type { RouteDefinition } from './http/route-definition';
import type { Logger } from './logging/logger';
import { numberRoutes } from './numbers/number-routes';
import { NumberHistory } from './numbers/number-history';
import { NumberService } from './numbers/number-service';
import { PartnerRegistry } from './partners/partner-registry';
import type { Settings } from './settings/settings';
import type { Database } from './storage/database';
import { BackendClient } from './backend/backend-client';
import { SyncRunner } from './sync/sync-runner';
import { syncRoutes } from './sync/sync-routes';
import { SyncService } from './sync/sync-service';
import { SyncTriggers } from './sync/sync-triggers';
import { OnceRegister } from './shared/once-register';

/** The application services: what the REST routes, and later the bot, call. */
export interface Services {
  partners: PartnerRegistry;
  customers: CustomerService;
  numbers: NumberService;
  audit: AuditLog;
  sync: SyncService;
  backend: BackendClient;
  triggers: SyncTriggers;
  once: OnceRegister;
}

export interface App {
  server: Server;
  services: Services;
  /** Present in local mode only. */
  devSignIn?: DevSignIn;
  routes: RouteDefinition[];
}

export interface AppOptions {
  database: Database;
  settings: Settings;
  logger: Logger;
  /** The backend's base URL: BACKEND_URL, or the simulator's. */
  backendUrl: string;
  /** The built tab (index.html and assets), served at /; none in API-only tests. */
  tabDirectory?: string;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { database, settings, logger, backendUrl } = options;
  const audit = new AuditLog(database.audit);
  const partners = new PartnerRegistry(database.partners, settings.PARTNER_CACHE_SECONDS);
  const customers = new CustomerService(database.customers, database.numbers, audit);
  const numbers = new NumberService(database.numbers, customers, audit, {
    defaultRegion: settings.DEFAULT_PHONE_REGION,
    maxNumbersPerRequest: settings.MAX_NUMBERS_PER_REQUEST,
  });
  const backend = new BackendClient({
    baseUrl: backendUrl,
    apiKey: settings.BACKEND_API_KEY,
    concurrency: settings.BACKEND_CONCURRENCY,
    timeoutMs: settings.BACKEND_TIMEOUT_MS,
    maxRetries: settings.BACKEND_MAX_RETRIES,
    pageSize: settings.BACKEND_PAGE_SIZE,
    backoffMs: settings.BACKEND_BACKOFF_MS,
    logger,
  });
  const runner = new SyncRunner(
    { customers: database.customers, numbers: database.numbers, history: database.numberHistory, runs: database.syncRuns },
    backend,
    logger,
  );
  const sync = new SyncService(database.syncRuns, database.customers, customers, runner, {
    leaseSeconds: settings.SYNC_LEASE_SECONDS,
  }, logger);
  const triggers = new SyncTriggers(customers, numbers, sync, settings.REMOVAL_CLEANUP);
  const services: Services = {
    partners,
    customers,
    numbers,
    audit,
    sync,
    backend,
    triggers,
    once: new OnceRegister(database.once),
  };

  const devSignIn = settings.localMode ? await createDevSignIn(settings.audiences[0]) : undefined;
  const validateToken = createTokenValidator({
    audiences: settings.audiences,
    keys: devSignIn ? devSignIn.keys : createRemoteJWKSet(new URL(settings.ENTRA_JWKS_URL)),
    clockSkewSeconds: settings.TOKEN_CLOCK_SKEW_SECONDS,
  });

  const routes: RouteDefinition[] = [
    ...healthRoutes(() => database.ping()),
    ...(devSignIn ? devSignInRoutes(devSignIn, partners) : []),
    clientConfigRoute(settings),
    ...customerRoutes(customers, triggers),
    ...numberRoutes(numbers, new NumberHistory(database.numberHistory, customers, settings.DEFAULT_PHONE_REGION), triggers),
    ...channelRoutes(),
    ...auditRoutes(audit, customers),
    ...syncRoutes(sync),
  ];
  routes.push(openApiRoute(routes));

  const server = createApiServer({
    tabDirectory: options.tabDirectory,
    routes,
    authenticate: createPartnerAuthenticator(validateToken, partners),
    logger,
    maxBodyBytes: settings.MAX_BODY_BYTES,
  });
  return { server, services, routes, ...(devSignIn ? { devSignIn } : {}) };
}
