import type { Activity } from 'botbuilder';
import { createLogger } from '../../api/logging/logger';
import { conversationWith, RecordingPortalBot } from '../support/bot-conversation';

import { createCustomer, PARTNER_A, PARTNER_B, startTestApp, UNREGISTERED_TENANT, type TestApp } from '../support/test-app';

describe('PortalBot', () => {
  let t: TestApp;
  let bot: RecordingPortalBot;
  beforeAll(async () => {
    t = await startTestApp();
    bot = new RecordingPortalBot(t.app.services, createLogger('silent'));
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
  afterAll(() => t.close());



  const { send, say, cardText } = conversationWith(() => bot);

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

  it('adds pasted numbers and answers the outcome of every one', async () => {
    const [reply] = await say('add numbers contoso +1 212 555 0120, +12125550100; 12345');
    const card = cardText(reply!);
    expect(card).toContain('+12125550120');
    expect(card).toContain('added');
    expect(card).toContain('already there');
    expect(card).toContain('not valid');
    const customer = (await t.app.services.customers.match(t.callerA, 'contoso-01')).matches[0]!;
    const numbers = await t.app.services.numbers.list(t.callerA, customer.id, { page: 1, pageSize: 50 });
    expect(numbers.items.map((n) => n.e164)).toContain('+12125550120');
  });

  describe('remove numbers', () => {
    const invoke = (verb: string, data: Record<string, unknown>) =>
      send({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data } } } as Partial<Activity>);
    const invokeCard = (replies: Partial<Activity>[]) =>
      JSON.stringify((replies.find((r) => r.type === 'invokeResponse')?.value as { body?: { value?: unknown } })?.body?.value ?? {});

    async function confirmCard(text: string) {
      const [reply] = await say(text);
      const content = reply!.attachments![0]!.content as { actions: { verb: string; data: Record<string, unknown> }[] };
      return { card: cardText(reply!), confirm: content.actions.find((a) => a.verb === 'removeNumbers')!.data };
    }

    it('removes nothing until confirmed, then once however often it is confirmed', async () => {
      await say('add numbers contoso +12125550130');
      const { card, confirm } = await confirmCard('remove numbers contoso +1 212 555 0130');
      expect(card).toContain('Confirm');
      expect(card).toContain('Input.Toggle');
      const customerId = String(confirm.customerId);
      const listed = async () => (await t.app.services.numbers.list(t.callerA, customerId, { page: 1, pageSize: 50 })).items.map((n) => n.e164);
      expect(await listed()).toContain('+12125550130');

      const first = await invoke('removeNumbers', { ...confirm, deleteFromBackend: 'true' });
      expect(invokeCard(first)).toContain('Removed 1 number(s)');
      expect(invokeCard(first)).toContain('deleted from the backend');
      expect(await listed()).not.toContain('+12125550130');

      const again = await invoke('removeNumbers', { ...confirm, deleteFromBackend: 'true' });
      expect(invokeCard(again)).toContain('Removed 1 number(s)');
      const audit = await t.app.services.audit.list(t.callerA, undefined, { page: 1, pageSize: 100 });
      expect(audit.items.filter((e) => e.action === 'numbers.removed' && JSON.stringify(e.details).includes('+12125550130'))).toHaveLength(1);
      await t.app.services.sync.idle();
    });

    it('removes only what the card showed, for the partner it showed it to', async () => {
      await say('add numbers contoso +12125550140, +12125550141');
      const { confirm } = await confirmCard('remove numbers contoso +12125550140');
      // A tampered card names another number, and another partner replays it.
      const fromB = await send(
        { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'removeNumbers', data: confirm } } } as Partial<Activity>,
        PARTNER_B.tenantId,
      );
      expect(JSON.stringify((fromB.find((r) => r.type === 'invokeResponse')?.value as { body?: { value?: unknown } })?.body?.value)).toContain('expired');
      const tampered = await invoke('removeNumbers', { ...confirm, numbers: ['+12125550141'] });
      expect(invokeCard(tampered)).toContain('+12125550140');
      const listed = (await t.app.services.numbers.list(t.callerA, String(confirm.customerId), { page: 1, pageSize: 50 })).items.map((n) => n.e164);
      expect(listed).toContain('+12125550141');
      expect(listed).not.toContain('+12125550140');
      // Cancel after Confirm keeps the outcome.
      const late = await invoke('cancelRemoveNumbers', confirm);
      expect(invokeCard(late)).toContain('Removed 1 number(s)');
      // A card that names no request has expired.
      expect(invokeCard(await invoke('removeNumbers', { customerId: confirm.customerId }))).toContain('expired');
      await t.app.services.sync.idle();
    });

    it('replaces the card with "cancelled" on Cancel, removing nothing', async () => {
      await say('add numbers contoso +12125550131');
      const { confirm } = await confirmCard('remove numbers contoso +12125550131');
      const cancelled = await invoke('cancelRemoveNumbers', confirm);
      expect(invokeCard(cancelled)).toContain('Cancelled');
      const numbers = await t.app.services.numbers.list(t.callerA, String(confirm.customerId), { page: 1, pageSize: 50 });
      expect(numbers.items.map((n) => n.e164)).toContain('+12125550131');
    });
  });

  it('answers a retried activity once', async () => {
    const first = await say('help', PARTNER_A.tenantId, { id: 'retried-activity-1' });
    const retry = await say('help', PARTNER_A.tenantId, { id: 'retried-activity-1' });
    expect(first).toHaveLength(1);
    expect(retry).toHaveLength(0);
  });

  describe('sync', () => {
    it('answers at once, then updates that message to the outcome with the numbers needing attention', async () => {
      bot.updates.length = 0;
      const [reply] = await say('sync contoso');
      expect(cardText(reply!)).toMatch(/Sync of Contoso Ltd: (starting|running)/);
      await t.app.services.sync.idle();
      await bot.idle();
      const last = bot.updates[bot.updates.length - 1]!;
      expect(last.id).toBe(reply!.id);
      const card = JSON.stringify(last.attachments![0]!.content);
      expect(card).toContain('Sync of Contoso Ltd: succeeded');
      expect(card).toContain("This number cannot be sync'ed automatically (backend reports fatal)");
      expect(card).toContain('Megan Bowen');
    }, 20_000);

    it('previews with "sync <customer> preview"', async () => {
      bot.updates.length = 0;
      const [reply] = await say('sync contoso preview');
      expect(cardText(reply!)).toContain('Sync preview of Contoso Ltd');
      await t.app.services.sync.idle();
      await bot.idle();
      expect(JSON.stringify(bot.updates[bot.updates.length - 1]!.attachments![0]!.content)).toContain('Would change');
    }, 20_000);
  });

  it('lets the partner pick one of several matching customers on a card, then answers for that one', async () => {
    const [ambiguous] = await say('numbers fabrikam');
    const content = ambiguous!.attachments![0]!.content as { actions: { title: string; verb: string; data: Record<string, unknown> }[] };
    expect(content.actions.map((a) => a.title)).toEqual(['Fabrikam Inc', 'Fabrikam West']);
    const west = content.actions.find((a) => a.title === 'Fabrikam West')!;
    const replies = await send({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: west.verb, data: west.data } } } as Partial<Activity>);
    const answer = JSON.stringify((replies.find((r) => r.type === 'invokeResponse')?.value as { body?: { value?: unknown } })?.body?.value);
    expect(answer).toContain('Numbers of Fabrikam West');
  });
});
