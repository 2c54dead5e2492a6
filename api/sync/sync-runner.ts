import { ObjectId, type Collection } from 'mongodb';
import type { BackendClient } from '../backend/backend-client';
import { BackendValidationError } from '../backend/backend-errors';
import type { BackendAccount } from '../backend/backend-types';
import { teamsCallflowFor, withTenant } from '../backend/teams-callflow';
import type { CustomerDocument } from '../customers/customer-document';
import type { Logger } from '../logging/logger';
import type { NumberDocument, NumberStatus } from '../numbers/number-document';
import type { NumberHistoryDocument } from '../numbers/number-history-document';
import { NUMBER_STATUSES, STATUS_TEXT } from '../numbers/number-status';
import { isDuplicateKeyError } from '../storage/duplicate-key';
import { planSync, synced, TEAMS_MODULE, teamsSettingsDiffer, type Classification, type SyncPlan } from './sync-plan';
import type {
  AttentionItem,
  SyncChanges,
  SyncPhase,
  SyncProblem,
  SyncRunDocument,
} from './sync-run-document';

/** Numbers per Teams callflow the sync creates: few writes, and small enough to edit. */
export const ROUTE_BATCH = 100;
/** Lists kept on a run document are capped; the counts beside them are exact. */
export const LIST_CAP = 500;
const PROGRESS_EVERY_MS = 300;

export interface SyncRunnerCollections {
  customers: Collection<CustomerDocument>;
  numbers: Collection<NumberDocument>;
  history: Collection<NumberHistoryDocument>;
  runs: Collection<SyncRunDocument>;
}

type RunUpdate = Partial<Omit<SyncRunDocument, '_id'>>;

/**
 * Carries out one sync run (DESIGN.md, "Sync semantics"): reads the backend's
 * three lists once, plans locally, writes only what must change to the
 * backend, then records the outcome in MongoDB in batches. Backend writes come
 * before database writes, and every step is safe to repeat, so a run cut off
 * anywhere is completed by the next one.
 */
export class SyncRunner {
  private readonly log: Logger;

