import type { BackendClient } from '../backend/backend-client';
import type { AccountOwnership } from '../customers/account-ownership';
import type { CustomerDocument } from '../customers/customer-document';
import { AppError } from '../errors';
import type { Logger } from '../logging/logger';
import { STATUS_TEXT } from '../numbers/number-status';
import { BackendReconciliation } from './backend-reconciliation';
import { messageOf } from './error-message';
import { PageRouting } from './page-routing';
import { planSync } from './sync-plan';
import { SyncPlanWriter } from './sync-plan-writer';
import { ProgressReporter } from './sync-progress';
import type { SyncChanges, SyncProblem, SyncRunDocument } from './sync-run-document';
import type { SyncRunnerCollections } from './sync-runner-collections';
import type { SyncOutcomeListener } from './sync-outcome';
import { LIST_CAP, ROUTE_BATCH } from './sync-limits';
import { attentionOf, capChanges, changeCountsOf, countsAfter, describeChanges } from './sync-summary';

export { messageOf } from './error-message';

/** The customer's Account ID is not the partner's (or the partner has no reseller account): no backend call is made. */
class AccountRefused extends Error {}
export { LIST_CAP, ROUTE_BATCH } from './sync-limits';
export type { SyncRunnerCollections } from './sync-runner-collections';

/**
 * Carries out one sync run (DESIGN.md, "Sync semantics"): reads the backend's
 * three lists once, plans locally, writes only what must change to the
 * backend, then records the outcome in MongoDB in batches. Backend writes come
 * before database writes, and every step is safe to repeat, so a run cut off
 * anywhere is completed by the next one.
 */
export class SyncRunner {
  private readonly log: Logger;
  private readonly writer: SyncPlanWriter;

  constructor(
    private readonly collections: SyncRunnerCollections,
    private readonly backend: BackendClient,
    /** The customer's account must be under its partner's reseller account before the run reads or writes it. */
    private readonly ownership: Pick<AccountOwnership, 'require'>,
    logger: Logger,
    /** Told of every real run's end (the drift report); optional so the runner stands alone in tests. */
    private readonly outcomes?: SyncOutcomeListener,
  ) {
    this.log = logger.child({ component: 'sync' });
    this.writer = new SyncPlanWriter(collections);
  }

  async execute(run: SyncRunDocument, lease?: AbortSignal): Promise<void> {
    const { runs, customers, numbers } = this.collections;
    const progress = new ProgressReporter(runs, run._id);
    const errors: SyncProblem[] = [];
    let known: CustomerDocument | undefined;
    try {
      await progress.phase('reading', { state: 'running', startedAt: new Date() });
      const customer = await customers.findOne({ _id: run.customerId, partnerId: run.partnerId });
      if (!customer) throw new Error('The customer no longer exists');
      known = customer;
      // Before anything reaches the backend (a preview reads the account's numbers and seats too).
      await this.ownership.require(customer.partnerId, customer.accountId).catch((error: unknown) => {
        throw error instanceof AppError && error.status < 500 ? new AccountRefused(error.message) : error;
      });
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
      const reconciliation = new BackendReconciliation(this.backend, accountId, customer.tenantName, errors, progress);
      const accountRead = this.backend.getAccount(accountId);
      // The account's Teams settings are pushed as soon as they are known to differ.
      const pushAccount = run.dryRun
        ? undefined
        : accountRead.then((account) => (lease?.aborted ? undefined : reconciliation.pushAccount(customer, account)));
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
      const imports = await this.writer.importable(plan.importCandidates, customer, errors);
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
        reconciliation.applyRemovals(plan),
        routing.settle(),
        pushAccount,
        reconciliation.fixTenants(plan),
      ]);
      if (unrouted.recheck.length > 0) await reconciliation.routeAgain(unrouted);
      // Not routed after all: the number waits for the next sync.
      for (const e164 of unrouted.failed) plan.classifications.set(e164, { status: 'pending', statusText: STATUS_TEXT.pending });

      lease?.throwIfAborted();
      await progress.phase('saving');
      const imported = await this.writer.save(run, customer, portal, plan, imports, removed, errors);
      const finalChanges: SyncChanges = {
        ...changes,
        toRoute: changes.toRoute.filter((e164) => !unrouted.failed.has(e164)),
        toImport: imported,
        toRemove: changes.toRemove.filter((r) => removed.has(r.e164)),
        toRelease: changes.toRelease.filter((e164) => removed.has(e164)),
        statusChanges: changes.statusChanges.filter((c) => !unrouted.failed.has(c.e164)),
      };
      const counts = await this.writer.countByStatus(customer);
      await this.tell(run, () =>
        this.outcomes?.succeeded({ run, customer, portal, plan, backend: { account, numbers: backendNumbers, callflows, users }, imported, removed }),
      );
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
      errors.push({
        message:
          error instanceof AccountRefused
            ? `The sync did not start: ${error.message}. Nothing was read or changed on the backend; check the customer's Account ID.`
            : `The sync stopped: ${messageOf(error).replace(/\.$/, '')}. Nothing was lost; run the sync again.`,
      });
      if (!run.dryRun) await this.tell(run, () => this.outcomes?.failed({ run, ...(known ? { customer: known } : {}), errors }));
      // Why it stopped is kept whatever came before it, last as always.
      const kept = errors.length > LIST_CAP ? [...errors.slice(0, LIST_CAP - 1), errors[errors.length - 1]!] : errors;
      await progress.finish({ state: 'failed', errors: kept, finishedAt }).catch(() => undefined);
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

  /** The end of a run is told to its listener; what the listener does is never the run's failure. */
  private async tell(run: SyncRunDocument, told: () => Promise<void> | undefined): Promise<void> {
    try {
      await told();
    } catch (error) {
      this.log.warn({ runId: run._id.toHexString(), err: messageOf(error) }, 'the end of a sync run could not be recorded');
    }
  }
}
