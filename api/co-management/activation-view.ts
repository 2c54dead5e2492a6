import type { Collection } from 'mongodb';
import type { CustomerDocument } from '../customers/customer-document';
import { customerLabel } from '../customers/customer-label';
import type { PartnerDocument } from '../partners/partner-document';
import { parseObjectId } from '../shared/object-id';
import { isAdmin } from './activation-admin';
import type { ActivationSessionDocument } from './activation-documents';
import type { ActivationSessions } from './activation-sessions';
import { customerAdminLabel } from './customer-admin';

/** What the carrier can do once co-management is on, in the customer's words. */
export const CO_MANAGEMENT_ABILITIES = [
  "See your organisation's users: name, sign-in name, Teams voice status, phone number and voice routing policy",
  'See the Direct Routing phone numbers of your tenant and who has each one',
  'Assign and unassign your Direct Routing phone numbers to your users',
  "Set your users' voice routing policy",
];

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

/** What the activation page shows for a session; showing the notice drops it. */
export class ActivationViews {
  constructor(
    private readonly customers: Collection<CustomerDocument>,
    private readonly partners: Collection<PartnerDocument>,
    private readonly sessions: ActivationSessions,
  ) {}

  async describe(session: ActivationSessionDocument): Promise<ActivationView> {
    await this.sessions.dropNotice(session);
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
      this.sessions.customerOf(session),
      this.partners.findOne({ _id: session.partnerId! }),
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

  /** The services with co-management set up in a tenant (any partner's), with their partners' names. */
  private async servicesOf(tenantId: string): Promise<ActivationServiceChoice[]> {
    const customers = await this.customers
      .find({ customerTenantId: tenantId })
      .sort({ nameKey: 1 })
      .limit(100)
      .toArray();
    const partnerIds = [...new Set(customers.map((c) => c.partnerId.toHexString()))].map((id) => parseObjectId(id)!);
    const partners = partnerIds.length
      ? await this.partners.find({ _id: { $in: partnerIds } }).toArray()
      : [];
    const partnerName = new Map(partners.map((p) => [p._id.toHexString(), p.name]));
    return customers.map((c) => ({
      id: c._id.toHexString(),
      name: customerLabel(c),
      partnerName: partnerName.get(c.partnerId.toHexString()) ?? 'your provider',
      canManage: c.canManage,
    }));
  }
}
