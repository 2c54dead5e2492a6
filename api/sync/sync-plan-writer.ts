import { ObjectId } from 'mongodb';
import type { CustomerDocument } from '../customers/customer-document';
import type { NumberDocument, NumberStatus } from '../numbers/number-document';
import type { NumberHistoryDocument } from '../numbers/number-history-document';
import { STATUS_TEXT } from '../numbers/number-status';
import { isDuplicateKeyError } from '../storage/duplicate-key';
import { synced, type SyncPlan } from './sync-plan';
import type { SyncProblem, SyncRunDocument } from './sync-run-document';
import type { SyncRunnerCollections } from './sync-runner-collections';
import { zeroCounts } from './sync-summary';

/**
 * A run's plan applied to MongoDB: which backend numbers may be imported, and
 * the outcome written in a handful of batched writes.
 */
export class SyncPlanWriter {
  constructor(private readonly collections: SyncRunnerCollections) {}

  /** The customer's numbers by status, as stored now. */
  async countByStatus(customer: CustomerDocument): Promise<Record<NumberStatus, number>> {
    const groups = await this.collections.numbers
      .aggregate<{ _id: NumberStatus; count: number }>([
        { $match: { customerId: customer._id, removal: { $exists: false } } },
        { $group: { _id: '$status', count: { $sum: 1 } } },
      ])
      .toArray();
    const counts = zeroCounts();
    for (const { _id, count } of groups) counts[_id] = count;
    return counts;
  }

  /** Import candidates that no other customer in the portal holds. */
  async importable(candidates: string[], customer: CustomerDocument, errors: SyncProblem[]): Promise<string[]> {
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

  /**
   * The outcome in MongoDB: a handful of batched writes, whatever the number of
   * numbers. History goes first: if the process dies half-way, the next run
   * sees the same changes again and writes them again.
   */
  async save(
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
