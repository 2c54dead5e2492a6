import type { CustomerView } from '../../api/customers/customer-schemas';
import type { SyncRunView } from '../../api/sync/sync-schemas';

/** A customer as the API shows it, for tab and bot tests; each test overrides what it is about. */
export function customerView(overrides: Partial<CustomerView> = {}): CustomerView {
  return {
    id: 'c1',
    accountId: 'acct-1',
    tenantName: 'contoso.onmicrosoft.com',
    name: 'Contoso Ltd',
    maxChannels: 10,
    seatType: null,
    canManage: false,
    customerTenantId: null,
    numberCount: 0,
    lastSync: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A sync run just queued, as the API shows it. */
export function syncRunView(overrides: Partial<SyncRunView> = {}): SyncRunView {
  return {
    id: 'r1',
    customerId: 'c1',
    trigger: 'tab',
    actor: { tid: 't', oid: 'o', name: 'Pat Partner' },
    dryRun: false,
    state: 'queued',
    phase: 'queued',
    progress: { done: 0, total: 0 },
    counts: { pending: 0, synced: 0, backend_fatal: 0, not_in_backend: 0 },
    changes: { account: null, toRoute: [], toImport: [], toRemove: [], toRelease: [], statusChanges: [] },
    changeCounts: { routed: 0, imported: 0, removed: 0, released: 0, statusChanges: 0 },
    attention: [],
    errors: [],
    createdAt: '2024-03-01T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}
