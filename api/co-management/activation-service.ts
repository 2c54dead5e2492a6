import type { Collection, Filter } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import type { Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import type { CustomerService } from '../customers/customer-service';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { GraphClient } from '../graph/graph-client';
import { parseObjectId } from '../shared/object-id';
import type { Logger } from '../logging/logger';
import type { PartnerDocument } from '../partners/partner-document';
import { actorOfAdmin, customerAdminOf, isAdmin, requireAdmin } from './activation-admin';
import type { ActivationLinkDocument, ActivationSessionDocument } from './activation-documents';
import { ActivationLinks } from './activation-links';
import { ACTIVATION_PAGE } from './activation-page';
import { ActivationSessions } from './activation-sessions';
import { ActivationViews, type ActivationView } from './activation-view';
import type { CustomerAdmin } from './customer-admin';
import type { MicrosoftSignIn } from './microsoft-sign-in';
import { consentedUri, microsoftReason, signedInUri, type MicrosoftAnswer } from './microsoft-redirects';
import { confirmConsent, expectedTenantId, mismatchMessage } from './tenant-verification';
import { requireRole } from '../members/member-role';

export { ACTIVATION_COOKIE, ACTIVATION_PAGE } from './activation-page';
export { CO_MANAGEMENT_ABILITIES, type ActivationServiceChoice, type ActivationView } from './activation-view';
export type { MicrosoftAnswer } from './microsoft-redirects';

export interface ActivationCollections {
  links: Collection<ActivationLinkDocument>;
  sessions: Collection<ActivationSessionDocument>;
  customers: Collection<CustomerDocument>;
  partners: Collection<PartnerDocument>;
}

/**
 * The customer's side of co-management: the activation link a partner sends,
 * the customer admin's Microsoft sign-in (checked against the tenant name the
 * partner entered), the admin consent, and the switch "Allow carrier to
 * co-manage your service".
 */
export class ActivationService {
  private readonly links: ActivationLinks;
  private readonly sessions: ActivationSessions;
  private readonly views: ActivationViews;

  constructor(
    private readonly collections: ActivationCollections,
    customers: CustomerService,
    private readonly audit: AuditLog,
    private readonly microsoft: { signIn: MicrosoftSignIn; graph: GraphClient } | undefined,
    options: { linkDays: number },
    private readonly logger: Logger,
  ) {
    this.links = new ActivationLinks(collections.links, customers, audit, options.linkDays);
    this.sessions = new ActivationSessions(collections.sessions, collections.customers);
    this.views = new ActivationViews(collections.customers, collections.partners, this.sessions);
  }

  /** A new link for the customer's administrator; older links of the customer stop working. */
  async createLink(caller: Caller, customerId: string, origin: string): Promise<{ url: string; expiresAt: string }> {
    requireRole(caller, 'operator');
    this.requireConfigured();
    return this.links.issue(caller, customerId, origin);
  }

  /**
   * Opening the page starts a browser session (the cookie's value is
   * returned): with a link, about that link's service; without one, the admin
   * signs in and picks among the tenant's services, so co-management can be
   * switched off at any time, whatever became of the link.
   */
  async openSession(linkToken: string | undefined): Promise<string> {
    const link = linkToken !== undefined ? await this.links.redeem(linkToken) : null;
    return this.sessions.open(link);
  }

  /** The page's session. The link only opens it: a session outlives the link being replaced. */
  session(cookie: string | undefined): Promise<ActivationSessionDocument> {
    return this.sessions.find(cookie);
  }

  /** Without a link: the signed-in admin picks one of the tenant's services. */
  async chooseService(session: ActivationSessionDocument, serviceId: string): Promise<ActivationView> {
    const admin = requireAdmin(session);
    const id = parseObjectId(serviceId);
    const customer = id ? await this.collections.customers.findOne({ _id: id, customerTenantId: admin.tid }) : null;
    if (!customer) throw new NotFoundError('No such service of your organisation');
    return this.describe(await this.sessions.pick(session, customer));
  }

  describe(session: ActivationSessionDocument): Promise<ActivationView> {
    return this.views.describe(session);
  }

  /** Where to send the browser to sign in with Microsoft. */
  async startSignIn(session: ActivationSessionDocument, origin: string): Promise<string> {
    const { signIn } = this.requireConfigured();
    const { state, nonce } = await this.sessions.expectSignIn(session);
    return signIn.authorizeUrl({ redirectUri: signedInUri(origin), state, nonce });
  }

  /** Microsoft sent the browser back from sign-in: check who it is, then back to the page. */
  async finishSignIn(session: ActivationSessionDocument, answer: MicrosoftAnswer, origin: string): Promise<string> {
    const { signIn, graph } = this.requireConfigured();
    const pending = await this.sessions.takePending(session, 'sign-in', answer.state);
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
      const customer = await this.sessions.customerOf(session);
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
    await this.sessions.signIn(session, admin);
    return ACTIVATION_PAGE;
  }

  /** Where to send the administrator to grant consent for the tenant. */
  async startConsent(session: ActivationSessionDocument, origin: string): Promise<string> {
    const { signIn } = this.requireConfigured();
    const admin = requireAdmin(session);
    // Not to Microsoft for a consent the way back could not record (no service picked, or gone).
    await this.sessions.customerOf(session);
    const state = await this.sessions.expectConsent(session);
    return signIn.adminConsentUrl({ tenantId: admin.tid, redirectUri: consentedUri(origin), state });
  }

  /** Microsoft's admin-consent redirect: `admin_consent=True&tenant=...`, or an error. */
  async finishConsent(session: ActivationSessionDocument, answer: MicrosoftAnswer): Promise<string> {
    const { graph } = this.requireConfigured();
    await this.sessions.takePending(session, 'consent', answer.state);
    const admin = requireAdmin(session);
    if (answer.error || answer.adminConsent?.toLowerCase() !== 'true') {
      return this.notify(session, 'error', `Consent was not granted: ${microsoftReason(answer) ?? 'it was cancelled'}.`);
    }
    const customer = await this.sessions.customerOf(session);
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
    const customer = await this.sessions.customerOf(session);
    // Off is always possible: while on, the tenant was checked when it went on; no look-up that could fail.
    const expected =
      !allowed && customer.canManage && customer.customerTenantId
        ? customer.customerTenantId
        : await expectedTenantId(customer, graph);
    if (admin.tid !== expected) throw new ForbiddenError('tenant_mismatch', mismatchMessage(admin.upn ?? 'this account', customer.tenantName));
    if (allowed) {
      const consent = customer.coManagement?.consent;
      if (!consent || consent.tenantId !== expected) {
        throw new ConflictError('consent_required', 'Grant consent first: co-management needs the permissions listed above.');
      }
      await confirmConsent(graph, expected, customer.tenantName);
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

  /** Back to the page, which shows the message once. */
  notify(session: ActivationSessionDocument, kind: 'success' | 'error', message: string): Promise<string> {
    return this.sessions.notify(session, kind, message);
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

  /**
   * The expected tenant id on Microsoft's redirects back: the browser shows
   * this answer, so an unknown tenant name or an unreachable Microsoft becomes
   * the page's notice (null), not a JSON error page.
   */
  private async expectedOnReturn(session: ActivationSessionDocument, customer: CustomerDocument, graph: GraphClient): Promise<string | null> {
    try {
      return await expectedTenantId(customer, graph);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await this.notify(session, 'error', error.message);
      return null;
    }
  }
}
