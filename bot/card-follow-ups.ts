import { createHash } from 'node:crypto';
import { TurnContext, type Activity, type Attachment, type BotAdapter, type ConversationReference } from 'botbuilder';
import type { Services } from '../api/app';
import type { Caller } from '../api/auth/caller';
import type { FollowUpDocument } from '../api/follow-ups/follow-up-document';
import type { FollowUpStep } from '../api/follow-ups/follow-up-runner';
import type { Logger } from '../api/logging/logger';
import { noteCard } from './cards/card-pieces';
import { conversationGone } from './conversation-gone';
import type { BotOptions, CardFollow, FollowedCard } from './command-group';

/** How long a card is followed at most: a sync or an assignment still going after this is not the chat's to watch. */
const FOLLOW_LIFETIME_MS = 15 * 60 * 1000;

type UpdateMessage = (adapter: BotAdapter, reference: Partial<ConversationReference>, activity: Partial<Activity>) => Promise<void>;

/** Where a followed card is (stored beside what its kind follows). */
interface CardPlace {
  reference: Partial<ConversationReference>;
  activityId: string;
  /** The card as sent, so the first look does not send it again. */
  shownHash?: string;
}

/**
 * Keeps the bot's sync and assignment cards up to date from stored
 * follow-ups (services.followUps), not from this process's memory: the turn
 * stores where the card is and what it follows, and whichever instance claims
 * the follow-up when it is due reads what it follows through the services,
 * as the person who asked, and replaces the card when it changed.
 */
export class CardFollowUps {
  private readonly cards: Map<string, FollowedCard>;
  private readonly carried: boolean;

  constructor(
    private readonly services: Services,
    private readonly log: Logger,
    private readonly options: BotOptions,
    cards: readonly FollowedCard[],
    private readonly updateMessage: UpdateMessage,
    /** The adapter to update through outside any turn; without one, this instance stores follow-ups but leaves them to others. */
    private readonly adapter: BotAdapter | undefined,
  ) {
    this.cards = new Map(cards.map((card) => [card.kind, card]));
    this.carried = adapter !== undefined;
    if (adapter) {
      for (const card of cards) {
        services.followUps.register(
          card.kind,
          (followUp, caller) => this.look(card, followUp, caller, adapter),
          (followUp, caller, why) => this.stopFollowing(card, followUp, caller, why, adapter),
        );
      }
    }
  }

  /**
   * Stores the follow-up of the message `activityId` in the turn's
   * conversation, first looked at after the card's interval. Never fails the
   * turn: what it follows goes on whatever becomes of its card.
   */
  async follow(context: TurnContext, caller: Caller, activityId: string, follow: CardFollow, shown?: Attachment): Promise<void> {
    const card = this.cards.get(follow.kind);
    if (!card) throw new Error(`no followed card of kind ${follow.kind}`);
    // Plain JSON: stored in MongoDB and read back by another instance.
    const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(context.activity))) as Partial<ConversationReference>;
    const place: CardPlace = { reference, activityId, ...(shown ? { shownHash: hashOf(shown) } : {}) };
    try {
      await this.services.followUps.add(caller, {
        kind: follow.kind,
        subject: { ...follow.subject, ...place },
        dueAt: new Date(Date.now() + card.everyMs(this.options)),
        lifetimeMs: FOLLOW_LIFETIME_MS,
      });
    } catch (error) {
      this.log.warn({ err: String(error), kind: follow.kind, activityId }, 'could not store the follow-up of a card');
    }
  }

  /** Resolves when no card follow-up is open any more, in any instance (tests); at once when this instance carries none. */
  async settled(timeoutMs?: number): Promise<void> {
    if (!this.carried) return;
    await this.services.followUps.settled([...this.cards.keys()], 50, timeoutMs);
  }

  /** One look: what the card shows now, sent only when it changed; final when what it follows ended. */
  private async look(card: FollowedCard, followUp: FollowUpDocument, caller: Caller, adapter: BotAdapter): Promise<FollowUpStep> {
    const { reference, activityId, shownHash } = followUp.subject as unknown as CardPlace;
    const memo = followUp.memo ?? {};
    const now = await card.look({ services: this.services, caller, subject: followUp.subject, memo });
    const hash = hashOf(now.card);
    if (hash !== (typeof memo.cardHash === 'string' ? memo.cardHash : shownHash)) {
      try {
        await this.updateMessage(adapter, reference, { id: activityId, type: 'message', attachments: [now.card] });
      } catch (error) {
        const status = conversationGone(error);
        // The bot was removed from the chat (or the chat is gone): no later look can do better.
        if (status) return { final: 'failed', reason: `the channel answered ${status}: the bot cannot update the card there` };
        throw error;
      }
    }
    // Remembered even when unchanged: an instance that takes over does not send the same card again.
    const remembered = { ...memo, ...now.remember, cardHash: hash };
    return now.final ? { final: true, memo: remembered } : { final: false, againInMs: card.everyMs(this.options), memo: remembered };
  }

  /** The card's last word once it is given up: its outcome if what it follows has ended meanwhile, else that it is no longer kept up to date. */
  private async stopFollowing(card: FollowedCard, followUp: FollowUpDocument, caller: Caller, why: 'expired' | 'failed', adapter: BotAdapter) {
    const { reference, activityId } = followUp.subject as unknown as CardPlace;
    let shown = noLongerFollowedCard(why);
    if (why === 'expired') {
      const now = await card.look({ services: this.services, caller, subject: followUp.subject, memo: followUp.memo ?? {} }).catch(() => undefined);
      if (now?.final) shown = now.card;
    }
    await this.updateMessage(adapter, reference, { id: activityId, type: 'message', attachments: [shown] });
  }
}

/** The card no longer says "in progress" forever once it is no longer kept up to date. */
export function noLongerFollowedCard(why: 'expired' | 'failed'): Attachment {
  const reason = why === 'expired' ? `after ${FOLLOW_LIFETIME_MS / 60_000} minutes` : 'after it failed several times';
  return noteCard(`I stopped keeping this card up to date ${reason}. What it followed goes on: the portal shows how it ends.`);
}

function hashOf(card: Attachment): string {
  return createHash('sha256').update(JSON.stringify(card.content ?? null)).digest('base64url').slice(0, 22);
}
