import { createRemoteJWKSet } from 'jose';
import type { Server } from 'restify';
import { auditRoutes } from './audit/audit-routes';
import { AuditLog } from './audit/audit-log';
import { createDevSignIn, DEV_SIGN_IN_CLIENT_APP, type DevSignIn } from './auth/dev-sign-in';
import { devSignInRoutes } from './auth/dev-routes';
import { createPartnerAuthenticator } from './auth/partner-authenticator';
import { createTokenValidator } from './auth/token-validator';
import { channelRoutes } from './channels/channel-routes';
import { customerRoutes } from './customers/customer-routes';
import { CustomerService } from './customers/customer-service';
import { AccountOwnership } from './customers/account-ownership';
import { createApiServer } from './http/api-server';
import { publicUrlResolver, type PublicUrl } from './http/public-url';
import { healthRoutes } from './http/health-routes';
import { openApiRoute } from './http/openapi';
import { clientConfigRoute } from './http/client-config';
import type { RouteDefinition } from './http/route-definition';
import type { Logger } from './logging/logger';
import { numberRoutes } from './numbers/number-routes';
import { NumberHistory } from './numbers/number-history';
import { NumberService } from './numbers/number-service';
import { NumberRemoval } from './numbers/number-removal';
import { NumberImport } from './numbers/number-import';
import { createCsvReadSlots, type CsvReadSlots } from './csv/csv-read-slots';
import { PartnerRegistry } from './partners/partner-registry';
import type { Settings } from './settings/settings';
import type { Database } from './storage/database';
import { ensureIndexes } from './storage/collection-definition';
import { auditCollection } from './audit/audit-document';
import { ACCOUNT_ID_UNIQUE, customerCollection } from './customers/customer-document';
import { findSharedAccounts, type SharedAccount } from './customers/shared-accounts';
import { numberCollection } from './numbers/number-document';
import { numberHistoryCollection } from './numbers/number-history-document';
import { partnerCollection } from './partners/partner-document';
import { syncRunCollection } from './sync/sync-run-document';
import { onceCollection } from './shared/once-register';
import { activationLinkCollection, activationSessionCollection } from './co-management/activation-documents';
import { teamsOperationCollection } from './co-management/teams-operation-document';
import { teamsClaimCollection } from './co-management/teams-claims';
import { BackendClient } from './backend/backend-client';
import { SyncRunner } from './sync/sync-runner';
import { syncRoutes } from './sync/sync-routes';
import { customerDriftCollection } from './drift/drift-document';
import { DriftRecorder } from './drift/drift-recorder';
import { driftRoutes } from './drift/drift-routes';
import { DriftService } from './drift/drift-service';
import { TeamsAssignmentReader } from './drift/teams-assignments';
import { SyncService } from './sync/sync-service';
import { SyncTriggers } from './sync/sync-triggers';
import { OnceRegister } from './shared/once-register';
import { ActivationService } from './co-management/activation-service';
import { activationRoutes } from './co-management/activation-routes';
import { coManagementRoutes } from './co-management/co-management-routes';
import { CoManagementService } from './co-management/co-management-service';
import { MicrosoftSignIn } from './co-management/microsoft-sign-in';
import { TeamsDirectory } from './co-management/teams-directory';
import { TeamsClaims } from './co-management/teams-claims';
import { GraphClient } from './graph/graph-client';
import { memberCollection } from './members/member-document';
import { MemberDirectory } from './members/member-directory';
import { meRoute, memberRoutes } from './members/member-routes';
import { PartnerSettings } from './partners/partner-settings';
import { jobCollection, jobInputCollection, jobOutcomeCollection } from './jobs/job-document';
import { JobQueue } from './jobs/job-queue';
import { jobRoutes } from './jobs/job-routes';
import { JobRunner } from './jobs/job-runner';
import { leaseClaimCollection } from './leases/leases';
import { followUpCollection } from './follow-ups/follow-up-document';
import { FollowUpRunner } from './follow-ups/follow-up-runner';
import { syncScheduleCollection } from './schedules/schedule-document';
import { ScheduleSlots, scheduleSlotCollection } from './schedules/schedule-slots';
import { ScheduleService } from './schedules/schedule-service';
import { scheduleRoutes } from './schedules/schedule-routes';
import { Scheduler, scheduledSync } from './schedules/scheduler';
import { NumberAddJob } from './numbers/number-add-job';
import { CustomerImport } from './customers/customer-import';
import { NumberRemoveJob } from './numbers/number-remove-job';
import { partnerSettingsRoutes } from './partners/partner-settings-routes';
import { PortalEvents } from './events/portal-events';
import { jobFinishedEvent } from './jobs/job-finished-event';
import { alertSubscriptionCollection } from './alerts/alert-subscription-document';
import { alertClaimCollection } from './alerts/alert-claim-document';
import { AlertSubscriptions } from './alerts/alert-subscriptions';
import { AlertClaims } from './alerts/alert-claims';
import { AlertService } from './alerts/alert-service';
import { customerPortalLink } from './alerts/portal-link';

