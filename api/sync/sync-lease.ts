import { randomUUID } from 'node:crypto';
import type { Collection, Filter, ObjectId } from 'mongodb';
import type { CustomerDocument } from '../customers/customer-document';
import { confirmClaim, type LeaseClaimDocument } from '../leases/leases';

/** The customer's lease and queue, as one read saw them. */
export type SeenLease = Pick<CustomerDocument, '_id' | 'syncLease' | 'syncQueued' | 'syncClaims'>;

/** A lease this process took: the run it is for, and the claim that tells it from another claimer's. */
export interface HeldLease {
  customerId: ObjectId;
  runId: ObjectId;
  claim: string;
}

/**
 * The customer's sync lease (one real run at a time, across processes) and
 * its queue (the one run that starts when that run ends). Every change is a
 * conditional write pinned to the state a read saw, counted (`syncClaims`)
 * and confirmed as api/leases confirms its claims: the emulator can apply two
 * conditional writes of the same moment, and only one of them may stand.
 */
export class CustomerSyncLease {
  constructor(
    private readonly customers: Collection<CustomerDocument>,
    private readonly claims: Collection<LeaseClaimDocument>,
    readonly owner: string,
    readonly leaseMs: number,
  ) {}

  read(customerId: ObjectId): Promise<SeenLease | null> {
    return this.customers.findOne({ _id: customerId }, { projection: { syncLease: 1, syncQueued: 1, syncClaims: 1 } });
  }

  /** Whether someone holds the lease now: taken and not run out. */
  static live(seen: SeenLease, now = new Date()): seen is SeenLease & { syncLease: NonNullable<SeenLease['syncLease']> } {
    return seen.syncLease !== undefined && seen.syncLease.until >= now;
  }

  /**
   * Takes the lease for `runId` in place of what `seen` shows (no lease, or
   * one that ran out, or this process's own when it hands over); when `runId`
   * is the queued run it leaves the queue in the same write. Null when the
   * customer changed since `seen`, or another claimer's write stands.
   */
  async take(seen: SeenLease, runId: ObjectId): Promise<HeldLease | null> {
    const now = new Date();
    const claim = randomUUID();
    const fromQueue = seen.syncQueued?.runId.equals(runId) ?? false;
    const taken = await this.customers.findOneAndUpdate(
      this.pinned(seen),
      {
        $set: {
          syncLease: { runId, until: this.until(), claim },
          lastSync: { runId, state: 'queued', startedAt: now },
        },
        ...(fromQueue ? { $unset: { syncQueued: '' } } : {}),
        $inc: { syncClaims: 1 },
      },
      { returnDocument: 'after', projection: { syncClaims: 1 } },
    );
    if (!taken) return null;
    const confirmed = await this.confirm(taken, { 'syncLease.claim': claim });
    return confirmed ? { customerId: seen._id, runId, claim } : null;
  }

  /**
   * Queues `runId` behind the run holding the lease in `seen`, when nothing
   * is queued yet; false when another queued run stands (or the holder left).
   */
  async queue(seen: SeenLease & { syncLease: NonNullable<SeenLease['syncLease']> }, runId: ObjectId): Promise<boolean> {
    const queued = await this.customers.findOneAndUpdate(
      { _id: seen._id, 'syncLease.runId': seen.syncLease.runId, syncQueued: { $exists: false } },
      { $set: { syncQueued: { runId, after: seen.syncLease.runId, at: new Date() } }, $inc: { syncClaims: 1 } },
      { returnDocument: 'after', projection: { syncClaims: 1 } },
    );
    return queued !== null && (await this.confirm(queued, { 'syncQueued.runId': runId }));
  }

  /** Takes a queued run that can never start (gone, or started after all) off the queue. */
  async dropQueued(customerId: ObjectId, runId: ObjectId): Promise<void> {
    await this.customers.updateOne({ _id: customerId, 'syncQueued.runId': runId }, { $unset: { syncQueued: '' } });
  }

  /** Renews the lease; false when this claim no longer holds it. */
  async renew(held: HeldLease): Promise<boolean> {
    const renewed = await this.customers.updateOne(this.heldBy(held), { $set: { 'syncLease.until': this.until() } });
    return renewed.matchedCount > 0;
  }

  /** Gives the lease up when nothing is queued (a queued run gets it handed over instead); false when that is not so. */
  async release(held: HeldLease): Promise<boolean> {
    const released = await this.customers.updateOne({ ...this.heldBy(held), syncQueued: { $exists: false } }, { $unset: { syncLease: '' } });
    return released.matchedCount > 0;
  }

  /** The customer as `seen` saw its lease and queue (a renewal since changes `until`: then the holder is alive). */
  private pinned(seen: SeenLease): Filter<CustomerDocument> {
    return {
      _id: seen._id,
      ...(seen.syncLease
        ? { 'syncLease.runId': seen.syncLease.runId, 'syncLease.until': seen.syncLease.until }
        : { syncLease: { $exists: false } }),
      ...(seen.syncQueued ? { 'syncQueued.runId': seen.syncQueued.runId } : { syncQueued: { $exists: false } }),
    };
  }

  private heldBy(held: HeldLease): Filter<CustomerDocument> {
    return { _id: held.customerId, 'syncLease.runId': held.runId, 'syncLease.claim': held.claim };
  }

  private confirm(written: Pick<CustomerDocument, '_id' | 'syncClaims'>, stands: Filter<CustomerDocument>): Promise<boolean> {
    return confirmClaim(
      this.claims,
      `customers:${written._id.toHexString()}:sync:${written.syncClaims ?? 0}`,
      this.owner,
      async () => (await this.customers.countDocuments({ _id: written._id, ...stands }, { limit: 1 })) > 0,
    );
  }

  private until(): Date {
    return new Date(Date.now() + this.leaseMs);
  }
}
