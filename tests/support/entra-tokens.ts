import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import nock from 'nock';

export const ENTRA_CLIENT_ID = '11111111-2222-3333-4444-555555555555';
export const ENTRA_APP_ID_URI = `api://localhost/${ENTRA_CLIENT_ID}`;
export const JWKS_URL = 'https://login.microsoftonline.test/common/discovery/v2.0/keys';
/** Teams desktop and mobile: the client app a Teams SSO token names (azp, or appid in v1). */
export const TEAMS_CLIENT_APP = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';

export interface TokenClaims {
  tid?: string | undefined;
  oid?: string | undefined;
  name?: string;
  aud?: string;
  iss?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** `iat`, in seconds from now (-60 unless told); null leaves it out. */
  issuedIn?: number | null;
  /** `nbf`, in seconds from now (-60 unless told). */
  notBeforeIn?: number;
  /** Any other claim; `undefined` leaves out one the fake would add (scp, azp, appid...). */
  [claim: string]: unknown;
}

/**
 * A stand-in for Microsoft Entra: a signing key, its JWKS served by nock at
 * JWKS_URL, and tokens shaped like Teams SSO tokens: our audience, the
 * access_as_user scope, asked for by the Teams client (azp in v2 tokens,
 * appid in v1 ones, whose issuer is https://sts.windows.net/{tid}/).
 */
export class FakeEntra {
  private constructor(
    private readonly privateKey: KeyLike,
    readonly kid: string,
    readonly jwk: JWK,
  ) {}

  static async create(): Promise<FakeEntra> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = `test-${randomUUID()}`;
    return new FakeEntra(privateKey, kid, { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' });
  }

  /** Serves the key set; persist() because jose fetches again on an unknown kid. */
  serveJwks(): nock.Scope {
    const url = new URL(JWKS_URL);
    return nock(url.origin).persist().get(url.pathname).reply(200, { keys: [this.jwk] });
  }

  async token(claims: TokenClaims = {}, options: { kid?: string; key?: KeyLike } = {}): Promise<string> {
    const { expiresIn = 3600, issuedIn = -60, notBeforeIn = -60, aud = ENTRA_CLIENT_ID, iss, ...rest } = claims;
    const now = Math.floor(Date.now() / 1000);
    const payload = teamsSsoClaims(rest, iss);
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? this.kid, typ: 'JWT' })
      .setAudience(aud)
      .setNotBefore(now + notBeforeIn)
      .setExpirationTime(now + expiresIn);
    if (issuedIn !== null) jwt.setIssuedAt(now + issuedIn);
    return jwt.sign(options.key ?? this.privateKey);
  }

  /**
   * The classic key-confusion attack: the token says HS256 and is "signed"
   * with the RSA public key (which anyone can read from the JWKS) as the HMAC secret.
   */
  hs256WithPublicKey(claims: Record<string, unknown>): string {
    const publicPem = createPublicKey({ key: this.jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${encode({ alg: 'HS256', typ: 'JWT', kid: this.kid })}.${encode(claims)}`;
    return `${signingInput}.${createHmac('sha256', publicPem).update(signingInput).digest('base64url')}`;
  }
}

/** The claims of a Teams SSO token for partner A's user-1, with `claims` over them. */
function teamsSsoClaims(claims: Record<string, unknown>, issuer: string | undefined): Record<string, unknown> {
  const tid = 'tid' in claims ? claims.tid : 'partner-a-tenant';
  const iss = issuer ?? `https://login.microsoftonline.com/${String(tid)}/v2.0`;
  const v1 = iss.startsWith('https://sts.windows.net/');
  const payload: Record<string, unknown> = {
    iss,
    tid,
    oid: 'user-1',
    name: 'Test User',
    scp: 'access_as_user',
    ...(v1 ? { ver: '1.0', appid: TEAMS_CLIENT_APP } : { ver: '2.0', azp: TEAMS_CLIENT_APP }),
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return payload;
}

/** Claims of a valid Teams SSO token, for tokens built by hand (alg none, HS256). */
export function ssoClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { ...teamsSsoClaims({}, undefined), aud: ENTRA_CLIENT_ID, iat: now - 60, nbf: now - 60, exp: now + 3600, ...overrides };
}

/** An unsigned token (`alg: none`), which must always be refused. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}
