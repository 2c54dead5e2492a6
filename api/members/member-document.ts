import type { ObjectId } from 'mongodb';
import { defineCollection } from '../storage/collection-definition';
import type { MemberRole } from './member-role';

/** How someone came to hold their role. */
export type MemberGrant =
  /** An Admin of the partner chose it (members view, API). */
  | { how: 'admin'; oid: string; name?: string }
  /** Named when the partner was registered (`npm run partner -- add --admin`, `partner admin`). */
  | { how: 'registration' }
  /** Their first sign-in, by the partner's new-members rule. */
  | { how: 'first_sign_in' }
  /** Their token carried the Global Administrator directory role. */
  | { how: 'global_administrator' };

/** A person of the partner's tenant and their role, by Entra object id. */
export interface MemberDocument {
  _id: ObjectId;
  partnerId: ObjectId;
  oid: string;
  name?: string;
  role: MemberRole;
  grantedBy: MemberGrant;
  grantedAt: Date;
  /** Their last token carried the Global Administrator role: Admin whatever `role` says. */
  globalAdministrator?: boolean;
}

export const memberCollection = defineCollection<MemberDocument>('members', [
  { key: { partnerId: 1, oid: 1 }, unique: true, name: 'partner_oid_unique' },
  { key: { partnerId: 1, role: 1 }, name: 'partner_role' },
]);
