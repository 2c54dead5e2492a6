import type { ObjectId } from 'mongodb';
import { defineCollection } from '../storage/collection-definition';

export interface PartnerDocument {
  _id: ObjectId;
  /** The partner's Microsoft Entra tenant id, an opaque string. */
  tenantId: string;
  name: string;
  createdAt: Date;
  /** What a user of the tenant who is not a member yet gets at first sign-in; viewer when unset. */
  newMembers?: NewMembersRule;
}

export const NEW_MEMBERS_RULES = ['viewer', 'none'] as const;
export type NewMembersRule = (typeof NEW_MEMBERS_RULES)[number];

export const partnerCollection = defineCollection<PartnerDocument>('partners', [{ key: { tenantId: 1 }, unique: true, name: 'tenantId_unique' }]);
