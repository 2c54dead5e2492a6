import type { DriftKind } from '../events/portal-events';
import type { NumberAssignment } from '../graph/graph-types';
import type { NumberStatus } from '../numbers/number-document';
import { STATUS_TEXT } from '../numbers/number-status';
import { seatOf, TEAMS_MODULE } from '../sync/sync-plan';
import type { SyncSucceeded } from '../sync/sync-outcome';
import { DRIFT_ITEM_CAP, DRIFT_KINDS, zeroDriftCounts, type DriftItem, type TeamsCheck } from './drift-document';
import { itemsHashOf, TEAMS_DRIFT_KINDS } from './drift-fingerprint';

/** The customer's Direct Routing numbers in Teams, or why they were not read. */
export type TeamsAssignments = { checked: true; numbers: NumberAssignment[] } | { checked: false; reason: string };

export interface Drift {
  counts: Record<DriftKind, number>;
  total: number;
  /** Capped; sorted by kind, then number. */
  items: DriftItem[];
  /** The hash of the items of the backend kinds, and of the Teams kinds (null: Teams was not read). */
  backendHash: string;
  teamsHash: string | null;
  teams: TeamsCheck;
}

/**
 * The customer's drift right after a successful sync, from what the run read
 * and did (no backend call of its own). Pure: no I/O.
 */
export function calculateDrift(outcome: Omit<SyncSucceeded, 'run'>, teams: TeamsAssignments): Drift {
  const { portal, plan, backend, imported, removed } = outcome;
  const items: DriftItem[] = [];

  // What the portal holds once the run is saved: its active numbers with their new status, and the imports.
  const held = new Map<string, NumberStatus>();
  for (const [e164, classification] of plan.classifications) held.set(e164, classification.status);
  for (const e164 of imported) held.set(e164, 'synced');

  for (const [e164, classification] of plan.classifications) {
    if (classification.status === 'not_in_backend') items.push({ e164, kind: 'missing_at_backend', detail: STATUS_TEXT.not_in_backend });
  }

  const callflowOf = new Map(backend.callflows.flatMap((callflow) => callflow.numbers.map((e164) => [e164, callflow] as const)));
  const users = new Map(backend.users.map((user) => [user.id, user]));
  const byNumber = new Map(portal.map((number) => [number.e164, number]));
  const released = new Set(plan.removals.filter((r) => r.release && removed.has(r.e164)).map((r) => r.e164));
  const onAccount = new Set([...backend.numbers.keys(), ...callflowOf.keys()]);
  for (const e164 of onAccount) {
    if (held.has(e164) || released.has(e164)) continue;
    const callflow = callflowOf.get(e164);
    const pendingRemoval = !removed.has(e164) && byNumber.get(e164)?.removal !== undefined;
    // A free number routes nowhere: it is the account's stock (a number removed with retain is kept so on purpose), not drift.
    if (!pendingRemoval && (!callflow || (removed.has(e164) && callflow.flow.module === TEAMS_MODULE))) continue;
    const inTeams = callflow?.flow.module === TEAMS_MODULE;
    let detail: string;
    if (removed.has(e164) && callflow) {
      detail = `removed from the portal, still ${seatOf(callflow, users)}`;
    } else if (pendingRemoval) {
      detail = 'its removal from the portal is still pending; the next sync retries';
    } else if (inTeams) {
      detail = "routed to this customer's Teams, but another customer in the portal holds it";
    } else {
      detail = `on a non-Teams callflow, ${seatOf(callflow!, users)}`;
    }
    items.push({ e164, kind: 'not_in_portal', detail });
  }

  if (teams.checked) {
    const inTeams = new Map(teams.numbers.map((n) => [n.telephoneNumber, n]));
    for (const [e164, number] of inTeams) {
      if (number.assignmentStatus === 'unassigned') continue;
      const status = held.get(e164);
      if (status === 'synced') continue;
      items.push({
        e164,
        kind: 'assigned_not_synced',
        detail: status ? `assigned in Teams, not synced (${STATUS_TEXT[status]})` : "assigned in Teams, not one of this customer's numbers in the portal",
      });
    }
    for (const [e164, status] of held) {
      if (status !== 'synced') continue;
      const number = inTeams.get(e164);
      if (number && number.assignmentStatus !== 'unassigned') continue;
      items.push({
        e164,
        kind: 'synced_not_assigned',
        detail: number ? 'synced, not assigned to anyone in Teams' : "synced, not among the tenant's Direct Routing numbers in Teams",
      });
    }
  }

  const counts = zeroDriftCounts();
  for (const item of items) counts[item.kind]++;
  const order = new Map(DRIFT_KINDS.map((kind, i) => [kind, i]));
  items.sort((a, b) => order.get(a.kind)! - order.get(b.kind)! || a.e164.localeCompare(b.e164));
  return {
    counts,
    // A number can drift two ways (missing at the backend and assigned in Teams): it is one number.
    total: new Set(items.map((item) => item.e164)).size,
    items: items.slice(0, DRIFT_ITEM_CAP),
    backendHash: itemsHashOf(items.filter((item) => !TEAMS_DRIFT_KINDS.includes(item.kind))),
    teamsHash: teams.checked ? itemsHashOf(items.filter((item) => TEAMS_DRIFT_KINDS.includes(item.kind))) : null,
    teams: teams.checked ? { checked: true } : { checked: false, reason: teams.reason },
  };
}
