import { ObjectId, type Collection } from 'mongodb';
import { defineCollection } from '../storage/collection-definition';
import { isDuplicateKeyError } from '../storage/duplicate-key';

/**
 * A schedule's slot, claimed by the instance that runs it: one document per
 * customer and slot, unique, so however many instances run the scheduler each
 * slot is run once. What became of it (the sync started or queued, or why
 * not) is kept with it.
 */
export interface ScheduleSlotDocument {
  _id: ObjectId;
  partnerId: ObjectId;
  customerId: ObjectId;
  /** When the slot was due. */
  slot: Date;
  claimedBy: string;
  claimedAt: Date;
  /** Claimed again by the instance that took its schedule over: the first claimer stopped before recording what it did. */
  takenOver?: boolean;
  outcome?: SlotOutcome;
}

/** What a slot did: started a sync, queued one behind the sync under way (`after`), or started none (why). */
export type SlotOutcome =
  | { state: 'started'; runId: ObjectId }
  | { state: 'queued'; runId: ObjectId; after: ObjectId }
  | { state: 'skipped'; reason: string };

export const scheduleSlotCollection = defineCollection<ScheduleSlotDocument>('scheduleSlots', [
  { key: { customerId: 1, slot: 1 }, unique: true, name: 'customer_slot_unique' },
]);

/** Claims and records schedule slots. */
export class ScheduleSlots {
  constructor(private readonly slots: Collection<ScheduleSlotDocument>) {}

  /**
   * True for the one caller that claims this customer's slot first; every
   * other claim of it is false. With `unfinishedBefore` (the caller holds the
   * schedule's lease, so any earlier holder's ran out), a slot another
   * instance claimed before that time and recorded nothing for is claimed
   * again: that instance stopped before starting its sync. A slot claimed
   * since may be one a live instance is starting right now (a stalled holder
   * whose lease was taken over): it is left to that instance.
   */
  async claim(slot: { partnerId: ObjectId; customerId: ObjectId; slot: Date }, owner: string, { unfinishedBefore }: { unfinishedBefore?: Date } = {}): Promise<boolean> {
    try {
      await this.slots.insertOne({ _id: new ObjectId(), ...slot, claimedBy: owner, claimedAt: new Date() });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    if (!unfinishedBefore) return false;
    const again = await this.slots.updateOne(
      { customerId: slot.customerId, slot: slot.slot, outcome: { $exists: false }, claimedBy: { $ne: owner }, claimedAt: { $lt: unfinishedBefore } },
      { $set: { claimedBy: owner, claimedAt: new Date(), takenOver: true } },
    );
    return again.modifiedCount > 0;
  }

  /** What the claimed slot did: the sync it started or queued, or why it started none. */
  async record(customerId: ObjectId, slot: Date, outcome: SlotOutcome): Promise<void> {
    await this.slots.updateOne({ customerId, slot }, { $set: { outcome } });
  }

  /** The latest slot claimed for the customer, if any (the Details view shows what it did). */
  async latest(customerId: ObjectId): Promise<ScheduleSlotDocument | null> {
    return this.slots.find({ customerId }).sort({ slot: -1 }).limit(1).next();
  }
}
