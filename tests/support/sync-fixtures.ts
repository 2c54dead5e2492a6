import { ObjectId } from 'mongodb';
import type { BackendCallflow, BackendPhoneNumber, BackendUser } from '../../api/backend/backend-types';
import type { CustomerDocument } from '../../api/customers/customer-document';
import type { NumberDocument, RemovalMode } from '../../api/numbers/number-document';
import type { BackendState } from '../../api/sync/sync-plan';
import type { SyncRunDocument } from '../../api/sync/sync-run-document';

/**
 * Documents and backend states for the pure sync tests (the plan, the drift
 * calculator): one partner, one customer account `acct-test` on the tenant
 * contoso.example.com, Ann Lee's seat.
 */
export const FIXTURE_PARTNER = new ObjectId();
export const FIXTURE_TENANT = 'contoso.example.com';
const actor = { tid: 'partner-a-tenant', oid: 'user-1', name: 'Test User' };

export function customerDocument(fields: Partial<CustomerDocument> = {}): CustomerDocument {
  const now = new Date();
  return {
    _id: new ObjectId(),
    partnerId: FIXTURE_PARTNER,
    accountId: 'acct-test',
    tenantName: FIXTURE_TENANT,
    nameKey: 'acct-test',
    maxChannels: 10,
    canManage: false,
    numberCount: 0,
    createdAt: now,
    createdBy: actor,
    updatedAt: now,
    ...fields,
  };
}

/** A real sync run of partner A's user, under way (reading) since now, with nothing counted yet: `fields` say the rest. */
export function syncRunDocument(fields: Partial<SyncRunDocument> & Pick<SyncRunDocument, 'partnerId' | 'customerId'>): SyncRunDocument {
  const now = new Date();
  return {
    _id: new ObjectId(),
    trigger: 'tab',
    actor: { tid: 'partner-a-tenant', oid: 'user-1' },
    dryRun: false,
    state: 'running',
    phase: 'reading',
    progress: { done: 0, total: 0 },
    counts: { pending: 0, synced: 0, backend_fatal: 0, not_in_backend: 0 },
    changes: { account: null, toRoute: [], toImport: [], toRemove: [], toRelease: [], statusChanges: [] },
    changeCounts: { routed: 0, imported: 0, removed: 0, released: 0, statusChanges: 0 },
    attention: [],
    errors: [],
    createdAt: now,
    startedAt: now,
    ...fields,
  };
}

/** A number in the portal, added and waiting for sync; with `removal`, its removal is pending. */
export function portalNumber(e164: string, removal?: RemovalMode): NumberDocument {
  return {
    _id: new ObjectId(),
    partnerId: FIXTURE_PARTNER,
    customerId: new ObjectId(),
    e164,
    status: 'pending',
    statusText: 'Added, waiting for sync',
    addedBy: actor,
    addedAt: new Date(),
    ...(removal ? { removal: { mode: removal, requestedAt: new Date(), requestedBy: actor } } : {}),
  };
}

export const teamsFlow = (id: string, numbers: string[]): BackendCallflow => ({
  id,
  numbers,
  flow: { module: 'teams', data: { tenant_name: FIXTURE_TENANT } },
});
export const userFlow = (id: string, numbers: string[], userId: string): BackendCallflow => ({
  id,
  numbers,
  flow: { module: 'user', data: { id: userId } },
});

export const ANN: BackendUser = { id: 'u-ann', first_name: 'Ann', last_name: 'Lee', seat_type: 'essentials' };

/** The backend account as a run reads it; every number in a callflow is on the account, as on a real backend. */
export function backendState(
  fields: {
    onAccount?: string[];
    callflows?: BackendCallflow[];
    users?: BackendUser[];
    teams?: { max_channels?: number; tenant_name?: string } | undefined;
  } = {},
): BackendState {
  const callflows = fields.callflows ?? [];
  const all = new Set([...(fields.onAccount ?? []), ...callflows.flatMap((c) => c.numbers)]);
  return {
    account: {
      id: 'acct-test',
      name: 'Test',
      teams: 'teams' in fields ? fields.teams : { max_channels: 10, tenant_name: FIXTURE_TENANT },
    },
    numbers: new Map<string, BackendPhoneNumber>([...all].map((e164) => [e164, { state: 'in_service' }])),
    callflows,
    users: fields.users ?? [],
  };
}
