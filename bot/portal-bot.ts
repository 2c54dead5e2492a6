import { randomUUID } from 'node:crypto';
import { customerLabel } from '../api/customers/customer-label';
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
import type { TeamsOperationView } from '../api/co-management/co-management-schemas';
import type { CustomerView } from '../api/customers/customer-schemas';
import { AppError, ValidationError } from '../api/errors';
import type { NumberStatus } from '../api/numbers/number-document';
import type { Logger } from '../api/logging/logger';
import { customerSplits, parseCommand, type BotCommand } from './bot-command';

type CustomerCommand = Extract<BotCommand, { customer: string }>;
/** A message the bot keeps up to date after sending it: what it shows now, and whether that is the end. */
type Follow = { everyMs: number; poll: () => Promise<{ card: Attachment; final: boolean }> };
type CardAnswer = { card: Attachment; follow?: Follow };
type Answer = CardAnswer | { text: string };
/** What the first Confirm or Cancel of an assignment card did, for a repeat to show the same. */
type AssignmentOutcome = { cancelled: true } | { operationId: string };
import {
  addResultCard,
  assignCancelledCard,
  assignConfirmCard,
  assignOperationCard,
  ASSIGN_VERB,
  CANCEL_ASSIGN_VERB,
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
  teamsUsersCard,
  type AssignmentRequest,
  type RemovalRequest,
} from './cards/portal-cards';
import { adaptiveCard, paragraph } from './cards/adaptive-card';

const LIST_SIZE = 25;
/** Teams users on one page of "users". */
const USERS_PAGE_SIZE = 10;
/** How many of the users a name matches "assign" lists when it matches several. */
const USER_CHOICES = 10;
/** How often a sync message is brought up to date while the run goes on, and for how long at most. */
const SYNC_UPDATE_MS = 1500;
const FOLLOW_LIMIT_MS = 15 * 60 * 1000;
/** How often an assignment's message is brought up to date while Microsoft carries it out. */
const OPERATION_UPDATE_MS = 1000;

const CUSTOMER_COMMANDS = new Set(['details', 'numbers', 'sync', 'add-numbers', 'remove-numbers', 'users', 'assign']);

/** A command sent back on a pick card, if it is one of ours. */
function customerCommandOf(value: unknown): CustomerCommand | undefined {
  const command = value as Record<string, unknown> | undefined;
  if (!command || typeof command.name !== 'string' || !CUSTOMER_COMMANDS.has(command.name) || typeof command.customer !== 'string') {
    return undefined;
  }
  if (command.name === 'users') {
    return {
      name: 'users',
      customer: command.customer,
      ...(typeof command.search === 'string' && command.search ? { search: command.search } : {}),
      ...(typeof command.page === 'number' && Number.isInteger(command.page) && command.page > 0 ? { page: command.page } : {}),
    };
  }
  if (command.name === 'assign') {
    return typeof command.number === 'string' && typeof command.user === 'string'
      ? { name: 'assign', customer: command.customer, number: command.number, user: command.user }
      : undefined;
  }
  return command as CustomerCommand;
}

const label = customerLabel;

