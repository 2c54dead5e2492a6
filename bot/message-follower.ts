import { TurnContext, type Activity, type BotAdapter, type ConversationReference } from 'botbuilder';
import type { Logger } from '../api/logging/logger';
import type { Follow } from './command-group';

/** How long a message is followed at most. */
const FOLLOW_LIMIT_MS = 15 * 60 * 1000;

type UpdateMessage = (adapter: BotAdapter, reference: Partial<ConversationReference>, activity: Partial<Activity>) => Promise<void>;

/** Keeps messages the bot sent up to date in the background (a sync's progress, an assignment at Microsoft). */
export class MessageFollower {
  private readonly following = new Set<Promise<void>>();

  constructor(
    private readonly log: Logger,
    /** Replaces a sent message, outside the turn that sent it. */
    private readonly updateMessage: UpdateMessage,
  ) {}

  /** Updates the message `messageId` of the turn's conversation, without holding up the turn, until what it shows is final. */
  follow(context: TurnContext, messageId: string, follow: Follow): void {
    const reference = TurnContext.getConversationReference(context.activity);
    const adapter = context.adapter;
    const job = (async () => {
      let shown = '';
      const deadline = Date.now() + FOLLOW_LIMIT_MS;
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, follow.everyMs));
        const { card, final } = await follow.poll();
        const key = JSON.stringify(card.content);
        if (key !== shown) {
          shown = key;
          await this.updateMessage(adapter, reference, { id: messageId, type: 'message', attachments: [card] });
        }
        if (final) return;
      }
    })()
      .catch((error: unknown) => this.log.warn({ err: String(error), messageId }, 'could not update the message'))
      .finally(() => this.following.delete(job));
    this.following.add(job);
  }

  /** Resolves when every message followed is final. */
  async idle(): Promise<void> {
    while (this.following.size > 0) await Promise.allSettled([...this.following]);
  }
}
