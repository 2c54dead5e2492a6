import type { ObjectId } from 'mongodb';
import type { Actor } from '../auth/caller';
import { defineCollection } from '../storage/collection-definition';

export type AuditAction =
  | 'customer.created'
  | 'customer.updated'
  | 'customer.schedule_changed'
  | 'numbers.added'
  | 'numbers.removed'
  | 'activation.link_created'
  | 'co_management.consent_granted'
  | 'co_management.allowed'
  | 'co_management.switched_off'
  | 'teams.refused'
  | 'teams.users_read'
  | 'teams.numbers_read'
  | 'teams.number_assign_started'
  | 'teams.number_unassign_started'
  | 'teams.operation_finished'
  | 'teams.voice_routing_policy_set'
  | 'member.added'
  | 'member.role_changed'
  | 'member.removed'
  | 'settings.updated';

export interface AuditDocument {
  _id: ObjectId;
  partnerId: ObjectId;
  at: Date;
  actor: Actor;
  action: AuditAction;
  customerId?: ObjectId;
  details: Record<string, unknown>;
}

export const auditCollection = defineCollection<AuditDocument>('audit', [
  { key: { partnerId: 1, at: -1 }, name: 'partner_at' },
  { key: { partnerId: 1, customerId: 1, at: -1 }, name: 'partner_customer_at' },
]);
