import { z } from 'zod';
import { defineRoute } from '../http/route-definition';
import type { MemberDirectory } from '../members/member-directory';
import { MEMBER_ROLES } from '../members/member-role';
import type { PartnerRegistry } from '../partners/partner-registry';
import { devTokenRequest, devTokenView, type DevSignIn } from './dev-sign-in';

const localMember = z.object({ oid: z.string(), name: z.string().nullable(), role: z.enum(MEMBER_ROLES) });

/** Local mode only: the routes are not registered when Entra is configured, so they answer 404. */
export function devSignInRoutes(devSignIn: DevSignIn, partners: PartnerRegistry, members: MemberDirectory) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/dev/partners',
      operationId: 'devPartners',
      summary: 'Local mode only: the registered partners and their members, for the dev sign-in picker',
      tag: 'dev',
      role: 'public',
      response: {
        status: 200,
        description: 'The partners',
        schema: z.object({
          items: z.array(z.object({ tenantId: z.string(), name: z.string(), members: z.array(localMember) })),
        }),
      },
      handle: async () => ({
        body: {
          items: await Promise.all(
            (await partners.list()).map(async ({ _id, tenantId, name }) => ({
              tenantId,
              name,
              members: await members.forLocalSignIn(_id),
            })),
          ),
        },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/dev/token',
      operationId: 'devToken',
      summary: 'Local mode only: a signed token for the given tenant and user',
      tag: 'dev',
      role: 'public',
      body: devTokenRequest,
      response: { status: 200, description: 'The token', schema: devTokenView },
      handle: async ({ body }) => ({ body: await devSignIn.issue(body) }),
    }),
  ];
}
