import type { GraphClient } from '../graph/graph-client';
import { VOICE_ROUTING_POLICY, type NumberAssignment } from '../graph/graph-types';

/** A user of the customer's tenant as the Users tab shows it: Entra user joined with its Teams configuration. */
export interface TeamsUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  voiceEnabled: boolean;
  number: string | null;
  voiceRoutingPolicy: string | null;
}

interface Entry<T> {
  value: Promise<T>;
  until: number;
}

/**
 * What Microsoft holds for a tenant (users, Direct Routing numbers), read in
 * full with paging and kept for a few seconds, so paging and searching the tabs
 * do not read the whole tenant each time. Only a cache: changes made through the
 * portal drop it, and every instance keeps its own.
 */
export class TeamsDirectory {
  private readonly users = new Map<string, Entry<TeamsUser[]>>();
  private readonly numbers = new Map<string, Entry<NumberAssignment[]>>();

  constructor(
    private readonly graph: GraphClient,
    private readonly ttlMs: number,
  ) {}

  usersOf(tenantId: string): Promise<TeamsUser[]> {
    return this.cached(this.users, tenantId, async () => {
      const [users, configurations] = await Promise.all([
        this.graph.listUsers(tenantId),
        this.graph.listUserConfigurations(tenantId),
      ]);
      const byId = new Map(configurations.map((c) => [c.id, c]));
      return users
        .map((user): TeamsUser => {
          const configuration = byId.get(user.id);
          const primary =
            configuration?.telephoneNumbers?.find((n) => (n.assignmentCategory ?? 'primary') === 'primary') ??
            configuration?.telephoneNumbers?.[0];
          const policy = configuration?.effectivePolicyAssignments?.find((p) => p.policyType === VOICE_ROUTING_POLICY);
          return {
            id: user.id,
            displayName: user.displayName || user.userPrincipalName,
            userPrincipalName: user.userPrincipalName,
            accountEnabled: user.accountEnabled !== false,
            voiceEnabled: configuration?.isEnterpriseVoiceEnabled === true,
            number: primary ? e164Of(primary.telephoneNumber) : null,
            voiceRoutingPolicy: policy?.policyAssignment?.displayName ?? null,
          };
        })
        .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.userPrincipalName.localeCompare(b.userPrincipalName));
    });
  }

  numbersOf(tenantId: string): Promise<NumberAssignment[]> {
    return this.cached(this.numbers, tenantId, async () =>
      (await this.graph.listDirectRoutingNumbers(tenantId)).map((n) => ({ ...n, telephoneNumber: e164Of(n.telephoneNumber) })),
    );
  }

  forget(tenantId: string): void {
    this.users.delete(tenantId);
    this.numbers.delete(tenantId);
  }

  private cached<T>(map: Map<string, Entry<T>>, tenantId: string, load: () => Promise<T>): Promise<T> {
    const entry = map.get(tenantId);
    if (entry && entry.until > Date.now()) return entry.value;
    const value = load();
    map.set(tenantId, { value, until: Date.now() + this.ttlMs });
    // A failed read is not kept: the next call asks Microsoft again.
    value.catch(() => {
      if (map.get(tenantId)?.value === value) map.delete(tenantId);
    });
    return value;
  }
}

/** Graph writes numbers with or without the plus ("12061234567"); the portal keeps E.164. */
export function e164Of(number: string): string {
  const digits = number.replace(/^tel:/i, '').replace(/[^\d+]/g, '');
  return digits.startsWith('+') ? digits : `+${digits}`;
}
