import { ObjectId, type Collection } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import { actorOf, type Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import { ConflictError } from '../errors';
import type { GraphClient } from '../graph/graph-client';
import { GraphOperationTimeout } from '../graph/graph-errors';
import type { Logger } from '../logging/logger';
import type { CoManagementAccess, CoManagementMicrosoft } from './co-management-access';
import type { TeamsOperationView } from './co-management-schemas';
import { fromMicrosoft } from './microsoft-failures';
import type { TeamsClaims } from './teams-claims';
import type { TeamsUser } from './teams-directory';
import type { TeamsOperationDocument, TeamsOperationKind } from './teams-operation-document';

/** How often a followed operation is polled, and how long Microsoft is given to finish it. */
export interface TeamsOperationTiming {
  operationPollMs: number;
  operationTimeoutMs: number;
}

/** A finished operation stays on its user's row this long, so the partner sees how it ended. */
const RECENT_OPERATION_MS = 10 * 60 * 1000;

/**
 * Number assignments and unassignments under way at Microsoft: the claims on
 * the number and the user, the operation's document, following it in the
 * background until it ends, and recording how it ended exactly once.
 */
export class TeamsOperations {
  private readonly tracking = new Set<Promise<void>>();

  constructor(
    private readonly operations: Collection<TeamsOperationDocument>,
    private readonly claims: TeamsClaims,
    private readonly audit: AuditLog,
    private readonly access: CoManagementAccess,
    private readonly microsoft: CoManagementMicrosoft | undefined,
    private readonly timing: TeamsOperationTiming,
    private readonly log: Logger,
  ) {}

  /** Resolves when every operation this process follows has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.tracking.size > 0) await Promise.allSettled([...this.tracking]);
  }

  /**
   * Claims the number and the user, checks the rule once more, asks
   * Microsoft, records the operation and follows it. A refusal at any step
   * before Microsoft accepted gives the claims back.
   */
  async start(
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
      const busy = await this.operations.findOne({ _id: heldBy });
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
      await this.access.stillAllowed(caller, customer, kind);
      operationUrl = await fromMicrosoft(customer, ask);
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
    await this.operations.insertOne(operation);
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
          intervalMs: this.timing.operationPollMs,
          timeoutMs: this.timing.operationTimeoutMs,
          // Followed here: a GET of the operation need not ask Microsoft too.
          onPoll: () => this.operations.updateOne({ _id: operation._id, state: 'pending' }, { $set: { checkedAt: new Date() } }),
        });
        outcome = result.status === 'succeeded' ? { state: 'done' } : { state: 'failed', reason: reasonOf(result) };
      } catch (error) {
        outcome = {
          state: 'failed',
          reason:
            error instanceof GraphOperationTimeout
              ? `Microsoft did not finish within ${Math.round(this.timing.operationTimeoutMs / 1000)} seconds; check the number in Teams before trying again.`
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

  /** The operation as it stands; a pending one no process follows any more is checked with Microsoft. */
  async current(operation: TeamsOperationDocument, graph: GraphClient, tenantId: string): Promise<TeamsOperationDocument> {
    if (operation.state === 'pending' && Date.now() - operation.checkedAt.getTime() > this.timing.operationPollMs * 3) {
      return this.check(operation, graph, tenantId);
    }
    return operation;
  }

  private async check(operation: TeamsOperationDocument, graph: GraphClient, tenantId: string): Promise<TeamsOperationDocument> {
    try {
      const result = await graph.getOperation(tenantId, operation.operationUrl);
      if (result.status === 'succeeded') return await this.finish(operation, { state: 'done' });
      if (result.status === 'failed') return await this.finish(operation, { state: 'failed', reason: reasonOf(result) });
      if (Date.now() - operation.startedAt.getTime() > this.timing.operationTimeoutMs) {
        return await this.finish(operation, { state: 'failed', reason: 'Microsoft did not finish in time; check the number in Teams before trying again.' });
      }
    } catch (error) {
      this.log.warn({ err: error }, 'checking an operation failed');
    }
    const checkedAt = new Date();
    await this.operations.updateOne({ _id: operation._id }, { $set: { checkedAt } });
    return { ...operation, checkedAt };
  }

  private async finish(
    operation: TeamsOperationDocument,
    outcome: { state: 'done' | 'failed'; reason?: string },
  ): Promise<TeamsOperationDocument> {
    const now = new Date();
    const set = { state: outcome.state, finishedAt: now, checkedAt: now, ...(outcome.reason ? { reason: outcome.reason } : {}) };
    // Only the first to see the end records it (the background follower or a GET).
    const result = await this.operations.updateOne({ _id: operation._id, state: 'pending' }, { $set: set });
    if (result.modifiedCount === 0) {
      // Someone else recorded the end first: theirs is the outcome.
      return (await this.operations.findOne({ _id: operation._id })) ?? { ...operation, ...set };
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

  /** Each user's latest operation: pending, or finished in the last ten minutes. */
  async latest(customer: CustomerDocument, userIds: string[]): Promise<Map<string, TeamsOperationView>> {
    if (userIds.length === 0) return new Map();
    const since = new Date(Date.now() - RECENT_OPERATION_MS);
    const operations = await this.operations
      .find({ customerId: customer._id, userId: { $in: userIds }, $or: [{ state: 'pending' }, { finishedAt: { $gte: since } }] })
      .sort({ startedAt: -1 })
      .toArray();
    const latest = new Map<string, TeamsOperationView>();
    for (const operation of operations) if (!latest.has(operation.userId)) latest.set(operation.userId, operationView(operation));
    return latest;
  }
}

function reasonOf(operation: { status: string; numbers?: { statusDetail?: string | null }[] }): string {
  return operation.numbers?.find((n) => n.statusDetail)?.statusDetail ?? `Microsoft reports the operation ${operation.status}`;
}

export function operationView(operation: TeamsOperationDocument): TeamsOperationView {
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
