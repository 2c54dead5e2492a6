import type { ObjectId } from 'mongodb';
import type { Actor } from '../auth/caller';
import { defineCollection } from '../storage/collection-definition';

export type TeamsOperationKind = 'assign' | 'unassign';
export type TeamsOperationState = 'pending' | 'done' | 'failed';

/** A number assignment the partner asked Microsoft for, followed until Microsoft finishes it. */
export interface TeamsOperationDocument {
  _id: ObjectId;
  partnerId: ObjectId;
  customerId: ObjectId;
  tenantId: string;
  kind: TeamsOperationKind;
  telephoneNumber: string;
  userId: string;
  userName: string;
  /** Microsoft's operation (the Location of the 202). */
  operationUrl: string;
  state: TeamsOperationState;
  /** Microsoft's reason when it failed. */
  reason?: string;
  startedAt: Date;
  checkedAt: Date;
  finishedAt?: Date;
  actor: Actor;
}

export const teamsOperationCollection = defineCollection<TeamsOperationDocument>('teamsOperations', [
  { key: { customerId: 1, startedAt: -1 }, name: 'customer_startedAt' },
]);
