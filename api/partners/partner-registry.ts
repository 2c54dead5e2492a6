import type { Collection, ObjectId } from 'mongodb';
import { z } from 'zod';
import type { NewMembersRule, PartnerDocument } from './partner-document';

export const partnerRegistrationSchema = z.object({
  tenantId: z.string().trim().min(1, 'a tenant id is required').max(100),
  name: z.string().trim().min(1, 'a partner name is required').max(200),
});
export type PartnerRegistration = z.infer<typeof partnerRegistrationSchema>;

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

  /** Registers a partner, or renames it when the tenant is already registered. */
  async register(input: PartnerRegistration): Promise<{ partner: PartnerDocument; created: boolean }> {
    const { tenantId, name } = partnerRegistrationSchema.parse(input);
    const result = await this.partners.updateOne(
      { tenantId },
      { $set: { name }, $setOnInsert: { tenantId, createdAt: new Date() } },
      { upsert: true },
    );
    this.cache.delete(tenantId);
    const partner = await this.partners.findOne({ tenantId });
    if (!partner) throw new Error(`partner ${tenantId} vanished after registration`);
    return { partner, created: result.upsertedCount === 1 };
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
