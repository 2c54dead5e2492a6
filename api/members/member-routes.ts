import type { z } from 'zod';
import { defineRoute, type RouteDefinition } from '../http/route-definition';
import { hasRole, type MemberRole } from './member-role';
import type { MemberDirectory } from './member-directory';
import { memberChange, memberListView, memberParams, memberView, meView } from './member-schemas';

export function memberRoutes(members: MemberDirectory) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/members',
      operationId: 'listMembers',
      summary: "The partner's members: role, who granted it and when",
      tag: 'members',
      role: 'admin',
      response: { status: 200, description: 'The members', schema: memberListView },
      handle: async ({ caller }) => ({ body: await members.list(caller) }),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/members/{oid}',
      operationId: 'setMemberRole',
      summary: "Gives a member (Entra object id) a role; adds them when they have not signed in yet",
      tag: 'members',
      role: 'admin',
      params: memberParams,
      body: memberChange,
      response: { status: 200, description: 'The member', schema: memberView },
      errors: [409],
      handle: async ({ caller, params, body }) => ({ body: await members.setRole(caller, params.oid, body) }),
    }),
    defineRoute({
      method: 'del',
      path: '/api/v1/members/{oid}',
      operationId: 'removeMember',
      summary: 'Takes a member off; at their next sign-in the new-members rule applies',
      tag: 'members',
      role: 'admin',
      params: memberParams,
      response: { status: 204, description: 'Removed' },
      errors: [404, 409],
      handle: async ({ caller, params }) => {
        await members.remove(caller, params.oid);
        return { status: 204 };
      },
    }),
  ];
}

/**
 * GET /api/v1/me: the caller, their role and the operations of `routes` that
 * role may call, so a client offers only what works.
 */
export function meRoute(routes: RouteDefinition[]): RouteDefinition {
  return defineRoute({
    method: 'get',
    path: '/api/v1/me',
    operationId: 'me',
    summary: 'The caller: partner, name, role, and the operations they may call',
    tag: 'members',
    role: 'viewer',
    response: { status: 200, description: 'The caller', schema: meView },
    handle: async ({ caller }) => ({
      body: {
        partner: { name: caller.partnerName, tenantId: caller.tenantId },
        oid: caller.userId,
        name: caller.userName ?? null,
        role: caller.role,
        globalAdministrator: caller.globalAdministrator ?? false,
        actions: routes
          .filter((route) => route.role !== 'public' && hasRole(caller.role, route.role as MemberRole))
          .map((route) => route.operationId),
      } satisfies z.infer<typeof meView>,
    }),
  });
}
