import { ObjectId, type Collection } from 'mongodb';
import { actorOf, type Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import type { CustomerService } from '../customers/customer-service';
import { NotFoundError } from '../errors';
import type { Logger } from '../logging/logger';
import { NUMBER_STATUSES } from '../numbers/number-status';
import { parseObjectId } from '../shared/object-id';
import { skipOf, type Page, type Paging } from '../shared/paging';
import type { SyncRunDocument, SyncTrigger } from './sync-run-document';
import type { SyncRunner } from './sync-runner';
import type { SyncRunView } from './sync-schemas';

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
    const customer = await this.customerService.require(caller, customerId);
    const now = new Date();
    const run = newRun(caller, customer, trigger, dryRun, now);
    if (dryRun) {
      await this.runs.insertOne(run);
      this.launch(run);
      return { run: toSyncRunView(run), started: true };
    }

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
    if (!lease) return { run: await this.runningRun(customer._id), started: false };
    if (lease.syncLease) {
      // The previous holder's lease ran out: its process died mid-run.
      await this.runs.updateOne(
        { _id: lease.syncLease.runId, state: { $in: ['queued', 'running'] } },
        {
          $set: {
            state: 'failed',
            finishedAt: now,
            errors: [{ message: 'The run was interrupted (its process stopped); a later run completes its work' }],
          },
        },
      );
    }
    await this.runs.insertOne(run);
    this.launch(run);
    return { run: toSyncRunView(run), started: true };
  }

  async get(caller: Caller, runId: string): Promise<SyncRunView> {
    const id = parseObjectId(runId);
    const run = id ? await this.runs.findOne({ _id: id, partnerId: caller.partnerId }) : null;
    if (!run) throw new NotFoundError('No such sync run');
    return toSyncRunView(run);
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
    const heartbeat = run.dryRun
      ? undefined
      : setInterval(() => {
          void this.customers
            .updateOne({ _id: run.customerId, 'syncLease.runId': run._id }, { $set: { 'syncLease.until': this.leaseUntil() } })
            .catch(() => undefined);
        }, (this.options.leaseSeconds * 1000) / 3);
    heartbeat?.unref();
    const job = this.runner
      .execute(run)
      .catch((error: unknown) => this.log.error({ runId: run._id.toHexString(), err: error }, 'sync run crashed'))
      .finally(async () => {
        clearInterval(heartbeat);
        if (!run.dryRun) {
          await this.customers
            .updateOne({ _id: run.customerId, 'syncLease.runId': run._id }, { $unset: { syncLease: '' } })
            .catch(() => undefined);
        }
        this.active.delete(job);
      });
    this.active.add(job);
  }

  private leaseUntil(): Date {
    return new Date(Date.now() + this.options.leaseSeconds * 1000);
  }

  /** The run holding the customer's lease; its document may lag the lease by a moment. */
  private async runningRun(customerId: ObjectId): Promise<SyncRunView> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const holder = await this.customers.findOne({ _id: customerId }, { projection: { syncLease: 1 } });
      const runId = holder?.syncLease?.runId;
      const run = runId ? await this.runs.findOne({ _id: runId }) : null;
      if (run) return toSyncRunView(run);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('a sync run holds the customer but its record cannot be read');
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
