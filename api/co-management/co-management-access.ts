import type { Collection } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import type { Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import { customerLabel } from '../customers/customer-label';
import type { CustomerService } from '../customers/customer-service';
import { AppError, ForbiddenError } from '../errors';
import type { GraphClient } from '../graph/graph-client';
import type { TeamsDirectory } from './teams-directory';

/** What co-management reaches Microsoft with; none when the portal has no Entra app secret. */
export interface CoManagementMicrosoft {
  graph: GraphClient;
  directory: TeamsDirectory;
}

/**
 * The rule of co-management: the customer allows it now, checked in the
 * database on every call and once more right before a change reaches
 * Microsoft. A refusal is audited.
 */
export class CoManagementAccess {
  constructor(
    private readonly customerDocuments: Collection<CustomerDocument>,
    private readonly customers: CustomerService,
    private readonly audit: AuditLog,
    private readonly microsoft: CoManagementMicrosoft | undefined,
  ) {}

  /** The rule: the customer allows co-management now. Checked in the database on every call. */
  async manageable(caller: Caller, customerId: string, what: string) {
    const customer = await this.customers.require(caller, customerId);
    if (!customer.canManage || !customer.customerTenantId) throw await this.refusal(caller, customer, what);
    if (!this.microsoft) {
      throw new AppError(503, 'co_management_not_configured', 'Co-management is not configured: the operator must set ENTRA_CLIENT_SECRET.');
    }
    return { customer, tenantId: customer.customerTenantId, ...this.microsoft };
  }

  /** The rule again, right before a change reaches Microsoft, for the same tenant. */
  async stillAllowed(caller: Caller, customer: CustomerDocument, what: string): Promise<void> {
    const now = await this.customerDocuments.findOne({ _id: customer._id, partnerId: caller.partnerId });
    if (!now || !now.canManage || now.customerTenantId !== customer.customerTenantId) {
      throw await this.refusal(caller, now ?? customer, what);
    }
  }

  private async refusal(caller: Caller, customer: CustomerDocument, what: string): Promise<ForbiddenError> {
    await this.audit.record(caller, 'teams.refused', customer._id, { what, reason: 'co_management_off' });
    const when = customer.coManagement?.changedAt;
    return new ForbiddenError(
      'co_management_off',
      when && !customer.canManage
        ? `${customerLabel(customer)} switched co-management off on ${when.toISOString().slice(0, 10)}: its Teams users and numbers can no longer be managed from the portal.`
        : `${customerLabel(customer)} has not allowed co-management. Send its administrator the activation link (Details, Send activation link).`,
    );
  }
}
