import { ObjectId, type Collection } from 'mongodb';
import { z } from 'zod';
import type { Caller } from '../auth/caller';
import type { FollowUpRunner, FollowUpStep } from '../follow-ups/follow-up-runner';
import { CustomerSyncLease } from './sync-lease';
import type { SyncLauncher } from './sync-launcher';
import type { SyncRunDocument } from './sync-run-document';

/** The follow-up kind that makes sure a queued run starts (api/follow-ups). */
export const QUEUED_SYNC_KIND = 'sync.queued';

/** Looked at a little after the lease it waits for would run out, so the holder's last renewal is in. */
const AFTER_LEASE_MS = 250;
/** A run waiting longer than this is left to the next request, schedule or read of it (each starts it too). */
const WATCH_LIFETIME_MS = 24 * 60 * 60 * 1000;

const subject = z.object({ runId: z.string(), customerId: z.string() });

/**
 * Makes sure a queued run starts even when the process of the run it waits
 * for stops (kill -9) and so never hands its lease over: a stored follow-up,
 * due when that lease would run out, that any instance claims (with the one
 * lease mechanism), and that starts the queued run once the customer's lease
 * is free, or looks again when the lease was renewed meanwhile. The lease
 * decides which process starts it, so it starts once.
 */
export class QueuedSyncWatch {
  constructor(
    private readonly followUps: FollowUpRunner,
    private readonly runs: Collection<SyncRunDocument>,
    private readonly lease: CustomerSyncLease,
    private readonly launcher: SyncLauncher,
  ) {
    followUps.register(QUEUED_SYNC_KIND, (followUp) => this.look(subject.parse(followUp.subject)));
  }

  /** Watches `runId`, queued behind a run whose lease runs out at `until`. */
  async watch(caller: Caller, runId: ObjectId, customerId: ObjectId, until: Date): Promise<void> {
    await this.followUps.add(caller, {
      kind: QUEUED_SYNC_KIND,
      subject: { runId: runId.toHexString(), customerId: customerId.toHexString() },
      dueAt: new Date(until.getTime() + AFTER_LEASE_MS),
      lifetimeMs: WATCH_LIFETIME_MS,
    });
  }

  private async look({ runId, customerId }: z.infer<typeof subject>): Promise<FollowUpStep> {
    const id = new ObjectId(runId);
    const customer = new ObjectId(customerId);
    if (!(await this.stillQueued(id))) return { final: true };
    const started = await this.launcher.resume(customer);
    if (started?._id.equals(id) || !(await this.stillQueued(id))) return { final: true };
    const seen = await this.lease.read(customer);
    if (!(await this.stillQueued(id))) return { final: true };
    const named = seen && (seen.syncQueued?.runId.equals(id) || seen.syncLease?.runId.equals(id));
    if (!named) {
      // Queued by a request whose process stopped before it was confirmed, or its customer is gone: nobody waits on it.
      await this.launcher.markInterrupted(id);
      return { final: true };
    }
    const now = Date.now();
    const wait = CustomerSyncLease.live(seen) ? seen.syncLease.until.getTime() - now + AFTER_LEASE_MS : AFTER_LEASE_MS;
    return { final: false, againInMs: Math.max(AFTER_LEASE_MS, wait) };
  }

  private async stillQueued(runId: ObjectId): Promise<boolean> {
    return (await this.runs.countDocuments({ _id: runId, state: 'queued' }, { limit: 1 })) > 0;
  }
}
