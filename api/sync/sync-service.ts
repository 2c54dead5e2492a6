import { ObjectId, type Collection } from 'mongodb';
import { actorOf, type Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import type { CustomerService } from '../customers/customer-service';
import { ConflictError, NotFoundError } from '../errors';
import type { Logger } from '../logging/logger';
import { NUMBER_STATUSES } from '../numbers/number-status';
import { parseObjectId } from '../shared/object-id';
import { skipOf, type Page, type Paging } from '../shared/paging';
import type { SyncRunDocument, SyncTrigger } from './sync-run-document';
import type { SyncRunner } from './sync-runner';
import type { SyncRunView } from './sync-schemas';
import { requireRole } from '../members/member-role';

export interface SyncServiceOptions {
  /** How long a run's lease lasts without a heartbeat; a crashed run frees its customer after it. */
  leaseSeconds: number;
}

/**
 * Starts sync runs as jobs and reports on them. One real run per customer at a
 * time across every process: a lease on the customer document in MongoDB,
 * renewed while the run lives. A dry run takes no lease and writes nothing but
 * its own run record.
 */
export class SyncService {
  private readonly active = new Set<Promise<void>>();
  private readonly activeRuns = new Set<string>();
  private readonly log: Logger;

  constructor(
    private readonly runs: Collection<SyncRunDocument>,
    private readonly customers: Collection<CustomerDocument>,
    private readonly customerService: CustomerService,
    private readonly runner: SyncRunner,
    private readonly options: SyncServiceOptions,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'sync-service' });
  }

  async start(
    caller: Caller,
    customerId: string,
    { trigger, dryRun = false }: { trigger: SyncTrigger; dryRun?: boolean },
  ): Promise<{ run: SyncRunView; started: boolean }> {
    requireRole(caller, 'operator');
    const customer = await this.customerService.require(caller, customerId);
    const now = new Date();
    const run = newRun(caller, customer, trigger, dryRun, now);
    if (dryRun) {
      await this.runs.insertOne(run);
      this.launch(run);
      return { run: toSyncRunView(run), started: true };
    }

    // The record first, so the run holding the lease can always be read.
    await this.runs.insertOne(run);
    for (let attempt = 1; ; attempt++) {
      const lease = await this.customers.findOneAndUpdate(
        {
          _id: customer._id,
          partnerId: caller.partnerId,
          $or: [{ syncLease: { $exists: false } }, { 'syncLease.until': { $lt: now } }],
        },
        {
          $set: {
            syncLease: { runId: run._id, until: this.leaseUntil() },
            lastSync: { runId: run._id, state: 'queued', startedAt: now },
          },
        },
        { returnDocument: 'before' },
      );
      if (lease) {
        if (lease.syncLease) await this.markInterrupted(lease.syncLease.runId, now);
        this.launch(run);
        return { run: toSyncRunView(run), started: true };
      }
      const holder = await this.customers.findOne({ _id: customer._id }, { projection: { syncLease: 1 } });
      const running = holder?.syncLease ? await this.runs.findOne({ _id: holder.syncLease.runId }) : null;
      if (running || attempt >= 3) {
        await this.runs.deleteOne({ _id: run._id });
        if (!running) throw new ConflictError('sync_busy', 'Another sync of this customer is starting; try again in a moment');
        return { run: toSyncRunView(running), started: false };
      }
      // The holder finished between the two reads: try again.
    }
  }

  /** The previous holder's lease ran out: its process died mid-run. */
  private async markInterrupted(runId: ObjectId, now: Date): Promise<void> {
    await this.runs.updateOne(
      { _id: runId, state: { $in: ['queued', 'running'] } },
      {
        $set: {
          state: 'failed',
          finishedAt: now,
          errors: [{ message: 'The run was interrupted (its process stopped); a later run completes its work' }],
        },
      },
    );
  }

  async get(caller: Caller, runId: string): Promise<SyncRunView> {
    const id = parseObjectId(runId);
    const run = id ? await this.runs.findOne({ _id: id, partnerId: caller.partnerId }) : null;
    if (!run) throw new NotFoundError('No such sync run');
    return toSyncRunView(await this.settleIfAbandoned(run));
  }

  /**
   * A run still "running" whose process died shows as failed, so nobody
   * waits on it: no sign of life for a lease's time, and no live lease (or,
   * for a dry run, not running in this process and no recent `aliveAt`).
   */
  private async settleIfAbandoned(run: SyncRunDocument): Promise<SyncRunDocument> {
    if (run.state !== 'queued' && run.state !== 'running') return run;
    const now = new Date();
    const lease = this.options.leaseSeconds * 1000;
    if (now.getTime() - (run.aliveAt ?? run.startedAt ?? run.createdAt).getTime() < lease) return run;
    if (run.dryRun) {
      // Its process (this one or another, now that any instance follows a bot card) still runs it.
      if (this.activeRuns.has(run._id.toHexString())) return run;
    } else {
      const holder = await this.customers.findOne({ _id: run.customerId }, { projection: { syncLease: 1 } });
      if (holder?.syncLease?.runId.equals(run._id) && holder.syncLease.until > now) return run;
    }
    await this.markInterrupted(run._id, now);
    return (await this.runs.findOne({ _id: run._id })) ?? run;
  }

  async list(caller: Caller, customerId: string, paging: Paging): Promise<Page<SyncRunView>> {
    const customer = await this.customerService.require(caller, customerId);
    const filter = { customerId: customer._id, partnerId: caller.partnerId };
    const [documents, total] = await Promise.all([
      this.runs.find(filter).sort({ createdAt: -1, _id: -1 }).skip(skipOf(paging)).limit(paging.pageSize).toArray(),
      this.runs.countDocuments(filter),
    ]);
    return { items: documents.map(toSyncRunView), total, ...paging };
  }

  /** Resolves when every run this process started has ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  private launch(run: SyncRunDocument): void {
    // A run that cannot renew its lease stops before its next write: another
    // process may hold the customer by then.
    const lease = new AbortController();
    const heartbeat = run.dryRun
      ? setInterval(() => {
          void this.runs.updateOne({ _id: run._id }, { $set: { aliveAt: new Date() } }).catch(() => undefined);
        }, (this.options.leaseSeconds * 1000) / 3)
      : setInterval(() => {
          this.customers
            .updateOne({ _id: run.customerId, 'syncLease.runId': run._id }, { $set: { 'syncLease.until': this.leaseUntil() } })
            .then(
              (renewed) => {
                if (renewed.matchedCount === 0) lease.abort(new Error('the run lost its lease on the customer'));
              },
              () => undefined,
            );
        }, (this.options.leaseSeconds * 1000) / 3);
    heartbeat?.unref();
    this.activeRuns.add(run._id.toHexString());
    const job = this.runner
      .execute(run, lease.signal)
      .catch((error: unknown) => this.log.error({ runId: run._id.toHexString(), err: error }, 'sync run crashed'))
      .finally(async () => {
        clearInterval(heartbeat);
        if (!run.dryRun) {
          await this.customers
            .updateOne({ _id: run.customerId, 'syncLease.runId': run._id }, { $unset: { syncLease: '' } })
            .catch(() => undefined);
        }
        this.active.delete(job);
        this.activeRuns.delete(run._id.toHexString());
      });
    this.active.add(job);
  }

  private leaseUntil(): Date {
    return new Date(Date.now() + this.options.leaseSeconds * 1000);
  }
}

function newRun(caller: Caller, customer: CustomerDocument, trigger: SyncTrigger, dryRun: boolean, now: Date): SyncRunDocument {
  return {
    _id: new ObjectId(),
    partnerId: caller.partnerId,
    customerId: customer._id,
    trigger,
    actor: actorOf(caller),
    dryRun,
    state: 'queued',
    phase: 'queued',
    progress: { done: 0, total: 0 },
    counts: Object.fromEntries(NUMBER_STATUSES.map((s) => [s, 0])) as SyncRunDocument['counts'],
    changes: { account: null, toRoute: [], toImport: [], toRemove: [], toRelease: [], statusChanges: [] },
    changeCounts: { routed: 0, imported: 0, removed: 0, released: 0, statusChanges: 0 },
    attention: [],
    errors: [],
    createdAt: now,
  };
}

export function toSyncRunView(run: SyncRunDocument): SyncRunView {
  return {
    id: run._id.toHexString(),
    customerId: run.customerId.toHexString(),
    trigger: run.trigger,
    actor: run.actor,
    dryRun: run.dryRun,
    state: run.state,
    phase: run.phase,
    progress: run.progress,
    counts: run.counts,
    changes: run.changes,
    changeCounts: run.changeCounts,
    attention: run.attention,
    errors: run.errors,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}