/** A service's refusal or validation error, as a sentence to the partner. */
function sentenceOf(error: AppError): string {
  const text =
    error instanceof ValidationError && error.problems.length > 0
      ? error.problems.map((p) => (/^(is|must|at most) /.test(p.message) ? `${p.field} ${p.message}` : p.message)).join('; ')
      : error.message;
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** Keys carry the partner: one partner's card can never reach another's request. */
const removalRequestKey = (caller: Caller, requestId: string) => `removal-request:${caller.partnerId.toHexString()}:${requestId}`;
const removalKey = (caller: Caller, requestId: string) => `removal:${caller.partnerId.toHexString()}:${requestId}`;
const assignmentRequestKey = (caller: Caller, requestId: string) => `assignment-request:${caller.partnerId.toHexString()}:${requestId}`;
const assignmentKey = (caller: Caller, requestId: string) => `assignment:${caller.partnerId.toHexString()}:${requestId}`;

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
  private readonly operationUpdateMs: number;

  constructor(
    private readonly services: Services,
    logger: Logger,
    /** The bot's app id ('' in local mode), for updating its messages later. */
    private readonly botAppId = '',
    options: { operationUpdateMs?: number } = {},
  ) {
    super();
    this.operationUpdateMs = options.operationUpdateMs ?? OPERATION_UPDATE_MS;
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

  /** A button on one of the bot's cards (Action.Execute): the card is replaced by the outcome. */
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

  /** What a card's button answers, in a card; a service's refusal or validation error is a sentence on it. */
  private async cardAction(context: TurnContext, verb: string, data: Record<string, unknown>): Promise<Attachment> {
    try {
      return await this.cardActionOf(context, verb, data);
    } catch (error) {
      if (error instanceof AppError) return adaptiveCard([paragraph(sentenceOf(error))]);
      throw error;
    }
  }

  private async cardActionOf(context: TurnContext, verb: string, data: Record<string, unknown>): Promise<Attachment> {
    const caller = await this.callerOf(context);
    if (!caller) return adaptiveCard([paragraph('Your organisation is not registered as a partner of the carrier.')]);
    if (verb === ASSIGN_VERB || verb === CANCEL_ASSIGN_VERB) return this.assignmentAction(context, caller, verb, data);
    if (verb === PICK_VERB) {
      const picked = data as { customerId?: unknown; command?: unknown };
      const command = typeof picked.customerId === 'string' ? customerCommandOf(picked.command) : undefined;
      if (!command) return expiredCard();
      const customer = await this.services.customers.details(caller, picked.customerId as string);
      const answer = await this.forCustomer(caller, command, customer);
      if ('text' in answer) return adaptiveCard([paragraph(answer.text)]);
      // The pick card becomes the answer; a sync then keeps that same message up to date.
      if (answer.follow && context.activity.replyToId) this.followMessage(context, context.activity.replyToId, answer.follow);
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

  /**
   * Confirm or Cancel on an assignment card. What the card showed is kept on
   * the server under the card's request id, per partner; the first press
   * decides, once, and a repeat shows what it did.
   */
  private async assignmentAction(context: TurnContext, caller: Caller, verb: string, data: Record<string, unknown>): Promise<Attachment> {
    const requestId = typeof data.requestId === 'string' ? data.requestId : '';
    const request = requestId
      ? ((await this.services.once.recall(assignmentRequestKey(caller, requestId))) as AssignmentRequest | undefined)
      : undefined;
    if (!request) return expiredCard();
    const customer = await this.services.customers.details(caller, request.customerId);
    const key = assignmentKey(caller, requestId);
    const claim = await this.services.once.claim(key);
    if (!claim.first) {
      // Confirmed twice, a replayed invoke, or Cancel after Confirm: the first answer stands.
      const earlier = claim.result as AssignmentOutcome | undefined;
      if (!earlier) return adaptiveCard([paragraph(`${request.telephoneNumber} is being assigned to ${request.userName} already.`)]);
      if ('cancelled' in earlier) return assignCancelledCard();
      return assignOperationCard(customer, await this.services.coManagement.operation(caller, customer.id, earlier.operationId));
    }
    if (verb === CANCEL_ASSIGN_VERB) {
      await this.services.once.complete(key, { cancelled: true } satisfies AssignmentOutcome);
      return assignCancelledCard();
    }
    let operation: TeamsOperationView;
    try {
      operation = await this.services.coManagement.assignNumber(caller, customer.id, request.userId, request.telephoneNumber);
    } catch (error) {
      // Nothing was assigned: a later press may try again.
      await this.services.once.release(key);
      throw error;
    }
    await this.services.once.complete(key, { operationId: operation.id } satisfies AssignmentOutcome);
    // The card becomes the assignment's message, kept up to date until Microsoft is done.
    if (context.activity.replyToId) {
      this.followMessage(context, context.activity.replyToId, this.operationFollow(caller, customer, operation));
    }
    return assignOperationCard(customer, operation);
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
    try {
      await this.runCommand(context, caller, command);
    } catch (error) {
      // The services' refusals and validation errors are the partner's to read.
      if (!(error instanceof AppError)) throw error;
      await context.sendActivity(sentenceOf(error));
    }
  }

  private async runCommand(context: TurnContext, caller: Caller, command: BotCommand): Promise<void> {
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
      case 'remove-numbers':
      case 'assign': {
        const customer = await this.oneCustomer(context, caller, command);
        if (customer) await this.reply(context, await this.forCustomer(caller, command, customer));
        return;
      }
      case 'users': {
        const found = await this.customerAndSearch(context, caller, command);
        if (found) await this.reply(context, await this.forCustomer(caller, found.command, found.customer));
        return;
      }
      case 'unknown':
        await context.sendActivity({ text: `I did not understand "${command.text}". Here is what I can do:`, attachments: [helpCard()] });
    }
  }

  /** Resolves when every message this bot follows (syncs, assignments) is final (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.following.size > 0) await Promise.allSettled([...this.following]);
  }

  /** Replaces a message the bot sent (proactively, outside the turn that sent it). */
  protected async updateMessage(adapter: BotAdapter, reference: Partial<ConversationReference>, activity: Partial<Activity>) {
    await adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      await context.updateActivity(activity);
    });
  }

  /** Updates a sent message in the background, without holding up the turn, until what it shows is final. */
  private follow(adapter: BotAdapter, reference: Partial<ConversationReference>, messageId: string, follow: Follow): void {
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

  /** A sync's message: progress, then the outcome. */
  private syncFollow(caller: Caller, customer: CustomerView, runId: string, alreadyRunning: boolean): Follow {
    return {
      everyMs: SYNC_UPDATE_MS,
      poll: async () => {
        const run = await this.services.sync.get(caller, runId);
        return { card: syncRunCard(customer, run, alreadyRunning), final: run.state === 'succeeded' || run.state === 'failed' };
      },
    };
  }

  /** An assignment's message: pending at Microsoft, then done or failed with Microsoft's reason. */
  private operationFollow(caller: Caller, customer: CustomerView, started: TeamsOperationView): Follow {
    let last = started;
    return {
      everyMs: this.operationUpdateMs,
      poll: async () => {
        try {
          last = await this.services.coManagement.operation(caller, customer.id, started.id);
          return { card: assignOperationCard(customer, last), final: last.state !== 'pending' };
        } catch (error) {
          // E.g. co-management switched off meanwhile: say so on the message, and stop.
          if (!(error instanceof AppError)) throw error;
          return { card: assignOperationCard(customer, last, `The portal cannot follow it any more: ${sentenceOf(error)}`), final: true };
        }
      },
    };
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
        return { card: syncRunCard(customer, run, !started), follow: this.syncFollow(caller, customer, run.id, !started) };
      }
      case 'users': {
        const page = await this.services.coManagement.listUsers(caller, customer.id, {
          ...(command.search ? { search: command.search } : {}),
          page: command.page ?? 1,
          pageSize: USERS_PAGE_SIZE,
        });
        return { card: teamsUsersCard(customer, page.items, page.total, command.search, page.page, USERS_PAGE_SIZE) };
      }
      case 'assign':
        return this.assignmentCard(caller, command, customer);
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

  /**
   * "assign": the number read as pasted numbers are, the one user the words
   * name (the users list's search), then the card to confirm; nothing is
   * assigned before Confirm.
   */
  private async assignmentCard(caller: Caller, command: Extract<BotCommand, { name: 'assign' }>, customer: CustomerView): Promise<Answer> {
    const only = this.services.coManagement.readNumberToAssign(command.number);
    if (!('e164' in only)) {
      return {
        text:
          only.problem === 'several'
            ? `Name one number to assign, not ${only.count}.`
            : `"${command.number}" is not a phone number I can assign${only.reasons.length > 0 ? `: ${only.reasons.join('; ')}` : ''}.`,
      };
    }
    const users = await this.services.coManagement.listUsers(caller, customer.id, { search: command.user, page: 1, pageSize: USER_CHOICES });
    if (users.total === 0) return { text: `No Teams user of ${label(customer)} matches "${command.user}".` };
    const user = users.items[0];
    if (users.total > 1 || !user) {
      const listed = users.items.map((u) => `${u.displayName} (${u.userPrincipalName})`).join(', ');
      const more = users.total > users.items.length ? ` and ${users.total - users.items.length} more` : '';
      return {
        text: `${users.total} users of ${label(customer)} match "${command.user}": ${listed}${more}. Say which one with more of the name, or the sign-in name.`,
      };
    }
    const request: AssignmentRequest = {
      requestId: randomUUID(),
      customerId: customer.id,
      telephoneNumber: only.e164,
      userId: user.id,
      userName: user.displayName,
      userPrincipalName: user.userPrincipalName,
    };
    await this.services.once.remember(assignmentRequestKey(caller, request.requestId), request);
    return { card: assignConfirmCard(customer, request) };
  }

  /** Sends an answer; a sync's message then follows the run to its end. */
  private async reply(context: TurnContext, answer: Answer): Promise<void> {
    if ('text' in answer) {
      await context.sendActivity(answer.text);
      return;
    }
    const sent = await context.sendActivity({ attachments: [answer.card] });
    if (answer.follow && sent?.id) this.followMessage(context, sent.id, answer.follow);
  }

  private followMessage(context: TurnContext, messageId: string, follow: Follow) {
    const reference = TurnContext.getConversationReference(context.activity);
    this.follow(context.adapter, reference, messageId, follow);
  }

  /**
   * "users <customer> [text]": the longest start of the words that names any
   * customer is the customer, the rest the search text. Then as oneCustomer.
   */
  private async customerAndSearch(
    context: TurnContext,
    caller: Caller,
    command: Extract<BotCommand, { name: 'users' }>,
  ): Promise<{ customer: CustomerView; command: Extract<BotCommand, { name: 'users' }> } | undefined> {
    let whole: Awaited<ReturnType<Services['customers']['match']>> | undefined;
    for (const split of customerSplits(command.customer)) {
      const found = await this.services.customers.match(caller, split.customer);
      whole ??= found;
      if (found.matches.length === 0) continue;
      const narrowed = { ...command, customer: split.customer, ...(split.search ? { search: split.search } : {}) };
      const customer = await this.oneOf(context, narrowed, found);
      return customer ? { customer, command: narrowed } : undefined;
    }
    await this.oneOf(context, command, whole ?? { matches: [], suggestions: [] });
    return undefined;
  }

  /** The one customer the words name; otherwise the bot says what it found (a card to pick from when several match). */
  private async oneCustomer(context: TurnContext, caller: Caller, command: CustomerCommand): Promise<CustomerView | undefined> {
    return this.oneOf(context, command, await this.services.customers.match(caller, command.customer));
  }

  private async oneOf(
    context: TurnContext,
    command: CustomerCommand,
    { matches, suggestions }: { matches: CustomerView[]; suggestions: string[] },
  ): Promise<CustomerView | undefined> {
    const words = command.customer;
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
