import { randomUUID } from 'node:crypto';
import {
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type Activity,
  type AdaptiveCardInvokeValue,
  type Attachment,
  type BotAdapter,
  type ConversationReference,
} from 'botbuilder';
import type { Services } from '../api/app';
import type { Caller } from '../api/auth/caller';
import type { CustomerView } from '../api/customers/customer-schemas';
import type { NumberStatus } from '../api/numbers/number-document';
import type { Logger } from '../api/logging/logger';
import { parseCommand, type BotCommand } from './bot-command';

type CustomerCommand = Extract<BotCommand, { customer: string }>;
type CardAnswer = { card: Attachment; follow?: { runId: string; alreadyRunning: boolean; customer: CustomerView } };
type Answer = CardAnswer | { text: string };
import {
  addResultCard,
  cancelledCard,
  CANCEL_REMOVE_VERB,
  customersCard,
  detailsCard,
  helpCard,
  numbersCard,
  pickCard,
  PICK_VERB,
  removeConfirmCard,
  removeResultCard,
  REMOVE_VERB,
  syncRunCard,
  type RemovalRequest,
} from './cards/portal-cards';
import { adaptiveCard, paragraph } from './cards/adaptive-card';

const LIST_SIZE = 25;
/** How often a sync message is brought up to date while the run goes on, and for how long at most. */
const SYNC_UPDATE_MS = 1500;
const FOLLOW_LIMIT_MS = 15 * 60 * 1000;

const CUSTOMER_COMMANDS = new Set(['details', 'numbers', 'sync', 'add-numbers', 'remove-numbers']);

/** A command sent back on a pick card, if it is one of ours. */
function customerCommandOf(value: unknown): CustomerCommand | undefined {
  const command = value as { name?: unknown; customer?: unknown } | undefined;
  return command && typeof command.name === 'string' && CUSTOMER_COMMANDS.has(command.name) && typeof command.customer === 'string'
    ? (command as CustomerCommand)
    : undefined;
}

/** Keys carry the partner: one partner's card can never reach another's request. */
const removalRequestKey = (caller: Caller, requestId: string) => `removal-request:${caller.partnerId.toHexString()}:${requestId}`;
const removalKey = (caller: Caller, requestId: string) => `removal:${caller.partnerId.toHexString()}:${requestId}`;

function expiredCard(): Attachment {
  return adaptiveCard([paragraph('This card has expired: ask again.')]);
}

/**
 * The Partner Portal in chat. Every command calls the same application
 * services as the REST API; nothing here decides a business rule.
 */
export class PortalBot extends TeamsActivityHandler {
  private readonly log: Logger;
  private readonly following = new Set<Promise<void>>();

