import { z } from 'zod';

/** A person of the customer's tenant who signed in on the activation page. */
export interface CustomerAdmin {
  tid: string;
  oid: string;
  name?: string;
  upn?: string;
}

/** How an administrator is named on pages and in details: "Name (sign-in name)". */
export function customerAdminLabel(admin: CustomerAdmin): string {
  return admin.name && admin.upn ? `${admin.name} (${admin.upn})` : (admin.name ?? admin.upn ?? admin.oid);
}

export const customerAdminView = z.object({
  tid: z.string(),
  oid: z.string(),
  name: z.string().optional(),
  upn: z.string().optional(),
});

/**
 * Directory roles (the `wids` claim) that may switch co-management on or off:
 * Global Administrator, Privileged Role Administrator, Teams Administrator,
 * Teams Communications Administrator. The Entra app must emit `wids` in ID
 * tokens (groupMembershipClaims includes directory roles).
 */
export const ADMIN_ROLES: Record<string, string> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '69091246-20e8-4a56-aa4d-066075b2a7a8': 'Teams Administrator',
  'baf37b3a-610e-45da-9e62-d9d1e5e8914b': 'Teams Communications Administrator',
};
