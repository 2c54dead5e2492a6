import { ObjectId, type Collection } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import { actorOf, type Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import { customerLabel } from '../customers/customer-label';
import type { CustomerService } from '../customers/customer-service';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { GraphClient } from '../graph/graph-client';
import { GraphError, GraphOperationTimeout, GraphTokenError } from '../graph/graph-errors';
import { VOICE_ROUTING_POLICY } from '../graph/graph-types';
import type { Logger } from '../logging/logger';
import type { NumberDocument } from '../numbers/number-document';
import { readPastedNumbers } from '../numbers/pasted-numbers';
import { parseObjectId } from '../shared/object-id';
import { skipOf, type Page } from '../shared/paging';
import type {
  TeamsNumberQuery,
  TeamsNumberView,
  TeamsOperationView,
  TeamsUserQuery,
  TeamsUserView,
} from './co-management-schemas';
import type { TeamsClaims } from './teams-claims';
import type { TeamsDirectory, TeamsUser } from './teams-directory';
import type { TeamsOperationDocument, TeamsOperationKind } from './teams-operation-document';

export type NumberToAssign = { e164: string } | { problem: 'several'; count: number } | { problem: 'invalid'; reasons: string[] };

export interface CoManagementOptions {
  defaultRegion: string;
  operationPollMs: number;
  operationTimeoutMs: number;
}

/** A finished operation stays on its user's row this long, so the partner sees how it ended. */
const RECENT_OPERATION_MS = 10 * 60 * 1000;

/**
 * The partner's side of co-management: the customer's Teams users and Direct
 * Routing numbers, number assignments and voice routing policies. Every call
 * first checks, in the database, that the customer allows co-management now,
 * and every call is audited, refused ones too.
 */
export class CoManagementService {
  private readonly tracking = new Set<Promise<void>>();
  private readonly log: Logger;

  constructor(
    private readonly collections: {
      numbers: Collection<NumberDocument>;
      operations: Collection<TeamsOperationDocument>;
      customers: Collection<CustomerDocument>;
    },
    private readonly claims: TeamsClaims,
    private readonly customers: CustomerService,
    private readonly audit: AuditLog,
    private readonly microsoft: { graph: GraphClient; directory: TeamsDirectory } | undefined,
    private readonly options: CoManagementOptions,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'co-management' });
  }

  async listUsers(caller: Caller, customerId: string, query: TeamsUserQuery): Promise<Page<TeamsUserView>> {
    const { customer, tenantId, directory } = await this.manageable(caller, customerId, 'users');
    const users = await this.fromMicrosoft(customer, () => directory.usersOf(tenantId));
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
    const operations = await this.latestOperations(customer, page.map((u) => u.id));
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
    const { customer, tenantId, directory } = await this.manageable(caller, customerId, 'numbers');
    const [teamsNumbers, users, portalNumbers] = await Promise.all([
      this.fromMicrosoft(customer, () => directory.numbersOf(tenantId)),
      this.fromMicrosoft(customer, () => directory.usersOf(tenantId)),
      this.collections.numbers
        .find({ customerId: customer._id, removal: { $exists: false } }, { projection: { e164: 1, status: 1, statusText: 1 } })
        .toArray(),
    ]);
    const userById = new Map(users.map((u) => [u.id, u]));
    const rows = new Map<string, TeamsNumberView>();
    for (const number of teamsNumbers) {
      const assignedTo = number.assignmentTargetId ? userById.get(number.assignmentTargetId) : undefined;
      rows.set(number.telephoneNumber, {
        telephoneNumber: number.telephoneNumber,
        teams: {
          assignmentStatus: number.assignmentStatus,
          activationState: number.activationState ?? null,
          assignedTo: number.assignmentTargetId
            ? { id: number.assignmentTargetId, displayName: assignedTo?.displayName ?? number.assignmentTargetId }
            : null,
        },
        portal: null,
        attention: null,
      });
    }
    for (const number of portalNumbers) {
      const row = rows.get(number.e164) ?? { telephoneNumber: number.e164, teams: null, portal: null, attention: null };
      row.portal = { status: number.status, statusText: number.statusText };
      rows.set(number.e164, row);
    }
    const all = [...rows.values()].map((row) => ({ ...row, attention: attentionOf(row) }));
    all.sort((a, b) => a.telephoneNumber.localeCompare(b.telephoneNumber));
    const search = query.search?.replace(/[\s().-]/g, '').toLowerCase();
    const matching = all.filter(
      (row) =>
        (query.view === 'all' || row.attention !== null) &&
        (!search || `${row.telephoneNumber}\n${row.teams?.assignedTo?.displayName ?? ''}`.toLowerCase().replace(/[\s().-]/g, '').includes(search)),
    );
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
    const { customer, tenantId, directory } = await this.manageable(caller, customerId, 'numbers');
    const [teamsNumbers, synced, pending] = await Promise.all([
      this.fromMicrosoft(customer, () => directory.numbersOf(tenantId)),
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
    const { customer, tenantId, directory } = await this.manageable(caller, customerId, 'voice-routing-policies');
    const users = await this.fromMicrosoft(customer, () => directory.usersOf(tenantId));
    return [...new Set(users.map((u) => u.voiceRoutingPolicy).filter((p): p is string => !!p))].sort();
  }

  async assignNumber(caller: Caller, customerId: string, userId: string, typedNumber: string): Promise<TeamsOperationView> {
    const { customer, tenantId, directory, graph } = await this.manageable(caller, customerId, 'assign');
    const telephoneNumber = this.e164(typedNumber);
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
      this.fromMicrosoft(customer, () => directory.numbersOf(tenantId)),
    ]);
    const inTeams = teamsNumbers.find((n) => n.telephoneNumber === telephoneNumber);
    if (inTeams && inTeams.assignmentStatus !== 'unassigned') {
      const holder = inTeams.assignmentTargetId === user.id ? `${user.displayName} already has it` : 'it is already assigned to someone else in Teams';
      throw new ConflictError('number_taken', `${telephoneNumber} cannot be assigned: ${holder}.`, [
        { field: 'telephoneNumber', message: 'is already assigned in Teams' },
      ]);
    }
    return this.start(caller, customer, tenantId, 'assign', telephoneNumber, user, () =>
      graph.assignNumber(tenantId, telephoneNumber, user.id),
    );
  }

  async unassignNumber(caller: Caller, customerId: string, userId: string): Promise<TeamsOperationView> {
    const { customer, tenantId, directory, graph } = await this.manageable(caller, customerId, 'unassign');
    const user = await this.user(customer, tenantId, directory, userId);
    if (!user.number) throw new ConflictError('no_number', `${user.displayName} has no phone number to unassign.`);
    const number = user.number;
    return this.start(caller, customer, tenantId, 'unassign', number, user, () => graph.unassignNumber(tenantId, number));
  }

  async setVoiceRoutingPolicy(caller: Caller, customerId: string, userId: string, name: string): Promise<TeamsUserView> {
    const { customer, tenantId, directory, graph } = await this.manageable(caller, customerId, 'policy');
    const user = await this.user(customer, tenantId, directory, userId);
    const policy = await this.fromMicrosoft(customer, () => graph.getPolicyId(tenantId, VOICE_ROUTING_POLICY, name));
    if (!policy) {
      throw new ValidationError([{ field: 'name', message: `${customerLabel(customer)}'s tenant has no voice routing policy named "${name}"` }]);
    }
    await this.stillAllowed(caller, customer, 'policy');
    await this.fromMicrosoft(customer, () => graph.assignPolicy(tenantId, user.id, VOICE_ROUTING_POLICY, policy.policyId));
    directory.forget(tenantId);
    await this.audit.record(caller, 'teams.voice_routing_policy_set', customer._id, {
      userId: user.id,
      user: user.userPrincipalName,
      from: user.voiceRoutingPolicy,
      to: policy.name,
    });
    const operations = await this.latestOperations(customer, [user.id]);
    return { ...user, voiceRoutingPolicy: policy.name, operation: operations.get(user.id) ?? null };
  }

  /** An assignment's state; a pending one no process follows any more is checked with Microsoft here. */
  async operation(caller: Caller, customerId: string, operationId: string): Promise<TeamsOperationView> {
    const { customer, tenantId, graph } = await this.manageable(caller, customerId, 'operation');
    const id = parseObjectId(operationId);
    let operation = id ? await this.collections.operations.findOne({ _id: id, customerId: customer._id }) : null;
    if (!operation) throw new NotFoundError('No such assignment');
    if (operation.state === 'pending' && Date.now() - operation.checkedAt.getTime() > this.options.operationPollMs * 3) {
      operation = await this.check(operation, graph, tenantId);
    }
    return operationView(operation);
  }

  /** Resolves when every operation this process follows has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.tracking.size > 0) await Promise.allSettled([...this.tracking]);
  }

  /**
   * Claims the number and the user, checks the rule once more, asks
   * Microsoft, records the operation and follows it. A refusal at any step
   * before Microsoft accepted gives the claims back.
   */
  private async start(
    caller: Caller,
    customer: CustomerDocument,
    tenantId: string,
    kind: TeamsOperationKind,
    telephoneNumber: string,
    user: TeamsUser,
    ask: () => Promise<string>,
  ): Promise<TeamsOperationView> {
    const operationId = new ObjectId();
    const { heldBy } = await this.claims.take(tenantId, telephoneNumber, user.id, operationId);
    if (heldBy) {
      const busy = await this.collections.operations.findOne({ _id: heldBy });
      throw new ConflictError(
        'assignment_under_way',
        busy
          ? `An assignment of ${busy.telephoneNumber} to ${busy.userName} is still under way at Microsoft. Wait for it to finish.`
          : `Another assignment of ${telephoneNumber} or for ${user.displayName} is starting. Wait for it to finish.`,
      );
    }
    let operationUrl: string;
    try {
      // The reads above took a moment: the customer may have switched co-management off meanwhile.
      await this.stillAllowed(caller, customer, kind);
      operationUrl = await this.fromMicrosoft(customer, ask);
    } catch (error) {
      await this.claims.release(operationId);
      throw error;
    }
    const now = new Date();
    const operation: TeamsOperationDocument = {
      _id: operationId,
      partnerId: caller.partnerId,
      customerId: customer._id,
      tenantId,
      kind,
      telephoneNumber,
      userId: user.id,
      userName: user.displayName,
      operationUrl,
      state: 'pending',
      startedAt: now,
      checkedAt: now,
      actor: actorOf(caller),
    };
    await this.collections.operations.insertOne(operation);
    this.microsoft!.directory.forget(tenantId);
    await this.audit.record(caller, kind === 'assign' ? 'teams.number_assign_started' : 'teams.number_unassign_started', customer._id, {
      telephoneNumber,
      userId: user.id,
      user: user.userPrincipalName,
    });
    this.follow(operation);
    return operationView(operation);
  }

  /** Polls Microsoft in the background until the operation finishes or times out. */
  private follow(operation: TeamsOperationDocument): void {
    const { graph, directory } = this.microsoft!;
    const run = (async () => {
      let outcome: { state: 'done' | 'failed'; reason?: string };
      try {
        const result = await graph.waitForOperation(operation.tenantId, operation.operationUrl, {
          intervalMs: this.options.operationPollMs,
          timeoutMs: this.options.operationTimeoutMs,
          // Followed here: a GET of the operation need not ask Microsoft too.
          onPoll: () => this.collections.operations.updateOne({ _id: operation._id, state: 'pending' }, { $set: { checkedAt: new Date() } }),
        });
        outcome = result.status === 'succeeded' ? { state: 'done' } : { state: 'failed', reason: reasonOf(result) };
      } catch (error) {
        outcome = {
          state: 'failed',
          reason:
            error instanceof GraphOperationTimeout
              ? `Microsoft did not finish within ${Math.round(this.options.operationTimeoutMs / 1000)} seconds; check the number in Teams before trying again.`
              : `Microsoft could not be asked how it went: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      await this.finish(operation, outcome);
      directory.forget(operation.tenantId);
    })()
      .catch((error: unknown) => this.log.error({ err: error, operationId: operation._id.toHexString() }, 'following an operation failed'))
      .finally(() => this.tracking.delete(run));
    this.tracking.add(run);
  }

  private async check(operation: TeamsOperationDocument, graph: GraphClient, tenantId: string): Promise<TeamsOperationDocument> {
    try {
      const result = await graph.getOperation(tenantId, operation.operationUrl);
      if (result.status === 'succeeded') return await this.finish(operation, { state: 'done' });
      if (result.status === 'failed') return await this.finish(operation, { state: 'failed', reason: reasonOf(result) });
      if (Date.now() - operation.startedAt.getTime() > this.options.operationTimeoutMs) {
        return await this.finish(operation, { state: 'failed', reason: 'Microsoft did not finish in time; check the number in Teams before trying again.' });
      }
    } catch (error) {
      this.log.warn({ err: error }, 'checking an operation failed');
    }
    const checkedAt = new Date();
    await this.collections.operations.updateOne({ _id: operation._id }, { $set: { checkedAt } });
    return { ...operation, checkedAt };
  }

  private async finish(
    operation: TeamsOperationDocument,
    outcome: { state: 'done' | 'failed'; reason?: string },
  ): Promise<TeamsOperationDocument> {
    const now = new Date();
    const set = { state: outcome.state, finishedAt: now, checkedAt: now, ...(outcome.reason ? { reason: outcome.reason } : {}) };
    // Only the first to see the end records it (the background follower or a GET).
    const result = await this.collections.operations.updateOne({ _id: operation._id, state: 'pending' }, { $set: set });
    if (result.modifiedCount === 0) {
      // Someone else recorded the end first: theirs is the outcome.
      return (await this.collections.operations.findOne({ _id: operation._id })) ?? { ...operation, ...set };
    }
    await this.claims.release(operation._id);
    await this.audit.recordAs(operation.partnerId, operation.actor, 'teams.operation_finished', operation.customerId, {
      kind: operation.kind,
      telephoneNumber: operation.telephoneNumber,
      userId: operation.userId,
      state: outcome.state,
      reason: outcome.reason ?? null,
    });
    return { ...operation, ...set };
  }

  private async latestOperations(customer: CustomerDocument, userIds: string[]): Promise<Map<string, TeamsOperationView>> {
    if (userIds.length === 0) return new Map();
    const since = new Date(Date.now() - RECENT_OPERATION_MS);
    const operations = await this.collections.operations
      .find({ customerId: customer._id, userId: { $in: userIds }, $or: [{ state: 'pending' }, { finishedAt: { $gte: since } }] })
      .sort({ startedAt: -1 })
      .toArray();
    const latest = new Map<string, TeamsOperationView>();
    for (const operation of operations) if (!latest.has(operation.userId)) latest.set(operation.userId, operationView(operation));
    return latest;
  }

  private async user(customer: CustomerDocument, tenantId: string, directory: TeamsDirectory, userId: string): Promise<TeamsUser> {
    const users = await this.fromMicrosoft(customer, () => directory.usersOf(tenantId));
    const user = users.find((u) => u.id === userId);
    if (!user) throw new NotFoundError(`No such user in ${customerLabel(customer)}'s tenant`);
    return user;
  }

  /**
   * The one number an assignment names, read as pasted numbers are read
   * everywhere (extensions, invalid pieces and their reasons): exactly one
   * valid number, or why not. The REST route and the bot word the why.
   */
  readNumberToAssign(typed: string): NumberToAssign {
    const entries = readPastedNumbers(typed, this.options.defaultRegion);
    const numbers = entries.flatMap((entry) => (entry.e164 === undefined ? [] : [entry.e164]));
    const reasons = entries.flatMap((entry) => (entry.e164 === undefined ? [`"${entry.input}": ${entry.reason}`] : []));
    if (numbers.length === 1 && reasons.length === 0) return { e164: numbers[0]! };
    if (numbers.length > 1 && reasons.length === 0) return { problem: 'several', count: numbers.length };
    return { problem: 'invalid', reasons };
  }

  private e164(typed: string): string {
    const read = this.readNumberToAssign(typed);
    if ('e164' in read) return read.e164;
    throw new ValidationError([
      {
        field: 'telephoneNumber',
        message:
          read.problem === 'several'
            ? `holds ${read.count} numbers: name one number to assign`
            : `"${typed}" is not a valid phone number${read.reasons.length > 0 ? ` (${read.reasons.join('; ')})` : ''}`,
      },
    ]);
  }

  /** The rule: the customer allows co-management now. Checked in the database on every call. */
  private async manageable(caller: Caller, customerId: string, what: string) {
    const customer = await this.customers.require(caller, customerId);
    if (!customer.canManage || !customer.customerTenantId) throw await this.refusal(caller, customer, what);
    if (!this.microsoft) {
      throw new AppError(503, 'co_management_not_configured', 'Co-management is not configured: the operator must set ENTRA_CLIENT_SECRET.');
    }
    return { customer, tenantId: customer.customerTenantId, ...this.microsoft };
  }

  /** The rule again, right before a change reaches Microsoft, for the same tenant. */
  private async stillAllowed(caller: Caller, customer: CustomerDocument, what: string): Promise<void> {
    const now = await this.collections.customers.findOne({ _id: customer._id, partnerId: caller.partnerId });
    if (!now || !now.canManage || now.customerTenantId !== customer.customerTenantId) {
      throw await this.refusal(caller, now ?? customer, what);
    }
  }

  private async refusal(caller: Caller, customer: CustomerDocument, what: string): Promise<ForbiddenError> {
    await this.audit.record(caller, 'teams.refused', customer._id, { what, reason: 'co_management_off' });
    const when = customer.coManagement?.changedAt;
    return new ForbiddenError(
      'co_management_off',
      when && !customer.canManage
        ? `${customerLabel(customer)} switched co-management off on ${when.toISOString().slice(0, 10)}: its Teams users and numbers can no longer be managed from the portal.`
        : `${customerLabel(customer)} has not allowed co-management. Send its administrator the activation link (Details, Send activation link).`,
    );
  }

  /** Microsoft's failures as the partner should read them. */
  private async fromMicrosoft<T>(customer: CustomerDocument, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof GraphTokenError) {
        throw new AppError(
          409,
          'microsoft_consent_missing',
          `Microsoft refused access to ${customer.tenantName}: ${error.message} The customer's administrator may have removed the consent; send the activation link again.`,
        );
      }
      if (error instanceof GraphError) {
        const status = error.status === 0 || error.status >= 500 || error.status === 429 ? 502 : 409;
        throw new AppError(status, 'microsoft_error', `Microsoft answered: ${error.message}`);
      }
      throw error;
    }
  }
}

function attentionOf(row: TeamsNumberView): string | null {
  const assigned = row.teams !== null && row.teams.assignmentStatus !== 'unassigned';
  if (row.teams?.activationState === 'assignmentFailed' || row.teams?.activationState === 'updateFailed') {
    return 'Microsoft could not activate this number in Teams';
  }
  if (row.portal?.status === 'synced' && !assigned) return 'Routed to Teams by the backend, not assigned to anyone in Teams';
  if (assigned && row.portal === null) return "Assigned in Teams, not one of this customer's numbers in the portal";
  if (assigned && row.portal !== null && row.portal.status !== 'synced') return `Assigned in Teams, not synced (${row.portal.statusText})`;
  return null;
}

function reasonOf(operation: { status: string; numbers?: { statusDetail?: string | null }[] }): string {
  return operation.numbers?.find((n) => n.statusDetail)?.statusDetail ?? `Microsoft reports the operation ${operation.status}`;
}


function operationView(operation: TeamsOperationDocument): TeamsOperationView {
  return {
    id: operation._id.toHexString(),
    kind: operation.kind,
    telephoneNumber: operation.telephoneNumber,
    userId: operation.userId,
    userName: operation.userName,
    state: operation.state,
    reason: operation.reason ?? null,
    startedAt: operation.startedAt.toISOString(),
    finishedAt: operation.finishedAt?.toISOString() ?? null,
  };
}
