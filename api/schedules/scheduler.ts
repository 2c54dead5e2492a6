import { ObjectId, type Collection } from 'mongodb';
import type { Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import { AppError } from '../errors';
import { Leases, processOwner, unheld, type LeaseClaimDocument } from '../leases/leases';
import { LookLoop } from '../leases/look-loop';
import type { Logger } from '../logging/logger';
import type { PartnerDocument } from '../partners/partner-document';
import type { SyncScheduleDocument } from './schedule-document';
import type { ScheduleSlots, SlotOutcome } from './schedule-slots';
import type { SyncService } from '../sync/sync-service';
import { latestSlot, nextSlot } from './sync-schedule';

export interface SchedulerOptions {
  /** How often an instance looks for due schedules: its round trips when nothing is due are one per look. */
  pollMs: number;
  /** How long an instance holds a due schedule while it starts its syncs. */
  leaseSeconds: number;
}

/** Starts a scheduled sync: the run started, or, while a sync was under way (`after`), the run queued behind it. */
export type StartScheduledSync = (
  caller: Caller,
  customerId: string,
) => Promise<{ started: true; runId: string } | { started: false; runId: string; after: string }>;

/** The scheduled sync as the app starts it: a sync with trigger `scheduled`; while one is under way, the run queued behind it. */
export function scheduledSync(sync: Pick<SyncService, 'start'>): StartScheduledSync {
  return async (caller, customerId) => {
    const { run, started, queuedAfter } = await sync.start(caller, customerId, { trigger: 'scheduled' });
    return started || !queuedAfter ? { started: true, runId: run.id } : { started: false, runId: run.id, after: queuedAfter };
  };
}

/** Who a scheduled sync is recorded as (sync history, audit). */
export const SCHEDULER_ACTOR = { oid: 'scheduler', name: 'Scheduled sync' } as const;

/** What one look found and did (tests, the bench). */
export interface SchedulerLook {
  schedules: number;
  started: number;
  /** Slots that found a sync under way: their sync is queued behind it. */
  queued: number;
  skipped: number;
  /** Slots another instance had claimed already. */
  claimedElsewhere: number;
}

/**
 * Runs in every instance: looks for schedules that are due, claims one with
 * a lease (so one instance starts a partner default's many syncs, and another
 * finishes if it stops), claims each customer's slot (unique: each slot runs
 * one sync, whatever the number of instances) and starts the sync. After
 * downtime a schedule is due once: its latest slot runs, not every missed one.
 */
export class Scheduler {
  private readonly leases: Leases<SyncScheduleDocument>;
  private readonly log: Logger;
  private readonly loop: LookLoop;

  constructor(
    private readonly collections: {
      schedules: Collection<SyncScheduleDocument>;
      customers: Collection<CustomerDocument>;
      partners: Collection<PartnerDocument>;
      claims: Collection<LeaseClaimDocument>;
    },
    private readonly slots: ScheduleSlots,
    private readonly startSync: StartScheduledSync,
    private readonly options: SchedulerOptions,
    logger: Logger,
    readonly owner = processOwner(),
    /** The clock (tests and the bench move it). */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.leases = new Leases(collections.schedules, collections.claims, owner, options.leaseSeconds * 1000);
    this.log = logger.child({ component: 'scheduler', owner });
    this.loop = new LookLoop(() => this.look(), options.pollMs, (error) => this.log.warn({ err: error }, 'could not look for due schedules'));
  }

  start(): void {
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
  }

  kick(): void {
    this.loop.kick();
  }

  async idle(): Promise<void> {
    while (this.loop.current) await this.loop.current;
  }

  /** Starts every due schedule's slot, one schedule after another, until none is due. */
  async look(): Promise<SchedulerLook> {
    const look: SchedulerLook = { schedules: 0, started: 0, queued: 0, skipped: 0, claimedElsewhere: 0 };
    // Each partner read once a look, however many of its schedules are due.
    const partners = new Map<string, Promise<Caller | undefined>>();
    for (;;) {
      const now = this.now();
      // Leases run on real time; what is due, on the scheduler's clock.
      const schedule = await this.leases.claim({ nextRunAt: { $lte: now }, ...unheld(new Date()) }, { sort: { nextRunAt: 1 } });
      if (!schedule) return look;
      look.schedules++;
      const key = schedule.partnerId.toHexString();
      if (!partners.has(key)) partners.set(key, this.callerFor(schedule.partnerId));
      await this.run(schedule, await partners.get(key)!, now, look);
    }
  }

  /** The scheduler acting for a partner: an Operator, recorded as "Scheduled sync". */
  private async callerFor(partnerId: ObjectId): Promise<Caller | undefined> {
    const partner = await this.collections.partners.findOne({ _id: partnerId }, { projection: { tenantId: 1, name: 1 } });
    if (!partner) return undefined;
    return {
      partnerId: partner._id,
      partnerName: partner.name,
      tenantId: partner.tenantId,
      userId: SCHEDULER_ACTOR.oid,
      userName: SCHEDULER_ACTOR.name,
      role: 'operator',
    };
  }

  private async run(schedule: SyncScheduleDocument, caller: Caller | undefined, now: Date, look: SchedulerLook): Promise<void> {
    // The latest slot: after downtime, one run however many slots were missed (catch-up).
    const slot = latestSlot(schedule.schedule, now);
    if (!slot || !caller) {
      await this.leases.release(schedule._id, { unset: ['nextRunAt'] });
      return;
    }
    // Renewed while a partner default's many syncs start, so no other instance takes the schedule over meanwhile.
    let lost = false;
    const letGo = this.leases.keep(schedule._id, () => {
      lost = true;
    });
    try {
      const customers = await this.customersOf(schedule);
      for (const customerId of customers) {
        if (lost) break;
        // This instance holds the schedule: a slot claimed by an instance whose hold ran out, with nothing recorded, is claimed
        // again. That instance renewed its hold every third of a lease while it claimed, and its hold ran out a whole lease
        // after its last renewal, so what it claimed is older than half a lease; a younger claim is a live instance's.
        const unfinishedBefore = new Date(Date.now() - (this.options.leaseSeconds * 1000) / 2);
        const claimed = await this.slots.claim({ partnerId: schedule.partnerId, customerId, slot }, this.owner, { unfinishedBefore });
        if (!claimed) {
          look.claimedElsewhere++;
          continue;
        }
        const outcome = await this.startOne(caller, customerId);
        look[outcome.state]++;
        await this.slots.record(customerId, slot, outcome);
      }
    } finally {
      letGo();
    }
    if (lost) {
      this.log.warn({ scheduleId: schedule._id.toHexString(), slot }, 'lost the hold on a schedule: another instance finishes its slot');
      return;
    }
    // The slot is started: the schedule is next due at its next slot after now, never at one already past.
    const next = nextSlot(schedule.schedule, new Date(Math.max(this.now().getTime(), slot.getTime())));
    await this.leases.release(schedule._id, next ? { set: { nextRunAt: next } } : { unset: ['nextRunAt'] });
    this.log.debug({ scheduleId: schedule._id.toHexString(), slot, next }, 'started a scheduled slot');
  }

  /** The customer of its own schedule, or every customer of the partner that follows the default. */
  private async customersOf(schedule: SyncScheduleDocument): Promise<ObjectId[]> {
    if (schedule.customerId) return [schedule.customerId];
    const [customers, own] = await Promise.all([
      this.collections.customers.find({ partnerId: schedule.partnerId }, { projection: { _id: 1 } }).toArray(),
      this.collections.schedules.find({ partnerId: schedule.partnerId, customerId: { $exists: true } }, { projection: { customerId: 1 } }).toArray(),
    ]);
    const ownSchedule = new Set(own.map((s) => s.customerId!.toHexString()));
    return customers.map((c) => c._id).filter((id) => !ownSchedule.has(id.toHexString()));
  }

  private async startOne(caller: Caller, customerId: ObjectId): Promise<SlotOutcome> {
    try {
      const started = await this.startSync(caller, customerId.toHexString());
      return started.started
        ? { state: 'started', runId: new ObjectId(started.runId) }
        : { state: 'queued', runId: new ObjectId(started.runId), after: new ObjectId(started.after) };
    } catch (error) {
      // A refusal (the customer gone, the backend account unknown) is the slot's outcome, not the scheduler's failure.
      if (!(error instanceof AppError)) throw error;
      return { state: 'skipped', reason: error.message };
    }
  }
}
