import type { ObjectId } from 'mongodb';
import type { Actor } from '../auth/caller';
import type { NumberStatus, RemovalMode } from '../numbers/number-document';
import { defineCollection } from '../storage/collection-definition';

export type SyncTrigger = 'tab' | 'bot' | 'after-save' | 'after-remove' | 'scheduled';
export type SyncState = 'queued' | 'running' | 'succeeded' | 'failed';
/** routing: every backend write (account settings, removals, Teams routing) runs in this one phase, in parallel. */
export type SyncPhase = 'queued' | 'reading' | 'routing' | 'saving' | 'done';

/** What a sync would change, or changed: the dry run's answer and every run's record. */
export interface SyncChanges {
  account: { from: { maxChannels: number | null; tenantName: string | null }; to: { maxChannels: number; tenantName: string } } | null;
  toRoute: string[];
  toImport: string[];
  toRemove: { e164: string; mode: RemovalMode }[];
  toRelease: string[];
  statusChanges: { e164: string; from: NumberStatus; to: NumberStatus }[];
}

export interface SyncProblem {
  message: string;
  e164?: string;
}

export interface AttentionItem {
  e164: string;
  status: NumberStatus;
  statusText: string;
  detail?: string;
}

export interface SyncRunDocument {
  _id: ObjectId;
  partnerId: ObjectId;
  customerId: ObjectId;
  trigger: SyncTrigger;
  actor: Actor;
  dryRun: boolean;
  state: SyncState;
  phase: SyncPhase;
  progress: { done: number; total: number };
  /** Numbers of the customer by status after the run. */
  counts: Record<NumberStatus, number>;
  /** Lists capped in size; the counts below are exact. */
  changes: SyncChanges;
  changeCounts: { routed: number; imported: number; removed: number; released: number; statusChanges: number };
  attention: AttentionItem[];
  errors: SyncProblem[];
  createdAt: Date;
  /** A run queued while another ran: the run it waits for (it starts when that one ends). */
  after?: ObjectId;
  /** Requests it answers besides the one that queued it (a sync pressed again, another removal, a schedule). */
  asks?: number;
  startedAt?: Date;
  /** A dry run's sign of life (it takes no lease): renewed while its process runs it, so another process does not settle it as abandoned. */
  aliveAt?: Date;
  finishedAt?: Date;
}

export const syncRunCollection = defineCollection<SyncRunDocument>('syncRuns', [
  { key: { customerId: 1, createdAt: -1 }, name: 'customer_createdAt' },
]);
