import type { BackendClient } from '../backend/backend-client';
import type { BackendAccount } from '../backend/backend-types';
import { teamsCallflowFor, withTenant } from '../backend/teams-callflow';
import type { CustomerDocument } from '../customers/customer-document';
import { messageOf } from './error-message';
import { TEAMS_MODULE, teamsSettingsDiffer, type SyncPlan } from './sync-plan';
import type { SyncProblem } from './sync-run-document';
import { ROUTE_BATCH } from './sync-limits';
import type { ProgressReporter } from './sync-progress';

/**
 * The backend writes of one run, besides the routing of free numbers (see
 * PageRouting): the account's Teams settings, callflows naming an old tenant,
 * removals and releases, and the numbers a refused batch left to route again.
 * A write that fails is reported and left to the next sync.
 */
export class BackendReconciliation {
  constructor(
    private readonly backend: BackendClient,
    private readonly accountId: string,
    private readonly tenantName: string,
    private readonly errors: SyncProblem[],
    private readonly progress: ProgressReporter,
  ) {}

  async pushAccount(customer: CustomerDocument, account: BackendAccount) {
    if (!teamsSettingsDiffer(customer, account)) return;
    try {
      await this.backend.updateAccountTeams(customer.accountId, { max_channels: customer.maxChannels, tenant_name: customer.tenantName });
    } catch (error) {
      this.errors.push({ message: `The account settings were not pushed: ${messageOf(error)}` });
    }
    this.progress.step();
  }

  /** Teams callflows that still name an old tenant get the customer's. */
  async fixTenants(plan: SyncPlan) {
    await Promise.all(
      plan.tenantFixes.map(async (callflow) => {
        try {
          const current = await this.backend.getCallflow(this.accountId, callflow.id);
          await this.backend.replaceCallflow(this.accountId, withTenant(current, this.tenantName));
        } catch (error) {
          this.errors.push({ message: `Callflow ${callflow.id} still routes to another tenant: ${messageOf(error)}; the next sync retries` });
        }
        this.progress.step();
      }),
    );
  }

  /**
   * A batch refused because one of its numbers is in a callflow now: read the
   * callflows again, keep what is routed to Teams, send the still-free numbers
   * once more, and report the rest.
   */
  async routeAgain(unrouted: { failed: Set<string>; recheck: string[] }): Promise<void> {
    const holders = new Map<string, string>();
    for (const callflow of await this.backend.listCallflows(this.accountId)) {
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
      this.errors.push({ e164, message: `${e164} was not routed to Teams: a non-Teams callflow took it meanwhile; the next sync classifies it` });
    }
    for (let i = 0; i < free.length; i += ROUTE_BATCH) {
      const batch = free.slice(i, i + ROUTE_BATCH);
      try {
        await this.backend.createCallflow(this.accountId, teamsCallflowFor(batch, this.tenantName));
      } catch (error) {
        batch.forEach((e164) => unrouted.failed.add(e164));
        this.errors.push({
          message: `Could not route ${batch.length} number(s) to Teams (${batch[0]}...): ${messageOf(error)}; the next sync retries`,
        });
      }
    }
  }

  /** Takes removed numbers out of their Teams callflows, then releases those removed with "delete". */
  async applyRemovals(plan: SyncPlan) {
    const failed = new Set<string>();
    await Promise.all(
      plan.callflowRemovals.map(async ({ callflow, remove, deleteIt }) => {
        try {
          if (deleteIt) {
            await this.backend.deleteCallflow(this.accountId, callflow.id);
          } else {
            // Read again just before the write: the carrier may have changed it since the list.
            const current = await this.backend.getCallflow(this.accountId, callflow.id);
            const numbers = current.numbers.filter((n) => !remove.includes(n));
            if (numbers.length === 0) await this.backend.deleteCallflow(this.accountId, callflow.id);
            else await this.backend.replaceCallflow(this.accountId, withTenant({ ...current, numbers }, this.tenantName));
          }
        } catch (error) {
          remove.forEach((e164) => failed.add(e164));
          this.errors.push({
            message: `Could not take ${remove.join(', ')} out of callflow ${callflow.id}: ${messageOf(error)}; the next sync retries`,
          });
        }
        this.progress.step();
      }),
    );
    await Promise.all(
      plan.removals
        .filter((r) => r.release)
        .map(async ({ e164 }) => {
          if (failed.has(e164)) return this.progress.step();
          try {
            await this.backend.releasePhoneNumber(this.accountId, e164);
          } catch (error) {
            failed.add(e164);
            this.errors.push({ e164, message: `Could not release ${e164} from the account: ${messageOf(error)}; the next sync retries` });
          }
          this.progress.step();
        }),
    );
    for (const removal of plan.removals) if (removal.note) this.errors.push({ e164: removal.e164, message: `${removal.e164}: ${removal.note}` });
    return new Set(plan.removals.map((r) => r.e164).filter((e164) => !failed.has(e164)));
  }
}
