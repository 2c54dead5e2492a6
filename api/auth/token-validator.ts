import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppError, UnauthorizedError } from '../errors';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../members/member-role';
import { assertUserToken } from './user-token-rules';

export interface TokenValidatorOptions {
  /** Accepted `aud` values: the app's client id and its Application ID URI. */
  audiences: string[];
  /** Signing keys: Entra's JWKS, or the dev sign-in's local JWKS. */
  keys: JWTVerifyGetKey;
  /** Allowed on expiry, not-before and issue time. */
  clockSkewSeconds: number;
  /**
   * Client apps whose user tokens are accepted (`azp` in v2 tokens, `appid` in
   * v1): ENTRA_CLIENT_APPS and the app's own client id; the dev sign-in's in local mode.
   */
  clientApps: readonly string[];
}

export interface VerifiedIdentity {
  tenantId: string;
  userId: string;
  name?: string;
  /** `wids` named the Global Administrator directory role. */
  globalAdministrator: boolean;
}

export type TokenValidator = (token: string) => Promise<VerifiedIdentity>;

/**
 * Entra issues tokens for a multi-tenant app with the signing tenant in the
 * issuer: the v2 form and the v1 form. The issuer must name the token's own tid.
 */
export function issuersFor(tenantId: string): string[] {
  return [`https://login.microsoftonline.com/${tenantId}/v2.0`, v1IssuerFor(tenantId)];
}

function v1IssuerFor(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/**
 * Validates a bearer token: RS256 signature from the key set, audience, expiry
 * and not-before (with clock skew), an issuer naming the token's tenant, `tid`
 * and `oid`, then that it is a user's token (user-token-rules.ts): the
 * access_as_user scope, not app-only, not issued in the future, from an
 * accepted client app. Dev tokens go through this same function with the
 * local key set.
 */
export function createTokenValidator(options: TokenValidatorOptions): TokenValidator {
  const keys = keySetOrUnavailable(options.keys);
  const rules = { clientApps: new Set(options.clientApps), clockSkewSeconds: options.clockSkewSeconds };
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        audience: options.audiences,
        clockTolerance: options.clockSkewSeconds,
        requiredClaims: ['exp', 'iat', 'iss', 'tid', 'oid'],
      }));
    } catch (error) {
      throw refusal(error);
    }
    const { tid, oid, name, wids } = payload as JWTPayload & Record<string, unknown>;
    if (typeof tid !== 'string' || tid === '' || typeof oid !== 'string' || oid === '') {
      throw new UnauthorizedError('invalid_token', 'The token has no tenant (tid) or user (oid)');
    }
    if (!issuersFor(tid).includes(payload.iss ?? '')) {
      throw new UnauthorizedError('invalid_token', 'The token was not issued by the Microsoft Entra tenant it names');
    }
    assertUserToken(payload, payload.iss === v1IssuerFor(tid), rules);
    // Entra sends `wids` when the app's manifest asks for directory roles (groupMembershipClaims).
    const globalAdministrator = Array.isArray(wids) && wids.includes(GLOBAL_ADMINISTRATOR_ROLE_ID);
    return typeof name === 'string'
      ? { tenantId: tid, userId: oid, name, globalAdministrator }
      : { tenantId: tid, userId: oid, globalAdministrator };
  };
}

class KeySetUnavailable extends Error {}

/**
 * The key set failing to load (Entra unreachable, slow, or answering an error)
 * says nothing about the token: the caller gets 503, not "sign in again".
 */
function keySetOrUnavailable(keys: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (
        error instanceof joseErrors.JWKSNoMatchingKey ||
        error instanceof joseErrors.JWKSMultipleMatchingKeys ||
        error instanceof joseErrors.JOSENotSupported
      ) {
        throw error;
      }
      throw new KeySetUnavailable(error instanceof Error ? error.message : String(error));
    }
  };
}

function refusal(error: unknown): AppError {
  if (error instanceof KeySetUnavailable) {
    return new AppError(503, 'sign_in_unavailable', "Microsoft's signing keys could not be read; try again in a moment");
  }
  if (error instanceof joseErrors.JWTExpired) {
    return new UnauthorizedError('token_expired', 'The sign-in token has expired; sign in again');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf' && error.reason === 'check_failed') {
    return new UnauthorizedError('token_not_yet_valid', 'The token is not valid yet (nbf is in the future); check the clocks, then sign in again');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new UnauthorizedError('invalid_token', `The token was refused: ${error.claim} ${error.reason}`);
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) {
    return new UnauthorizedError('invalid_token', 'The token was signed with an unknown key');
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new UnauthorizedError('invalid_token', 'The token is not signed with RS256, the only algorithm accepted');
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new UnauthorizedError('invalid_token', 'The token signature does not match the signing key');
  }
  if (error instanceof joseErrors.JOSEError) {
    return new UnauthorizedError('invalid_token', 'The token is not valid');
  }
  throw error;
}
