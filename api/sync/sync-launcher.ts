import type { Collection, ObjectId } from 'mongodb';
import type { Logger } from '../logging/logger';
import { CustomerSyncLease, type HeldLease, type SeenLease } from './sync-lease';
import type { SyncRunDocument } from './sync-run-document';
import type { SyncRunner } from './sync-runner';

const INTERRUPTED = 'The run was interrupted (its process stopped); a later run completes its work';

/**
 * Runs sync runs in this process: renews a real run's lease while it runs
 * and, when it ends, hands the lease straight to the run queued behind it
 * and starts that one, or gives the lease up. `resume` starts what a customer
 * is owed when nobody holds it any more (the process of the run under way
 * stopped): any instance may call it, the lease decides which one starts it.
 */
export class SyncLauncher {
  private readonly active = new Set<Promise<void>>();
  private readonly activeRuns = new Set<string>();

  constructor(
    private readonly runs: Collection<SyncRunDocument>,
    private readonly lease: CustomerSyncLease,
    private readonly runner: SyncRunner,
    private readonly log: Logger,
  ) {}

  /** A run this process runs now (a dry run takes no lease: this is how its liveness is told). */
  runsHere(runId: ObjectId): boolean {
    return this.activeRuns.has(runId.toHexString());
  }

  /** Resolves when every run this process started has ended, the runs they handed over to included (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  /** A dry run: no lease, a sign of life on its record instead. */
  launchDry(run: SyncRunDocument): void {
    const heartbeat = setInterval(() => {
      void this.runs.updateOne({ _id: run._id }, { $set: { aliveAt: new Date() } }).catch(() => undefined);
    }, this.lease.leaseMs / 3);
    heartbeat.unref();
    this.track(run, this.runner.execute(run), () => clearInterval(heartbeat));
  }

  /** A real run holding `held`: renewed while it lives; a run that cannot renew stops before its next write (another process may hold the customer by then). */
  launch(run: SyncRunDocument, held: HeldLease): void {
    const lost = new AbortController();
    const heartbeat = setInterval(() => {
      this.lease.renew(held).then(
        (renewed) => {
          if (!renewed) lost.abort(new Error('the run lost its lease on the customer'));
        },
        () => undefined,
      );
    }, this.lease.leaseMs / 3);
    heartbeat.unref();
    this.track(run, this.runner.execute(run, lost.signal), () => clearInterval(heartbeat), () => this.handOver(held));
  }

  /**
   * Starts the run the customer is owed when nobody holds its lease: the
   * queued one, or one that took the lease but whose process stopped before
   * it began (still `queued`, its lease run out). The run this process
   * started, or null (someone holds the customer, nothing is owed, or
   * another process started it first).
   */
  async resume(customerId: ObjectId, seenBefore?: SeenLease): Promise<SyncRunDocument | null> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const seen = attempt === 1 && seenBefore ? seenBefore : await this.lease.read(customerId);
      if (!seen || CustomerSyncLease.live(seen)) return null;
      const next = await this.owed(seen);
      if (!next) return null;
      if (next === 'dropped') continue;
      const held = await this.lease.take(seen, next._id);
      if (!held) continue;
      const before = seen.syncLease?.runId;
      if (before && !before.equals(next._id)) await this.markInterrupted(before);
      this.launch(next, held);
      return next;
    }
    return null;
  }

  /** The previous holder's lease ran out: its process died mid-run. */
  async markInterrupted(runId: ObjectId): Promise<void> {
    await this.runs.updateOne(
      { _id: runId, state: { $in: ['queued', 'running'] } },
      { $set: { state: 'failed', finishedAt: new Date(), errors: [{ message: INTERRUPTED }] } },
    );
  }

  /** What must start on a customer nobody holds; 'dropped' when its queue named a run that can no longer start. */
  private async owed(seen: SeenLease): Promise<SyncRunDocument | 'dropped' | null> {
    if (seen.syncLease) {
      const stranded = await this.runs.findOne({ _id: seen.syncLease.runId, state: 'queued', dryRun: false });
      if (stranded) return stranded;
    }
    if (!seen.syncQueued) return null;
    const queued = await this.runs.findOne({ _id: seen.syncQueued.runId });
    if (queued?.state === 'queued') return queued;
    await this.lease.dropQueued(seen._id, seen.syncQueued.runId);
    return 'dropped';
  }

  /** The run ended: the queued run gets the lease (and starts here), else the lease is given up. */
  private async handOver(held: HeldLease): Promise<void> {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const seen = await this.lease.read(held.customerId);
      // Lost meanwhile: whoever holds the customer now carries on.
      if (!seen?.syncLease?.runId.equals(held.runId) || seen.syncLease.claim !== held.claim) return;
      if (!seen.syncQueued) {
        if (!(await this.lease.release(held))) continue;
        // A run queued in the same instant as the release (the emulator applies both) is not left waiting.
        await this.resume(held.customerId);
        return;
      }
      const next = await this.runs.findOne({ _id: seen.syncQueued.runId });
      if (next?.state !== 'queued') {
        await this.lease.dropQueued(seen._id, seen.syncQueued.runId);
        continue;
      }
      const taken = await this.lease.take(seen, next._id);
      if (taken) {
        this.launch(next, taken);
        return;
      }
    }
    this.log.warn({ runId: held.runId.toHexString() }, 'could not hand the sync lease over: the queued run starts when the lease runs out');
  }

  private track(run: SyncRunDocument, execution: Promise<void>, stop: () => void, after?: () => Promise<void>): void {
    const id = run._id.toHexString();
    this.activeRuns.add(id);
    const job = execution
      .catch((error: unknown) => this.log.error({ runId: id, err: error }, 'sync run crashed'))
      .finally(async () => {
        stop();
        this.activeRuns.delete(id);
        await after?.().catch((error: unknown) => this.log.warn({ runId: id, err: String(error) }, 'could not end the sync lease'));
        this.active.delete(job);
      });
    this.active.add(job);
  }
}
