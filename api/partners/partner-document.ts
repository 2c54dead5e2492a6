import type { ObjectId } from 'mongodb';
import { defineCollection } from '../storage/collection-definition';

export interface PartnerDocument {
  _id: ObjectId;
  /** The partner's Microsoft Entra tenant id, an opaque string. */
  tenantId: string;
  name: string;
  createdAt: Date;
  /**
   * The partner's reseller account on the carrier's backend: every customer
   * Account ID of the partner must be an account under it. One partner per
   * reseller account; none yet: the partner cannot create or sync customers.
   */
  backendAccountId?: string;
  /** What a user of the tenant who is not a member yet gets at first sign-in; viewer when unset. */
  newMembers?: NewMembersRule;
}

export const NEW_MEMBERS_RULES = ['viewer', 'none'] as const;
export type NewMembersRule = (typeof NEW_MEMBERS_RULES)[number];

export const partnerCollection = defineCollection<PartnerDocument>('partners', [
  { key: { tenantId: 1 }, unique: true, name: 'tenantId_unique' },
  // Sparse: partners not yet given a reseller account do not collide.
  { key: { backendAccountId: 1 }, unique: true, sparse: true, name: 'backendAccountId_unique' },
]);
