import { TestAdapter, type Activity, type BotAdapter, type ConversationReference } from 'botbuilder';
import { PortalBot } from '../../bot/portal-bot';
import { PARTNER_A } from './test-app';

/** The bot, with the messages it updates later recorded instead of sent. */
export class RecordingPortalBot extends PortalBot {
  readonly updates: Partial<Activity>[] = [];
  protected override async updateMessage(_adapter: BotAdapter, _reference: Partial<ConversationReference>, activity: Partial<Activity>) {
    this.updates.push(activity);
  }
}

/** A Teams user talking to the bot through botbuilder's TestAdapter: activities in, the bot's replies out. */
export function conversationWith(bot: () => PortalBot) {
  async function send(activity: Partial<Activity>, tenantId = PARTNER_A.tenantId): Promise<Partial<Activity>[]> {
    const replies: Partial<Activity>[] = [];
    const adapter = new TestAdapter(async (context) => {
      await bot().run(context);
    });
    await adapter.send({
      // Unique per message: the bot answers an activity id once.
      id: `activity-${Math.random().toString(36).slice(2)}`,
      channelId: 'msteams',
      from: { id: 'u1', aadObjectId: 'user-1', name: 'Ann' },
      channelData: { tenant: { id: tenantId } },
      ...activity,
    } as Partial<Activity>);
    let reply = adapter.activeQueue.shift();
    while (reply) {
      replies.push(reply);
      reply = adapter.activeQueue.shift();
    }
    return replies;
  }
  /** Sends one message as a user of `tenantId` and returns the bot's replies. */
  function say(text: string, tenantId = PARTNER_A.tenantId, extra: Partial<Activity> = {}): Promise<Partial<Activity>[]> {
    return send({ type: 'message', text, ...extra }, tenantId);
  }
  const cardText = (reply: Partial<Activity>) => JSON.stringify(reply.attachments?.[0]?.content ?? {});
  return { send, say, cardText };
}
