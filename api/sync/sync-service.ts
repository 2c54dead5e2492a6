import { ObjectId, type Collection } from 'mongodb';
import { actorOf, type Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import type { CustomerService } from '../customers/customer-service';
import { ConflictError, NotFoundError } from '../errors';
import type { FollowUpRunner } from '../follow-ups/follow-up-runner';
import type { LeaseClaimDocument } from '../leases/leases';
import type { Logger } from '../logging/logger';
import { NUMBER_STATUSES } from '../numbers/number-status';
import { parseObjectId } from '../shared/object-id';
import { skipOf, type Page, type Paging } from '../shared/paging';
import { QueuedSyncWatch } from './queued-sync-watch';
import { SyncLauncher } from './sync-launcher';
import { CustomerSyncLease, type SeenLease } from './sync-lease';
import type { SyncRunDocument, SyncTrigger } from './sync-run-document';
import type { SyncRunner } from './sync-runner';
import type { SyncRunView } from './sync-schemas';
import { requireRole } from '../members/member-role';

export interface SyncServiceOptions {
  /** How long a run's lease lasts without a heartbeat; a crashed run frees its customer after it. */
  leaseSeconds: number;
}

/**
 * What a request to sync got: the run just started for it (`started`), or,
 * while another run of the customer was under way (`queuedAfter`), the one
 * run queued behind it, which starts when it ends and so applies every change
 * made before the request.
 */
export interface SyncStart {
  run: SyncRunView;
  started: boolean;
  queuedAfter: string | null;
}

/**
 * Starts sync runs as jobs and reports on them. One real run per customer at a
 * time across every process: a lease on the customer document in MongoDB,
 * renewed while the run lives. A request while a run is under way queues one
 * follow-up run, shared by every request until it starts. A dry run takes no
 * lease and writes nothing but its own run record.
 */
export class SyncService {
  private readonly lease: CustomerSyncLease;
  private readonly launcher: SyncLauncher;
  private readonly watch: QueuedSyncWatch;

  constructor(
    private readonly collections: {
      runs: Collection<SyncRunDocument>;
      customers: Collection<CustomerDocument>;
      claims: Collection<LeaseClaimDocument>;
    },
    private readonly customerService: CustomerService,
    runner: SyncRunner,
    followUps: FollowUpRunner,
    private readonly options: SyncServiceOptions,
    logger: Logger,
  ) {
    this.lease = new CustomerSyncLease(collections.customers, collections.claims, followUps.owner, options.leaseSeconds * 1000);
    this.launcher = new SyncLauncher(collections.runs, this.lease, runner, logger.child({ component: 'sync-service' }));
    this.watch = new QueuedSyncWatch(followUps, collections.runs, this.lease, this.launcher);
  }

  async start(caller: Caller, customerId: string, { trigger, dryRun = false }: { trigger: SyncTrigger; dryRun?: boolean }): Promise<SyncStart> {
    requireRole(caller, 'operator');
    const customer = await this.customerService.require(caller, customerId);
    const run = newRun(caller, customer, trigger, dryRun, new Date());
    // The record first, so the run holding the lease can always be read.
    await this.collections.runs.insertOne(run);
    if (dryRun) {
      this.launcher.launchDry(run);
      return { run: toSyncRunView(run), started: true, queuedAfter: null };
    }
    for (let attempt = 1; attempt <= 5; attempt++) {
      const seen = await this.lease.read(customer._id);
      if (!seen) break;
      const mine = await this.ownEarlierWrite(caller, seen, run);
      if (mine) return mine;
      const answer = CustomerSyncLease.live(seen) ? await this.queueBehind(caller, seen, run) : await this.startNow(seen, run);
      if (answer) return answer;
      // The customer's lease or queue changed between the read and the write: look again.
    }
    await this.collections.runs.deleteOne({ _id: run._id });
    throw new ConflictError('sync_busy', 'Another sync of this customer is starting; try again in a moment');
  }

  /**
   * An earlier attempt's write for this very run stands in the customer
   * document although its confirmation went to another claimer (the
   * emulator can apply two conditional writes of one moment). The run is
   * owed then, never to be deleted: queued, it starts when the run under way
   * ends; named by the lease, it is not launched here (the other claimer may
   * have begun before this write replaced its own, and stops at its next
   * renewal), so the watch starts it once that lease runs out.
   */
  private async ownEarlierWrite(caller: Caller, seen: SeenLease, run: SyncRunDocument): Promise<SyncStart | null> {
    if (seen.syncQueued?.runId.equals(run._id)) {
      const after = seen.syncQueued.after;
      await this.collections.runs.updateOne({ _id: run._id }, { $set: { after } });
      return { run: toSyncRunView({ ...run, after }), started: false, queuedAfter: after.toHexString() };
    }
    if (seen.syncLease?.runId.equals(run._id)) {
      await this.watch.watch(caller, run._id, seen._id, seen.syncLease.until);
      return { run: toSyncRunView(run), started: true, queuedAfter: null };
    }
    return null;
  }

  /**
   * Nobody holds the customer: a run asked for before this request (queued,
   * or taken by a process that stopped before it began) starts now and
   * serves this request too; else this request's run starts.
   */
  private async startNow(seen: SeenLease, run: SyncRunDocument): Promise<SyncStart | null> {
    if (seen.syncQueued || seen.syncLease) {
      const resumed = await this.launcher.resume(seen._id, seen);
      if (resumed) {
        // This request's own run, when an earlier attempt of it was the one owed, is kept.
        if (!resumed._id.equals(run._id)) await this.collections.runs.deleteOne({ _id: run._id });
        await this.noteAsk(resumed._id);
        return { run: toSyncRunView(resumed), started: true, queuedAfter: null };
      }
      const again = await this.lease.read(seen._id);
      // Something was owed and another process started it, or the customer changed: decide again.
      if (!again || again.syncQueued || CustomerSyncLease.live(again)) return null;
      seen = again;
    }
    const held = await this.lease.take(seen, run._id);
    if (!held) return null;
    if (seen.syncLease) await this.launcher.markInterrupted(seen.syncLease.runId);
    this.launcher.launch(run, held);
    return { run: toSyncRunView(run), started: true, queuedAfter: null };
  }

  /** A run is under way: this request is answered by the run queued behind it, queued now if there is none. */
  private async queueBehind(caller: Caller, seen: SeenLease & { syncLease: NonNullable<SeenLease['syncLease']> }, run: SyncRunDocument): Promise<SyncStart | null> {
    const holder = seen.syncLease.runId;
    const queuedAfter = holder.toHexString();
    if (seen.syncQueued) {
      const queued = await this.collections.runs.findOne({ _id: seen.syncQueued.runId });
      if (queued?.state !== 'queued') {
        await this.lease.dropQueued(seen._id, seen.syncQueued.runId);
        return null;
      }
      await this.collections.runs.deleteOne({ _id: run._id });
      await this.noteAsk(queued._id);
      return { run: toSyncRunView(queued), started: false, queuedAfter };
    }
    // Watched before it is named: if the run under way dies, whichever instance is up starts this one.
    await this.watch.watch(caller, run._id, seen._id, seen.syncLease.until);
    if (!(await this.lease.queue(seen, run._id))) return null;
    await this.collections.runs.updateOne({ _id: run._id }, { $set: { after: holder } });
    return { run: toSyncRunView({ ...run, after: holder }), started: false, queuedAfter };
  }

  /** Another request this run answers (cheap: one counter, no list growing in the document). */
  private async noteAsk(runId: ObjectId): Promise<void> {
    await this.collections.runs.updateOne({ _id: runId }, { $inc: { asks: 1 } });
  }

  async get(caller: Caller, runId: string): Promise<SyncRunView> {
    const id = parseObjectId(runId);
    const run = id ? await this.collections.runs.findOne({ _id: id, partnerId: caller.partnerId }) : null;
    if (!run) throw new NotFoundError('No such sync run');
    return toSyncRunView(await this.settleIfAbandoned(run));
  }

  /**
   * A run still "running" whose process died shows as failed, so nobody
   * waits on it: no sign of life for a lease's time, and no live lease (or,
   * for a dry run, not running in this process and no recent `aliveAt`). A
   * queued run waits while the run under way lives; once that one's lease
   * ran out, it is started here.
   */
  private async settleIfAbandoned(run: SyncRunDocument): Promise<SyncRunDocument> {
    if (run.state !== 'queued' && run.state !== 'running') return run;
    if (run.state === 'queued' && !run.dryRun) {
      const seen = await this.lease.read(run.customerId);
      // Waiting for a live run: the usual answer while the tab or a card follows it.
      if (seen && CustomerSyncLease.live(seen) && seen.syncQueued?.runId.equals(run._id)) return run;
      if (seen && !CustomerSyncLease.live(seen)) {
        const resumed = await this.launcher.resume(run.customerId, seen);
        if (resumed?._id.equals(run._id)) return resumed;
        const latest = await this.collections.runs.findOne({ _id: run._id });
        if (!latest || latest.state !== 'queued') return latest ?? run;
        if ((await this.lease.read(run.customerId))?.syncQueued?.runId.equals(run._id)) return latest;
      }
    }
    const now = new Date();
    const lease = this.options.leaseSeconds * 1000;
    if (now.getTime() - (run.aliveAt ?? run.startedAt ?? run.createdAt).getTime() < lease) return run;
    if (run.dryRun) {
      // Its process (this one or another, now that any instance follows a bot card) still runs it.
      if (this.launcher.runsHere(run._id)) return run;
    } else {
      const holder = await this.lease.read(run.customerId);
      if (holder?.syncLease?.runId.equals(run._id) && holder.syncLease.until > now) return run;
    }
    await this.launcher.markInterrupted(run._id);
    return (await this.collections.runs.findOne({ _id: run._id })) ?? run;
  }

  async list(caller: Caller, customerId: string, paging: Paging): Promise<Page<SyncRunView>> {
    const customer = await this.customerService.require(caller, customerId);
    const filter = { customerId: customer._id, partnerId: caller.partnerId };
    const { runs } = this.collections;
    const [documents, total] = await Promise.all([
      runs.find(filter).sort({ createdAt: -1, _id: -1 }).skip(skipOf(paging)).limit(paging.pageSize).toArray(),
      runs.countDocuments(filter),
    ]);
    return { items: documents.map(toSyncRunView), total, ...paging };
  }

  /** Resolves when every run this process started has ended, the runs queued behind them included (tests, shutdown). */
  idle(): Promise<void> {
    return this.launcher.idle();
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