  constructor(
    private readonly collections: SyncRunnerCollections,
    private readonly backend: BackendClient,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'sync' });
  }

  async execute(run: SyncRunDocument, lease?: AbortSignal): Promise<void> {
    const { runs, customers, numbers } = this.collections;
    const progress = new ProgressReporter(runs, run._id);
    const errors: SyncProblem[] = [];
    try {
      await progress.phase('reading', { state: 'running', startedAt: new Date() });
      const customer = await customers.findOne({ _id: run.customerId, partnerId: run.partnerId });
      if (!customer) throw new Error('The customer no longer exists');
      if (!run.dryRun) {
        await customers.updateOne({ _id: customer._id, 'lastSync.runId': run._id }, { $set: { 'lastSync.state': 'running' } });
        // The removals this run carries out are marked as its own: adding one
        // of these numbers back now cannot be undone by the run's release.
        await numbers.updateMany({ customerId: customer._id, removal: { $exists: true } }, { $set: { 'removal.runId': run._id } });
      }
      const accountId = customer.accountId;
      // The portal's side first, so no backend page waits on the database.
      const portal = await numbers.find({ customerId: customer._id }).toArray();
      const portalRead = Promise.resolve(portal);
      // Free numbers are routed page by page while the number list is still
      // being read, so the writes overlap the chain of list pages.
      const callflowsRead = this.backend.listCallflows(accountId);
      const routing = run.dryRun
        ? undefined
        : new PageRouting(this.backend, accountId, customer.tenantName, portalRead, callflowsRead, errors, progress, lease);
      const accountRead = this.backend.getAccount(accountId);
      // The account's Teams settings are pushed as soon as they are known to differ.
      const pushAccount = run.dryRun
        ? undefined
        : accountRead.then((account) => (lease?.aborted ? undefined : this.pushAccount(customer, account, errors, progress)));
      pushAccount?.catch(() => undefined);
      const [account, backendNumbers, callflows, users] = await Promise.all([
        accountRead,
        this.backend.listPhoneNumbers(accountId, (page) => routing?.offer(page)),
        callflowsRead,
        this.backend.listUsers(accountId),
      ]).catch(async (error: unknown) => {
        await routing?.settle();
        throw error;
      });
      const plan = planSync(customer, portal, { account, numbers: backendNumbers, callflows, users });
      const imports = await this.importable(plan.importCandidates, customer, errors);
      const changes = describeChanges(customer, portal, plan, imports);

      if (run.dryRun || !routing || !pushAccount) {
        await progress.finish({
          state: 'succeeded',
          phase: 'done',
          counts: countsAfter(portal, plan.classifications, imports, new Set()),
          changes: capChanges(changes),
          changeCounts: changeCountsOf(changes, changes.toRemove.length),
          attention: attentionOf(plan.classifications),
          errors,
          finishedAt: new Date(),
        });
        return;
      }

      lease?.throwIfAborted();
      progress.setTotal(
        (plan.account ? 1 : 0) +
          plan.callflowRemovals.length +
          plan.tenantFixes.length +
          plan.removals.filter((r) => r.release).length +
          Math.ceil(plan.toRoute.length / ROUTE_BATCH) +
          1,
      );
      await progress.phase('routing');
      routing.routeRest(plan.toRoute);
      const [removed, unrouted] = await Promise.all([
        this.applyRemovals(accountId, customer.tenantName, plan, errors, progress),
        routing.settle(),
        pushAccount,
        this.fixTenants(accountId, customer.tenantName, plan, errors, progress),
      ]);
      if (unrouted.recheck.length > 0) await this.routeAgain(accountId, customer.tenantName, unrouted, errors);
      // Not routed after all: the number waits for the next sync.
      for (const e164 of unrouted.failed) plan.classifications.set(e164, { status: 'pending', statusText: STATUS_TEXT.pending });

      lease?.throwIfAborted();
      await progress.phase('saving');
      const imported = await this.save(run, customer, portal, plan, imports, removed, errors);
      const finalChanges: SyncChanges = {
        ...changes,
        toRoute: changes.toRoute.filter((e164) => !unrouted.failed.has(e164)),
        toImport: imported,
        toRemove: changes.toRemove.filter((r) => removed.has(r.e164)),
        toRelease: changes.toRelease.filter((e164) => removed.has(e164)),
        statusChanges: changes.statusChanges.filter((c) => !unrouted.failed.has(c.e164)),
      };
      const counts = await this.countByStatus(customer);
      const finishedAt = new Date();
      await progress.finish({
        state: 'succeeded',
        phase: 'done',
        counts,
        changes: capChanges(finalChanges),
        changeCounts: changeCountsOf(finalChanges, removed.size),
        attention: attentionOf(plan.classifications),
        errors: errors.slice(0, LIST_CAP),
        finishedAt,
      });
      await customers.updateOne(
        { _id: customer._id, 'lastSync.runId': run._id },
        { $set: { 'lastSync.state': 'succeeded', 'lastSync.finishedAt': finishedAt } },
      );
    } catch (error) {
      this.log.warn({ runId: run._id.toHexString(), err: messageOf(error) }, 'sync run failed');
      const finishedAt = new Date();
      errors.push({ message: `The sync stopped: ${messageOf(error)}. Nothing was lost; run the sync again.` });
      await progress.finish({ state: 'failed', errors: errors.slice(0, LIST_CAP), finishedAt }).catch(() => undefined);
      if (!run.dryRun) {
        await customers
          .updateOne(
            { _id: run.customerId, 'lastSync.runId': run._id },
            { $set: { 'lastSync.state': 'failed', 'lastSync.finishedAt': finishedAt } },
          )
          .catch(() => undefined);
      }
    }
  }

  private async pushAccount(customer: CustomerDocument, account: BackendAccount, errors: SyncProblem[], progress: ProgressReporter) {
    if (!teamsSettingsDiffer(customer, account)) return;
    try {
      await this.backend.updateAccountTeams(customer.accountId, { max_channels: customer.maxChannels, tenant_name: customer.tenantName });
    } catch (error) {
      errors.push({ message: `The account settings were not pushed: ${messageOf(error)}` });
    }
    progress.step();
  }

  /** Teams callflows that still name an old tenant get the customer's. */
  private async fixTenants(accountId: string, tenantName: string, plan: SyncPlan, errors: SyncProblem[], progress: ProgressReporter) {
    await Promise.all(
      plan.tenantFixes.map(async (callflow) => {
        try {
          const current = await this.backend.getCallflow(accountId, callflow.id);
          await this.backend.replaceCallflow(accountId, withTenant(current, tenantName));
        } catch (error) {
          errors.push({ message: `Callflow ${callflow.id} still routes to another tenant: ${messageOf(error)}; the next sync retries` });
        }
        progress.step();
      }),
    );
  }

  /**
   * A batch refused because one of its numbers is in a callflow now: read the
   * callflows again, keep what is routed to Teams, send the still-free numbers
   * once more, and report the rest.
   */
  private async routeAgain(
    accountId: string,
    tenantName: string,
    unrouted: { failed: Set<string>; recheck: string[] },
    errors: SyncProblem[],
  ): Promise<void> {
    const holders = new Map<string, string>();
    for (const callflow of await this.backend.listCallflows(accountId)) {
      for (const e164 of callflow.numbers) holders.set(e164, callflow.flow.module);
    }
    const free: string[] = [];
    for (const e164 of unrouted.recheck) {
      const module = holders.get(e164);
      if (module === TEAMS_MODULE) continue;
      if (module === undefined) {
        free.push(e164);
        continue;
      }
      unrouted.failed.add(e164);
      errors.push({ e164, message: `${e164} was not routed to Teams: a non-Teams callflow took it meanwhile; the next sync classifies it` });
    }
    for (let i = 0; i < free.length; i += ROUTE_BATCH) {
      const batch = free.slice(i, i + ROUTE_BATCH);
      try {
        await this.backend.createCallflow(accountId, teamsCallflowFor(batch, tenantName));
      } catch (error) {
        batch.forEach((e164) => unrouted.failed.add(e164));
        errors.push({ message: `Could not route ${batch.length} number(s) to Teams (${batch[0]}...): ${messageOf(error)}; the next sync retries` });
      }
    }
  }

  /** The customer's numbers by status, as stored now. */
  private async countByStatus(customer: CustomerDocument): Promise<Record<NumberStatus, number>> {
    const groups = await this.collections.numbers
      .aggregate<{ _id: NumberStatus; count: number }>([
        { $match: { customerId: customer._id, removal: { $exists: false } } },
        { $group: { _id: '$status', count: { $sum: 1 } } },
      ])
      .toArray();
    const counts = Object.fromEntries(NUMBER_STATUSES.map((s) => [s, 0])) as Record<NumberStatus, number>;
    for (const { _id, count } of groups) counts[_id] = count;
    return counts;
  }

  /** Import candidates that no other customer in the portal holds. */
  private async importable(candidates: string[], customer: CustomerDocument, errors: SyncProblem[]): Promise<string[]> {
    if (candidates.length === 0) return [];
    const held = await this.collections.numbers
      .find({ e164: { $in: candidates } }, { projection: { e164: 1, customerId: 1 } })
      .toArray();
    const heldElsewhere = new Set(held.filter((n) => !n.customerId.equals(customer._id)).map((n) => n.e164));
    for (const e164 of heldElsewhere) {
      errors.push({ e164, message: `${e164} is routed to this customer's Teams but belongs to another customer in the portal` });
    }
    const heldHere = new Set(held.map((n) => n.e164));
    return candidates.filter((e164) => !heldHere.has(e164));
  }

  /** Takes removed numbers out of their Teams callflows, then releases those removed with "delete". */
  private async applyRemovals(
    accountId: string,
    tenantName: string,
    plan: SyncPlan,
    errors: SyncProblem[],
    progress: ProgressReporter,
  ) {
    const failed = new Set<string>();
    await Promise.all(
      plan.callflowRemovals.map(async ({ callflow, remove, deleteIt }) => {
        try {
          if (deleteIt) {
            await this.backend.deleteCallflow(accountId, callflow.id);
          } else {
            // Read again just before the write: the carrier may have changed it since the list.
            const current = await this.backend.getCallflow(accountId, callflow.id);
            const numbers = current.numbers.filter((n) => !remove.includes(n));
            if (numbers.length === 0) await this.backend.deleteCallflow(accountId, callflow.id);
            else await this.backend.replaceCallflow(accountId, withTenant({ ...current, numbers }, tenantName));
          }
        } catch (error) {
          remove.forEach((e164) => failed.add(e164));
          errors.push({ message: `Could not take ${remove.join(', ')} out of callflow ${callflow.id}: ${messageOf(error)}; the next sync retries` });
        }
        progress.step();
      }),
    );
    await Promise.all(
      plan.removals
        .filter((r) => r.release)
        .map(async ({ e164 }) => {
          if (failed.has(e164)) return progress.step();
          try {
            await this.backend.releasePhoneNumber(accountId, e164);
          } catch (error) {
            failed.add(e164);
            errors.push({ e164, message: `Could not release ${e164} from the account: ${messageOf(error)}; the next sync retries` });
          }
          progress.step();
        }),
    );
    for (const removal of plan.removals) if (removal.note) errors.push({ e164: removal.e164, message: `${removal.e164}: ${removal.note}` });
    return new Set(plan.removals.map((r) => r.e164).filter((e164) => !failed.has(e164)));
  }

  /**
   * The outcome in MongoDB: a handful of batched writes, whatever the number of
   * numbers. History goes first: if the process dies half-way, the next run
   * sees the same changes again and writes them again.
   */
  private async save(
    run: SyncRunDocument,
    customer: CustomerDocument,
    portal: NumberDocument[],
    plan: SyncPlan,
    imports: string[],
    removed: Set<string>,
    errors: SyncProblem[],
  ): Promise<string[]> {
    const { numbers, history, customers } = this.collections;
    const now = new Date();
    const entry = (e164: string, c: Pick<NumberHistoryDocument, 'status' | 'statusText'> & { detail?: string }) => ({
      _id: new ObjectId(),
      partnerId: customer.partnerId,
      customerId: customer._id,
      e164,
      runId: run._id,
      status: c.status,
      statusText: c.statusText,
      ...(c.detail ? { detail: c.detail } : {}),
      at: now,
    });
    const previous = new Map(portal.map((n) => [n.e164, n]));
    const entries: NumberHistoryDocument[] = [
      ...[...removed].map((e164) => entry(e164, { status: 'removed', statusText: 'Removed from the customer' })),
      ...[...plan.classifications]
        .filter(([e164, c]) => previous.get(e164)?.status !== c.status)
        .map(([e164, c]) => entry(e164, c)),
      ...imports.map((e164) => entry(e164, synced())),
    ];
    for (let i = 0; i < entries.length; i += 1000) await history.insertMany(entries.slice(i, i + 1000));

    if (removed.size > 0) {
      await numbers.deleteMany({ customerId: customer._id, e164: { $in: [...removed] }, 'removal.runId': run._id });
    }
    const byStatus = new Map<NumberStatus, { statusText: string; e164s: string[] }>();
    for (const [e164, classification] of plan.classifications) {
      const group = byStatus.get(classification.status) ?? { statusText: classification.statusText, e164s: [] };
      group.e164s.push(e164);
      byStatus.set(classification.status, group);
    }
    for (const [status, { statusText, e164s }] of byStatus) {
      await numbers.updateMany(
        { customerId: customer._id, e164: { $in: e164s }, removal: { $exists: false } },
        { $set: { status, statusText, syncedAt: now } },
      );
    }
    const imported = await this.insertImports(run, customer, imports, now, errors);
    // Recounted rather than adjusted, so a count that drifted heals at every sync.
    const numberCount = await numbers.countDocuments({ customerId: customer._id, removal: { $exists: false } });
    await customers.updateOne({ _id: customer._id }, { $set: { numberCount } });
    return imported;
  }

  private async insertImports(run: SyncRunDocument, customer: CustomerDocument, imports: string[], now: Date, errors: SyncProblem[]) {
    const documents: NumberDocument[] = imports.map((e164) => ({
      _id: new ObjectId(),
      partnerId: customer.partnerId,
      customerId: customer._id,
      e164,
      status: 'synced',
      statusText: STATUS_TEXT.synced,
      addedBy: { ...run.actor, name: 'Imported from the backend by sync' },
      addedAt: now,
      syncedAt: now,
    }));
    const landed: string[] = [];
    for (let i = 0; i < documents.length; i += 1000) {
      const batch = documents.slice(i, i + 1000);
      try {
        await this.collections.numbers.insertMany(batch, { ordered: false });
        landed.push(...batch.map((d) => d.e164));
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Someone added some of these meanwhile: keep what went in, report the rest.
        const ids = new Set(
          (await this.collections.numbers.find({ _id: { $in: batch.map((d) => d._id) } }, { projection: { e164: 1 } }).toArray()).map(
            (d) => d.e164,
          ),
        );
        for (const d of batch) {
          if (ids.has(d.e164)) landed.push(d.e164);
          else errors.push({ e164: d.e164, message: `${d.e164} was not imported: it was added to the portal meanwhile` });
        }
      }
    }
    return landed;
  }
}

