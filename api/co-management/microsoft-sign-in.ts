import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { GraphError } from '../graph/graph-errors';

export interface MicrosoftApp {
  authorityUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface SignedInPerson {
  tid: string;
  oid: string;
  name?: string;
  upn?: string;
  /** Directory role template ids (`wids`). */
  roles: string[];
}

/**
 * The customer admin's side of Microsoft sign-in for the activation page:
 * OpenID Connect authorization code flow (confidential client) and the
 * admin-consent redirect, against any organisation's tenant.
 */
export class MicrosoftSignIn {
  private readonly authority: string;
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly app: MicrosoftApp) {
    this.authority = app.authorityUrl.replace(/\/+$/, '');
    this.keys = createRemoteJWKSet(new URL(`${this.authority}/common/discovery/v2.0/keys`));
  }

  /** "Pick an account" for any work account: the tenant is checked after sign-in, with a clear message. */
  authorizeUrl(params: { redirectUri: string; state: string; nonce: string; loginHint?: string }): string {
    const url = new URL(`${this.authority}/organizations/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: this.app.clientId,
      response_type: 'code',
      response_mode: 'query',
      redirect_uri: params.redirectUri,
      scope: 'openid profile',
      state: params.state,
      nonce: params.nonce,
      prompt: 'select_account',
      ...(params.loginHint ? { login_hint: params.loginHint } : {}),
    }).toString();
    return url.toString();
  }

  /** Microsoft's admin-consent page for the customer's tenant (graph-api.md, "Activate"). */
  adminConsentUrl(params: { tenantId: string; redirectUri: string; state: string }): string {
    const url = new URL(`${this.authority}/${encodeURIComponent(params.tenantId)}/v2.0/adminconsent`);
    url.search = new URLSearchParams({
      client_id: this.app.clientId,
      scope: 'https://graph.microsoft.com/.default',
      redirect_uri: params.redirectUri,
      state: params.state,
    }).toString();
    return url.toString();
  }

  /** Exchanges the code and validates the ID token: signature, issuer of its own tenant, audience, nonce. */
  async redeemCode(params: { code: string; redirectUri: string; nonce: string }): Promise<SignedInPerson> {
    const response = await fetch(`${this.authority}/organizations/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: this.app.clientId,
        client_secret: this.app.clientSecret,
        code: params.code,
        redirect_uri: params.redirectUri,
        scope: 'openid profile',
      }).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await response.json().catch(() => ({}))) as { id_token?: string; error?: string; error_description?: string };
    if (!response.ok || !body.id_token) {
      throw new GraphError(response.status, body.error ?? 'sign_in_failed', body.error_description?.split(/\r?\n/)[0] ?? 'Microsoft did not complete the sign-in');
    }
    const { payload } = await jwtVerify(body.id_token, this.keys, {
      audience: this.app.clientId,
      algorithms: ['RS256'],
      clockTolerance: 60,
      requiredClaims: ['exp', 'iat', 'nonce', 'tid', 'oid'],
    });
    const tid = stringClaim(payload, 'tid');
    // Multi-tenant: the issuer must name the token's own tenant.
    if (!tid || payload.iss !== `${this.authority}/${tid}/v2.0`) {
      throw new GraphError(401, 'bad_issuer', 'The sign-in answer did not come from the tenant it names');
    }
    if (payload.nonce !== params.nonce) throw new GraphError(401, 'bad_nonce', 'The sign-in answer does not belong to this sign-in');
    const oid = stringClaim(payload, 'oid');
    if (!oid) throw new GraphError(401, 'no_oid', 'The sign-in answer names no user');
    const name = stringClaim(payload, 'name');
    const upn = stringClaim(payload, 'preferred_username');
    return {
      tid,
      oid,
      ...(name ? { name } : {}),
      ...(upn ? { upn } : {}),
      roles: Array.isArray(payload.wids) ? payload.wids.filter((w): w is string => typeof w === 'string') : [],
    };
  }
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
