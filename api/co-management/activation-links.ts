import type { Collection } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import { actorOf, type Caller } from '../auth/caller';
import type { CustomerService } from '../customers/customer-service';
import { NotFoundError } from '../errors';
import type { ActivationLinkDocument } from './activation-documents';
import { ACTIVATION_PAGE } from './activation-page';
import { hashOf, newToken } from './activation-tokens';

/** The activation links a partner sends: issued one at a time per customer, redeemed while not expired. */
export class ActivationLinks {
  constructor(
    private readonly links: Collection<ActivationLinkDocument>,
    private readonly customers: CustomerService,
    private readonly audit: AuditLog,
    private readonly linkDays: number,
  ) {}

  /** A new link for the customer's administrator; older links of the customer stop working. */
  async issue(caller: Caller, customerId: string, origin: string): Promise<{ url: string; expiresAt: string }> {
    const customer = await this.customers.require(caller, customerId);
    const token = newToken(24);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.linkDays * 24 * 3600 * 1000);
    await this.links.deleteMany({ customerId: customer._id });
    await this.links.insertOne({
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

  /** The link a token names, or 404 when there is none or it expired. */
  async redeem(token: string): Promise<ActivationLinkDocument> {
    const link = await this.links.findOne({ _id: hashOf(token) });
    if (!link || link.expiresAt.getTime() <= Date.now()) {
      throw new NotFoundError('This activation link is not valid any more. Ask your provider to send you a new one.');
    }
    return link;
  }
}
