import { botWorld } from '../../support/bot-conversation';

describe('sync commands', () => {
  const { world, say, cardText } = botWorld();

  /** The card of the last update of a followed message, once syncs and the bot are idle. */
  async function lastUpdate() {
    await world.t.app.services.sync.idle();
    await world.bot.idle();
    const last = world.bot.updates[world.bot.updates.length - 1]!;
    return { id: last.id, card: JSON.stringify(last.attachments![0]!.content) };
  }

  it('answers at once, then updates that message to the outcome with the numbers needing attention', async () => {
    world.bot.updates.length = 0;
    const [reply] = await say('sync contoso');
    expect(cardText(reply!)).toMatch(/Sync of Contoso Ltd: (starting|running)/);
    const last = await lastUpdate();
    expect(last.id).toBe(reply!.id);
    expect(last.card).toContain('Sync of Contoso Ltd: succeeded');
    expect(last.card).toContain("This number cannot be sync'ed automatically (backend reports fatal)");
    expect(last.card).toContain('Megan Bowen');
  }, 20_000);

  it('previews with "sync <customer> preview"', async () => {
    world.bot.updates.length = 0;
    const [reply] = await say('sync contoso preview');
    expect(cardText(reply!)).toContain('Sync preview of Contoso Ltd');
    expect((await lastUpdate()).card).toContain('Would change');
  }, 20_000);
});