  constructor(
    private readonly services: Services,
    logger: Logger,
    /** The bot's app id ('' in local mode), for updating its messages later. */
    private readonly botAppId = '',
  ) {
    super();
    this.log = logger.child({ component: 'bot' });
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

  /** Confirm or Cancel on a removal card (Action.Execute): the card is replaced by the outcome. */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const action = invokeValue.action ?? {};
    const card = await this.cardAction(context, String(action.verb ?? ''), (action.data ?? {}) as Record<string, unknown>);
    // The invoke answer replaces the card for whoever pressed; the update, for everyone else in the chat.
    if (context.activity.replyToId) {
      await context
        .updateActivity({ id: context.activity.replyToId, type: 'message', attachments: [card] })
        .catch((error: unknown) => this.log.warn({ err: String(error) }, 'could not update the card for everyone'));
    }
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card.content as never };
  }

  private async cardAction(context: TurnContext, verb: string, data: Record<string, unknown>): Promise<Attachment> {
    const caller = await this.callerOf(context);
    if (!caller) return adaptiveCard([paragraph('Your organisation is not registered as a partner of the carrier.')]);
    if (verb === PICK_VERB) {
      const picked = data as { customerId?: unknown; command?: unknown };
      const command = typeof picked.customerId === 'string' ? customerCommandOf(picked.command) : undefined;
      if (!command) return expiredCard();
      const customer = await this.services.customers.details(caller, picked.customerId as string);
      const answer = await this.forCustomer(caller, command, customer);
      if ('text' in answer) return adaptiveCard([paragraph(answer.text)]);
      // The pick card becomes the answer; a sync then keeps that same message up to date.
      if (answer.follow && context.activity.replyToId) this.followMessage(context, context.activity.replyToId, caller, answer.follow);
      return answer.card;
    }
    if (verb !== REMOVE_VERB && verb !== CANCEL_REMOVE_VERB) return expiredCard();
    const requestId = typeof data.requestId === 'string' ? data.requestId : '';
    // What the card showed is kept on the server: the card's own data only names it.
    const request = requestId
      ? ((await this.services.once.recall(removalRequestKey(caller, requestId))) as RemovalRequest | undefined)
      : undefined;
    if (!request) return expiredCard();
    const customer = await this.services.customers.details(caller, request.customerId);
    const key = removalKey(caller, requestId);
    const claim = await this.services.once.claim(key);
    if (!claim.first) {
      // Confirmed twice, or Cancel after Confirm: the first answer stands.
      const earlier = claim.result as (Parameters<typeof removeResultCard>[1] & { cancelled?: undefined }) | { cancelled: true } | undefined;
      if (!earlier) return adaptiveCard([paragraph('These numbers are being removed already.')]);
      return 'cancelled' in earlier && earlier.cancelled ? cancelledCard() : removeResultCard(customer, earlier as Parameters<typeof removeResultCard>[1]);
    }
    if (verb === CANCEL_REMOVE_VERB) {
      await this.services.once.complete(key, { cancelled: true });
      return cancelledCard();
    }
    try {
      const mode = data.deleteFromBackend === 'true' ? 'delete' : 'retain';
      const result = await this.services.triggers.removeNumbers(caller, customer.id, request.numbers, mode);
      await this.services.once.complete(key, result);
      return removeResultCard(customer, result);
    } catch (error) {
      await this.services.once.release(key);
      throw error;
    }
  }

  private async answer(context: TurnContext): Promise<void> {
    const caller = await this.callerOf(context);
    if (!caller) {
      await context.sendActivity(
        'Your organisation is not registered as a partner of the carrier, so I cannot show you anything. Ask the carrier to register it.',
      );
      return;
    }
    const submitted = context.activity.value as { verb?: string } | undefined;
    if (submitted?.verb && !context.activity.text) {
      // Action.Submit, the fallback of clients without Action.Execute: replace the card the same way.
      const card = await this.cardAction(context, submitted.verb, submitted as Record<string, unknown>);
      if (context.activity.replyToId) {
        await context.updateActivity({ id: context.activity.replyToId, type: 'message', attachments: [card] });
      } else {
        await context.sendActivity({ attachments: [card] });
      }
      return;
    }
    const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
    const command = parseCommand(text);
    this.log.debug({ command: command.name, tenantId: caller.tenantId }, 'command');
    switch (command.name) {
      case 'help':
        await context.sendActivity({ attachments: [helpCard()] });
        return;
      case 'customers': {
        const page = await this.services.customers.list(caller, {
          search: command.text || undefined,
          sort: 'name',
          page: 1,
          pageSize: LIST_SIZE,
        });
        await context.sendActivity({ attachments: [customersCard(page.items, page.total, command.text)] });
        return;
      }
      case 'details':
      case 'numbers':
      case 'sync':
      case 'add-numbers':
      case 'remove-numbers': {
        const customer = await this.oneCustomer(context, caller, command);
        if (customer) await this.reply(context, caller, await this.forCustomer(caller, command, customer));
        return;
      }
      case 'unknown':
        await context.sendActivity({ text: `I did not understand "${command.text}". Here is what I can do:`, attachments: [helpCard()] });
    }
  }

  /** Resolves when every sync message this bot follows is final (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.following.size > 0) await Promise.allSettled([...this.following]);
  }

  /** Replaces a message the bot sent (proactively, outside the turn that sent it). */
  protected async updateMessage(adapter: BotAdapter, reference: Partial<ConversationReference>, activity: Partial<Activity>) {
    await adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      await context.updateActivity(activity);
    });
  }

  private follow(
    adapter: BotAdapter,
    reference: Partial<ConversationReference>,
    messageId: string,
    caller: Caller,
    customer: CustomerView,
    runId: string,
    alreadyRunning: boolean,
  ): void {
    const job = (async () => {
      let shown = '';
      const deadline = Date.now() + FOLLOW_LIMIT_MS;
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, SYNC_UPDATE_MS));
        const run = await this.services.sync.get(caller, runId);
        const card = syncRunCard(customer, run, alreadyRunning);
        const key = JSON.stringify(card.content);
        if (key !== shown) {
          shown = key;
          await this.updateMessage(adapter, reference, { id: messageId, type: 'message', attachments: [card] });
        }
        if (run.state === 'succeeded' || run.state === 'failed') return;
      }
    })()
      .catch((error: unknown) => this.log.warn({ err: String(error), runId }, 'could not update the sync message'))
      .finally(() => this.following.delete(job));
    this.following.add(job);
  }

  /** What a customer command answers, once its customer is known. */
  private async forCustomer(caller: Caller, command: CustomerCommand, customer: CustomerView): Promise<Answer> {
    switch (command.name) {
      case 'details':
        return { card: detailsCard(await this.services.customers.details(caller, customer.id)) };
      case 'numbers': {
        const status = command.status as NumberStatus | undefined;
        const page = await this.services.numbers.list(caller, customer.id, {
          ...(status ? { status } : {}),
          page: command.page ?? 1,
          pageSize: LIST_SIZE,
        });
        return { card: numbersCard(customer, page.items, page.total, status, page.page, LIST_SIZE) };
      }
      case 'sync': {
        const { run, started } = await this.services.sync.start(caller, customer.id, { trigger: 'bot', dryRun: command.preview });
        return { card: syncRunCard(customer, run, !started), follow: { runId: run.id, alreadyRunning: !started, customer } };
      }
      case 'add-numbers':
        return { card: addResultCard(customer, await this.services.numbers.add(caller, customer.id, command.numbers)) };
      case 'remove-numbers': {
        const entries = this.services.numbers.read(command.numbers);
        const numbers = [...new Set(entries.flatMap((e) => (e.e164 ? [e.e164] : [])))];
        const invalid = entries.filter((e) => !e.e164).map((e) => e.input);
        if (numbers.length === 0) return { text: `There is no valid number in "${command.numbers}": nothing to remove.` };
        const request: RemovalRequest = { requestId: randomUUID(), customerId: customer.id, numbers };
        await this.services.once.remember(removalRequestKey(caller, request.requestId), request);
        return { card: removeConfirmCard(customer, request, invalid) };
      }
    }
  }

  /** Sends an answer; a sync's message then follows the run to its end. */
  private async reply(context: TurnContext, caller: Caller, answer: Answer): Promise<void> {
    if ('text' in answer) {
      await context.sendActivity(answer.text);
      return;
    }
    const sent = await context.sendActivity({ attachments: [answer.card] });
    if (answer.follow && sent?.id) this.followMessage(context, sent.id, caller, answer.follow);
  }

  private followMessage(context: TurnContext, messageId: string, caller: Caller, follow: NonNullable<CardAnswer['follow']>) {
    const reference = TurnContext.getConversationReference(context.activity);
    this.follow(context.adapter, reference, messageId, caller, follow.customer, follow.runId, follow.alreadyRunning);
  }

  /** The one customer the words name; otherwise the bot says what it found (a card to pick from when several match). */
  private async oneCustomer(context: TurnContext, caller: Caller, command: CustomerCommand): Promise<CustomerView | undefined> {
    const words = command.customer;
    const { matches, suggestions } = await this.services.customers.match(caller, words);
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      await context.sendActivity({ attachments: [pickCard(words, matches, command)] });
      return undefined;
    }
    await context.sendActivity(
      suggestions.length > 0
        ? `No customer matches "${words}". Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?`
        : `No customer matches "${words}", and you have no customers yet.`,
    );
    return undefined;
  }

  /** The partner is the Teams tenant the message came from; the user its Entra object id. */
  private async callerOf(context: TurnContext): Promise<Caller | undefined> {
    const activity = context.activity;
    const tenantId = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? activity.conversation?.tenantId;
    if (!tenantId) return undefined;
    const partner = await this.services.partners.findByTenantId(tenantId);
    if (!partner) return undefined;
    return {
      partnerId: partner._id,
      partnerName: partner.name,
      tenantId,
      userId: activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown',
      ...(activity.from?.name ? { userName: activity.from.name } : {}),
    };
  }
}
