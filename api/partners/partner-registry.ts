import type { Collection, ObjectId } from 'mongodb';
import { z } from 'zod';
import { backendAccountIdSchema } from '../backend/account-id';
import { ConflictError } from '../errors';
import { isDuplicateKeyError } from '../storage/duplicate-key';
import type { NewMembersRule, PartnerDocument } from './partner-document';

const resellerAccountSchema = backendAccountIdSchema('the reseller account');

export const partnerRegistrationSchema = z.object({
  tenantId: z.string().trim().min(1, 'a tenant id is required').max(100),
  name: z.string().trim().min(1, 'a partner name is required').max(200),
  /** The partner's reseller account on the backend; unchanged when left out. */
  backendAccountId: resellerAccountSchema.optional(),
});
export type PartnerRegistration = z.input<typeof partnerRegistrationSchema>;

/**
 * Registered partners. Looked up on every request, so registrations are cached
 * for a short time; misses are not cached, so a new partner works at once.
 */
export class PartnerRegistry {
  private readonly cache = new Map<string, { partner: PartnerDocument; until: number }>();

  constructor(
    private readonly partners: Collection<PartnerDocument>,
    private readonly cacheSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async findByTenantId(tenantId: string): Promise<PartnerDocument | null> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.until > this.now()) return cached.partner;
    const partner = await this.partners.findOne({ tenantId });
    if (partner && this.cacheSeconds > 0) {
      this.cache.set(tenantId, { partner, until: this.now() + this.cacheSeconds * 1000 });
    } else {
      this.cache.delete(tenantId);
    }
    return partner;
  }

  /** Registers a partner, or renames it (and sets its reseller account, when given) when the tenant is already registered. */
  async register(input: PartnerRegistration): Promise<{ partner: PartnerDocument; created: boolean }> {
    const { tenantId, name, backendAccountId } = partnerRegistrationSchema.parse(input);
    let result;
    try {
      result = await this.partners.updateOne(
        { tenantId },
        { $set: { name, ...(backendAccountId ? { backendAccountId } : {}) }, $setOnInsert: { tenantId, createdAt: new Date() } },
        { upsert: true },
      );
    } catch (error) {
      // Only the reseller account can collide here: the tenant is the upsert's own filter.
      throw isDuplicateKeyError(error) && backendAccountId ? await this.resellerTaken(backendAccountId) : error;
    }
    this.cache.delete(tenantId);
    const partner = await this.partners.findOne({ tenantId });
    if (!partner) throw new Error(`partner ${tenantId} vanished after registration`);
    return { partner, created: result.upsertedCount === 1 };
  }

  /**
   * Sets the partner's reseller account on the backend (the carrier's
   * operator, `npm run partner -- backend-account`); what it was before.
   * Customers created under the old one are checked against the new one at
   * their next sync.
   */
  async setBackendAccount(tenantId: string, backendAccountId: string): Promise<{ partner: PartnerDocument; before: string | null }> {
    const accountId = resellerAccountSchema.parse(backendAccountId);
    let before;
    try {
      before = await this.partners.findOneAndUpdate({ tenantId }, { $set: { backendAccountId: accountId } }, { returnDocument: 'before' });
    } catch (error) {
      throw isDuplicateKeyError(error) ? await this.resellerTaken(accountId) : error;
    }
    this.cache.delete(tenantId);
    if (!before) throw new ConflictError('partner_not_registered', `No partner is registered for tenant ${tenantId}`);
    return { partner: { ...before, backendAccountId: accountId }, before: before.backendAccountId ?? null };
  }

  /** The partner's reseller account, read fresh: a change by the carrier applies to the very next check. */
  async backendAccountOf(partnerId: ObjectId): Promise<string | null> {
    const partner = await this.partners.findOne({ _id: partnerId }, { projection: { backendAccountId: 1 } });
    return partner?.backendAccountId ?? null;
  }

  /** Which of these backend accounts are partners' reseller accounts (one read). */
  async registeredResellers(accountIds: readonly string[]): Promise<Set<string>> {
    if (accountIds.length === 0) return new Set();
    const partners = await this.partners.find({ backendAccountId: { $in: [...new Set(accountIds)] } }, { projection: { backendAccountId: 1 } }).toArray();
    return new Set(partners.map((partner) => partner.backendAccountId!));
  }

  /** One partner per reseller account: the operator is told who holds it (this is the carrier's own tool). */
  private async resellerTaken(backendAccountId: string): Promise<ConflictError> {
    const holder = await this.partners.findOne({ backendAccountId }, { projection: { tenantId: 1, name: 1 } });
    return new ConflictError(
      'reseller_account_taken',
      `The reseller account ${backendAccountId} belongs to partner "${holder?.name ?? '?'}" (tenant ${holder?.tenantId ?? '?'}) already: one partner per reseller account`,
    );
  }

  /** Read fresh, not from the cache: an Admin's change of the rule applies to the next sign-in. */
  async newMembersRule(partnerId: ObjectId): Promise<NewMembersRule> {
    const partner = await this.partners.findOne({ _id: partnerId }, { projection: { newMembers: 1 } });
    return partner?.newMembers ?? 'viewer';
  }

  async setNewMembersRule(partnerId: ObjectId, rule: NewMembersRule): Promise<NewMembersRule> {
    const before = await this.partners.findOneAndUpdate({ _id: partnerId }, { $set: { newMembers: rule } }, { returnDocument: 'before' });
    for (const [tenantId, cached] of this.cache) if (cached.partner._id.equals(partnerId)) this.cache.delete(tenantId);
    return before?.newMembers ?? 'viewer';
  }

  list(): Promise<PartnerDocument[]> {
    return this.partners.find({}).sort({ name: 1 }).toArray();
  }
}
