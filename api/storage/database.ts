import { MongoClient, type Collection, type Db, type MongoClientOptions } from 'mongodb';
import type { AuditDocument } from '../audit/audit-document';
import type { CustomerDocument } from '../customers/customer-document';
import type { NumberDocument } from '../numbers/number-document';
import type { NumberHistoryDocument } from '../numbers/number-history-document';
import type { PartnerDocument } from '../partners/partner-document';
import type { SyncRunDocument } from '../sync/sync-run-document';
import type { OnceDocument } from '../shared/once-register';
import type { ActivationLinkDocument, ActivationSessionDocument } from '../co-management/activation-documents';
import type { TeamsOperationDocument } from '../co-management/teams-operation-document';
import type { TeamsClaimDocument } from '../co-management/teams-claims';

/** The collections of the portal, one document per entity (DESIGN.md, "Data"). */
export interface Database {
  readonly client: MongoClient;
  readonly db: Db;
  readonly partners: Collection<PartnerDocument>;
  readonly customers: Collection<CustomerDocument>;
  readonly numbers: Collection<NumberDocument>;
  readonly audit: Collection<AuditDocument>;
  readonly numberHistory: Collection<NumberHistoryDocument>;
  readonly syncRuns: Collection<SyncRunDocument>;
  readonly once: Collection<OnceDocument>;
  readonly activationLinks: Collection<ActivationLinkDocument>;
  readonly activationSessions: Collection<ActivationSessionDocument>;
  readonly teamsOperations: Collection<TeamsOperationDocument>;
  readonly teamsClaims: Collection<TeamsClaimDocument>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function connectDatabase(
  uri: string,
  dbName: string,
  options: MongoClientOptions = {},
): Promise<Database> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, ...options });
  await client.connect();
  const db = client.db(dbName);
  const database: Database = {
    client,
    db,
    partners: db.collection<PartnerDocument>('partners'),
    customers: db.collection<CustomerDocument>('customers'),
    numbers: db.collection<NumberDocument>('numbers'),
    audit: db.collection<AuditDocument>('audit'),
    numberHistory: db.collection<NumberHistoryDocument>('numberHistory'),
    syncRuns: db.collection<SyncRunDocument>('syncRuns'),
    once: db.collection<OnceDocument>('once'),
    activationLinks: db.collection<ActivationLinkDocument>('activationLinks'),
    activationSessions: db.collection<ActivationSessionDocument>('activationSessions'),
    teamsOperations: db.collection<TeamsOperationDocument>('teamsOperations'),
    teamsClaims: db.collection<TeamsClaimDocument>('teamsClaims'),
    async ping() {
      await db.command({ ping: 1 });
    },
    close: () => client.close(),
  };
  await ensureIndexes(database);
  return database;
}

/** Indexes are created at start-up; createIndex is a no-op when one exists. */
async function ensureIndexes(database: Database): Promise<void> {
  await Promise.all([
    database.partners.createIndex({ tenantId: 1 }, { unique: true, name: 'tenantId_unique' }),
    database.customers.createIndex(
      { partnerId: 1, accountId: 1 },
      { unique: true, name: 'partner_accountId_unique' },
    ),
    database.customers.createIndex({ partnerId: 1, nameKey: 1, accountId: 1 }, { name: 'partner_name' }),
    database.numbers.createIndex({ e164: 1 }, { unique: true, name: 'e164_unique' }),
    database.numbers.createIndex({ customerId: 1, e164: 1 }, { name: 'customer_e164' }),
    database.numbers.createIndex({ customerId: 1, status: 1 }, { name: 'customer_status' }),
    database.audit.createIndex({ partnerId: 1, at: -1 }, { name: 'partner_at' }),
    database.audit.createIndex({ partnerId: 1, customerId: 1, at: -1 }, { name: 'partner_customer_at' }),
    database.numberHistory.createIndex({ customerId: 1, e164: 1, at: -1 }, { name: 'customer_e164_at' }),
    database.syncRuns.createIndex({ customerId: 1, createdAt: -1 }, { name: 'customer_createdAt' }),
    // Once-keys (retried activities, confirmation cards) matter for days, not forever.
    database.once.createIndex({ createdAt: 1 }, { expireAfterSeconds: 14 * 24 * 3600, name: 'once_ttl' }),
    database.activationLinks.createIndex({ customerId: 1 }, { name: 'customer' }),
    database.activationLinks.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expiry_ttl' }),
    database.activationSessions.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expiry_ttl' }),
    database.teamsOperations.createIndex({ customerId: 1, startedAt: -1 }, { name: 'customer_startedAt' }),
    database.teamsClaims.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expiry_ttl' }),
  ]);
}
