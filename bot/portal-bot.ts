import { TeamsActivityHandler, TurnContext } from 'botbuilder';
import type { Services } from '../api/app';
import type { Caller } from '../api/auth/caller';
import type { CustomerView } from '../api/customers/customer-schemas';
import type { NumberStatus } from '../api/numbers/number-document';
import type { Logger } from '../api/logging/logger';
import { parseCommand } from './bot-command';
import { customersCard, detailsCard, helpCard, numbersCard, pickCard } from './cards/portal-cards';

const LIST_SIZE = 25;

/**
 * The Partner Portal in chat. Every command calls the same application
 * services as the REST API; nothing here decides a business rule.
 */
export class PortalBot extends TeamsActivityHandler {
  private readonly log: Logger;

  constructor(
    private readonly services: Services,
    logger: Logger,
  ) {
    super();
    this.log = logger.child({ component: 'bot' });
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
  }

  private async answer(context: TurnContext): Promise<void> {
    const caller = await this.callerOf(context);
    if (!caller) {
      await context.sendActivity(
        'Your organisation is not registered as a partner of the carrier, so I cannot show you anything. Ask the carrier to register it.',
      );
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
      case 'details': {
        const customer = await this.oneCustomer(context, caller, command.customer);
        if (customer) await context.sendActivity({ attachments: [detailsCard(await this.services.customers.details(caller, customer.id))] });
        return;
      }
      case 'numbers': {
        const customer = await this.oneCustomer(context, caller, command.customer);
        if (!customer) return;
        const status = command.status as NumberStatus | undefined;
        const page = await this.services.numbers.list(caller, customer.id, {
          ...(status ? { status } : {}),
          page: 1,
          pageSize: LIST_SIZE,
        });
        await context.sendActivity({ attachments: [numbersCard(customer, page.items, page.total, status)] });
        return;
      }
      case 'unknown':
        await context.sendActivity({ text: `I did not understand "${command.text}". Here is what I can do:`, attachments: [helpCard()] });
    }
  }

  /** The one customer the words name; otherwise the bot says what it found. */
  private async oneCustomer(context: TurnContext, caller: Caller, words: string): Promise<CustomerView | undefined> {
    const { matches, suggestions } = await this.services.customers.match(caller, words);
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      const exact = matches.find((c) => c.accountId.toLowerCase() === words.trim().toLowerCase());
      if (exact) return exact;
      await context.sendActivity({ attachments: [pickCard(words, matches)] });
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
