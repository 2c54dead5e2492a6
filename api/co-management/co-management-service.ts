import type { Collection } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import type { Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import { customerLabel } from '../customers/customer-label';
import type { CustomerService } from '../customers/customer-service';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { GraphClient } from '../graph/graph-client';
import { VOICE_ROUTING_POLICY } from '../graph/graph-types';
import type { Logger } from '../logging/logger';
import type { NumberDocument } from '../numbers/number-document';
import { parseObjectId } from '../shared/object-id';
import { skipOf, type Page } from '../shared/paging';
import { CoManagementAccess } from './co-management-access';
import type {
  TeamsNumberQuery,
  TeamsNumberView,
  TeamsOperationView,
  TeamsUserQuery,
  TeamsUserView,
} from './co-management-schemas';
import { fromMicrosoft } from './microsoft-failures';
import { numberToAssign, readNumberToAssign, type NumberToAssign } from './number-to-assign';
import type { TeamsClaims } from './teams-claims';
import type { TeamsDirectory, TeamsUser } from './teams-directory';
import { rowsMatching, teamsNumberRows } from './teams-number-rows';
import type { TeamsOperationDocument } from './teams-operation-document';
import { operationView, TeamsOperations, type TeamsOperationTiming } from './teams-operations';
import { requireRole } from '../members/member-role';

export type { NumberToAssign } from './number-to-assign';

export interface CoManagementOptions extends TeamsOperationTiming {
  defaultRegion: string;
}

/**
 * The partner's side of co-management: the customer's Teams users and Direct
 * Routing numbers, number assignments and voice routing policies. Every call
 * first checks, in the database, that the customer allows co-management now,
 * and every call is audited, refused ones too.
 */
export class CoManagementService {
  private readonly access: CoManagementAccess;
  private readonly operations: TeamsOperations;

  constructor(
    private readonly collections: {
      numbers: Collection<NumberDocument>;
      operations: Collection<TeamsOperationDocument>;
      customers: Collection<CustomerDocument>;
    },
    claims: TeamsClaims,
    customers: CustomerService,
    private readonly audit: AuditLog,
    microsoft: { graph: GraphClient; directory: TeamsDirectory } | undefined,
    private readonly options: CoManagementOptions,
    logger: Logger,
  ) {
    this.access = new CoManagementAccess(collections.customers, customers, audit, microsoft);
    const log = logger.child({ component: 'co-management' });
    this.operations = new TeamsOperations(collections.operations, claims, audit, this.access, microsoft, options, log);
  }

  async listUsers(caller: Caller, customerId: string, query: TeamsUserQuery): Promise<Page<TeamsUserView>> {
    const { customer, tenantId, directory } = await this.access.manageable(caller, customerId, 'users');
    const users = await fromMicrosoft(customer, () => directory.usersOf(tenantId));
    const search = query.search?.toLowerCase();
    // A number matches as people type it ("+1 (212) 555-0109"), as on the numbers list.
    const digits = query.search?.replace(/[\s().-]/g, '');
    const matching = search
      ? users.filter(
          (u) =>
            `${u.displayName}\n${u.userPrincipalName}`.toLowerCase().includes(search) ||
            (!!digits && !!u.number && u.number.includes(digits)),
        )
      : users;
    const page = matching.slice(skipOf(query), skipOf(query) + query.pageSize);
    const operations = await this.operations.latest(customer, page.map((u) => u.id));
    await this.audit.record(caller, 'teams.users_read', customer._id, { search: query.search ?? null, page: query.page });
    return {
      items: page.map((user) => ({ ...user, operation: operations.get(user.id) ?? null })),
      total: matching.length,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** Microsoft's Direct Routing numbers joined with the portal's numbers of the customer. */
  async listNumbers(
    caller: Caller,
    customerId: string,
    query: TeamsNumberQuery,
  ): Promise<Page<TeamsNumberView> & { attentionCount: number }> {
    const { customer, tenantId, directory } = await this.access.manageable(caller, customerId, 'numbers');
    const [teamsNumbers, users, portalNumbers] = await Promise.all([
      fromMicrosoft(customer, () => directory.numbersOf(tenantId)),
      fromMicrosoft(customer, () => directory.usersOf(tenantId)),
      this.collections.numbers
        .find({ customerId: customer._id, removal: { $exists: false } }, { projection: { e164: 1, status: 1, statusText: 1 } })
        .toArray(),
    ]);
    const all = teamsNumberRows(teamsNumbers, users, portalNumbers);
    const matching = rowsMatching(all, query);
    await this.audit.record(caller, 'teams.numbers_read', customer._id, { view: query.view, search: query.search ?? null });
    return {
      items: matching.slice(skipOf(query), skipOf(query) + query.pageSize),
      total: matching.length,
      page: query.page,
      pageSize: query.pageSize,
      attentionCount: all.filter((row) => row.attention !== null).length,
    };
  }

  /** The customer's synced numbers that no one holds in Teams and no assignment is under way for. */
  async assignableNumbers(caller: Caller, customerId: string): Promise<string[]> {
    const { customer, tenantId, directory } = await this.access.manageable(caller, customerId, 'numbers');
    const [teamsNumbers, synced, pending] = await Promise.all([
      fromMicrosoft(customer, () => directory.numbersOf(tenantId)),
      this.collections.numbers
        .find({ customerId: customer._id, status: 'synced', removal: { $exists: false } }, { projection: { e164: 1 } })
        .sort({ e164: 1 })
        .toArray(),
      this.collections.operations.find({ customerId: customer._id, state: 'pending' }, { projection: { telephoneNumber: 1 } }).toArray(),
    ]);
    const taken = new Set([
      ...teamsNumbers.filter((n) => n.assignmentStatus !== 'unassigned').map((n) => n.telephoneNumber),
      ...pending.map((p) => p.telephoneNumber),
    ]);
    return synced.map((n) => n.e164).filter((e164) => !taken.has(e164));
  }

  /** Voice routing policy names in use in the tenant, to suggest (Graph has no list of them). */
  async voiceRoutingPolicies(caller: Caller, customerId: string): Promise<string[]> {
    const { customer, tenantId, directory } = await this.access.manageable(caller, customerId, 'voice-routing-policies');
    const users = await fromMicrosoft(customer, () => directory.usersOf(tenantId));
    return [...new Set(users.map((u) => u.voiceRoutingPolicy).filter((p): p is string => !!p))].sort();
  }

  async assignNumber(caller: Caller, customerId: string, userId: string, typedNumber: string): Promise<TeamsOperationView> {
    requireRole(caller, 'operator');
    const { customer, tenantId, directory, graph } = await this.access.manageable(caller, customerId, 'assign');
    const telephoneNumber = numberToAssign(typedNumber, this.options.defaultRegion);
    const portal = await this.collections.numbers.findOne({ customerId: customer._id, e164: telephoneNumber, removal: { $exists: false } });
    if (!portal) {
      throw new ConflictError('number_not_customers', `${telephoneNumber} is not one of ${customerLabel(customer)}'s numbers in the portal`, [
        { field: 'telephoneNumber', message: "is not one of the customer's numbers" },
      ]);
    }
    if (portal.status !== 'synced') {
      throw new ConflictError(
        'number_not_synced',
        `Only synced numbers can be assigned: ${telephoneNumber} is "${portal.statusText}". Sync the customer first.`,
        [{ field: 'telephoneNumber', message: `is not synced (${portal.statusText})` }],
      );
    }
    const [user, teamsNumbers] = await Promise.all([
      this.user(customer, tenantId, directory, userId),
      fromMicrosoft(customer, () => directory.numbersOf(tenantId)),
    ]);
    const inTeams = teamsNumbers.find((n) => n.telephoneNumber === telephoneNumber);
    if (inTeams && inTeams.assignmentStatus !== 'unassigned') {
      const holder = inTeams.assignmentTargetId === user.id ? `${user.displayName} already has it` : 'it is already assigned to someone else in Teams';
      throw new ConflictError('number_taken', `${telephoneNumber} cannot be assigned: ${holder}.`, [
        { field: 'telephoneNumber', message: 'is already assigned in Teams' },
      ]);
    }
    return this.operations.start(caller, customer, tenantId, 'assign', telephoneNumber, user, () =>
      graph.assignNumber(tenantId, telephoneNumber, user.id),
    );
  }

  async unassignNumber(caller: Caller, customerId: string, userId: string): Promise<TeamsOperationView> {
    requireRole(caller, 'operator');
    const { customer, tenantId, directory, graph } = await this.access.manageable(caller, customerId, 'unassign');
    const user = await this.user(customer, tenantId, directory, userId);
    if (!user.number) throw new ConflictError('no_number', `${user.displayName} has no phone number to unassign.`);
    const number = user.number;
    return this.operations.start(caller, customer, tenantId, 'unassign', number, user, () => graph.unassignNumber(tenantId, number));
  }

  async setVoiceRoutingPolicy(caller: Caller, customerId: string, userId: string, name: string): Promise<TeamsUserView> {
    requireRole(caller, 'operator');
    const { customer, tenantId, directory, graph } = await this.access.manageable(caller, customerId, 'policy');
    const user = await this.user(customer, tenantId, directory, userId);
    const policy = await fromMicrosoft(customer, () => graph.getPolicyId(tenantId, VOICE_ROUTING_POLICY, name));
    if (!policy) {
      throw new ValidationError([{ field: 'name', message: `${customerLabel(customer)}'s tenant has no voice routing policy named "${name}"` }]);
    }
    await this.access.stillAllowed(caller, customer, 'policy');
    await fromMicrosoft(customer, () => graph.assignPolicy(tenantId, user.id, VOICE_ROUTING_POLICY, policy.policyId));
    directory.forget(tenantId);
    await this.audit.record(caller, 'teams.voice_routing_policy_set', customer._id, {
      userId: user.id,
      user: user.userPrincipalName,
      from: user.voiceRoutingPolicy,
      to: policy.name,
    });
    const operations = await this.operations.latest(customer, [user.id]);
    return { ...user, voiceRoutingPolicy: policy.name, operation: operations.get(user.id) ?? null };
  }

  /** An assignment's state; a pending one no process follows any more is checked with Microsoft here. */
  async operation(caller: Caller, customerId: string, operationId: string): Promise<TeamsOperationView> {
    const { customer, tenantId, graph } = await this.access.manageable(caller, customerId, 'operation');
    const id = parseObjectId(operationId);
    const operation = id ? await this.collections.operations.findOne({ _id: id, customerId: customer._id }) : null;
    if (!operation) throw new NotFoundError('No such assignment');
    return operationView(await this.operations.current(operation, graph, tenantId));
  }

  /** Resolves when every operation this process follows has finished (tests, shutdown). */
  async idle(): Promise<void> {
    await this.operations.idle();
  }

  private async user(customer: CustomerDocument, tenantId: string, directory: TeamsDirectory, userId: string): Promise<TeamsUser> {
    const users = await fromMicrosoft(customer, () => directory.usersOf(tenantId));
    const user = users.find((u) => u.id === userId);
    if (!user) throw new NotFoundError(`No such user in ${customerLabel(customer)}'s tenant`);
    return user;
  }

  /** The one number an assignment names, or why there is none (number-to-assign.ts); the REST route and the bot word the why. */
  readNumberToAssign(typed: string): NumberToAssign {
    return readNumberToAssign(typed, this.options.defaultRegion);
  }
}
