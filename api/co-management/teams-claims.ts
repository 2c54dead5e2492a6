import type { Collection, ObjectId } from 'mongodb';
import { defineCollection } from '../storage/collection-definition';
import { isDuplicateKeyError } from '../storage/duplicate-key';

/** One number or one user of a tenant, held by the assignment under way for it. */
export interface TeamsClaimDocument {
  /** `{tenantId}:number:{e164}` or `{tenantId}:user:{userId}`: unique, so only one holder. */
  _id: string;
  operationId: ObjectId;
  /** A holder whose process died frees it by then (TTL index, and checked on conflict). */
  expiresAt: Date;
}

export const teamsClaimCollection = defineCollection<TeamsClaimDocument>('teamsClaims', [
  { key: { expiresAt: 1 }, expireAfterSeconds: 0, name: 'expiry_ttl' },
]);

/**
 * Claims taken before Microsoft is asked to assign or unassign, so two
 * requests at once (two partners' users, two instances) cannot both reach
 * Microsoft for the same number or the same user. Unique `_id` inserts: the
 * same on MongoDB and the embedded database.
 */
export class TeamsClaims {
  constructor(
    private readonly claims: Collection<TeamsClaimDocument>,
    private readonly holdMs: number,
  ) {}

  /** Takes the number and the user for the operation, or answers the operation that holds one of them. */
  async take(tenantId: string, telephoneNumber: string, userId: string, operationId: ObjectId): Promise<{ heldBy?: ObjectId }> {
    const keys = [`${tenantId}:number:${telephoneNumber}`, `${tenantId}:user:${userId}`];
    const taken: string[] = [];
    for (const key of keys) {
      const holder = await this.takeOne(key, operationId);
      if (holder) {
        await this.claims.deleteMany({ _id: { $in: taken }, operationId });
        return { heldBy: holder };
      }
      taken.push(key);
    }
    return {};
  }

  async release(operationId: ObjectId): Promise<void> {
    await this.claims.deleteMany({ operationId });
  }

  private async takeOne(key: string, operationId: ObjectId, retried = false): Promise<ObjectId | undefined> {
    try {
      await this.claims.insertOne({ _id: key, operationId, expiresAt: new Date(Date.now() + this.holdMs) });
      return undefined;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const holder = await this.claims.findOne({ _id: key });
    if (!holder) return retried ? operationId : this.takeOne(key, operationId, true);
    if (holder.expiresAt.getTime() > Date.now() || retried) return holder.operationId;
    // Its holder died long ago: free it (only that holder's claim) and try once more.
    await this.claims.deleteOne({ _id: key, operationId: holder.operationId });
    return this.takeOne(key, operationId, true);
  }
}
