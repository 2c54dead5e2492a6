import { z } from 'zod';
import { MEMBER_ROLES, memberRoleSchema } from './member-role';

export const memberParams = z.object({ oid: z.string().trim().min(1, 'a member is named by their Entra object id').max(100) });

export const memberChange = z.strictObject({
  role: memberRoleSchema,
  /** For someone not signed in yet: how the members list names them until they do. */
  name: z.string().trim().min(1).max(200).optional(),
});
export type MemberChange = z.infer<typeof memberChange>;

export const memberView = z.object({
  oid: z.string(),
  name: z.string().nullable(),
  role: z.enum(MEMBER_ROLES),
  grantedBy: z.object({
    how: z.enum(['admin', 'registration', 'first_sign_in', 'global_administrator']),
    oid: z.string().optional(),
    name: z.string().optional(),
  }),
  grantedAt: z.string(),
  globalAdministrator: z.boolean(),
});
export type MemberView = z.infer<typeof memberView>;

export const memberListView = z.object({ items: z.array(memberView) });

export const meView = z.object({
  partner: z.object({ name: z.string(), tenantId: z.string() }),
  oid: z.string(),
  name: z.string().nullable(),
  role: z.enum(MEMBER_ROLES),
  globalAdministrator: z.boolean(),
  /** The operation ids of the API routes this caller may call (the OpenAPI document's). */
  actions: z.array(z.string()),
});
export type MeView = z.infer<typeof meView>;
