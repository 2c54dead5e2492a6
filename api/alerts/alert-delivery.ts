import { z } from 'zod';
import { alertNoticeSchema } from './alert-notice';

/** The follow-up kind of an alert's card to one subscribed conversation (sent by the bot: bot/alert-sender.ts). */
export const ALERT_CARD_FOLLOW_UP = 'alert.card';

/** An alert not sent within this is not worth sending any more. */
export const ALERT_DELIVERY_LIFETIME_MS = 24 * 3600 * 1000;

/** A delivery as stored (plain JSON), read back by the instance that sends it. */
export const alertDeliverySchema = z.object({
  subscriptionId: z.string().regex(/^[0-9a-f]{24}$/i),
  conversationId: z.string(),
  reference: z.record(z.string(), z.unknown()),
  notice: alertNoticeSchema,
});
export type AlertDelivery = z.infer<typeof alertDeliverySchema>;