/** The application services: what the REST routes, and later the bot, call. */
export interface Services {
  partners: PartnerRegistry;
  members: MemberDirectory;
  partnerSettings: PartnerSettings;
  customers: CustomerService;
  numbers: NumberService;
  /** Numbers taken off a customer's list (the backend step for the sync to carry out). */
  numberRemoval: NumberRemoval;
  /** Long work (large pastes, imports): stored, claimed with a lease, run by any instance. */
  jobs: JobQueue;
  jobRunner: JobRunner;
  /** Work to carry out later by any instance (a bot's card kept up to date, an alert sent): stored, claimed with a lease. */
  followUps: FollowUpRunner;
  /** What happened that a partner's team may want told of (a sync failed, drift found, a job finished). */
  events: PortalEvents;
  /** Alerts into Teams: subscribed conversations, and one card per event to each. */
  alerts: AlertService;
  audit: AuditLog;
  sync: SyncService;
  /** Scheduled syncs: customers' schedules and the partner default. */
  schedules: ScheduleService;
  /** Starts due scheduled syncs; runs in every instance. */
  scheduler: Scheduler;
  backend: BackendClient;
  triggers: SyncTriggers;
  once: OnceRegister;
  activation: ActivationService;
  coManagement: CoManagementService;
  /** Present when co-management is configured (an Entra app with a secret, or the local simulator). */
  graph?: GraphClient;
}

export interface App {
  server: Server;
  /** The URL browsers use (PUBLIC_URL, or locally http://localhost:<port> once listening): links and redirect URIs. */
  publicUrl: PublicUrl;
  services: Services;
  /** Present in local mode only. */
  devSignIn?: DevSignIn;
  routes: RouteDefinition[];
  /** Backend accounts that several customers share (from before one customer per account): the operator must resolve them. */
  sharedAccounts: { total: number; listed: SharedAccount[] };
  /** The CSV files this instance reads at once (CSV_PARSE_CONCURRENCY), shared by the upload routes. */
  csvReadSlots: CsvReadSlots;
}

export interface AppOptions {
  database: Database;
  settings: Settings;
  logger: Logger;
  /** The backend's base URL: BACKEND_URL, or the simulator's. */
  backendUrl: string;
  /** The built tab (index.html and assets), served at /; none in API-only tests. */
  tabDirectory?: string;
  /**
   * Microsoft for co-management: the sign-in authority and Graph (the Graph
   * simulator's URL locally) and the multi-tenant app. None: co-management
   * answers 503 until ENTRA_CLIENT_SECRET is set.
   */
  microsoft?: { authorityUrl: string; graphUrl: string; clientId: string; clientSecret: string };
}

/** The collections of the features the app mounts: start-up ensures their indexes. */
export const APP_COLLECTIONS = [
  partnerCollection,
  memberCollection,
  customerCollection,
  numberCollection,
  numberHistoryCollection,
  auditCollection,
  syncRunCollection,
  onceCollection,
  activationLinkCollection,
  activationSessionCollection,
  teamsOperationCollection,
  customerDriftCollection,
  teamsClaimCollection,
  jobCollection,
  jobInputCollection,
  jobOutcomeCollection,
  leaseClaimCollection,
  followUpCollection,
  syncScheduleCollection,
  alertSubscriptionCollection,
  alertClaimCollection,
  scheduleSlotCollection,
] as const;

