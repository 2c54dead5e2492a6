import type { Actor } from '../auth/caller';
import { UnauthorizedError } from '../errors';
import type { ActivationSessionDocument } from './activation-documents';
import { ADMIN_ROLES, type CustomerAdmin } from './customer-admin';

/** Whether the directory roles include one that may switch co-management. */
export function isAdmin(roles: string[]): boolean {
  return roles.some((role) => Object.hasOwn(ADMIN_ROLES, role));
}

/** The administrator signed in on the page, or 401. */
export function requireAdmin(session: ActivationSessionDocument): CustomerAdmin & { roles: string[] } {
  if (!session.admin || !isAdmin(session.admin.roles)) {
    throw new UnauthorizedError('admin_sign_in_required', 'Sign in with an administrator account of your organisation first.');
  }
  return session.admin;
}

/** The administrator as recorded on the customer: without the roles. */
export function customerAdminOf(admin: CustomerAdmin): CustomerAdmin {
  return { tid: admin.tid, oid: admin.oid, ...(admin.name ? { name: admin.name } : {}), ...(admin.upn ? { upn: admin.upn } : {}) };
}

/** The administrator as the audit names the actor. */
export function actorOfAdmin(admin: CustomerAdmin): Actor {
  const name = admin.name ?? admin.upn;
  return name ? { tid: admin.tid, oid: admin.oid, name: `${name} (customer administrator)` } : { tid: admin.tid, oid: admin.oid };
}
