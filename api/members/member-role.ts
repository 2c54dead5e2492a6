import { z } from 'zod';
import { ForbiddenError } from '../errors';
import { hasRole, MEMBER_ROLES, ROLE_NAMES, type MemberRole } from './role-names';

export { hasRole, MEMBER_ROLES, ROLE_NAMES, type MemberRole };
export const memberRoleSchema = z.enum(MEMBER_ROLES, { error: 'a role is viewer, operator or admin' });

/** The Global Administrator directory role's template id, as Entra puts it in the `wids` claim. */
export const GLOBAL_ADMINISTRATOR_ROLE_ID = '62e90394-69f5-4237-9190-012177145e10';

/** Who is asking, as far as roles go. */
export interface RoleHolder {
  readonly role: MemberRole;
  readonly partnerName: string;
}

/** 403 naming the role needed; the same words in the API, the tab and the bot. */
export class RoleRequiredError extends ForbiddenError {
  constructor(
    readonly requiredRole: MemberRole,
    readonly role: MemberRole,
    partnerName: string,
  ) {
    super(
      'role_required',
      `This needs the ${ROLE_NAMES[requiredRole]} role; you are ${article(role)} ${ROLE_NAMES[role]} of ${partnerName}. Ask an admin of ${partnerName} for access.`,
      { requiredRole, role },
    );
  }
}

/** Refuses, before anything is read or written, a caller below `least`. */
export function requireRole(caller: RoleHolder, least: MemberRole): void {
  if (!hasRole(caller.role, least)) throw new RoleRequiredError(least, caller.role, caller.partnerName);
}

/** "a" or "an" before the role's name, for the sentences the API and the bot say. */
export function article(role: MemberRole): string {
  return role === 'viewer' ? 'a' : 'an';
}
