import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import nock from 'nock';

export const ENTRA_CLIENT_ID = '11111111-2222-3333-4444-555555555555';
export const ENTRA_APP_ID_URI = `api://localhost/${ENTRA_CLIENT_ID}`;
export const JWKS_URL = 'https://login.microsoftonline.test/common/discovery/v2.0/keys';

export interface TokenClaims {
  tid?: string | undefined;
  oid?: string | undefined;
  name?: string;
  aud?: string;
  iss?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  [claim: string]: unknown;
}

/**
 * A stand-in for Microsoft Entra: a signing key, its JWKS served by nock at
 * JWKS_URL, and tokens shaped like Teams SSO tokens.
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
    const { expiresIn = 3600, aud = ENTRA_CLIENT_ID, ...rest } = claims;
    const tid = 'tid' in claims ? claims.tid : 'partner-a-tenant';
    const oid = 'oid' in claims ? claims.oid : 'user-1';
    const iss = claims.iss ?? `https://login.microsoftonline.com/${tid}/v2.0`;
    const payload: Record<string, unknown> = { ...rest, ver: '2.0', name: claims.name ?? 'Test User' };
    if (tid !== undefined) payload.tid = tid;
    else delete payload.tid;
    if (oid !== undefined) payload.oid = oid;
    else delete payload.oid;
    delete payload.iss;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? this.kid, typ: 'JWT' })
      .setIssuer(iss)
      .setAudience(aud)
      .setIssuedAt(now - 60)
      .setNotBefore(now - 60)
      .setExpirationTime(now + expiresIn)
      .sign(options.key ?? this.privateKey);
  }
}

/** An unsigned token (`alg: none`), which must always be refused. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}
