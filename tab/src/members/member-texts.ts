import type { MemberView } from '../api/portal-api';
import { roleText } from '../shared/labels';

/** How a member got their role, in the Members table's words. */
export function grantedByText({ grantedBy }: MemberView): string {
  switch (grantedBy.how) {
    case 'admin':
      return grantedBy.name ?? grantedBy.oid ?? 'An admin';
    case 'registration':
      return 'The carrier, at registration';
    case 'first_sign_in':
      return 'First sign-in';
    case 'global_administrator':
      return 'Global Administrator of the tenant';
  }
}

/** The member's role, with the mark of a Global Administrator (Admin whatever the role stored). */
export function memberRoleText(member: MemberView): string {
  return member.globalAdministrator ? `${roleText(member.role)} (Global Administrator: acts as Admin)` : roleText(member.role);
}

export function memberLabel(member: Pick<MemberView, 'name' | 'oid'>): string {
  return member.name ?? member.oid;
}

/** The new-members rule's choices, as the Members view offers them. */
export const NEW_MEMBERS_TEXT = {
  viewer: 'They join as Viewer',
  none: 'They wait until an admin adds them here',
} as const;