export async function createApp(options: AppOptions): Promise<App> {
  const { database, settings, logger, backendUrl } = options;
  const { db } = database;
  const log = logger.child({ component: 'app' });
  // Customers that already share a backend account are reported, never deleted: their unique index waits for the operator.
  const sharedAccounts = await findSharedAccounts(customerCollection.of(db), partnerCollection.of(db));
  for (const shared of sharedAccounts.listed) {
    log.error({ accountId: shared.accountId, customers: shared.customers }, 'customers of the portal share one backend account: keep one, change the Account ID of the others');
  }
  await ensureIndexes(db, APP_COLLECTIONS, sharedAccounts.total > 0 ? [{ collection: customerCollection.name, index: ACCOUNT_ID_UNIQUE }] : []);
  const customerDocuments = customerCollection.of(db);
  const numberDocuments = numberCollection.of(db);
  const syncRuns = syncRunCollection.of(db);
  const audit = new AuditLog(auditCollection.of(db));
  const partners = new PartnerRegistry(partnerCollection.of(db), settings.PARTNER_CACHE_SECONDS);
  const members = new MemberDirectory(memberCollection.of(db), partners, audit);
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
  const ownership = new AccountOwnership(backend, partners);
  const customers = new CustomerService(customerDocuments, numberDocuments, audit, ownership);
  const jobCollections = { jobs: jobCollection.of(db), inputs: jobInputCollection.of(db), outcomes: jobOutcomeCollection.of(db), claims: leaseClaimCollection.of(db) };
  const jobRunner = new JobRunner(
    jobCollections,
    { leaseSeconds: settings.JOB_LEASE_SECONDS, pollMs: settings.JOB_POLL_MS, concurrency: settings.JOB_CONCURRENCY },
    logger,
  );
  const followUps = new FollowUpRunner(
    { followUps: followUpCollection.of(db), claims: leaseClaimCollection.of(db) },
    {
      leaseSeconds: settings.FOLLOW_UP_LEASE_SECONDS,
      pollMs: settings.FOLLOW_UP_POLL_MS,
      concurrency: settings.FOLLOW_UP_CONCURRENCY,
      maxFailures: settings.FOLLOW_UP_MAX_FAILURES,
    },
    logger,
    jobRunner.owner,
  );
  const events = new PortalEvents(logger);
  // A job's end, told by the process that ended it: an alert to the chats that asked for them.
  jobRunner.onEnd((job) => events.raise(jobFinishedEvent(job)));
  const alerts = new AlertService(
    new AlertSubscriptions(alertSubscriptionCollection.of(db), logger, (partnerId, oid) => members.isMember(partnerId, oid)),
    new AlertClaims(alertClaimCollection.of(db)),
    followUps,
    events,
    { repeatAfterMs: settings.ALERT_REPEAT_HOURS * 3600 * 1000, portalLink: customerPortalLink(settings.TEAMS_APP_ID) },
    logger,
  );
  const jobs = new JobQueue(jobCollections, () => jobRunner.kick(), settings.JOB_BATCH_ROWS, (job) => jobRunner.ended(job));
  const numbers = new NumberService(numberDocuments, customers, audit, jobs, {
    defaultRegion: settings.DEFAULT_PHONE_REGION,
    maxNumbersPerRequest: settings.MAX_NUMBERS_PER_REQUEST,
  });
  const numberRemoval = new NumberRemoval(numberDocuments, customers, audit, jobs, {
    defaultRegion: settings.DEFAULT_PHONE_REGION,
    maxNumbersPerRequest: settings.MAX_NUMBERS_PER_REQUEST,
  });
  jobRunner.register(new NumberAddJob(numbers, customers, audit));
  const customerImport = new CustomerImport(customerDocuments, audit, jobs, ownership, settings.DRY_RUN_ACCOUNT_CHECKS);
  const numberImport = new NumberImport(numbers, customers, jobs, settings.DEFAULT_PHONE_REGION);
  jobRunner.register(customerImport);
  const microsoft = options.microsoft;
  const graph = microsoft
    ? new GraphClient({ ...microsoft, maxRetries: settings.GRAPH_MAX_RETRIES, logger })
    : undefined;
  const customerDrift = customerDriftCollection.of(db);
  // Its own directory, with no cache: the drift compares what Teams holds right after the sync.
  const driftRecorder = new DriftRecorder(
    { drift: customerDrift, customers: customerDocuments, runs: syncRuns },
    new TeamsAssignmentReader(graph ? new TeamsDirectory(graph, 0) : undefined),
    events,
  );
  const runner = new SyncRunner(
    { customers: customerDocuments, numbers: numberDocuments, history: numberHistoryCollection.of(db), runs: syncRuns },
    backend,
    ownership,
    logger,
    driftRecorder,
  );
  // A sync asked for while one runs is queued behind it; a stored follow-up starts it if that run's process stops.
  const sync = new SyncService({ runs: syncRuns, customers: customerDocuments, claims: leaseClaimCollection.of(db) }, customers, runner, followUps, {
    leaseSeconds: settings.SYNC_LEASE_SECONDS,
  }, logger);
  const slots = new ScheduleSlots(scheduleSlotCollection.of(db));
  const scheduler = new Scheduler(
    { schedules: syncScheduleCollection.of(db), customers: customerDocuments, partners: partnerCollection.of(db), claims: leaseClaimCollection.of(db) },
    slots,
    scheduledSync(sync),
    { pollMs: settings.SCHEDULER_POLL_MS, leaseSeconds: settings.SCHEDULER_LEASE_SECONDS },
    logger,
    jobRunner.owner,
  );
  const schedules = new ScheduleService(syncScheduleCollection.of(db), slots, customers, audit, () => scheduler.kick());
  const triggers = new SyncTriggers(customers, numberRemoval, sync, settings.REMOVAL_CLEANUP);
  jobRunner.register(
    new NumberRemoveJob(numberRemoval, numbers, customers, audit, async (caller, customerId) => {
      await triggers.afterRemoval(caller, customerId);
    }),
  );
  const signIn = microsoft ? new MicrosoftSignIn(microsoft) : undefined;
  const activation = new ActivationService(
    {
      links: activationLinkCollection.of(db),
      sessions: activationSessionCollection.of(db),
      customers: customerDocuments,
      partners: partnerCollection.of(db),
    },
    customers,
    audit,
    graph && signIn ? { graph, signIn } : undefined,
    { linkDays: settings.ACTIVATION_LINK_DAYS },
    logger,
  );
  const coManagement = new CoManagementService(
    { numbers: numberDocuments, operations: teamsOperationCollection.of(db), customers: customerDocuments },
    new TeamsClaims(teamsClaimCollection.of(db), (settings.GRAPH_OPERATION_TIMEOUT_SECONDS + 60) * 1000),
    customers,
    audit,
    graph ? { graph, directory: new TeamsDirectory(graph, settings.GRAPH_CACHE_SECONDS * 1000) } : undefined,
    {
      defaultRegion: settings.DEFAULT_PHONE_REGION,
      operationPollMs: settings.GRAPH_OPERATION_POLL_MS,
      operationTimeoutMs: settings.GRAPH_OPERATION_TIMEOUT_SECONDS * 1000,
    },
    logger,
  );
  const services: Services = {
    partners,
    members,
    partnerSettings: new PartnerSettings(partners, audit),
    customers,
    numbers,
    numberRemoval,
    jobs,
    jobRunner,
    followUps,
    events,
    alerts,
    audit,
    sync,
    schedules,
    scheduler,
    backend,
    triggers,
    once: new OnceRegister(onceCollection.of(db)),
    activation,
    coManagement,
    ...(graph ? { graph } : {}),
  };

  const devSignIn = settings.localMode ? await createDevSignIn(settings.audiences[0]) : undefined;
  const validateToken = createTokenValidator({
    audiences: settings.audiences,
    keys: devSignIn ? devSignIn.keys : createRemoteJWKSet(new URL(settings.ENTRA_JWKS_URL)),
    clockSkewSeconds: settings.TOKEN_CLOCK_SKEW_SECONDS,
    // Teams and Office (ENTRA_CLIENT_APPS), the app itself, and the dev sign-in only where it exists.
    clientApps: [
      ...settings.ENTRA_CLIENT_APPS,
      ...(settings.ENTRA_CLIENT_ID ? [settings.ENTRA_CLIENT_ID] : []),
      ...(devSignIn ? [DEV_SIGN_IN_CLIENT_APP] : []),
    ],
  });

  const routes: RouteDefinition[] = [
    ...healthRoutes(() => database.ping()),
    ...(devSignIn ? devSignInRoutes(devSignIn, partners, members) : []),
    clientConfigRoute(settings),
    ...customerRoutes(customers, triggers, customerImport),
    ...numberRoutes(numbers, new NumberHistory(numberHistoryCollection.of(db), customers, settings.DEFAULT_PHONE_REGION), triggers, numberImport),
    ...channelRoutes(),
    ...auditRoutes(audit, customers),
    ...syncRoutes(sync),
    ...driftRoutes(new DriftService(customerDrift, customers)),
    ...scheduleRoutes(schedules),
    ...coManagementRoutes(coManagement, activation),
    ...activationRoutes(activation),
    ...memberRoutes(members),
    ...partnerSettingsRoutes(services.partnerSettings),
    ...jobRoutes(jobs),
  ];
  routes.push(meRoute(routes), openApiRoute(routes));
  const csvReadSlots = createCsvReadSlots(settings.CSV_PARSE_CONCURRENCY);

  // Read when asked: without PUBLIC_URL the port is known only once the server listens (PORT may be 0).
  const publicUrl = publicUrlResolver(settings.PUBLIC_URL, () => listeningPort(server));
  const server: Server = createApiServer({
    tabDirectory: options.tabDirectory,
    routes,
    authenticate: createPartnerAuthenticator(validateToken, partners, members),
    logger,
    maxBodyBytes: settings.MAX_BODY_BYTES,
    requestTimeoutMs: settings.REQUEST_TIMEOUT_MS,
    publicUrl,
    csvReadSlots,
  });
  return { server, publicUrl, services, routes, sharedAccounts, csvReadSlots, ...(devSignIn ? { devSignIn } : {}) };
}

function listeningPort(server: Server): number | undefined {
  const address: unknown = server.address();
  return typeof address === 'object' && address !== null && 'port' in address && typeof address.port === 'number' ? address.port : undefined;
}
