import { ForbiddenError, UnauthorizedError } from '../errors';
import type { MemberDirectory } from '../members/member-directory';
import type { PartnerRegistry } from '../partners/partner-registry';
import type { Caller } from './caller';
import type { TokenValidator } from './token-validator';

export type PartnerAuthenticator = (authorization: string | undefined) => Promise<Caller>;

/**
 * From an Authorization header to the calling partner's member: a valid token
 * from a registered partner's tenant, its user's role read fresh, or 401 / 403.
 */
export function createPartnerAuthenticator(
  validateToken: TokenValidator,
  registry: PartnerRegistry,
  members: MemberDirectory,
): PartnerAuthenticator {
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) {
      throw new UnauthorizedError('unauthenticated', 'Sign in first: send Authorization: Bearer <token>');
    }
    const identity = await validateToken(match[1]);
    const partner = await registry.findByTenantId(identity.tenantId);
    if (!partner) {
      throw new ForbiddenError(
        'partner_not_registered',
        `Your organisation (tenant ${identity.tenantId}) is not registered as a partner; ask the carrier to register it`,
      );
    }
    return members.callerOf(partner, {
      tenantId: identity.tenantId,
      oid: identity.userId,
      ...(identity.name === undefined ? {} : { name: identity.name }),
      globalAdministrator: identity.globalAdministrator,
    });
  };
}
