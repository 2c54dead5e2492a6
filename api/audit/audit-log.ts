import { ObjectId, type Collection, type Filter } from 'mongodb';
import { z } from 'zod';
import { actorOf, actorView, type Actor, type Caller } from '../auth/caller';
import { pageView, pagingQuery, skipOf, type Page, type Paging } from '../shared/paging';
import type { AuditAction, AuditDocument } from './audit-document';

/** Entries that record a look, not a change: left out of `kind=changes`. */
export const READ_ACTIONS: AuditAction[] = ['teams.users_read', 'teams.numbers_read', 'teams.refused'];

export const auditListQuery = z.object({
  customerId: z.string().optional(),
  /** `changes`: without the entries that only record a look at the customer's Teams (or a refused one). */
  kind: z.enum(['all', 'changes']).default('all'),
  ...pagingQuery,
});

export const auditEntryView = z.object({
  id: z.string(),
  at: z.string(),
  actor: actorView,
  action: z.string(),
  customerId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntryView = z.infer<typeof auditEntryView>;

export const auditPageView = pageView(auditEntryView);

/** Who did what, when, to which customer: one document per change. */
export class AuditLog {
  constructor(private readonly audit: Collection<AuditDocument>) {}

  async record(
    caller: Caller,
    action: AuditAction,
    customerId: ObjectId | undefined,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.recordAs(caller.partnerId, actorOf(caller), action, customerId, details);
  }

  /** Several entries by the caller in one round trip (an import's batch of new customers). */
  async recordMany(
    caller: Caller,
    entries: readonly { action: AuditAction; customerId?: ObjectId; details: Record<string, unknown> }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    const at = new Date();
    const actor = actorOf(caller);
    await this.audit.insertMany(
      entries.map((entry) => ({
        _id: new ObjectId(),
        partnerId: caller.partnerId,
        at,
        actor,
        action: entry.action,
        ...(entry.customerId ? { customerId: entry.customerId } : {}),
        details: entry.details,
      })),
    );
  }

  /** For what someone other than the partner's signed-in user did (the customer's admin, a finished operation). */
  async recordAs(
    partnerId: ObjectId,
    actor: Actor,
    action: AuditAction,
    customerId: ObjectId | undefined,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.insertOne({
      _id: new ObjectId(),
      partnerId,
      at: new Date(),
      actor,
      action,
      ...(customerId ? { customerId } : {}),
      details,
    });
  }

  async list(
    caller: Caller,
    customerId: ObjectId | undefined,
    paging: Paging,
    kind: 'all' | 'changes' = 'all',
  ): Promise<Page<AuditEntryView>> {
    const filter: Filter<AuditDocument> = customerId ? { partnerId: caller.partnerId, customerId } : { partnerId: caller.partnerId };
    if (kind === 'changes') filter.action = { $nin: READ_ACTIONS };
    const [documents, total] = await Promise.all([
      this.audit.find(filter).sort({ at: -1, _id: -1 }).skip(skipOf(paging)).limit(paging.pageSize).toArray(),
      this.audit.countDocuments(filter),
    ]);
    return { items: documents.map(toView), total, ...paging };
  }
}

function toView(entry: AuditDocument): AuditEntryView {
  return {
    id: entry._id.toHexString(),
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    customerId: entry.customerId?.toHexString() ?? null,
    details: entry.details,
  };
}
