import * as AdaptiveCards from 'adaptivecards';
import { TestAdapter, type Activity, type Attachment, type BotAdapter, type ConversationReference } from 'botbuilder';
import type { Services } from '../../api/app';
import type { CustomerView } from '../../api/customers/customer-schemas';
import { createLogger, type Logger } from '../../api/logging/logger';
import type { BotOptions } from '../../bot/command-group';
import { PortalBot } from '../../bot/portal-bot';
import { createCustomer, PARTNER_A, PARTNER_B, startTestApp, type TestApp } from './test-app';

/** The bot, with the messages it updates later recorded instead of sent (and the conversation each is in). */
export class RecordingPortalBot extends PortalBot {
  readonly updates: Partial<Activity>[] = [];
  readonly references: Partial<ConversationReference>[] = [];
  constructor(services: Services, logger: Logger, botAppId = '', options: BotOptions = {}) {
    // Its updates are recorded, never sent: any adapter will do for a job's card.
    super(services, logger, botAppId, options, new TestAdapter());
  }
  protected override async updateMessage(_adapter: BotAdapter, reference: Partial<ConversationReference>, activity: Partial<Activity>) {
    this.updates.push(activity);
    this.references.push(reference);
  }
  /** The messages it sent outside a turn (alerts), with the conversation each went to. */
  readonly proactive: { reference: Partial<ConversationReference>; activity: Partial<Activity> }[] = [];
  protected override async sendProactive(_adapter: BotAdapter, reference: Partial<ConversationReference>, activity: Partial<Activity>) {
    this.proactive.push({ reference, activity });
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
  /**
   * Presses a card's button (Action.Execute), on the message `replyToId` if
   * given, as a user of `tenantId` (and the sender in `extra`); answers the card that replaces it, as JSON.
   */
  async function press(
    verb: string,
    data: Record<string, unknown>,
    { replyToId, tenantId, extra }: { replyToId?: string; tenantId?: string; extra?: Partial<Activity> } = {},
  ) {
    const replies = await send(
      {
        ...extra,
        type: 'invoke',
        name: 'adaptiveCard/action',
        ...(replyToId ? { replyToId } : {}),
        value: { action: { type: 'Action.Execute', verb, data } },
      } as Partial<Activity>,
      tenantId,
    );
    return JSON.stringify((replies.find((r) => r.type === 'invokeResponse')?.value as { body?: { value?: unknown } })?.body?.value ?? {});
  }
  const cardText = (reply: Partial<Activity>) => JSON.stringify(reply.attachments?.[0]?.content ?? {});
  /** The buttons of a reply's card. */
  const actionsOf = (reply: Partial<Activity>) =>
    (reply.attachments![0]!.content as { actions: { title: string; verb: string; data: Record<string, unknown>; fallback: { data: Record<string, unknown> } }[] })
      .actions;
  return { send, say, press, cardText, actionsOf };
}

/**
 * The partner A most bot tests talk to, on a test app of their own: Contoso
 * (contoso-01, a Teams callflow with +12125550100 and Megan Bowen's seat with
 * +12125550101 in the backend, both numbers added in the portal), Fabrikam Inc
 * and Fabrikam West; and a customer of partner B the bot must never show.
 * `settings` are the app's (JOB_BATCH_ROWS: batches of a job), `botOptions` the bot's (syncUpdateMs).
 */
export function botWorld(settings: Record<string, string | number> = {}, botOptions: BotOptions = {}) {
  const world = {} as { t: TestApp; bot: RecordingPortalBot };
  beforeAll(async () => {
    const t = await startTestApp({ settings });
    world.t = t;
    world.bot = new RecordingPortalBot(t.app.services, createLogger('silent'), '', botOptions);
    t.simulator.load({
      apiKeys: [],
      accounts: [
        {
          id: 'contoso-01',
          name: 'Contoso',
          teams: { max_channels: 10, tenant_name: 'contoso.onmicrosoft.com' },
          teamsCallflows: [['+12125550100']],
          seats: [{ firstName: 'Megan', lastName: 'Bowen', seatType: 'essentials', numbers: ['+12125550101'] }],
        },
      ],
    });
    const contoso = await createCustomer(t, { accountId: 'contoso-01', name: 'Contoso Ltd', tenantName: 'contoso.onmicrosoft.com' });
    await createCustomer(t, { accountId: 'fabrikam-01', name: 'Fabrikam Inc', tenantName: 'fabrikam.com' });
    await createCustomer(t, { accountId: 'fabrikam-02', name: 'Fabrikam West', tenantName: 'fabrikamwest.com' });
    await createCustomer(t, { accountId: 'hidden-b', name: 'Contoso of Partner B' }, await t.tokenFor(PARTNER_B.tenantId));
    await t.request('POST', `/api/v1/customers/${contoso}/numbers`, { body: { numbers: '+12125550100\n+12125550101' } });
  });
  afterAll(async () => {
    await world.bot.idle();
    await world.t.close();
  });
  return { world, ...conversationWith(() => world.bot) };
}

/** A customer as the services show it, for cards. */
export const CUSTOMER_VIEW: CustomerView = {
  id: 'c1',
  accountId: 'acct-1',
  tenantName: 'contoso.onmicrosoft.com',
  name: 'Contoso Ltd',
  maxChannels: 10,
  seatType: 'bundled',
  canManage: true,
  customerTenantId: null,
  numberCount: 2,
  lastSync: { runId: 'r1', state: 'succeeded', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z' },
  drift: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/** Expects an Adaptive Card 1.5 that the adaptivecards parser takes without a warning. */
export function expectAdaptiveCard15(attachment: Attachment): void {
  expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
  const json = attachment.content as { version: string };
  expect(json.version).toBe('1.5');
  const card = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
  card.parse(json, context);
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  expect(events).toEqual([]);
  expect(card.validateProperties().validationEvents.map((e) => e.message)).toEqual([]);
}
