import { z } from 'zod';
import { pageView, pagingQuery } from '../shared/paging';

export const teamsOperationView = z.object({
  id: z.string(),
  kind: z.enum(['assign', 'unassign']),
  telephoneNumber: z.string(),
  userId: z.string(),
  userName: z.string(),
  state: z.enum(['pending', 'done', 'failed']),
  /** Microsoft's reason, when it failed. */
  reason: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type TeamsOperationView = z.infer<typeof teamsOperationView>;

export const teamsUserView = z.object({
  id: z.string(),
  displayName: z.string(),
  userPrincipalName: z.string(),
  accountEnabled: z.boolean(),
  /** Enterprise Voice (Teams Phone) is on. */
  voiceEnabled: z.boolean(),
  /** The primary number assigned in Teams. */
  number: z.string().nullable(),
  voiceRoutingPolicy: z.string().nullable(),
  /** The latest assignment for this user: pending, or finished in the last minutes. */
  operation: teamsOperationView.nullable(),
});
export type TeamsUserView = z.infer<typeof teamsUserView>;

export const teamsUserQuery = z.object({
  search: z.string().trim().max(200, 'search is at most 200 characters').optional(),
  ...pagingQuery,
});
export type TeamsUserQuery = z.infer<typeof teamsUserQuery>;

export const teamsUserPageView = pageView(teamsUserView);

export const teamsNumberView = z.object({
  telephoneNumber: z.string(),
  /** What Microsoft says; null when the tenant has no such Direct Routing number. */
  teams: z
    .object({
      assignmentStatus: z.string(),
      activationState: z.string().nullable(),
      assignedTo: z.object({ id: z.string(), displayName: z.string() }).nullable(),
    })
    .nullable(),
  /** What the portal says; null when the number is not one of the customer's. */
  portal: z.object({ status: z.string(), statusText: z.string() }).nullable(),
  /** Why the two disagree, in a sentence; null when they agree. */
  attention: z.string().nullable(),
});
export type TeamsNumberView = z.infer<typeof teamsNumberView>;

export const teamsNumberQuery = z.object({
  search: z.string().trim().max(200, 'search is at most 200 characters').optional(),
  view: z.enum(['all', 'attention']).default('all'),
  ...pagingQuery,
});
export type TeamsNumberQuery = z.infer<typeof teamsNumberQuery>;

export const teamsNumberPageView = pageView(teamsNumberView).extend({
  /** Numbers needing attention, whatever the page and view. */
  attentionCount: z.number().int(),
});

export const assignNumberSchema = z.strictObject({
  telephoneNumber: z.string().trim().min(1, 'telephoneNumber is required').max(40),
});

export const voiceRoutingPolicySchema = z.strictObject({
  name: z.string().trim().min(1, 'name is required').max(256, 'name is at most 256 characters'),
});

export const teamsUserParams = z.object({ id: z.string(), userId: z.string().min(1).max(100) });
export const teamsOperationParams = z.object({ id: z.string(), operationId: z.string() });
