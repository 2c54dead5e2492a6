import {
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type Attachment,
  type BotAdapter,
  type ConversationReference,
} from 'botbuilder';
import type { Services } from '../api/app';
import type { Caller } from '../api/auth/caller';
import { AppError } from '../api/errors';
import type { Logger } from '../api/logging/logger';
import { BotRouter } from './bot-router';
import { noteCard } from './cards/card-pieces';
import type { Answer, BotOptions, FollowedJob, Turn } from './command-group';
import { COMMAND_GROUPS } from './commands';
import { notUnderstood } from './commands/help-commands';
import { sentenceOf } from './error-sentence';
import { CardFollowUps } from './card-follow-ups';
import { JobFollower } from './job-follower';
import { AlertSender } from './alert-sender';

/** The jobs the card a card action answers shows (the turn's state), followed once that card is shown. */
const JOBS_SHOWN = Symbol('jobs shown');
type JobShown = (messageId: string) => Promise<Attachment | undefined>;

/**
 * The Partner Portal in chat: a registered partner's messages and card
 * buttons, routed to the command groups. Every command calls the same
 * application services as the REST API; nothing here decides a business rule.
 */
export class PortalBot extends TeamsActivityHandler {
  private readonly log: Logger;
  private readonly router = new BotRouter(COMMAND_GROUPS, notUnderstood);
  private readonly cardFollowUps: CardFollowUps;
  private readonly jobFollower: JobFollower;

  constructor(
    private readonly services: Services,
    logger: Logger,
    /** The bot's app id ('' in local mode), for updating its messages later. */
    private readonly botAppId = '',
    private readonly options: BotOptions = {},
    /**
     * The adapter the bot answers through (bot-endpoint.ts): a job's card is
     * updated through it when a batch ends in this process, and a sync's or an
     * assignment's card when this process carries its stored follow-up, outside any turn.
     */
    adapter?: BotAdapter,
  ) {
    super();
    this.log = logger.child({ component: 'bot' });
    const updateMessage = (to: BotAdapter, reference: Partial<ConversationReference>, activity: Partial<Activity>) =>
      this.updateMessage(to, reference, activity);
    // Once per bot: this process's follow-up runner carries the bot's stored card follow-ups, also those another instance left.
    const followedCards = COMMAND_GROUPS.flatMap((group) => group.followedCards ?? []);
    this.cardFollowUps = new CardFollowUps(services, this.log, options, followedCards, updateMessage, adapter);
    // Once per bot: the runner of this process tells it of every job it runs that has a follow-up.
    this.jobFollower = new JobFollower(services, this.log, updateMessage, adapter);
    // The alerts stored for subscribed conversations are sent by this process too (when it has an adapter to send through).
    if (adapter) new AlertSender(services, this.log, (reference, activity) => this.sendProactive(adapter, reference, activity));
    this.onMessage(async (context, next) => {
      // Teams retries an activity it thinks went unanswered: answer it once.
      const id = context.activity.id;
      if (!id || (await this.services.once.claim(`activity:${id}`)).first) {
        try {
          await this.answer(context);
        } catch (error) {
          // Not answered: a retry of this activity may try again.
          if (id) await this.services.once.release(`activity:${id}`).catch(() => undefined);
          throw error;
        }
      }
      await next();
    });
  }

