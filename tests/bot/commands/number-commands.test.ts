import { QUEUED_SYNC_TEXT } from '../../../api/sync/sync-texts';
import { botWorld } from '../../support/bot-conversation';
import { PARTNER_B } from '../../support/test-app';

describe('number commands', () => {
  const { world, say, press, cardText, actionsOf } = botWorld();

  it('lists a customer\'s numbers with their status texts, and filters by status', async () => {
    const [reply] = await say('numbers contoso');
    expect(cardText(reply!)).toContain('+12125550100');
    expect(cardText(reply!)).toContain('Added, waiting for sync');
    const [synced] = await say('numbers contoso synced');
    expect(cardText(synced!)).toContain('None.');
  });

  it('adds pasted numbers and answers the outcome of every one', async () => {
    const { t } = world;
    const [reply] = await say('add numbers contoso +1 212 555 0120, +12125550100; 12345');
    for (const outcome of ['+12125550120', 'added', 'already there', 'not valid']) expect(cardText(reply!)).toContain(outcome);
    const customer = (await t.app.services.customers.match(t.callerA, 'contoso-01')).matches[0]!;
    const numbers = await t.app.services.numbers.list(t.callerA, customer.id, { page: 1, pageSize: 50 });
    expect(numbers.items.map((n) => n.e164)).toContain('+12125550120');
    // Up to 1,000 numbers are added in the turn: no job.
    expect(await t.database.jobs.countDocuments({})).toBe(0);
  });

  describe('remove numbers', () => {
    async function confirmCard(text: string) {
      const [reply] = await say(text);
      return { card: cardText(reply!), confirm: actionsOf(reply!).find((a) => a.verb === 'removeNumbers')!.data };
    }
    const listed = async (customerId: string) =>
      (await world.t.app.services.numbers.list(world.t.callerA, customerId, { page: 1, pageSize: 50 })).items.map((n) => n.e164);

    it('removes nothing until confirmed, then once however often it is confirmed', async () => {
      const { t } = world;
      await say('add numbers contoso +12125550130');
      const { card, confirm } = await confirmCard('remove numbers contoso +1 212 555 0130');
      expect(card).toContain('Confirm');
      expect(card).toContain('Input.Toggle');
      const customerId = String(confirm.customerId);
      expect(await listed(customerId)).toContain('+12125550130');

      const first = await press('removeNumbers', { ...confirm, deleteFromBackend: 'true' });
      expect(first).toContain('Removed 1 number(s)');
      expect(first).toContain('deleted from the backend');
      expect(await listed(customerId)).not.toContain('+12125550130');

      const again = await press('removeNumbers', { ...confirm, deleteFromBackend: 'true' });
      expect(again).toContain('Removed 1 number(s)');
      const audit = await t.app.services.audit.list(t.callerA, undefined, { page: 1, pageSize: 100 });
      expect(audit.items.filter((e) => e.action === 'numbers.removed' && JSON.stringify(e.details).includes('+12125550130'))).toHaveLength(1);
      await t.app.services.sync.idle();
    });

    it('removes only what the card showed, for the partner it showed it to', async () => {
      await say('add numbers contoso +12125550140, +12125550141');
      const { confirm } = await confirmCard('remove numbers contoso +12125550140');
      // A tampered card names another number, and another partner replays it.
      expect(await press('removeNumbers', confirm, { tenantId: PARTNER_B.tenantId })).toContain('expired');
      const tampered = await press('removeNumbers', { ...confirm, numbers: ['+12125550141'] });
      expect(tampered).toContain('+12125550140');
      const numbers = await listed(String(confirm.customerId));
      expect(numbers).toContain('+12125550141');
      expect(numbers).not.toContain('+12125550140');
      // Cancel after Confirm keeps the outcome.
      expect(await press('cancelRemoveNumbers', confirm)).toContain('Removed 1 number(s)');
      // A card that names no request has expired.
      expect(await press('removeNumbers', { customerId: confirm.customerId })).toContain('expired');
      await world.t.app.services.sync.idle();
    });

    it('says when the clean-up sync is queued behind a sync under way, and follows it on the card to its end', async () => {
      const { t } = world;
      await say('add numbers contoso +12125550160');
      const { confirm } = await confirmCard('remove numbers contoso +12125550160');
      // A sync under way, waiting a second for the backend (429, Retry-After): it holds the customer meanwhile.
      t.simulator.failNext({ method: 'GET', path: /\/callflows$/, status: 429, retryAfterSeconds: 1 });
      const underWay = await t.app.services.sync.start(t.callerA, String(confirm.customerId), { trigger: 'tab' });
      expect(underWay.started).toBe(true);
      world.bot.updates.length = 0;

      const card = await press('removeNumbers', { ...confirm, deleteFromBackend: 'false' }, { replyToId: 'removal-card-1' });
      expect(card).toContain('Removed 1 number(s)');
      expect(card).toContain(QUEUED_SYNC_TEXT);

      await t.app.services.sync.idle();
      await world.bot.idle();
      const updates = world.bot.updates.filter((update) => update.id === 'removal-card-1');
      expect(updates.length).toBeGreaterThan(0);
      const last = JSON.stringify(updates[updates.length - 1]!.attachments![0]!.content);
      expect(last).toContain('The backend clean-up sync has finished.');
      expect(last).not.toContain(QUEUED_SYNC_TEXT);
      expect(await listed(String(confirm.customerId))).not.toContain('+12125550160');
      expect(await t.database.numbers.countDocuments({ e164: '+12125550160' })).toBe(0);
    }, 20_000);

    it('replaces the card with "cancelled" on Cancel, removing nothing', async () => {
      await say('add numbers contoso +12125550131');
      const { confirm } = await confirmCard('remove numbers contoso +12125550131');
      expect(await press('cancelRemoveNumbers', confirm)).toContain('Cancelled');
      expect(await listed(String(confirm.customerId))).toContain('+12125550131');
    });

    it('answers when no piece is a number, showing no card', async () => {
      const [reply] = await say('remove numbers contoso 12345');
      expect(reply!.text).toBe('There is no valid number in "12345": nothing to remove.');
      expect(reply!.attachments ?? []).toHaveLength(0);
    });
  });
});