/**
 * Gives free numbers their Teams routing as the pages of the account's number
 * list arrive: a number the customer has, on the account and in no callflow,
 * goes into the next batch; a full batch becomes one Teams callflow at once.
 */
class PageRouting {
  private readonly batch: string[] = [];
  private readonly jobs: Promise<void>[] = [];
  private readonly attempted = new Set<string>();
  private readonly failed = new Set<string>();
  private readonly recheck: string[] = [];
  private readonly isFree: Promise<(e164: string) => boolean>;

  constructor(
    private readonly backend: BackendClient,
    private readonly accountId: string,
    private readonly tenantName: string,
    portal: Promise<NumberDocument[]>,
    callflows: Promise<{ numbers: string[] }[]>,
    private readonly errors: SyncProblem[],
    private readonly progress: ProgressReporter,
    private readonly lease?: AbortSignal,
  ) {
    this.isFree = Promise.all([portal, callflows]).then(([numbers, flows]) => {
      const active = new Set(numbers.filter((n) => !n.removal).map((n) => n.e164));
      const inCallflow = new Set(flows.flatMap((c) => c.numbers));
      return (e164: string) => active.has(e164) && !inCallflow.has(e164);
    });
    // Read failures surface from the reads themselves.
    this.isFree.catch(() => undefined);
  }

