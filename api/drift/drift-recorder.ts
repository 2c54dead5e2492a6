import type { Collection } from 'mongodb';
import type { CustomerDocument } from '../customers/customer-document';
import { customerLabel } from '../customers/customer-label';
import type { PortalEvents } from '../events/portal-events';
import type { SyncFailed, SyncOutcomeListener, SyncSucceeded } from '../sync/sync-outcome';
import type { SyncRunDocument } from '../sync/sync-run-document';
import { failureStreakOf, stopMessageOf } from '../sync/failure-streak';
import { calculateDrift } from './drift-calculator';
import { needsAttention, zeroDriftCounts, type CustomerDriftDocument } from './drift-document';
import { driftHashOf, fingerprintOf, itemsHashOf } from './drift-fingerprint';
import type { TeamsAssignmentReader } from './teams-assignments';

export interface DriftCollections {
  drift: Collection<CustomerDriftDocument>;
  customers: Collection<CustomerDocument>;
  runs: Collection<SyncRunDocument>;
}

/**
 * Keeps each customer's drift report: computed at the end of every
 * successful real sync, its failure streak updated by every failed one. One
 * upsert of the report and one update of the customer's summary per run,
 * then the run's event: drift.found after a success, sync.failed after a
 * failure (alerts).
 */
export class DriftRecorder implements SyncOutcomeListener {
  constructor(
    private readonly collections: DriftCollections,
    private readonly teams: TeamsAssignmentReader,
    private readonly events: PortalEvents,
  ) {}

  async succeeded(outcome: SyncSucceeded): Promise<void> {
    const { run, customer } = outcome;
    const drift = calculateDrift(outcome, await this.teams.read(customer));
    const now = new Date();
    const teamsHash =
      drift.teamsHash ??
      (await this.collections.drift.findOne({ customerId: customer._id, partnerId: customer.partnerId }, { projection: { teamsHash: 1 } }))?.teamsHash ??
      itemsHashOf([]);
    const itemsHash = driftHashOf(drift.backendHash, teamsHash);
    const fingerprint = fingerprintOf(itemsHash, 0);
    await this.collections.drift.updateOne(
      { customerId: customer._id, partnerId: customer.partnerId },
      {
        $set: {
          runId: run._id,
          computedAt: now,
          counts: drift.counts,
          total: drift.total,
          items: drift.items,
          teams: drift.teams,
          consecutiveFailures: 0,
          lastFailure: null,
          itemsHash,
          teamsHash,
          fingerprint,
          updatedAt: now,
        },
      },
      { upsert: true },
    );
    await this.mirror(customer, { total: drift.total, consecutiveFailures: 0, computedAt: now });
    // Raised with no drift too: an alert of drift that is gone is then settled, and its coming back is news;
    // not when Teams should have been compared and could not be, as what drifted there may not be gone.
    if (drift.total === 0 && !drift.teams.checked && customer.canManage) return;
    await this.events.raise({
      kind: 'drift.found',
      partnerId: customer.partnerId,
      at: now,
      customerId: customer._id,
      customerLabel: customerLabel(customer),
      runId: run._id,
      counts: drift.counts,
      total: drift.total,
      fingerprint,
      examples: drift.items.slice(0, 5).map(({ kind, e164 }) => ({ kind, e164 })),
    });
  }

  /**
   * The last drift stays as it was (this run compared nothing); only the
   * failure streak moves, and the failure is raised as sync.failed with it.
   */
  async failed({ run, errors }: SyncFailed): Promise<void> {
    const customer = await this.collections.customers.findOne({ _id: run.customerId, partnerId: run.partnerId });
    if (!customer) return;
    const [previous, streak] = await Promise.all([
      this.collections.drift.findOne({ customerId: customer._id, partnerId: customer.partnerId }, { projection: { itemsHash: 1, total: 1, computedAt: 1 } }),
      failureStreakOf(this.collections.runs, run),
    ]);
    const consecutiveFailures = streak.count;
    const itemsHash = previous?.itemsHash ?? itemsHashOf([]);
    const now = new Date();
    const message = stopMessageOf(errors);
    await this.collections.drift.updateOne(
      { customerId: customer._id, partnerId: customer.partnerId },
      {
        $set: {
          consecutiveFailures,
          lastFailure: { runId: run._id, message, at: now },
          fingerprint: fingerprintOf(itemsHash, consecutiveFailures),
          updatedAt: now,
        },
        $setOnInsert: { runId: null, computedAt: null, counts: zeroDriftCounts(), total: 0, items: [], teams: null, itemsHash },
      },
      { upsert: true },
    );
    await this.mirror(customer, { total: previous?.total ?? 0, consecutiveFailures, computedAt: previous?.computedAt ?? null });
    await this.events.raise({
      kind: 'sync.failed',
      partnerId: customer.partnerId,
      at: now,
      customerId: customer._id,
      customerLabel: customerLabel(customer),
      runId: run._id,
      message,
      consecutiveFailures,
      failingSince: streak.since,
    });
  }

  /** The customers table shows and filters drift without reading the reports. */
  private async mirror(customer: CustomerDocument, drift: { total: number; consecutiveFailures: number; computedAt: Date | null }) {
    await this.collections.customers.updateOne(
      { _id: customer._id, partnerId: customer.partnerId },
      { $set: { drift: { ...drift, needsAttention: needsAttention(drift) } } },
    );
  }
}
