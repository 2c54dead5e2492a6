import type { ObjectId } from 'mongodb';
import type { StoredCaller } from '../auth/caller';
import type { Leasable } from '../leases/leases';
import { defineCollection } from '../storage/collection-definition';

export type FollowUpState = 'open' | 'done' | 'failed' | 'expired';

/**
 * Something to carry out later, outside the request or turn that asked for
 * it, by whichever instance is up: keep a bot's card up to date until what it
 * shows is final, send an alert's card to a subscribed chat. Stored, due at a
 * time, claimed with a lease (api/leases), so a process that stops mid-way
 * leaves it to another.
 */
export interface FollowUpDocument extends Leasable {
  _id: ObjectId;
  partnerId: ObjectId;
  /** Which handler carries it out (registered on the FollowUpRunner by the feature that stores it). */
  kind: string;
  state: FollowUpState;
  /** When it is next to be looked at. */
  dueAt: Date;
  createdAt: Date;
  /** After this it is given up (a card is not followed forever). */
  expiresAt: Date;
  /** The person it acts as (their role when they asked). */
  caller: StoredCaller;
  /** What it follows or carries, as its kind reads it (plain JSON: another instance reads it back). */
  subject: Record<string, unknown>;
  /** What its handler remembers between two looks (the card shown last). */
  memo?: Record<string, unknown>;
  /** Failed looks in a row; reset by one that works. */
  failures: number;
  lastError?: string;
  endedAt?: Date;
}

export const followUpCollection = defineCollection<FollowUpDocument>('followUps', [
  { key: { state: 1, dueAt: 1 }, name: 'state_due' },
  { key: { partnerId: 1, kind: 1, createdAt: -1 }, name: 'partner_kind_created' },
]);
