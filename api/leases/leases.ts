import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Collection, Filter, ObjectId, Sort, UpdateFilter } from 'mongodb';
import { defineCollection } from '../storage/collection-definition';
import { isDuplicateKeyError } from '../storage/duplicate-key';

/**
 * The one lease mechanism of the portal: work stored in MongoDB (a job, a
 * schedule's slot, a bot's follow-up) is claimed by the process that runs it
 * for a while, renewed while it runs; when that process stops (kill -9, a
 * deploy), its lease runs out and another process claims the work.
 */
export interface Lease {
  owner: string;
  until: Date;
}

/** A document that can be claimed: its lease while held, and how many times it was claimed. */
export interface Leasable {
  _id: ObjectId;
  lease?: Lease;
  claims?: number;
}

/**
 * A claim, confirmed by its unique id (collection, document and claim
 * number): of two processes that claimed a document at the same moment, one
 * inserts it and goes on, the other leaves it. MongoDB's findOneAndUpdate
 * makes that race impossible already; the embedded emulator's does not
 * (DESIGN.md).
 */
export interface LeaseClaimDocument {
  _id: string;
  owner: string;
  at: Date;
}

export const leaseClaimCollection = defineCollection<LeaseClaimDocument>('leaseClaims');

/** This process, as the leases it takes name it. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** The filter of documents nobody holds now: never claimed, given up, or whose holder stopped. */
export function unheld(now: Date): Filter<Leasable> {
  return { $or: [{ lease: { $exists: false } }, { 'lease.until': { $lt: now } }] };
}

/** Claims, renews and gives up leases on the documents of one collection, for one process. */
export class Leases<T extends Leasable> {
  constructor(
    private readonly documents: Collection<T>,
    private readonly claims: Collection<LeaseClaimDocument>,
    readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /**
   * Claims the first document matching `filter` (which says which ones are
   * free: see `unheld`), with `set` applied in the same write; null when none
   * is free or another process confirmed the same claim first.
   */
  async claim(filter: Filter<T>, options: { set?: Record<string, unknown>; sort?: Sort } = {}): Promise<T | null> {
    const claimed = await this.documents.findOneAndUpdate(
      filter,
      { $set: { ...options.set, lease: { owner: this.owner, until: this.until() } }, $inc: { claims: 1 } } as unknown as UpdateFilter<T>,
      { returnDocument: 'after', ...(options.sort ? { sort: options.sort } : {}) },
    );
    if (!claimed) return null;
    return (await this.confirm(claimed as T)) ? (claimed as T) : null;
  }

  /** Renews this process's lease; false when it lost it (another process holds the document now). */
  async renew(id: ObjectId, set: Record<string, unknown> = {}): Promise<boolean> {
    const renewed = await this.documents.updateOne(this.held(id), { $set: { ...set, 'lease.until': this.until() } } as unknown as UpdateFilter<T>);
    return renewed.matchedCount > 0;
  }

  /**
   * Renews the lease every third of its length until the returned function is
   * called; `lost` is called once if a renewal finds the lease gone.
   */
  keep(id: ObjectId, lost: () => void): () => void {
    let told = false;
    const timer = setInterval(() => {
      this.renew(id).then(
        (held) => {
          if (!held && !told) {
            told = true;
            lost();
          }
        },
        () => undefined,
      );
    }, this.leaseMs / 3);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Gives the lease up, with `set` and `unset` applied in the same write; false when this process no longer held it. */
  async release(id: ObjectId, change: { set?: Record<string, unknown>; unset?: string[] } = {}): Promise<boolean> {
    const unset = Object.fromEntries([...(change.unset ?? []), 'lease'].map((field) => [field, '']));
    const released = await this.documents.updateOne(this.held(id), {
      ...(change.set && Object.keys(change.set).length > 0 ? { $set: change.set } : {}),
      $unset: unset,
    } as unknown as UpdateFilter<T>);
    return released.matchedCount > 0;
  }

  /** The filter of the document while this process holds it. */
  held(id: ObjectId): Filter<T> {
    return { _id: id, 'lease.owner': this.owner } as unknown as Filter<T>;
  }

  /** When a lease taken now runs out. */
  until(): Date {
    return new Date(Date.now() + this.leaseMs);
  }

  private confirm(document: T): Promise<boolean> {
    return confirmClaim(
      this.claims,
      `${this.documents.collectionName}:${document._id.toHexString()}:${document.claims ?? 0}`,
      this.owner,
      async () => (await this.documents.countDocuments(this.held(document._id), { limit: 1 })) > 0,
    );
  }
}

/**
 * Confirms a claim made with a conditional write that counted itself (`$inc`
 * of a claim number, read back as `claimId`): true for the one claimer that
 * inserts the claim first and that `stillHeld` still names. Every claim on a
 * document goes through it, whatever the fields that hold the lease (a sync's
 * lease on its customer has its own).
 */
export async function confirmClaim(
  claims: Collection<LeaseClaimDocument>,
  claimId: string,
  owner: string,
  stillHeld: () => Promise<boolean>,
): Promise<boolean> {
  try {
    await claims.insertOne({ _id: claimId, owner, at: new Date() });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return false;
  }
  // The emulator can also give two claimers different claim numbers (both
  // updates applied): the document then names only the later one as holder.
  return stillHeld();
}
