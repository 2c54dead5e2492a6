import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { z } from 'zod';
import { LOCAL_AUDIENCE } from '../settings/settings';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../members/member-role';
import { issuersFor } from './token-validator';
import { ACCESS_AS_USER_SCOPE } from './user-token-rules';

export const devTokenRequest = z.strictObject({
  tenantId: z.string({ error: 'tenantId is required' }).trim().min(1, 'tenantId is required').max(100),
  userId: z.string().trim().min(1).max(100).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  /** The token carries the Global Administrator directory role in `wids`, as Entra's would. */
  globalAdministrator: z.boolean().optional(),
});
export type DevTokenRequest = z.infer<typeof devTokenRequest>;

export const devTokenView = z.object({ token: z.string(), expiresAt: z.string() });

const TOKEN_LIFETIME_SECONDS = 60 * 60;

/**
 * The client app the dev sign-in's tokens name (`azp`), as Teams' tokens name
 * the Teams client: the validator accepts it only where app.ts adds it, which
 * it does only when the dev sign-in exists.
 */
export const DEV_SIGN_IN_CLIENT_APP = 'local-dev-sign-in';

/** Who the dev sign-in signs in when no user is named; the demo data makes them Admin of the demo partners. */
export const DEV_USER_ID = 'dev-user';

/**
 * Local sign-in for trying the app outside Teams: issues tokens shaped like
 * Entra's, signed by a key made at start-up. The API trusts that key through
 * the same token validator it uses for Entra. Exists only in local mode.
 */
export interface DevSignIn {
  readonly keys: JWTVerifyGetKey;
  issue(request: DevTokenRequest): Promise<{ token: string; expiresAt: string }>;
}

export async function createDevSignIn(audience: string = LOCAL_AUDIENCE): Promise<DevSignIn> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = `dev-${randomUUID()}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    keys: createLocalJWKSet({ keys: [jwk] }),
    issue: (request) => signDevToken(privateKey, kid, audience, request),
  };
}

async function signDevToken(privateKey: KeyLike, kid: string, audience: string, request: DevTokenRequest) {
  const userId = request.userId ?? DEV_USER_ID;
  const expiresAt = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_SECONDS;
  const token = await new SignJWT({
    tid: request.tenantId,
    oid: userId,
    name: request.name ?? 'Local developer',
    ver: '2.0',
    scp: ACCESS_AS_USER_SCOPE,
    azp: DEV_SIGN_IN_CLIENT_APP,
    ...(request.globalAdministrator ? { wids: [GLOBAL_ADMINISTRATOR_ROLE_ID] } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(issuersFor(request.tenantId)[0]!)
    .setAudience(audience)
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(privateKey);
  return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
}
