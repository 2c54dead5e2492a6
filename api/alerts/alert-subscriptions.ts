import { ObjectId, type Collection } from 'mongodb';
import { z } from 'zod';
import { storedCallerOf, type Caller } from '../auth/caller';
import { PORTAL_EVENT_KINDS, type PortalEventKind } from '../events/portal-events';
import { validateInput } from '../http/request-validation';
import type { Logger } from '../logging/logger';
import { requireRole } from '../members/member-role';
import { isDuplicateKeyError } from '../storage/duplicate-key';
import { alertEventsSchema } from './alert-events';
import type { AlertSubscriptionDocument } from './alert-subscription-document';

const idText = z.string().trim().min(1).max(500);

/** The conversation that says `alerts on`, as the bot reads it from the activity. */
export const alertConversationSchema = z.object({
  conversationId: idText,
  conversationType: z.enum(['personal', 'groupChat', 'channel']),
  teamId: idText.optional(),
  channelId: idText.optional(),
  reference: z.record(z.string(), z.unknown()),
});
export type AlertConversation = z.input<typeof alertConversationSchema>;

export const subscribeInput = z.object({
  conversation: alertConversationSchema,
  events: alertEventsSchema.default([...PORTAL_EVENT_KINDS]),
});
export type SubscribeInput = z.input<typeof subscribeInput>;

export interface AlertSubscriptionView {
  conversationType: AlertSubscriptionDocument['conversationType'];
  events: PortalEventKind[];
  subscribedBy: { oid: string; name?: string };
  subscribedAt: string;
}

export function toSubscriptionView(document: AlertSubscriptionDocument): AlertSubscriptionView {
  const { oid, name } = document.subscribedBy;
  return {
    conversationType: document.conversationType,
    events: document.events,
    subscribedBy: name === undefined ? { oid } : { oid, name },
    subscribedAt: document.subscribedAt.toISOString(),
  };
}

/** The conversations of a partner that are told of its events: one subscription each, scoped by partner. */
export class AlertSubscriptions {
  private readonly log: Logger;

  constructor(
    private readonly subscriptions: Collection<AlertSubscriptionDocument>,
    logger: Logger,
    /** Whether the person who subscribed a personal chat is still a member (MemberDirectory.isMember). */
    private readonly isMember: (partnerId: ObjectId, oid: string) => Promise<boolean> = () => Promise.resolve(true),
  ) {
    this.log = logger.child({ component: 'alert-subscriptions' });
  }

  /** Subscribes the conversation, or changes what it is told of: the latest `alerts on` holds. */
  async subscribe(caller: Caller, input: SubscribeInput): Promise<{ subscription: AlertSubscriptionView; created: boolean }> {
    requireRole(caller, 'operator');
    const { conversation, events } = validateInput(subscribeInput, input);
    const now = new Date();
    const fields = {
      conversationType: conversation.conversationType,
      reference: conversation.reference,
      events,
      subscribedBy: storedCallerOf(caller),
      subscribedAt: now,
      updatedAt: now,
      ...(conversation.teamId ? { teamId: conversation.teamId } : {}),
      ...(conversation.channelId ? { channelId: conversation.channelId } : {}),
    };
    const filter = { partnerId: caller.partnerId, conversationId: conversation.conversationId };
    const upsert = () =>
      this.subscriptions.updateOne(filter, { $set: fields, $setOnInsert: { _id: new ObjectId() } }, { upsert: true });
    let written;
    try {
      written = await upsert();
    } catch (error) {
      // Two `alerts on` at once in one conversation: the other inserted it, this one updates it.
      if (!isDuplicateKeyError(error)) throw error;
      written = await upsert();
    }
    const stored = (await this.subscriptions.findOne(filter))!;
    return { subscription: toSubscriptionView(stored), created: written.upsertedCount > 0 };
  }

  /** Stops telling the conversation; false when it was not subscribed. */
  async unsubscribe(caller: Caller, conversationId: string): Promise<boolean> {
    requireRole(caller, 'operator');
    const removed = await this.subscriptions.deleteOne({ partnerId: caller.partnerId, conversationId });
    return removed.deletedCount > 0;
  }

  async of(caller: Caller, conversationId: string): Promise<AlertSubscriptionView | null> {
    requireRole(caller, 'viewer');
    const found = await this.subscriptions.findOne({ partnerId: caller.partnerId, conversationId });
    return found && toSubscriptionView(found);
  }

  /** The partner's subscriptions that want `kind` (one find). */
  wanting(partnerId: ObjectId, kind: PortalEventKind): Promise<AlertSubscriptionDocument[]> {
    return this.subscriptions.find({ partnerId, events: kind }).toArray();
  }

  /**
   * Whether an alert stored for the subscription is still wanted there: it
   * may have said `alerts off` since, and a personal chat is told only while
   * its person is a member (a removed member's chat is unsubscribed).
   */
  async stillWants(partnerId: ObjectId, subscriptionId: ObjectId, kind: PortalEventKind): Promise<boolean> {
    const subscription = await this.subscriptions.findOne(
      { _id: subscriptionId, partnerId, events: kind },
      { projection: { conversationType: 1, conversationId: 1, subscribedBy: 1 } },
    );
    if (!subscription) return false;
    if (subscription.conversationType !== 'personal' || (await this.isMember(partnerId, subscription.subscribedBy.oid))) return true;
    await this.conversationRemoved(partnerId, subscriptionId, {
      conversationId: subscription.conversationId,
      reason: 'the person who subscribed this chat is no longer a member',
    });
    return false;
  }

  /**
   * The bot was removed from the conversation (Teams answered 403/404): no
   * alert goes there any more. (deleteOne, not findOneAndDelete: the embedded
   * emulator has no remove for findAndModify.)
   */
  async conversationRemoved(partnerId: ObjectId, subscriptionId: ObjectId, gone: { conversationId: string; reason: string }): Promise<void> {
    const removed = await this.subscriptions.deleteOne({ _id: subscriptionId, partnerId });
    this.log.info(
      { partnerId: partnerId.toHexString(), conversationId: gone.conversationId, reason: gone.reason, unsubscribed: removed.deletedCount > 0 },
      'a subscribed conversation is told no more: unsubscribed',
    );
  }
}
