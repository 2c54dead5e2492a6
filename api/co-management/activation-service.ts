import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Collection, Filter } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import { actorOf, type Actor, type Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import { customerLabel } from '../customers/customer-label';
import type { CustomerService } from '../customers/customer-service';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UnauthorizedError } from '../errors';
import type { GraphClient } from '../graph/graph-client';
import type { GraphError } from '../graph/graph-errors';
import { GRAPH_PERMISSIONS } from '../graph/graph-types';
import { parseObjectId } from '../shared/object-id';
import type { Logger } from '../logging/logger';
import type { PartnerDocument } from '../partners/partner-document';
import type { ActivationLinkDocument, ActivationSessionDocument } from './activation-documents';
import { ADMIN_ROLES, customerAdminLabel, type CustomerAdmin } from './customer-admin';
import type { MicrosoftSignIn } from './microsoft-sign-in';

export const ACTIVATION_COOKIE = 'pp_activation';
export const ACTIVATION_PAGE = '/activate.html';
const SESSION_SECONDS = 3600;

/** What the carrier can do once co-management is on, in the customer's words. */
export const CO_MANAGEMENT_ABILITIES = [
  "See your organisation's users: name, sign-in name, Teams voice status, phone number and voice routing policy",
  'See the Direct Routing phone numbers of your tenant and who has each one',
  'Assign and unassign your Direct Routing phone numbers to your users',
  "Set your users' voice routing policy",
];

export interface ActivationCollections {
  links: Collection<ActivationLinkDocument>;
  sessions: Collection<ActivationSessionDocument>;
  customers: Collection<CustomerDocument>;
  partners: Collection<PartnerDocument>;
}

/** A service (customer) of the signed-in admin's tenant, for the page opened without a link. */
export interface ActivationServiceChoice {
  id: string;
  name: string;
  partnerName: string;
  canManage: boolean;
}

export interface ActivationView {
  /** The service the page is about; null until one is picked (page opened without a link). */
  customer: { name: string; tenantName: string } | null;
  partner: { name: string } | null;
  /** Without a link, after sign-in: the services of the admin's tenant that have co-management set up. */
  services: ActivationServiceChoice[] | null;
  abilities: string[];
  signedIn: { name: string | null; upn: string | null; isAdmin: boolean } | null;
  consent: { grantedAt: string; grantedBy: string } | null;
  canManage: boolean;
  changedAt: string | null;
  changedBy: string | null;
  notice: { kind: 'success' | 'error'; message: string } | null;
}

/**
 * The customer's side of co-management: the activation link a partner sends,
 * the customer admin's Microsoft sign-in (checked against the tenant name the
 * partner entered), the admin consent, and the switch "Allow carrier to
 * co-manage your service".
 */
export class ActivationService {
  constructor(
    private readonly collections: ActivationCollections,
    private readonly customers: CustomerService,
    private readonly audit: AuditLog,
    private readonly microsoft: { signIn: MicrosoftSignIn; graph: GraphClient } | undefined,
    private readonly options: { linkDays: number },
    private readonly logger: Logger,
  ) {}

  /** A new link for the customer's administrator; older links of the customer stop working. */
  async createLink(caller: Caller, customerId: string, origin: string): Promise<{ url: string; expiresAt: string }> {
    this.requireConfigured();
    const customer = await this.customers.require(caller, customerId);
    const token = randomBytes(24).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.options.linkDays * 24 * 3600 * 1000);
    await this.collections.links.deleteMany({ customerId: customer._id });
    await this.collections.links.insertOne({
      _id: hashOf(token),
      partnerId: caller.partnerId,
      customerId: customer._id,
      createdAt: now,
      createdBy: actorOf(caller),
      expiresAt,
    });
    await this.audit.record(caller, 'activation.link_created', customer._id, { expiresAt: expiresAt.toISOString() });
    // In the fragment: browsers never send it to a server, so it stays out of logs and Referer headers.
    return { url: `${origin}${ACTIVATION_PAGE}#link=${token}`, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Opening the page starts a browser session (the cookie's value is
   * returned): with a link, about that link's service; without one, the admin
   * signs in and picks among the tenant's services, so co-management can be
   * switched off at any time, whatever became of the link.
   */
  async openSession(linkToken: string | undefined): Promise<string> {
    let link: ActivationLinkDocument | null = null;
    if (linkToken !== undefined) {
      link = await this.collections.links.findOne({ _id: hashOf(linkToken) });
      if (!link || link.expiresAt.getTime() <= Date.now()) {
        throw new NotFoundError('This activation link is not valid any more. Ask your provider to send you a new one.');
      }
    }
    const value = randomBytes(24).toString('base64url');
    const now = new Date();
    await this.collections.sessions.insertOne({
      _id: hashOf(value),
      ...(link ? { linkId: link._id, partnerId: link.partnerId, customerId: link.customerId } : {}),
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_SECONDS * 1000),
    });
    return value;
  }

