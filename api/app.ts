import { createRemoteJWKSet } from 'jose';
import type { Server } from 'restify';
import { z } from 'zod';
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
import { buildOpenApiDocument } from './http/openapi';
import { defineRoute, type RouteDefinition } from './http/route-definition';
import type { Logger } from './logging/logger';
import { numberRoutes } from './numbers/number-routes';
import { NumberService } from './numbers/number-service';
import { PartnerRegistry } from './partners/partner-registry';
import type { Settings } from './settings/settings';
import type { Database } from './storage/database';

/** The application services: what the REST routes, and later the bot, call. */
export interface Services {
  partners: PartnerRegistry;
  customers: CustomerService;
  numbers: NumberService;
  audit: AuditLog;
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
}

export async function createApp({ database, settings, logger }: AppOptions): Promise<App> {
  const audit = new AuditLog(database.audit);
  const partners = new PartnerRegistry(database.partners, settings.PARTNER_CACHE_SECONDS);
  const customers = new CustomerService(database.customers, database.numbers, audit);
  const numbers = new NumberService(database.numbers, database.customers, customers, audit, {
    defaultRegion: settings.DEFAULT_PHONE_REGION,
    maxNumbersPerRequest: settings.MAX_NUMBERS_PER_REQUEST,
  });
  const services: Services = { partners, customers, numbers, audit };

  const devSignIn = settings.localMode ? await createDevSignIn(settings.audiences[0]) : undefined;
  const validateToken = createTokenValidator({
    audiences: settings.audiences,
    keys: devSignIn ? devSignIn.keys : createRemoteJWKSet(new URL(settings.ENTRA_JWKS_URL)),
    clockSkewSeconds: settings.TOKEN_CLOCK_SKEW_SECONDS,
  });

  const routes: RouteDefinition[] = [
    ...healthRoutes(() => database.ping()),
    ...(devSignIn ? devSignInRoutes(devSignIn) : []),
    ...customerRoutes(customers),
    ...numberRoutes(numbers),
    ...channelRoutes(),
    ...auditRoutes(audit, customers),
  ];
  routes.push(
    defineRoute({
      method: 'get',
      path: '/api/v1/openapi.json',
      operationId: 'openApi',
      summary: 'This document',
      tag: 'meta',
      auth: false,
      response: { status: 200, description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) },
      handle: async () => ({ body: openApi }),
    }),
  );
  const openApi = buildOpenApiDocument(routes, { title: 'Teams Partner Portal API', version: '1' });

  const server = createApiServer({
    routes,
    authenticate: createPartnerAuthenticator(validateToken, partners),
    logger,
    maxBodyBytes: settings.MAX_BODY_BYTES,
  });
  return { server, services, routes, ...(devSignIn ? { devSignIn } : {}) };
}