  offer(page: Map<string, unknown>): void {
    this.jobs.push(
      this.isFree.then(
        (isFree) => {
          for (const e164 of page.keys()) if (isFree(e164)) this.add(e164);
        },
        () => undefined,
      ),
    );
  }

  /** Whatever the plan still wants routed that no page offered. */
  routeRest(e164s: string[]): void {
    this.jobs.push(
      Promise.all(this.jobs).then(() => {
        for (const e164 of e164s) if (!this.attempted.has(e164)) this.add(e164);
        if (this.batch.length > 0) this.launch(this.batch.splice(0));
      }),
    );
  }

  /** Waits for every callflow write; says which numbers did not get routed. */
  async settle(): Promise<{ failed: Set<string>; recheck: string[] }> {
    // Jobs add jobs (a page's batch, the last batch): wait until none was added.
    for (let seen = -1; seen !== this.jobs.length; ) {
      seen = this.jobs.length;
      await Promise.all(this.jobs);
    }
    return { failed: this.failed, recheck: this.recheck };
  }

  private add(e164: string): void {
    if (this.attempted.has(e164)) return;
    this.attempted.add(e164);
    this.batch.push(e164);
    if (this.batch.length >= ROUTE_BATCH) this.launch(this.batch.splice(0));
  }

  private launch(numbers: string[]): void {
    if (this.lease?.aborted) {
      // The run stops before saving; these wait for the next run.
      numbers.forEach((e164) => this.failed.add(e164));
      return;
    }
    this.jobs.push(
      this.backend.createCallflow(this.accountId, teamsCallflowFor(numbers, this.tenantName)).then(
        () => this.progress.step(),
        (error: unknown) => {
          if (error instanceof BackendValidationError && error.has('numbers', 'unique')) {
            this.recheck.push(...numbers);
          } else {
            numbers.forEach((e164) => this.failed.add(e164));
            this.errors.push({
              message: `Could not route ${numbers.length} number(s) to Teams (${numbers[0]}...): ${messageOf(error)}; the next sync retries`,
            });
          }
          this.progress.step();
        },
      ),
    );
  }
}

