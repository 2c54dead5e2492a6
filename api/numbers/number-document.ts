import type { ObjectId } from 'mongodb';
import type { Actor } from '../auth/caller';
import { defineCollection } from '../storage/collection-definition';

export type NumberStatus = 'pending' | 'synced' | 'backend_fatal' | 'not_in_backend';
export type RemovalMode = 'delete' | 'retain';

export interface NumberDocument {
  _id: ObjectId;
  partnerId: ObjectId;
  customerId: ObjectId;
  /** Unique across the system: one number belongs to one customer. */
  e164: string;
  status: NumberStatus;
  statusText: string;
  addedBy: Actor;
  addedAt: Date;
  syncedAt?: Date;
  /** Added by a job (a large paste, an import): which, and its row, so a batch worked again knows its own. */
  addedByJob?: { jobId: ObjectId; row: number };
  /**
   * Set when the partner removed the number: it has left the customer's list,
   * and the backend step (delete or retain) is still to run at the next sync.
   */
  removal?: {
    mode: RemovalMode;
    requestedAt: Date;
    requestedBy: Actor;
    /** The sync run carrying the removal out, once one has taken it. */
    runId?: ObjectId;
    /** The removal job and batch (its first row) that removed it (a batch worked again says "removed" again). */
    byJob?: { jobId: ObjectId; firstRow: number };
  };
}

export const numberCollection = defineCollection<NumberDocument>('numbers', [
  { key: { e164: 1 }, unique: true, name: 'e164_unique' },
  { key: { customerId: 1, e164: 1 }, name: 'customer_e164' },
  { key: { customerId: 1, status: 1 }, name: 'customer_status' },
]);
