import type { ObjectId } from 'mongodb';
import type { Caller } from '../auth/caller';
import type { PortalEvent, PortalEvents } from '../events/portal-events';
import type { FollowUpRunner } from '../follow-ups/follow-up-runner';
import type { Logger } from '../logging/logger';
import type { AlertClaims } from './alert-claims';
import { ALERT_CARD_FOLLOW_UP, ALERT_DELIVERY_LIFETIME_MS, type AlertDelivery } from './alert-delivery';
import { noticeOf, type AlertNotice } from './alert-notice';
import { alertRuleOf } from './alert-rule';
import type { AlertSubscriptionDocument } from './alert-subscription-document';
import type { AlertSubscriptions } from './alert-subscriptions';

export interface AlertOptions {
  /** How long the same drift (or the same failure count) stays quiet: ALERT_REPEAT_HOURS. */
  repeatAfterMs: number;
  /** The link that opens a customer's Details in the tab, when there can be one. */
  portalLink: (customerId: string) => string | undefined;
}

/**
 * Alerts into Teams: each event the portal raises becomes one stored delivery
 * per subscribed conversation that wants it (one write), sent by whichever
 * instance claims it. Whether an event alerts at all is decided in MongoDB
 * (AlertClaims), so instances that raise the same event alert once.
 */
export class AlertService {
  private readonly log: Logger;

  constructor(
    readonly subscriptions: AlertSubscriptions,
    private readonly claims: AlertClaims,
    private readonly followUps: Pick<FollowUpRunner, 'addMany'>,
    events: PortalEvents,
    private readonly options: AlertOptions,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'alerts' });
    events.on(async (event) => {
      await this.take(event);
    });
  }

  /** Stores the event's deliveries, unless no conversation wants it or it was alerted already. */
  async take(event: PortalEvent): Promise<number> {
    const rule = alertRuleOf(event, this.options.repeatAfterMs);
    if (rule.settles) {
      await this.claims.claim(rule);
      return 0;
    }
    // Nobody listening: nothing is claimed, so a conversation subscribed later hears of it next time.
    const wanting = await this.subscriptions.wanting(event.partnerId, event.kind);
    if (wanting.length === 0) return 0;
    const claim = await this.claims.claim(rule);
    if (!claim) return 0;
    const notice = noticeOf(event, this.options.portalLink);
    await this.store(event, wanting, notice, claim);
    this.log.info({ event: event.kind, key: rule.key, conversations: wanting.length }, 'alert stored');
    return wanting.length;
  }

  /** One delivery per conversation, in one write; a failed write gives the claim back, so the alert is not lost to the de-duplication. */
  private async store(event: PortalEvent, wanting: AlertSubscriptionDocument[], notice: AlertNotice, claim: string): Promise<void> {
    try {
      await this.followUps.addMany(
        alertsCaller(event.partnerId, wanting[0]!),
        wanting.map((subscription) => {
          const subject: AlertDelivery = {
            subscriptionId: subscription._id.toHexString(),
            conversationId: subscription.conversationId,
            reference: subscription.reference,
            notice,
          };
          return { kind: ALERT_CARD_FOLLOW_UP, subject, lifetimeMs: ALERT_DELIVERY_LIFETIME_MS };
        }),
      );
    } catch (error) {
      // A write that stored some deliveries before it failed sends those again at the next raise: a card twice beats none.
      await this.claims.release(claim).catch(() => undefined);
      throw error;
    }
  }
}

/** The portal itself, as the one who sends alerts (what a card's button does is checked against whoever presses it). */
function alertsCaller(partnerId: ObjectId, subscription: AlertSubscriptionDocument): Caller {
  return {
    partnerId,
    partnerName: subscription.subscribedBy.partnerName,
    tenantId: subscription.subscribedBy.tid,
    userId: 'portal-alerts',
    userName: 'Portal alerts',
    role: 'viewer',
  };
}
