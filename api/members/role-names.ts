/**
 * The roles and their names, with no dependency, so the tab shows the same
 * words as the API and the bot without carrying the API's validation.
 */

/** A partner's staff, least to most: each role may do all the one before it may. */
export const MEMBER_ROLES = ['viewer', 'operator', 'admin'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const ROLE_NAMES: Record<MemberRole, string> = { viewer: 'Viewer', operator: 'Operator', admin: 'Admin' };

export function hasRole(role: MemberRole, least: MemberRole): boolean {
  return MEMBER_ROLES.indexOf(role) >= MEMBER_ROLES.indexOf(least);
}
