import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import { APP_COLLECTIONS } from '../../api/app';
import type { AuditDocument } from '../../api/audit/audit-document';
import { activationLinkCollection, activationSessionCollection } from '../../api/co-management/activation-documents';
import type { ActivationLinkDocument, ActivationSessionDocument } from '../../api/co-management/activation-documents';
import { teamsClaimCollection, type TeamsClaimDocument } from '../../api/co-management/teams-claims';
import { teamsOperationCollection, type TeamsOperationDocument } from '../../api/co-management/teams-operation-document';
import { auditCollection } from '../../api/audit/audit-document';
import { customerCollection, type CustomerDocument } from '../../api/customers/customer-document';
import { numberCollection, type NumberDocument } from '../../api/numbers/number-document';
import { numberHistoryCollection, type NumberHistoryDocument } from '../../api/numbers/number-history-document';
import { partnerCollection, type PartnerDocument } from '../../api/partners/partner-document';
import { onceCollection, type OnceDocument } from '../../api/shared/once-register';
import { ensureIndexes } from '../../api/storage/collection-definition';
import { connectDatabase, type Database } from '../../api/storage/database';
import {
  jobCollection,
  jobInputCollection,
  jobOutcomeCollection,
  type JobDocument,
  type JobInputDocument,
  type JobOutcomeDocument,
} from '../../api/jobs/job-document';
import { syncRunCollection, type SyncRunDocument } from '../../api/sync/sync-run-document';
import { memberCollection, type MemberDocument } from '../../api/members/member-document';

/** The connection with every feature's collection at hand, for tests to seed and inspect. */
export interface TestDatabase extends Database {
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
  readonly members: Collection<MemberDocument>;
  readonly jobs: Collection<JobDocument>;
  readonly jobInputs: Collection<JobInputDocument>;
  readonly jobOutcomes: Collection<JobOutcomeDocument>;
}

/**
 * A database of the test file's own (the emulator has no dropDatabase, so names
 * never repeat), with the app's indexes, as start-up makes them.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run the tests through jest (global setup)');
  // Command monitoring on: tests count the round trips a piece of work makes.
  const database = await connectDatabase(uri, `test-${randomBytes(6).toString('hex')}`, { monitorCommands: true });
  const { db } = database;
  await ensureIndexes(db, APP_COLLECTIONS);
  return {
    ...database,
    partners: partnerCollection.of(db),
    members: memberCollection.of(db),
    customers: customerCollection.of(db),
    numbers: numberCollection.of(db),
    audit: auditCollection.of(db),
    numberHistory: numberHistoryCollection.of(db),
    syncRuns: syncRunCollection.of(db),
    once: onceCollection.of(db),
    activationLinks: activationLinkCollection.of(db),
    activationSessions: activationSessionCollection.of(db),
    teamsOperations: teamsOperationCollection.of(db),
    teamsClaims: teamsClaimCollection.of(db),
    jobs: jobCollection.of(db),
    jobInputs: jobInputCollection.of(db),
    jobOutcomes: jobOutcomeCollection.of(db),
  };
}