  /** The page's session. The link only opens it: a session outlives the link being replaced. */
  async session(cookie: string | undefined): Promise<ActivationSessionDocument> {
    const session = cookie ? await this.collections.sessions.findOne({ _id: hashOf(cookie) }) : null;
    if (!session || session.expiresAt.getTime() <= Date.now()) {
      throw new UnauthorizedError('activation_session_ended', 'Your session on this page has ended. Open the activation link again.');
    }
    return session;
  }

  /** Without a link: the signed-in admin picks one of the tenant's services. */
  async chooseService(session: ActivationSessionDocument, serviceId: string): Promise<ActivationView> {
    const admin = requireAdmin(session);
    const id = parseObjectId(serviceId);
    const customer = id ? await this.collections.customers.findOne({ _id: id, customerTenantId: admin.tid }) : null;
    if (!customer) throw new NotFoundError('No such service of your organisation');
    await this.collections.sessions.updateOne(
      { _id: session._id },
      { $set: { customerId: customer._id, partnerId: customer.partnerId } },
    );
    return this.describe({ ...session, customerId: customer._id, partnerId: customer.partnerId, notice: undefined } as ActivationSessionDocument);
  }

  async describe(session: ActivationSessionDocument): Promise<ActivationView> {
    if (session.notice) await this.collections.sessions.updateOne({ _id: session._id }, { $unset: { notice: '' } });
    const signedIn = session.admin
      ? { name: session.admin.name ?? null, upn: session.admin.upn ?? null, isAdmin: isAdmin(session.admin.roles) }
      : null;
    if (!session.customerId) {
      return {
        customer: null,
        partner: null,
        services: session.admin && isAdmin(session.admin.roles) ? await this.servicesOf(session.admin.tid) : null,
        abilities: CO_MANAGEMENT_ABILITIES,
        signedIn,
        consent: null,
        canManage: false,
        changedAt: null,
        changedBy: null,
        notice: session.notice ?? null,
      };
    }
    const [customer, partner] = await Promise.all([
      this.customerOf(session),
      this.collections.partners.findOne({ _id: session.partnerId! }),
    ]);
    const co = customer.coManagement;
    return {
      customer: { name: customerLabel(customer), tenantName: customer.tenantName },
      partner: { name: partner?.name ?? 'your provider' },
      services: null,
      abilities: CO_MANAGEMENT_ABILITIES,
      signedIn,
      consent: co?.consent ? { grantedAt: co.consent.grantedAt.toISOString(), grantedBy: customerAdminLabel(co.consent.grantedBy) } : null,
      canManage: customer.canManage,
      changedAt: co?.changedAt?.toISOString() ?? null,
      changedBy: co?.changedBy ? customerAdminLabel(co.changedBy) : null,
      notice: session.notice ?? null,
    };
  }

  /** Where to send the browser to sign in with Microsoft. */
  async startSignIn(session: ActivationSessionDocument, origin: string): Promise<string> {
    const { signIn } = this.requireConfigured();
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    // A new sign-in replaces whoever was signed in, also when it fails.
    await this.collections.sessions.updateOne(
      { _id: session._id },
      { $set: { pending: { purpose: 'sign-in', state, nonce } }, $unset: { admin: '' } },
    );
    return signIn.authorizeUrl({ redirectUri: signedInUri(origin), state, nonce });
  }

