import { TestAdapter, type Activity } from 'botbuilder';
import { createLogger } from '../../api/logging/logger';
import { PortalBot } from '../../bot/portal-bot';
import { createCustomer, PARTNER_A, PARTNER_B, startTestApp, UNREGISTERED_TENANT, type TestApp } from '../support/test-app';

describe('PortalBot', () => {
  let t: TestApp;
  let bot: PortalBot;
  beforeAll(async () => {
    t = await startTestApp();
    bot = new PortalBot(t.app.services, createLogger('silent'));
    const contoso = await createCustomer(t, { accountId: 'contoso-01', name: 'Contoso Ltd', tenantName: 'contoso.onmicrosoft.com' });
    await createCustomer(t, { accountId: 'fabrikam-01', name: 'Fabrikam Inc', tenantName: 'fabrikam.com' });
    await createCustomer(t, { accountId: 'fabrikam-02', name: 'Fabrikam West', tenantName: 'fabrikamwest.com' });
    await createCustomer(t, { accountId: 'hidden-b', name: 'Contoso of Partner B' }, await t.tokenFor(PARTNER_B.tenantId));
    await t.request('POST', `/api/v1/customers/${contoso}/numbers`, { body: { numbers: '+12125550100\n+12125550101' } });
  });
  afterAll(() => t.close());

  /** Sends one message as a user of `tenantId` and returns the bot's replies. */
  async function say(text: string, tenantId = PARTNER_A.tenantId): Promise<Partial<Activity>[]> {
    const replies: Partial<Activity>[] = [];
    const adapter = new TestAdapter(async (context) => {
      await bot.run(context);
    });
    await adapter.send({
      type: 'message',
      text,
      channelId: 'msteams',
      from: { id: 'u1', aadObjectId: 'user-1', name: 'Ann' },
      channelData: { tenant: { id: tenantId } },
    } as Partial<Activity>);
    let reply = adapter.activeQueue.shift();
    while (reply) {
      replies.push(reply);
      reply = adapter.activeQueue.shift();
    }
    return replies;
  }

  const cardText = (reply: Partial<Activity>) => JSON.stringify(reply.attachments?.[0]?.content ?? {});

  it('answers help with the help card', async () => {
    const [reply] = await say('help');
    expect(reply!.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(reply!)).toContain('numbers <customer> [status]');
  });

  it('lists the customers matching a text, never another partner\'s', async () => {
    const [reply] = await say('customers contoso');
    expect(cardText(reply!)).toContain('Contoso Ltd');
    expect(cardText(reply!)).not.toContain('Partner B');
    const [all] = await say('customers');
    expect(cardText(all!)).toContain('(3)');
  });

  it('shows the details of the customer the words name, forgiving case and spacing', async () => {
    for (const words of ['contoso', 'CONTOSO LTD', 'contosoltd']) {
      const [reply] = await say(`details ${words}`);
      expect(cardText(reply!)).toContain('contoso.onmicrosoft.com');
    }
  });

  it('asks which customer when several match, and takes an exact account id', async () => {
    const [ambiguous] = await say('details fabrikam');
    expect(cardText(ambiguous!)).toContain('Several customers match');
    const [exact] = await say('details fabrikam-02');
    expect(cardText(exact!)).toContain('fabrikamwest.com');
  });

  it('suggests the closest names when nothing matches', async () => {
    const [reply] = await say('details contosso');
    expect(reply!.text).toMatch(/No customer matches "contosso"\. Did you mean "Contoso Ltd"/);
  });

  it('never finds another partner\'s customer', async () => {
    const [reply] = await say('details hidden-b');
    expect(reply!.text).toContain('No customer matches');
  });

  it('lists a customer\'s numbers with their status texts, and filters by status', async () => {
    const [reply] = await say('numbers contoso');
    expect(cardText(reply!)).toContain('+12125550100');
    expect(cardText(reply!)).toContain('Added, waiting for sync');
    const [synced] = await say('numbers contoso synced');
    expect(cardText(synced!)).toContain('None.');
  });

  it('says it did not understand, with the help card', async () => {
    const [reply] = await say('make me a sandwich');
    expect(reply!.text).toContain('I did not understand');
    expect(cardText(reply!)).toContain('customers [text]');
  });

  it('politely refuses an unregistered tenant, showing nothing', async () => {
    const [reply] = await say('customers', UNREGISTERED_TENANT);
    expect(reply!.text).toContain('not registered');
    expect(reply!.attachments ?? []).toHaveLength(0);
  });
});
