import type { ObjectId } from 'mongodb';
import type { Actor } from '../auth/caller';
import type { Leasable } from '../leases/leases';
import { defineCollection } from '../storage/collection-definition';
import type { SyncSchedule } from './sync-schedule';

/**
 * A schedule: a customer's own, or (no customerId) the partner's default,
 * which every customer without one of its own follows. It carries when it is
 * next due, so the scheduler finds what is due with one indexed read, and a
 * lease while an instance starts its slot's syncs (api/leases).
 */
export interface SyncScheduleDocument extends Leasable {
  _id: ObjectId;
  partnerId: ObjectId;
  customerId?: ObjectId;
  schedule: SyncSchedule;
  /** The next slot; none when the schedule is off. */
  nextRunAt?: Date;
  updatedAt: Date;
  updatedBy: Actor;
}

export const syncScheduleCollection = defineCollection<SyncScheduleDocument>('syncSchedules', [
  { key: { partnerId: 1, customerId: 1 }, unique: true, name: 'partner_customer_unique' },
  { key: { nextRunAt: 1 }, name: 'next_run' },
]);