  /** Microsoft sent the browser back from sign-in: check who it is, then back to the page. */
  async finishSignIn(session: ActivationSessionDocument, answer: MicrosoftAnswer, origin: string): Promise<string> {
    const { signIn, graph } = this.requireConfigured();
    const pending = await this.takePending(session, 'sign-in', answer.state);
    if (answer.error || !answer.code) {
      return this.notify(session, 'error', `Sign-in did not complete: ${microsoftReason(answer) ?? 'it was cancelled'}.`);
    }
    let person;
    try {
      person = await signIn.redeemCode({ code: answer.code, redirectUri: signedInUri(origin), nonce: pending.nonce });
    } catch (error) {
      // The message only: the error may carry the ID token's claims.
      this.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'activation sign-in refused');
      return this.notify(session, 'error', `Microsoft sign-in could not be checked: ${error instanceof Error ? error.message : String(error)}.`);
    }
    let organisation = 'its organisation';
    if (session.customerId) {
      const customer = await this.customerOf(session);
      organisation = customer.tenantName;
      const expected = await this.expectedOnReturn(session, customer, graph);
      if (expected === null) return ACTIVATION_PAGE;
      if (person.tid !== expected) {
        return this.notify(session, 'error', mismatchMessage(person.upn ?? person.name ?? 'that account', customer.tenantName));
      }
    }
    if (!isAdmin(person.roles)) {
      return this.notify(
        session,
        'error',
        `${person.upn ?? person.name ?? 'That account'} is not an administrator of ${organisation}. Sign in as a Global Administrator or a Teams Administrator.`,
      );
    }
    const admin: CustomerAdmin & { roles: string[] } = {
      tid: person.tid,
      oid: person.oid,
      ...(person.name ? { name: person.name } : {}),
      ...(person.upn ? { upn: person.upn } : {}),
      roles: person.roles,
    };
    await this.collections.sessions.updateOne({ _id: session._id }, { $set: { admin } });
    return ACTIVATION_PAGE;
  }

  /** Where to send the administrator to grant consent for the tenant. */
  async startConsent(session: ActivationSessionDocument, origin: string): Promise<string> {
    const { signIn } = this.requireConfigured();
    const admin = requireAdmin(session);
    // Not to Microsoft for a consent the way back could not record (no service picked, or gone).
    await this.customerOf(session);
    const state = randomBytes(16).toString('base64url');
    await this.collections.sessions.updateOne({ _id: session._id }, { $set: { pending: { purpose: 'consent', state, nonce: '' } } });
    return signIn.adminConsentUrl({ tenantId: admin.tid, redirectUri: consentedUri(origin), state });
  }

  /** Microsoft's admin-consent redirect: `admin_consent=True&tenant=...`, or an error. */
  async finishConsent(session: ActivationSessionDocument, answer: MicrosoftAnswer): Promise<string> {
    const { graph } = this.requireConfigured();
    await this.takePending(session, 'consent', answer.state);
    const admin = requireAdmin(session);
    if (answer.error || answer.adminConsent?.toLowerCase() !== 'true') {
      return this.notify(session, 'error', `Consent was not granted: ${microsoftReason(answer) ?? 'it was cancelled'}.`);
    }
    const customer = await this.customerOf(session);
    const expected = await this.expectedOnReturn(session, customer, graph);
    if (expected === null) return ACTIVATION_PAGE;
    if (answer.tenant !== expected || admin.tid !== expected) {
      return this.notify(session, 'error', mismatchMessage(`the tenant ${answer.tenant ?? '(none)'}`, customer.tenantName));
    }
    const now = new Date();
    const grantedBy = customerAdminOf(admin);
    await this.collections.customers.updateOne(
      { _id: customer._id },
      { $set: { customerTenantId: expected, 'coManagement.consent': { tenantId: expected, grantedAt: now, grantedBy }, updatedAt: now } },
    );
    graph.forgetToken(expected);
    await this.audit.recordAs(customer.partnerId, actorOfAdmin(admin), 'co_management.consent_granted', customer._id, {
      tenantId: expected,
    });
    return this.notify(session, 'success', 'Consent granted. You can now allow your provider to co-manage your service.');
  }

  /** "Allow carrier to co-manage your service": on (needs the consent) or off (always possible). */
  async setAllowed(session: ActivationSessionDocument, allowed: boolean): Promise<ActivationView> {
    const { graph } = this.requireConfigured();
    const admin = requireAdmin(session);
    const customer = await this.customerOf(session);
    // Off is always possible: while on, the tenant was checked when it went on; no look-up that could fail.
    const expected =
      !allowed && customer.canManage && customer.customerTenantId
        ? customer.customerTenantId
        : await this.expectedTenantId(customer, graph);
    if (admin.tid !== expected) throw new ForbiddenError('tenant_mismatch', mismatchMessage(admin.upn ?? 'this account', customer.tenantName));
    if (allowed) {
      const consent = customer.coManagement?.consent;
      if (!consent || consent.tenantId !== expected) {
        throw new ConflictError('consent_required', 'Grant consent first: co-management needs the permissions listed above.');
      }
      // A consent removed in Entra since shows here, not on the partner's first call.
      graph.forgetToken(expected);
      let token: string;
      try {
        token = await graph.token(expected);
      } catch (error) {
        throw new ConflictError(
          'consent_not_effective',
          `Microsoft does not confirm the consent for ${customer.tenantName}: ${error instanceof Error ? error.message : String(error)} Grant consent again.`,
        );
      }
      // Entra gives the app a token even where the permissions were not granted: its roles say what was.
      const missing = GRAPH_PERMISSIONS.filter((permission) => !rolesOf(token).includes(permission));
      if (missing.length > 0) {
        throw new ConflictError(
          'consent_not_effective',
          `The consent for ${customer.tenantName} does not include ${missing.join(', ')}. Grant consent again and accept every permission.`,
        );
      }
    }
    const now = new Date();
    const changedBy = customerAdminOf(admin);
    // Written only if the service is still the one checked: the partner may have changed its tenant name meanwhile.
    const unchanged: Filter<CustomerDocument> = { _id: customer._id, tenantName: customer.tenantName };
    if (allowed) unchanged['coManagement.consent.tenantId'] = expected;
    const written = await this.collections.customers.updateOne(
      unchanged,
      {
        $set: {
          canManage: allowed,
          customerTenantId: expected,
          'coManagement.changedAt': now,
          'coManagement.changedBy': changedBy,
          updatedAt: now,
        },
      },
    );
    if (written.matchedCount === 0) {
      throw new ConflictError('service_changed', 'Your provider changed this service meanwhile. Reload the page and try again.');
    }
    if (allowed !== customer.canManage) {
      await this.audit.recordAs(
        customer.partnerId,
        actorOfAdmin(admin),
        allowed ? 'co_management.allowed' : 'co_management.switched_off',
        customer._id,
        { tenantId: expected },
      );
    }
    return this.describe({ ...session, notice: undefined } as ActivationSessionDocument);
  }

  private requireConfigured(): { signIn: MicrosoftSignIn; graph: GraphClient } {
    if (!this.microsoft) {
      throw new AppError(
        503,
        'co_management_not_configured',
        'Co-management is not configured on this portal: the operator must set ENTRA_CLIENT_SECRET for the Entra app.',
      );
    }
    return this.microsoft;
  }

  /** The round trip's state, taken once: a replayed answer finds nothing to take. */
  private async takePending(session: ActivationSessionDocument, purpose: 'sign-in' | 'consent', state: string | undefined) {
    const taken = state
      ? await this.collections.sessions.findOneAndUpdate(
          { _id: session._id, 'pending.purpose': purpose, 'pending.state': state },
          { $unset: { pending: '' } },
          { returnDocument: 'before' },
        )
      : null;
    const pending = taken?.pending;
    if (!pending) {
      throw new AppError(400, 'activation_state_mismatch', 'This answer from Microsoft does not belong to your session. Start again from the activation link.');
    }
    return pending;
  }

  /** Back to the page, which shows the message once. */
  async notify(session: ActivationSessionDocument, kind: 'success' | 'error', message: string): Promise<string> {
    await this.collections.sessions.updateOne({ _id: session._id }, { $set: { notice: { kind, message } } });
    return ACTIVATION_PAGE;
  }

  private async customerOf(session: ActivationSessionDocument): Promise<CustomerDocument> {
    if (!session.customerId || !session.partnerId) {
      throw new ConflictError('no_service_chosen', 'Pick the service first.');
    }
    const customer = await this.collections.customers.findOne({ _id: session.customerId, partnerId: session.partnerId });
    if (!customer) throw new NotFoundError('This service no longer exists. Ask your provider.');
    return customer;
  }

  /**
   * The expected tenant id on Microsoft's redirects back: the browser shows
   * this answer, so an unknown tenant name or an unreachable Microsoft becomes
   * the page's notice (null), not a JSON error page.
   */
  private async expectedOnReturn(session: ActivationSessionDocument, customer: CustomerDocument, graph: GraphClient): Promise<string | null> {
    try {
      return await this.expectedTenantId(customer, graph);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await this.notify(session, 'error', error.message);
      return null;
    }
  }

  /** The services with co-management set up in a tenant (any partner's), with their partners' names. */
  private async servicesOf(tenantId: string): Promise<ActivationServiceChoice[]> {
    const customers = await this.collections.customers
      .find({ customerTenantId: tenantId })
      .sort({ nameKey: 1 })
      .limit(100)
      .toArray();
    const partnerIds = [...new Set(customers.map((c) => c.partnerId.toHexString()))].map((id) => parseObjectId(id)!);
    const partners = partnerIds.length
      ? await this.collections.partners.find({ _id: { $in: partnerIds } }).toArray()
      : [];
    const partnerName = new Map(partners.map((p) => [p._id.toHexString(), p.name]));
    return customers.map((c) => ({
      id: c._id.toHexString(),
      name: customerLabel(c),
      partnerName: partnerName.get(c.partnerId.toHexString()) ?? 'your provider',
      canManage: c.canManage,
    }));
  }

  /** The tenant id behind the tenant name the partner entered (graph-api.md). */
  private async expectedTenantId(customer: CustomerDocument, graph: GraphClient): Promise<string> {
    let tenantId: string | null;
    try {
      tenantId = await graph.resolveTenantId(customer.tenantName);
    } catch (error) {
      throw new AppError(502, 'microsoft_unreachable', `Microsoft could not be asked about ${customer.tenantName}: ${(error as GraphError).message}`);
    }
    if (!tenantId) {
      throw new ConflictError(
        'unknown_tenant',
        `Microsoft knows no tenant named ${customer.tenantName}. Ask your provider to correct the Office 365 Tenant Name.`,
      );
    }
    return tenantId;
  }
}

