import type { TeamsNumberView, TeamsOperationView, TeamsUserView } from '../../api/co-management/co-management-schemas';
import type { CustomerView } from '../../api/customers/customer-schemas';
import type { CustomerDriftView } from '../../api/drift/drift-schemas';
import { noDriftYet } from '../../api/drift/drift-service';
import type { JobView } from '../../api/jobs/job-schemas';
import type { MeView, MemberView } from '../../api/members/member-schemas';
import type { MemberRole } from '../../api/members/role-names';
import type { SyncRunView } from '../../api/sync/sync-schemas';
import { actionsOf } from './route-roles';

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
    drift: null,
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

/** A user of the customer's tenant as the co-management API shows it. */
export function teamsUserView(overrides: Partial<TeamsUserView> = {}): TeamsUserView {
  return {
    id: 'u1',
    displayName: 'Adele Vance',
    userPrincipalName: 'adele@contoso.onmicrosoft.com',
    accountEnabled: true,
    voiceEnabled: true,
    number: null,
    voiceRoutingPolicy: null,
    operation: null,
    ...overrides,
  };
}

/** An assignment just started at Microsoft. */
export function teamsOperationView(overrides: Partial<TeamsOperationView> = {}): TeamsOperationView {
  return {
    id: 'op1',
    kind: 'assign',
    telephoneNumber: '+12125550100',
    userId: 'u1',
    userName: 'Adele Vance',
    state: 'pending',
    reason: null,
    startedAt: '2026-01-02T10:00:00.000Z',
    finishedAt: null,
    ...overrides,
  };
}

/** A Direct Routing number of the tenant, unassigned in Teams and synced in the portal. */
export function teamsNumberView(overrides: Partial<TeamsNumberView> = {}): TeamsNumberView {
  return {
    telephoneNumber: '+12125550100',
    teams: { assignmentStatus: 'unassigned', activationState: 'activated', assignedTo: null },
    portal: { status: 'synced', statusText: 'Synced' },
    attention: null,
    ...overrides,
  };
}

/** /me of a member of Northwind Telecom with `role`, listing what the role may do. */
export function meView(role: MemberRole = 'admin', overrides: Partial<MeView> = {}): MeView {
  return {
    partner: { name: 'Northwind Telecom', tenantId: 'tenant-northwind' },
    oid: 'user-ann',
    name: 'Ann Admin',
    role,
    globalAdministrator: false,
    actions: actionsOf(role),
    ...overrides,
  };
}

export function memberView(overrides: Partial<MemberView> = {}): MemberView {
  return {
    oid: 'user-ann',
    name: 'Ann Admin',
    role: 'admin',
    grantedBy: { how: 'registration' },
    grantedAt: '2026-11-02T09:30:00.000Z',
    globalAdministrator: false,
    ...overrides,
  };
}

/** A job adding 1,200 numbers, running, nothing done yet. */
export function jobView(overrides: Partial<JobView> = {}): JobView {
  return {
    id: 'job-1',
    kind: 'numbers.add',
    customerId: 'c1',
    customerLabel: 'Contoso',
    state: 'running',
    total: 1200,
    done: 0,
    outcomes: { added: 0, 'already-present': 0, 'owned-elsewhere': 0, invalid: 0 },
    startedBy: { tid: 't1', oid: 'user-ann', name: 'Ann Admin' },
    successOutcomes: ['added'],
    inputLabel: 'Number',
    fileName: null,
    createdAt: '2026-12-06T10:00:00.000Z',
    startedAt: '2026-12-06T10:00:00.000Z',
    finishedAt: null,
    cancelRequested: false,
    error: null,
    ...overrides,
  };
}

/** A customer's drift report as the API answers it: nothing compared yet unless told. */
export function driftView(overrides: Partial<CustomerDriftView> = {}): CustomerDriftView {
  return { ...noDriftYet('c1'), ...overrides };
}