/**
 * Progress on the run document: at phase changes, and at most every 300 ms in
 * between. Writes are chained, so a late progress write never lands after the
 * final one.
 */
class ProgressReporter {
  private done = 0;
  private total = 0;
  private lastWrite = 0;
  private currentPhase: SyncPhase = 'queued';
  private writing: Promise<void> = Promise.resolve();
  private finished = false;

  constructor(
    private readonly runs: Collection<SyncRunDocument>,
    private readonly runId: ObjectId,
  ) {}

  setTotal(total: number) {
    this.total = total;
  }

  async phase(phase: SyncPhase, extra: RunUpdate = {}) {
    this.currentPhase = phase;
    await this.write(extra);
  }

  step() {
    this.done++;
    if (!this.finished && performance.now() - this.lastWrite >= PROGRESS_EVERY_MS) void this.write().catch(() => undefined);
  }

  async finish(update: RunUpdate) {
    this.finished = true;
    this.done = Math.max(this.done, this.total);
    await this.write({ ...update, ...(update.phase ? {} : { phase: this.currentPhase }) });
  }

  private write(extra: RunUpdate = {}): Promise<void> {
    this.lastWrite = performance.now();
    // Routing starts before the total is known, so done may run ahead of it.
    const progress = { done: this.done, total: Math.max(this.total, this.done) };
    const update = { phase: this.currentPhase, progress, ...extra };
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        // A run marked failed by the process that took its lease over stays failed.
        await this.runs.updateOne({ _id: this.runId, state: { $in: ['queued', 'running'] } }, { $set: update });
      });
    return this.writing;
  }
}