export interface MicrosoftAnswer {
  code?: string;
  state?: string;
  error?: string;
  errorDescription?: string;
  adminConsent?: string;
  tenant?: string;
}

function signedInUri(origin: string): string {
  return `${origin}/api/v1/activation/signed-in`;
}

function consentedUri(origin: string): string {
  return `${origin}/api/v1/activation/consented`;
}

/** The application permissions an app-only token carries (its `roles`); none when it is not a JWT. */
function rolesOf(token: string): string[] {
  try {
    const roles = decodeJwt(token).roles;
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function isAdmin(roles: string[]): boolean {
  return roles.some((role) => Object.hasOwn(ADMIN_ROLES, role));
}

function requireAdmin(session: ActivationSessionDocument): CustomerAdmin & { roles: string[] } {
  if (!session.admin || !isAdmin(session.admin.roles)) {
    throw new UnauthorizedError('admin_sign_in_required', 'Sign in with an administrator account of your organisation first.');
  }
  return session.admin;
}

function customerAdminOf(admin: CustomerAdmin): CustomerAdmin {
  return { tid: admin.tid, oid: admin.oid, ...(admin.name ? { name: admin.name } : {}), ...(admin.upn ? { upn: admin.upn } : {}) };
}

function actorOfAdmin(admin: CustomerAdmin): Actor {
  const name = admin.name ?? admin.upn;
  return name ? { tid: admin.tid, oid: admin.oid, name: `${name} (customer administrator)` } : { tid: admin.tid, oid: admin.oid };
}


function mismatchMessage(who: string, tenantName: string): string {
  return `You signed in with ${who}, which is not in ${tenantName}, the Microsoft 365 tenant your provider set up for this service. Sign in with an administrator account of ${tenantName}, or ask your provider to correct the tenant name.`;
}

function microsoftReason(answer: MicrosoftAnswer): string | undefined {
  const text = answer.errorDescription?.split(/\r?\n/)[0] ?? answer.error;
  return text?.replace(/\.$/, '');
}
