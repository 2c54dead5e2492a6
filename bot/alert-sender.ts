import type { Activity, ConversationReference } from 'botbuilder';
import { ObjectId } from 'mongodb';
import { ALERT_CARD_FOLLOW_UP, alertDeliverySchema } from '../api/alerts/alert-delivery';
import type { Services } from '../api/app';
import type { FollowUpDocument } from '../api/follow-ups/follow-up-document';
import type { FollowUpStep } from '../api/follow-ups/follow-up-runner';
import type { Logger } from '../api/logging/logger';
import { alertCard } from './cards/alert-cards';
import { conversationGone } from './conversation-gone';

/** Sends an activity into a conversation outside any turn (continueConversationAsync with the app's id). */
export type SendProactive = (reference: Partial<ConversationReference>, activity: Partial<Activity>) => Promise<void>;

/**
 * Sends the alerts the alerts service stored (api/alerts/): one card to one
 * conversation per follow-up, by whichever instance claims it. A failure to
 * reach Teams is retried by the runner with backoff; a conversation the bot
 * was removed from is unsubscribed and given up, never retried.
 */
export class AlertSender {
  constructor(
    private readonly services: Pick<Services, 'followUps' | 'alerts'>,
    private readonly log: Logger,
    private readonly send: SendProactive,
  ) {
    services.followUps.register(ALERT_CARD_FOLLOW_UP, (followUp) => this.deliver(followUp));
  }

  async deliver(followUp: FollowUpDocument): Promise<FollowUpStep> {
    const read = alertDeliverySchema.safeParse(followUp.subject);
    if (!read.success) return { final: 'failed', reason: 'not an alert this version can read' };
    const { subscriptionId, conversationId, notice, reference } = read.data;
    const subscription = new ObjectId(subscriptionId);
    const subscriptions = this.services.alerts.subscriptions;
    // Said `alerts off` (or stopped wanting this event) since it was stored: nothing to send.
    if (!(await subscriptions.stillWants(followUp.partnerId, subscription, notice.kind))) return { final: true };
    try {
      await this.send(reference as Partial<ConversationReference>, { type: 'message', attachments: [alertCard(notice)] });
      return { final: true };
    } catch (error) {
      const status = conversationGone(error);
      if (status === undefined) throw error;
      const reason = `Teams answered ${status}: the bot is no longer in the conversation`;
      this.log.info({ followUpId: followUp._id.toHexString(), status }, 'an alert\'s conversation is gone');
      await subscriptions.conversationRemoved(followUp.partnerId, subscription, { conversationId, reason });
      return { final: 'failed', reason };
    }
  }
}
