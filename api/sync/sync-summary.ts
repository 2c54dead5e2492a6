// What a run records about itself: its changes, their counts, the numbers by status, what needs attention.
import type { CustomerDocument } from '../customers/customer-document';
import type { NumberDocument, NumberStatus } from '../numbers/number-document';
import { NUMBER_STATUSES } from '../numbers/number-status';
import type { Classification, SyncPlan } from './sync-plan';
import type { AttentionItem, SyncChanges } from './sync-run-document';
import { LIST_CAP } from './sync-limits';

/** Every status at zero. */
export function zeroCounts(): Record<NumberStatus, number> {
  return Object.fromEntries(NUMBER_STATUSES.map((s) => [s, 0])) as Record<NumberStatus, number>;
}

export function describeChanges(customer: CustomerDocument, portal: NumberDocument[], plan: SyncPlan, imports: string[]): SyncChanges {
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

export function capChanges(changes: SyncChanges): SyncChanges {
  return {
    account: changes.account,
    toRoute: changes.toRoute.slice(0, LIST_CAP),
    toImport: changes.toImport.slice(0, LIST_CAP),
    toRemove: changes.toRemove.slice(0, LIST_CAP),
    toRelease: changes.toRelease.slice(0, LIST_CAP),
    statusChanges: changes.statusChanges.slice(0, LIST_CAP),
  };
}

export function changeCountsOf(changes: SyncChanges, removed: number) {
  return {
    routed: changes.toRoute.length,
    imported: changes.toImport.length,
    removed,
    released: changes.toRelease.length,
    statusChanges: changes.statusChanges.length,
  };
}

export function countsAfter(
  portal: NumberDocument[],
  classifications: Map<string, Classification>,
  imported: string[],
  removed: Set<string>,
): Record<NumberStatus, number> {
  const counts = zeroCounts();
  for (const number of portal) {
    if (number.removal || removed.has(number.e164)) continue;
    counts[classifications.get(number.e164)?.status ?? number.status]++;
  }
  counts.synced += imported.length;
  return counts;
}

export function attentionOf(classifications: Map<string, Classification>): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const [e164, c] of classifications) {
    if (c.status === 'synced' || items.length >= LIST_CAP) continue;
    items.push({ e164, status: c.status, statusText: c.statusText, ...(c.detail ? { detail: c.detail } : {}) });
  }
  return items.sort((a, b) => a.e164.localeCompare(b.e164));
}
