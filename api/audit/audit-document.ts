import type { ObjectId } from 'mongodb';
import type { Actor } from '../auth/caller';

export type AuditAction = 'customer.created' | 'customer.updated' | 'numbers.added' | 'numbers.removed';

export interface AuditDocument {
  _id: ObjectId;
  partnerId: ObjectId;
  at: Date;
  actor: Actor;
  action: AuditAction;
  customerId?: ObjectId;
  details: Record<string, unknown>;
}