function describeChanges(customer: CustomerDocument, portal: NumberDocument[], plan: SyncPlan, imports: string[]): SyncChanges {
  const previous = new Map(portal.map((n) => [n.e164, n.status]));
  const statusChanges: SyncChanges['statusChanges'] = [];
  for (const [e164, c] of plan.classifications) {
    const from = previous.get(e164);
    if (from && from !== c.status) statusChanges.push({ e164, from, to: c.status });
  }
  return {
    account: plan.account ? { from: plan.account, to: { maxChannels: customer.maxChannels, tenantName: customer.tenantName } } : null,
    toRoute: plan.toRoute,
    toImport: imports,
    toRemove: plan.removals.map(({ e164, mode }) => ({ e164, mode })),
    toRelease: plan.removals.filter((r) => r.release).map((r) => r.e164),
    statusChanges,
  };
}

function capChanges(changes: SyncChanges): SyncChanges {
  return {
    account: changes.account,
    toRoute: changes.toRoute.slice(0, LIST_CAP),
    toImport: changes.toImport.slice(0, LIST_CAP),
    toRemove: changes.toRemove.slice(0, LIST_CAP),
    toRelease: changes.toRelease.slice(0, LIST_CAP),
    statusChanges: changes.statusChanges.slice(0, LIST_CAP),
  };
}

function changeCountsOf(changes: SyncChanges, removed: number) {
  return {
    routed: changes.toRoute.length,
    imported: changes.toImport.length,
    removed,
    released: changes.toRelease.length,
    statusChanges: changes.statusChanges.length,
  };
}

function countsAfter(
  portal: NumberDocument[],
  classifications: Map<string, Classification>,
  imported: string[],
  removed: Set<string>,
): Record<NumberStatus, number> {
  const counts = Object.fromEntries(NUMBER_STATUSES.map((s) => [s, 0])) as Record<NumberStatus, number>;
  for (const number of portal) {
    if (number.removal || removed.has(number.e164)) continue;
    counts[classifications.get(number.e164)?.status ?? number.status]++;
  }
  counts.synced += imported.length;
  return counts;
}

function attentionOf(classifications: Map<string, Classification>): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const [e164, c] of classifications) {
    if (c.status === 'synced' || items.length >= LIST_CAP) continue;
    items.push({ e164, status: c.status, statusText: c.statusText, ...(c.detail ? { detail: c.detail } : {}) });
  }
  return items.sort((a, b) => a.e164.localeCompare(b.e164));
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

