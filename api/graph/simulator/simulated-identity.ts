import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { GRAPH_PERMISSIONS } from '../graph-types';
import { isDefined, redirect, type Reply } from './graph-replies';
import { adminConsentPage, escapeHtml, signInPage, type PageAccount } from './simulated-pages';
import { findTenant, GLOBAL_ADMINISTRATOR_ROLE, type SimulatedTenant } from './simulated-tenant';

/**
 * Microsoft's sign-in authority, simulated: the OpenID configuration and
 * keys, the "Pick an account" and admin-consent pages, and the token
 * endpoint (an administrator's id token; app-only tokens for a tenant that
 * consented). Graph asks it whose token a call carries.
 */
export class SimulatedIdentity {
  private readonly accessTokens = new Map<string, { tenantId: string; expiresAt: number }>();
  private readonly codes = new Map<string, { tenantId: string; userId: string; nonce?: string; clientId: string; redirectUri: string }>();
  private keys: { privateKey: KeyLike; jwk: JWK } | undefined;

  constructor(
    private readonly app: { clientId: string; clientSecret: string },
    private readonly tenants: Map<string, SimulatedTenant>,
    private readonly baseUrl: () => string,
  ) {}

  async start(): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'graph-simulator', alg: 'RS256', use: 'sig' };
    this.keys = { privateKey: privateKey as KeyLike, jwk };
  }

  /** The authority's answer to `path`, or undefined when the path is Graph's. */
  async route(method: string, path: string, query: URLSearchParams, text: string): Promise<Reply | undefined> {
    let match: RegExpExecArray | null;
    if (method === 'GET' && (match = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path))) {
      return this.openIdConfiguration(match[1]!);
    }
    if (method === 'GET' && /^\/[^/]+\/discovery\/v2\.0\/keys$/.test(path)) {
      return { status: 200, body: { keys: [this.keys!.jwk] } };
    }
    if ((match = /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/.exec(path))) {
      const form = method === 'POST' ? new URLSearchParams(text) : query;
      return this.authorize(match[1]!, form, method === 'POST');
    }
    if ((match = /^\/([^/]+)\/v2\.0\/adminconsent$/.exec(path))) {
      const form = method === 'POST' ? new URLSearchParams(text) : query;
      return this.adminConsent(match[1]!, form, method === 'POST');
    }
    if (method === 'POST' && (match = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path))) {
      return this.tokenEndpoint(match[1]!, new URLSearchParams(text));
    }
    return undefined;
  }

  /** The tenant whose live app-only token the call carries. */
  tenantOfToken(authorization: string | undefined): SimulatedTenant | undefined {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const entry = token ? this.accessTokens.get(token) : undefined;
    if (!entry || entry.expiresAt < Date.now()) return undefined;
    return this.tenants.get(entry.tenantId);
  }

  /** The tenant's tokens stop working (its administrator removed the app). */
  revokeTokens(tenantId: string): void {
    for (const [token, entry] of this.accessTokens) if (entry.tenantId === tenantId) this.accessTokens.delete(token);
  }

  private openIdConfiguration(nameOrId: string): Reply {
    const tenant = findTenant(this.tenants, nameOrId);
    if (!tenant) {
      return { status: 400, body: { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${nameOrId}' not found.` } };
    }
    const base = `${this.baseUrl()}/${tenant.spec.id}`;
    return {
      status: 200,
      body: {
        issuer: `${base}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        jwks_uri: `${this.baseUrl()}/common/discovery/v2.0/keys`,
      },
    };
  }

  /** Microsoft's "Pick an account" page: any account of any simulated tenant (as with /organizations). */
  private authorize(authority: string, form: URLSearchParams, submitted: boolean): Reply {
    const clientId = form.get('client_id') ?? '';
    const redirectUri = form.get('redirect_uri') ?? '';
    const state = form.get('state') ?? '';
    if (clientId !== this.app.clientId || !redirectUri) {
      return { status: 400, html: `<p>AADSTS700016: Application with identifier '${escapeHtml(clientId)}' was not found.</p>` };
    }
    const tenants = authority === 'organizations' || authority === 'common' ? [...this.tenants.values()] : [findTenant(this.tenants, authority)].filter(isDefined);
    if (!submitted) {
      const accounts: PageAccount[] = tenants.flatMap((t) =>
        [...t.users.values()].filter((u) => u.accountEnabled !== false).map((u) => ({ id: `${t.spec.id}/${u.id}`, name: u.displayName, upn: u.userPrincipalName, admin: !!u.admin, organisation: t.spec.displayName })),
      );
      return { status: 200, html: signInPage(`/${authority}/oauth2/v2.0/authorize`, form, accounts) };
    }
    if (form.get('cancel')) return redirect(redirectUri, { error: 'access_denied', error_description: 'AADSTS65004: User declined to sign in.', state });
    const [tenantId, userId] = (form.get('account') ?? '').split('/');
    const tenant = tenants.find((t) => t.spec.id === tenantId);
    if (!tenant || !tenant.users.has(userId ?? '')) return { status: 400, html: '<p>Pick an account.</p>' };
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { tenantId: tenant.spec.id, userId: userId!, clientId, redirectUri, ...(form.get('nonce') ? { nonce: form.get('nonce')! } : {}) });
    return redirect(redirectUri, { code, state });
  }

  /** The admin-consent page: an administrator of the tenant accepts the app's permissions. */
  private adminConsent(authority: string, form: URLSearchParams, submitted: boolean): Reply {
    const tenant = findTenant(this.tenants, authority);
    const clientId = form.get('client_id') ?? '';
    const redirectUri = form.get('redirect_uri') ?? '';
    const state = form.get('state') ?? '';
    if (!tenant) return { status: 400, html: `<p>AADSTS90002: Tenant '${escapeHtml(authority)}' not found.</p>` };
    if (clientId !== this.app.clientId || !redirectUri) {
      return { status: 400, html: `<p>AADSTS700016: Application with identifier '${escapeHtml(clientId)}' was not found.</p>` };
    }
    if (!submitted) {
      const admins = [...tenant.users.values()].filter((u) => u.admin).map((u) => ({ id: u.id, name: u.displayName, upn: u.userPrincipalName, admin: true }));
      return { status: 200, html: adminConsentPage(`/${authority}/v2.0/adminconsent`, form, tenant.spec.displayName, admins) };
    }
    if (form.get('cancel')) {
      return redirect(redirectUri, { error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.', state });
    }
    const admin = tenant.users.get(form.get('account') ?? '');
    if (!admin?.admin) return { status: 403, html: '<p>Need admin approval: only an administrator of this organisation can grant it.</p>' };
    tenant.consented.add(clientId);
    return redirect(redirectUri, { admin_consent: 'True', tenant: tenant.spec.id, state, scope: 'https://graph.microsoft.com/.default' });
  }

  private async tokenEndpoint(authority: string, form: URLSearchParams): Promise<Reply> {
    if (form.get('client_id') !== this.app.clientId || form.get('client_secret') !== this.app.clientSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } };
    }
    if (form.get('grant_type') === 'authorization_code') {
      const grant = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      if (!grant || grant.redirectUri !== form.get('redirect_uri')) {
        return { status: 400, body: { error: 'invalid_grant', error_description: 'AADSTS70008: The provided authorization code is invalid or has expired.' } };
      }
      const tenant = this.tenants.get(grant.tenantId)!;
      const user = tenant.users.get(grant.userId)!;
      const idToken = await new SignJWT({
        tid: tenant.spec.id,
        oid: user.id,
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        ...(grant.nonce ? { nonce: grant.nonce } : {}),
        ...(user.admin ? { wids: [GLOBAL_ADMINISTRATOR_ROLE] } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'graph-simulator' })
        .setIssuer(`${this.baseUrl()}/${tenant.spec.id}/v2.0`)
        .setAudience(this.app.clientId)
        .setSubject(user.id)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(this.keys!.privateKey);
      return { status: 200, body: { token_type: 'Bearer', id_token: idToken, expires_in: 3599 } };
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'AADSTS70003: unsupported grant type' } };
    }
    const tenant = findTenant(this.tenants, authority);
    if (!tenant) return { status: 400, body: { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${authority}' not found.` } };
    if (!tenant.consented.has(this.app.clientId)) {
      return {
        status: 400,
        body: {
          error: 'unauthorized_client',
          error_description: `AADSTS700016: Application with identifier '${this.app.clientId}' was not found in the directory '${tenant.spec.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
        },
      };
    }
    // A JWT like Entra's, whose roles are the application permissions the tenant granted.
    const token = await new SignJWT({
      tid: tenant.spec.id,
      roles: tenant.grantedPermissions ?? [...GRAPH_PERMISSIONS],
      idtyp: 'app',
      uti: randomBytes(9).toString('base64url'),
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'graph-simulator' })
      .setIssuer(`${this.baseUrl()}/${tenant.spec.id}/v2.0`)
      .setAudience('https://graph.microsoft.com')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(this.keys!.privateKey);
    this.accessTokens.set(token, { tenantId: tenant.spec.id, expiresAt: Date.now() + 3600_000 });
    return { status: 200, body: { token_type: 'Bearer', access_token: token, expires_in: 3599 } };
  }
}
