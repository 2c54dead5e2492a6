import type { JWTPayload } from 'jose';
import { UnauthorizedError } from '../errors';

/** The delegated scope the Entra app exposes (aad.manifest.json oauth2Permissions): Teams SSO asks for it. */
export const ACCESS_AS_USER_SCOPE = 'access_as_user';

export interface UserTokenRules {
  /** Client apps (v2 `azp`, v1 `appid`) whose user tokens are accepted. */
  clientApps: ReadonlySet<string>;
  clockSkewSeconds: number;
  /** Seconds since the epoch; the system clock unless a test says otherwise. */
  now?: () => number;
}

type Claims = JWTPayload & Record<string, unknown>;

/**
 * A signed token for our audience is not yet a user's: Entra also issues
 * app-only tokens (client credentials, `roles` and no `scp`) and ID tokens
 * (audience = our client id, no scope) that pass signature, audience and
 * issuer checks. Only a delegated token with our `access_as_user` scope,
 * asked for by a client app we accept, stands for a signed-in user.
 */
export function assertUserToken(payload: Claims, v1: boolean, rules: UserTokenRules): void {
  // idtyp is an optional claim aad.manifest.json asks for; when present it is Entra's own verdict.
  if (payload.idtyp === 'app') {
    throw new UnauthorizedError('not_a_user_token', 'App-only tokens are not accepted (idtyp is app): sign in as a user');
  }
  const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
  if (scopes.length === 0) {
    throw new UnauthorizedError(
      'not_a_user_token',
      Array.isArray(payload.roles)
        ? 'App-only tokens are not accepted (application roles, no delegated scope): sign in as a user'
        : 'The token grants no delegated scope (an ID token is not an access token): send the token Teams sign-in gives for this app',
    );
  }
  if (!scopes.includes(ACCESS_AS_USER_SCOPE)) {
    throw new UnauthorizedError(
      'scope_missing',
      `The token does not grant the ${ACCESS_AS_USER_SCOPE} scope of this app (it grants ${scopes.slice(0, 5).join(' ')})`,
    );
  }
  assertIssuedInThePast(payload, rules);
  // v1 tokens name the client app in appid, v2 tokens in azp.
  const clientApp = v1 ? payload.appid : payload.azp;
  if (typeof clientApp !== 'string' || !rules.clientApps.has(clientApp)) {
    throw new UnauthorizedError(
      'client_app_not_accepted',
      typeof clientApp === 'string'
        ? `The token was issued to the client app ${clientApp.slice(0, 100)}, which may not call this API (ENTRA_CLIENT_APPS)`
        : `The token names no client app (${v1 ? 'appid' : 'azp'})`,
    );
  }
}

/**
 * jose checks `nbf` but not `iat` (without maxTokenAge): a token "issued" in
 * the future was minted by a wrong clock or forged to outlive its lifetime.
 */
function assertIssuedInThePast(payload: Claims, rules: UserTokenRules): void {
  const now = rules.now?.() ?? Math.floor(Date.now() / 1000);
  if (typeof payload.iat === 'number' && payload.iat > now + rules.clockSkewSeconds) {
    throw new UnauthorizedError(
      'token_not_yet_valid',
      `The token was issued ${Math.round(payload.iat - now)} s in the future (iat); check the clocks, then sign in again`,
    );
  }
}
