import type { EffectivePolicyAssignment, GraphUser, NumberAssignment, TeamsUserConfiguration } from '../graph-types';
import { VOICE_ROUTING_POLICY } from '../graph-types';

/** Directory roles (wids) the simulator puts in an administrator's id token. */
export const GLOBAL_ADMINISTRATOR_ROLE = '62e90394-69f5-4237-9190-012177145e10';

export interface SimulatedUserSpec {
  id: string;
  displayName: string;
  userPrincipalName: string;
  accountEnabled?: boolean;
  /** A Global Administrator: can sign in to the activation page and grant consent. */
  admin?: boolean;
  /** Has a Teams Phone licence; assigning a number to a user without one fails as Microsoft fails it. */
  phoneLicensed?: boolean;
  enterpriseVoice?: boolean;
  /** Direct Routing number assigned to the user. */
  number?: string;
  voiceRoutingPolicy?: string;
}

export interface SimulatedTenantSpec {
  id: string;
  /** The tenant's names: its onmicrosoft.com domain and verified domains. */
  domains: string[];
  displayName: string;
  users: SimulatedUserSpec[];
  /** Direct Routing numbers in the tenant that no user holds. */
  unassignedNumbers?: string[];
  voiceRoutingPolicies?: string[];
  /** App (client) ids the tenant's administrator has already consented to. */
  consentedApps?: string[];
}

export interface SimulatedTenant {
  spec: SimulatedTenantSpec;
  users: Map<string, SimulatedUserSpec & { policies: EffectivePolicyAssignment[] }>;
  numbers: Map<string, NumberAssignment>;
  policies: Map<string, string>;
  consented: Set<string>;
  /** Application permissions granted with the consent; all of graph-api.md's unless a test says otherwise. */
  grantedPermissions?: string[];
}

/** A tenant as the simulator holds it, from its spec: users with their policies, its Direct Routing numbers, its policies. */
export function simulatedTenant(spec: SimulatedTenantSpec): SimulatedTenant {
  const tenant: SimulatedTenant = {
    spec,
    users: new Map(),
    numbers: new Map(),
    // Every tenant has the Global (org-wide default) policy.
    policies: new Map(['Global', ...(spec.voiceRoutingPolicies ?? [])].map((name) => [name.toLowerCase(), policyIdOf(spec.id, name)])),
    consented: new Set(spec.consentedApps ?? []),
  };
  for (const user of spec.users) {
    const policies: EffectivePolicyAssignment[] = user.voiceRoutingPolicy
      ? [policyAssignmentOf(spec.id, user.voiceRoutingPolicy, 'direct')]
      : [policyAssignmentOf(spec.id, 'Global', 'default')];
    tenant.users.set(user.id, { phoneLicensed: true, accountEnabled: true, ...user, policies });
    if (user.number) tenant.numbers.set(user.number, assignedNumber(user.number, user.id));
  }
  for (const number of spec.unassignedNumbers ?? []) tenant.numbers.set(number, unassignedNumber(number));
  return tenant;
}

/** The tenant an authority names: its id or one of its domains. */
export function findTenant(tenants: Map<string, SimulatedTenant>, nameOrId: string): SimulatedTenant | undefined {
  const key = nameOrId.toLowerCase();
  for (const tenant of tenants.values()) {
    if (tenant.spec.id === nameOrId || tenant.spec.domains.some((d) => d.toLowerCase() === key)) return tenant;
  }
  return undefined;
}

export function userOf(user: SimulatedUserSpec): GraphUser {
  return { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName, accountEnabled: user.accountEnabled ?? true };
}

export function configurationOf(tenant: SimulatedTenant, user: SimulatedUserSpec & { policies: EffectivePolicyAssignment[] }): TeamsUserConfiguration {
  const number = [...tenant.numbers.values()].find((n) => n.assignmentTargetId === user.id && n.assignmentStatus === 'userAssigned');
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    isEnterpriseVoiceEnabled: user.enterpriseVoice ?? false,
    telephoneNumbers: number ? [{ telephoneNumber: number.telephoneNumber, assignmentCategory: 'primary' }] : [],
    effectivePolicyAssignments: user.policies,
    accountType: 'user',
  };
}

export function assignedNumber(telephoneNumber: string, userId: string): NumberAssignment {
  return {
    telephoneNumber,
    assignmentStatus: 'userAssigned',
    assignmentTargetId: userId,
    activationState: 'activated',
    numberType: 'directRouting',
    assignmentCategory: 'primary',
  };
}

export function unassignedNumber(telephoneNumber: string): NumberAssignment {
  return { telephoneNumber, assignmentStatus: 'unassigned', assignmentTargetId: null, activationState: 'activated', numberType: 'directRouting', assignmentCategory: null };
}

export function policyIdOf(tenantId: string, name: string): string {
  return Buffer.from(`${tenantId}|${VOICE_ROUTING_POLICY}|${name.toLowerCase()}`).toString('base64url');
}

export function policyAssignmentOf(tenantId: string, name: string, assignmentType: string): EffectivePolicyAssignment {
  return { policyType: VOICE_ROUTING_POLICY, policyAssignment: { displayName: name, policyId: policyIdOf(tenantId, name), assignmentType } };
}

