import type { ObjectId } from 'mongodb';
import type { Actor } from '../auth/caller';
import type { CustomerAdmin } from '../co-management/customer-admin';
import { defineCollection } from '../storage/collection-definition';

export type SeatType = 'bundled' | 'unbundled';

export interface CustomerDocument {
  _id: ObjectId;
  partnerId: ObjectId;
  /** The backend's account id, as the carrier writes it. */
  accountId: string;
  /** The customer's Microsoft 365 tenant name, lower case. */
  tenantName: string;
  name?: string;
  /** Lower-case name (or account id when unnamed), so sorting ignores case. */
  nameKey: string;
  maxChannels: number;
  seatType?: SeatType;
  /** The customer allows co-management now ("Allow carrier to co-manage your service"). */
  canManage: boolean;
  /** The customer's tenant id, recorded when its administrator granted consent. */
  customerTenantId?: string;
  /** Who granted consent and who last switched co-management on or off, and when. */
  coManagement?: {
    consent?: { tenantId: string; grantedAt: Date; grantedBy: CustomerAdmin };
    changedAt?: Date;
    changedBy?: CustomerAdmin;
  };
  /** Numbers on the customer's list (pending removals excluded), kept with $inc. */
  numberCount: number;
  lastSync?: { runId: ObjectId; state: string; finishedAt?: Date; startedAt: Date };
  /** The drift report's summary (api/drift), kept here so the customers table shows and filters it without a join. */
  drift?: CustomerDriftSummary;
  /** Held by the sync run under way; expires if its process dies. `claim` tells two claimers of the same moment apart (api/sync/sync-lease.ts). */
  syncLease?: { runId: ObjectId; until: Date; claim?: string };
  /** The one run that starts when the run under way ends: a sync asked for meanwhile (api/sync/sync-lease.ts). */
  syncQueued?: { runId: ObjectId; after: ObjectId; at: Date };
  /** Counts the writes to the lease and the queue, so each is confirmed once (api/leases, confirmClaim). */
  syncClaims?: number;
  createdAt: Date;
  createdBy: Actor;
  updatedAt: Date;
  /** The import job and row that created it: that row, worked again after a take-over, is "created", not a duplicate. */
  createdByJob?: { jobId: ObjectId; row: number };
}

export interface CustomerDriftSummary {
  total: number;
  consecutiveFailures: number;
  needsAttention: boolean;
  /** Null while no sync has succeeded (only failures so far). */
  computedAt: Date | null;
}

/** The index that keeps one customer per backend account in the whole portal (start-up reports what stops it). */
export const ACCOUNT_ID_UNIQUE = 'accountId_unique';

export const customerCollection = defineCollection<CustomerDocument>('customers', [
  { key: { accountId: 1 }, unique: true, name: ACCOUNT_ID_UNIQUE },
  { key: { partnerId: 1, accountId: 1 }, unique: true, name: 'partner_accountId_unique' },
  { key: { partnerId: 1, nameKey: 1, accountId: 1 }, name: 'partner_name' },
]);
