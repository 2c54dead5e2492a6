import type { ObjectId } from 'mongodb';
import type { DriftKind } from '../events/portal-events';
import { defineCollection } from '../storage/collection-definition';

export const DRIFT_KINDS = ['missing_at_backend', 'not_in_portal', 'assigned_not_synced', 'synced_not_assigned'] as const satisfies readonly DriftKind[];

/** At most this many items are kept (the counts stay exact). */
export const DRIFT_ITEM_CAP = 200;

export interface DriftItem {
  e164: string;
  kind: DriftKind;
  /** Why, in the partner's words: where the number is, or what Teams says of it. */
  detail: string;
}

/** Whether the Teams side was compared; it is not when co-management is off or Microsoft could not be read. */
export type TeamsCheck = { checked: true } | { checked: false; reason: string };

/** The drift of one customer after its last real sync: one document per customer. */
export interface CustomerDriftDocument {
  _id: ObjectId;
  partnerId: ObjectId;
  customerId: ObjectId;
  /** The run whose outcome was compared; null until a sync succeeds. */
  runId: ObjectId | null;
  computedAt: Date | null;
  counts: Record<DriftKind, number>;
  total: number;
  /** Sorted by kind then number, capped at DRIFT_ITEM_CAP. */
  items: DriftItem[];
  /** Null until a sync succeeds. */
  teams: TeamsCheck | null;
  /** Real runs that failed in a row, most recent first; 0 after a success. */
  consecutiveFailures: number;
  lastFailure: { runId: ObjectId; message: string; at: Date } | null;
  /** Hash of every item (not only the kept ones), so a failed run can refresh the fingerprint without them. */
  itemsHash: string;
  /** The hash of the Teams kinds' items as last read from Teams (kept by a run that could not read it). */
  teamsHash?: string;
  /** The same drift and failure state give the same fingerprint (alerts do not repeat for it). */
  fingerprint: string;
  updatedAt: Date;
}

export const customerDriftCollection = defineCollection<CustomerDriftDocument>('customerDrift', [
  { key: { customerId: 1 }, unique: true, name: 'customerId_unique' },
  { key: { partnerId: 1, customerId: 1 }, name: 'partner_customer' },
]);

export function zeroDriftCounts(): Record<DriftKind, number> {
  return { missing_at_backend: 0, not_in_portal: 0, assigned_not_synced: 0, synced_not_assigned: 0 };
}

/** What needs a person: any drift, or a sync that keeps failing. */
export function needsAttention(drift: { total: number; consecutiveFailures: number }): boolean {
  return drift.total > 0 || drift.consecutiveFailures > 0;
}
