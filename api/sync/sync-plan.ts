import type { BackendAccount, BackendCallflow, BackendPhoneNumber, BackendUser } from '../backend/backend-types';
import type { CustomerDocument } from '../customers/customer-document';
import type { NumberDocument, NumberStatus, RemovalMode } from '../numbers/number-document';
import { STATUS_TEXT } from '../numbers/number-status';

/** What the backend holds for one account, read once per run. */
export interface BackendState {
  account: BackendAccount;
  numbers: Map<string, BackendPhoneNumber>;
  callflows: BackendCallflow[];
  users: BackendUser[];
}

export interface Classification {
  /** pending only when the run meant to route it and could not. */
  status: NumberStatus;
  statusText: string;
  /** For a non-Teams seat: which seat holds it. */
  detail?: string;
}

/** A change to one Teams callflow to take removed numbers out of it. */
export interface CallflowRemoval {
  callflow: BackendCallflow;
  remove: string[];
  /** True when nothing would be left in it: delete instead of replace. */
  deleteIt: boolean;
}

export interface SyncPlan {
  account: { maxChannels: number | null; tenantName: string | null } | null;
  removals: { e164: string; mode: RemovalMode; release: boolean; note?: string }[];
  callflowRemovals: CallflowRemoval[];
  /** Teams callflows of the account that name another tenant than the customer's (and are not edited for removals). */
  tenantFixes: BackendCallflow[];
  /** Free numbers on the account that get Teams routing. */
  toRoute: string[];
  /** In a Teams callflow of the account but not in the portal. */
  importCandidates: string[];
  /** Every active portal number with the status the backend gives it (routing assumed to succeed). */
  classifications: Map<string, Classification>;
}

export const TEAMS_MODULE = 'teams';

/**
 * Compares the customer's numbers in the portal with what the backend holds
 * and says what the sync must do (DESIGN.md, "Sync semantics"). Pure: no I/O.
 */
export function planSync(customer: CustomerDocument, portal: NumberDocument[], backend: BackendState): SyncPlan {
  const callflowOf = new Map<string, BackendCallflow>();
  for (const callflow of backend.callflows) for (const e164 of callflow.numbers) callflowOf.set(e164, callflow);
  const users = new Map(backend.users.map((u) => [u.id, u]));
  const isTeams = (callflow: BackendCallflow | undefined) => callflow?.flow.module === TEAMS_MODULE;

  const teams = backend.account.teams ?? {};
  const account = teamsSettingsDiffer(customer, backend.account)
    ? { maxChannels: teams.max_channels ?? null, tenantName: teams.tenant_name ?? null }
    : null;

  const removals: SyncPlan['removals'] = [];
  const removeFrom = new Map<string, string[]>();
  for (const number of portal) {
    if (!number.removal) continue;
    const callflow = callflowOf.get(number.e164);
    if (callflow && isTeams(callflow)) removeFrom.set(callflow.id, [...(removeFrom.get(callflow.id) ?? []), number.e164]);
    const onSeat = callflow !== undefined && !isTeams(callflow);
    const release = number.removal.mode === 'delete' && backend.numbers.has(number.e164) && !onSeat;
    removals.push({
      e164: number.e164,
      mode: number.removal.mode,
      release,
      ...(onSeat && number.removal.mode === 'delete'
        ? { note: 'kept on the backend account: a non-Teams seat uses it' }
        : {}),
    });
  }
  const callflowRemovals = [...removeFrom].map(([id, remove]) => {
    const callflow = backend.callflows.find((c) => c.id === id)!;
    return { callflow, remove, deleteIt: callflow.numbers.every((n) => remove.includes(n)) };
  });

  const classifications = new Map<string, Classification>();
  const toRoute: string[] = [];
  const known = new Set(portal.map((n) => n.e164));
  for (const number of portal) {
    if (number.removal) continue;
    const callflow = callflowOf.get(number.e164);
    if (isTeams(callflow)) {
      classifications.set(number.e164, synced());
    } else if (callflow) {
      classifications.set(number.e164, {
        status: 'backend_fatal',
        statusText: STATUS_TEXT.backend_fatal,
        detail: seatOf(callflow, users),
      });
    } else if (backend.numbers.has(number.e164)) {
      toRoute.push(number.e164);
      classifications.set(number.e164, synced());
    } else {
      classifications.set(number.e164, { status: 'not_in_backend', statusText: STATUS_TEXT.not_in_backend });
    }
  }

  const importCandidates = backend.callflows
    .filter(isTeams)
    .flatMap((c) => c.numbers)
    .filter((e164) => !known.has(e164));

  const edited = new Set(callflowRemovals.map((r) => r.callflow.id));
  const tenantFixes = backend.callflows.filter(
    (c) => isTeams(c) && !edited.has(c.id) && c.flow.data?.tenant_name !== customer.tenantName,
  );

  return {
    account,
    removals,
    callflowRemovals,
    tenantFixes,
    toRoute: toRoute.sort(),
    importCandidates: [...new Set(importCandidates)].sort(),
    classifications,
  };
}

/** The account's Teams settings (max channels, tenant) are not the customer's. */
export function teamsSettingsDiffer(customer: CustomerDocument, account: BackendAccount): boolean {
  return account.teams?.max_channels !== customer.maxChannels || account.teams?.tenant_name !== customer.tenantName;
}

export function synced(): Classification {
  return { status: 'synced', statusText: STATUS_TEXT.synced };
}

export function seatOf(callflow: BackendCallflow, users: Map<string, BackendUser>): string {
  const userId = callflow.flow.data?.id;
  const user = typeof userId === 'string' ? users.get(userId) : undefined;
  if (!user) return `on callflow ${callflow.id} (${callflow.flow.module})`;
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.id;
  return `on the seat of ${name}${user.seat_type ? ` (${user.seat_type})` : ''}`;
}
