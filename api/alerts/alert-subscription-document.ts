import type { ObjectId } from 'mongodb';
import type { StoredCaller } from '../auth/caller';
import type { PortalEventKind } from '../events/portal-events';
import { defineCollection } from '../storage/collection-definition';

/** Where a conversation is in Teams: the bot's personal chat, a group chat, or a team's channel. */
export type ConversationType = 'personal' | 'groupChat' | 'channel';

/**
 * A conversation that asked to be told of a partner's events in Teams: one
 * per conversation (a channel is one conversation, whichever thread said
 * `alerts on`).
 */
export interface AlertSubscriptionDocument {
  _id: ObjectId;
  partnerId: ObjectId;
  conversationId: string;
  conversationType: ConversationType;
  teamId?: string;
  channelId?: string;
  /** Botbuilder's conversation reference, as plain JSON: any instance sends through it. */
  reference: Record<string, unknown>;
  events: PortalEventKind[];
  subscribedBy: StoredCaller;
  subscribedAt: Date;
  updatedAt: Date;
}

export const alertSubscriptionCollection = defineCollection<AlertSubscriptionDocument>('alertSubscriptions', [
  { key: { partnerId: 1, conversationId: 1 }, unique: true, name: 'partner_conversation' },
  { key: { partnerId: 1, events: 1 }, name: 'partner_events' },
]);
