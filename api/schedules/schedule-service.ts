import { ObjectId, type Collection } from 'mongodb';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log';
import { actorOf, type Caller } from '../auth/caller';
import type { CustomerService } from '../customers/customer-service';
import { requireRole } from '../members/member-role';
import type { SyncScheduleDocument } from './schedule-document';
import type { ScheduleSlots } from './schedule-slots';
import { nextSlot, syncScheduleSchema, type SyncSchedule } from './sync-schedule';

/** A customer's schedule as set: its own, or "default" (the partner's). */
export const customerScheduleChange = z.union([syncScheduleSchema, z.strictObject({ kind: z.literal('default') })], {
  error: 'kind must be default, off, hourly, daily or cron',
});
export type CustomerScheduleChange = z.infer<typeof customerScheduleChange>;

const scheduleView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('off') }),
  z.object({ kind: z.literal('hourly'), minute: z.number() }),
  z.object({ kind: z.literal('daily'), time: z.string(), timeZone: z.string() }),
  z.object({ kind: z.literal('cron'), expression: z.string(), timeZone: z.string() }),
]);

const slotView = z.object({
  slot: z.string(),
  /** queued: a sync was under way; the slot's sync (runId) starts when it ends. */
  state: z.enum(['claimed', 'started', 'queued', 'skipped']),
  runId: z.string().nullable(),
  reason: z.string().nullable(),
});

export const customerScheduleView = z.object({
  /** What the customer follows now. */
  schedule: scheduleView,
  source: z.enum(['customer', 'default']),
  partnerDefault: scheduleView,
  nextRunAt: z.string().nullable(),
  lastSlot: slotView.nullable(),
});
export type CustomerScheduleView = z.infer<typeof customerScheduleView>;

export const defaultScheduleView = z.object({ schedule: scheduleView, nextRunAt: z.string().nullable() });
export type DefaultScheduleView = z.infer<typeof defaultScheduleView>;

const OFF: SyncSchedule = { kind: 'off' };

/** Reads and sets customers' schedules and the partner's default, each change audited. */
export class ScheduleService {
  constructor(
    private readonly schedules: Collection<SyncScheduleDocument>,
    private readonly slots: ScheduleSlots,
    private readonly customers: CustomerService,
    private readonly audit: AuditLog,
    /** Called when a schedule becomes due sooner (the scheduler of this process looks again). */
    private readonly onChange: () => void = () => undefined,
  ) {}

  async forCustomer(caller: Caller, customerId: string): Promise<CustomerScheduleView> {
    const customer = await this.customers.require(caller, customerId);
    const [own, partnerDefault, last] = await Promise.all([
      this.schedules.findOne({ partnerId: caller.partnerId, customerId: customer._id }),
      this.schedules.findOne({ partnerId: caller.partnerId, customerId: { $exists: false } }),
      this.slots.latest(customer._id),
    ]);
    const followed = own ?? partnerDefault;
    return {
      schedule: own?.schedule ?? partnerDefault?.schedule ?? OFF,
      source: own ? 'customer' : 'default',
      partnerDefault: partnerDefault?.schedule ?? OFF,
      nextRunAt: followed?.nextRunAt?.toISOString() ?? null,
      lastSlot: last
        ? {
            slot: last.slot.toISOString(),
            state: last.outcome?.state ?? 'claimed',
            runId: last.outcome && last.outcome.state !== 'skipped' ? last.outcome.runId.toHexString() : null,
            reason: last.outcome?.state === 'skipped' ? last.outcome.reason : null,
          }
        : null,
    };
  }

  async setForCustomer(caller: Caller, customerId: string, change: CustomerScheduleChange): Promise<CustomerScheduleView> {
    requireRole(caller, 'operator');
    const customer = await this.customers.require(caller, customerId);
    const before = await this.schedules.findOne({ partnerId: caller.partnerId, customerId: customer._id });
    if (change.kind === 'default') {
      await this.schedules.deleteOne({ partnerId: caller.partnerId, customerId: customer._id });
    } else {
      await this.upsert(caller, customer._id, change);
    }
    const from = before?.schedule ?? 'default';
    const to = change.kind === 'default' ? 'default' : change;
    if (JSON.stringify(from) !== JSON.stringify(to)) {
      await this.audit.record(caller, 'customer.schedule_changed', customer._id, { from, to });
    }
    return this.forCustomer(caller, customerId);
  }

  async partnerDefault(caller: Caller): Promise<DefaultScheduleView> {
    const found = await this.schedules.findOne({ partnerId: caller.partnerId, customerId: { $exists: false } });
    return { schedule: found?.schedule ?? OFF, nextRunAt: found?.nextRunAt?.toISOString() ?? null };
  }

  async setPartnerDefault(caller: Caller, schedule: SyncSchedule): Promise<DefaultScheduleView> {
    requireRole(caller, 'admin');
    const before = await this.partnerDefault(caller);
    await this.upsert(caller, undefined, schedule);
    if (JSON.stringify(before.schedule) !== JSON.stringify(schedule)) {
      await this.audit.record(caller, 'settings.updated', undefined, { defaultSchedule: { from: before.schedule, to: schedule } });
    }
    return this.partnerDefault(caller);
  }

  /** One write; its next slot from now (a slot of the old schedule that was due is not run). */
  private async upsert(caller: Caller, customerId: ObjectId | undefined, schedule: SyncSchedule): Promise<void> {
    const now = new Date();
    const next = nextSlot(schedule, now);
    const filter = customerId ? { partnerId: caller.partnerId, customerId } : { partnerId: caller.partnerId, customerId: { $exists: false } };
    await this.schedules.updateOne(
      filter,
      {
        $set: { schedule, updatedAt: now, updatedBy: actorOf(caller), ...(next ? { nextRunAt: next } : {}) },
        ...(next ? {} : { $unset: { nextRunAt: '' } }),
        $setOnInsert: { _id: new ObjectId(), partnerId: caller.partnerId, ...(customerId ? { customerId } : {}) },
      },
      { upsert: true },
    );
    this.onChange();
  }
}