  /** A button on one of the bot's cards (Action.Execute): the card is replaced by the outcome. */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const action = invokeValue.action ?? {};
    let card = await this.cardAction(context, String(action.verb ?? ''), (action.data ?? {}) as Record<string, unknown>);
    // The invoke answer replaces the card for whoever pressed; the update, for everyone else in the chat.
    if (context.activity.replyToId) {
      await context
        .updateActivity({ id: context.activity.replyToId, type: 'message', attachments: [card] })
        .catch((error: unknown) => this.log.warn({ err: String(error) }, 'could not update the card for everyone'));
      card = (await this.followJobsShown(context, context.activity.replyToId)) ?? card;
    }
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card.content as never };
  }

  /** What a card's button answers, in a card; a service's refusal or validation error is a sentence on it. */
  private async cardAction(context: TurnContext, verb: string, data: Record<string, unknown>): Promise<Attachment> {
    try {
      const turn = await this.turnOf(context);
      if (!turn) return noteCard('Your organisation is not registered as a partner of the carrier.');
      return await this.router.action(turn, verb, data);
    } catch (error) {
      if (error instanceof AppError) return noteCard(sentenceOf(error));
      throw error;
    }
  }

  private async answer(context: TurnContext): Promise<void> {
    let turn: Turn | undefined;
    try {
      turn = await this.turnOf(context);
    } catch (error) {
      // Not a member while the partner admits no new members: "Ask an admin of <partner> for access".
      if (!(error instanceof AppError)) throw error;
      await context.sendActivity(sentenceOf(error));
      return;
    }
    if (!turn) {
      await context.sendActivity(
        'Your organisation is not registered as a partner of the carrier, so I cannot show you anything. Ask the carrier to register it.',
      );
      return;
    }
    const submitted = context.activity.value as { verb?: string } | undefined;
    if (submitted?.verb && !context.activity.text) {
      // Action.Submit, the fallback of clients without Action.Execute: replace the card the same way.
      const card = await this.cardAction(context, submitted.verb, submitted as Record<string, unknown>);
      let messageId = context.activity.replyToId;
      if (messageId) {
        await context.updateActivity({ id: messageId, type: 'message', attachments: [card] });
      } else {
        messageId = (await context.sendActivity({ attachments: [card] }))?.id;
      }
      if (messageId) await this.followJobsShown(context, messageId);
      return;
    }
    const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
    const route = this.router.route(text);
    this.log.debug({ command: route.command.name, tenantId: turn.caller.tenantId }, 'command');
    try {
      await route.run(turn);
    } catch (error) {
      // The services' refusals and validation errors are the partner's to read.
      if (!(error instanceof AppError)) throw error;
      await context.sendActivity(sentenceOf(error));
    }
  }

  /**
   * The card a card action answered now shows as `messageId`: the jobs it
   * shows are stored with it only now, so no update of theirs lands before the
   * card itself. The card to show instead, when a job ended already.
   */
  private async followJobsShown(context: TurnContext, messageId: string): Promise<Attachment | undefined> {
    let latest: Attachment | undefined;
    for (const shown of (context.turnState.get(JOBS_SHOWN) as JobShown[] | undefined) ?? []) latest = (await shown(messageId)) ?? latest;
    return latest;
  }

  /**
   * Resolves when no sync or assignment card is followed any more, by any
   * instance (tests): kicks this process's follow-up runner until then.
   */
  async idle(): Promise<void> {
    await this.cardFollowUps.settled();
  }

  /** Replaces a message the bot sent (proactively, outside the turn that sent it). */
  protected async updateMessage(adapter: BotAdapter, reference: Partial<ConversationReference>, activity: Partial<Activity>) {
    await this.proactively(adapter, reference, (context) => context.updateActivity(activity));
  }

  /** Sends a message into a conversation outside any turn (an alert), through the stored reference. */
  protected async sendProactive(adapter: BotAdapter, reference: Partial<ConversationReference>, activity: Partial<Activity>) {
    await this.proactively(adapter, reference, (context) => context.sendActivity(activity));
  }

  /**
   * Does `work` in the stored conversation, its failure thrown to the caller:
   * the adapter's onTurnError would swallow it (a 403 from a chat the bot
   * left) and post "Something went wrong" into that chat.
   */
  private async proactively(adapter: BotAdapter, reference: Partial<ConversationReference>, work: (context: TurnContext) => Promise<unknown>) {
    let failure: { error: unknown } | undefined;
    await adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        await work(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }

  /** The turn of a registered partner's activity; undefined for anyone else. */
  private async turnOf(context: TurnContext): Promise<Turn | undefined> {
    const caller = await this.callerOf(context);
    if (!caller) return undefined;
    const follow: Turn['follow'] = (messageId, what, shown) => this.cardFollowUps.follow(context, caller, messageId, what, shown);
    const followJob = (messageId: string, job: FollowedJob) => this.jobFollower.follow(context, caller, messageId, job);
    return {
      context,
      caller,
      services: this.services,
      options: this.options,
      commands: this.router,
      follow,
      showsJob(job: FollowedJob) {
        const shown = (context.turnState.get(JOBS_SHOWN) as JobShown[] | undefined) ?? [];
        shown.push((messageId) => followJob(messageId, job));
        context.turnState.set(JOBS_SHOWN, shown);
      },
      async reply(answer: Answer) {
        if ('text' in answer) {
          await context.sendActivity(answer.text);
          return;
        }
        const sent = await context.sendActivity({ attachments: [answer.card] });
        // A sync's message then follows the run to its end, from a stored follow-up.
        if (answer.follow && sent?.id) await follow(sent.id, answer.follow, answer.card);
        // A job's card is stored with the job (one write, the turn never waits on the job itself).
        if (answer.job && sent?.id) await followJob(sent.id, answer.job);
      },
    };
  }

  /** The partner is the Teams tenant the message came from; the user its Entra object id. */
  private async callerOf(context: TurnContext): Promise<Caller | undefined> {
    const activity = context.activity;
    const tenantId = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? activity.conversation?.tenantId;
    if (!tenantId) return undefined;
    const partner = await this.services.partners.findByTenantId(tenantId);
    if (!partner) return undefined;
    // The same member as in the tab: the role is read on every turn.
    return this.services.members.callerOf(partner, {
      tenantId,
      oid: activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown',
      ...(activity.from?.name ? { name: activity.from.name } : {}),
    });
  }
}
