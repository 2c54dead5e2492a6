import { ObjectId } from 'mongodb';
import { QUEUED_SYNC_TEXT } from '../../../api/sync/sync-texts';
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

  it('answers a sync asked for while one runs with the run queued behind it, says so, and follows that run to its end', async () => {
    const { t } = world;
    world.bot.updates.length = 0;
    const contoso = (await t.app.services.customers.match(t.callerA, 'contoso-01')).matches[0]!;
    // The run under way waits a second for the backend (429, Retry-After): it holds the customer meanwhile.
    t.simulator.failNext({ method: 'GET', path: /\/callflows$/, status: 429, retryAfterSeconds: 1 });
    const underWay = await t.app.services.sync.start(t.callerA, contoso.id, { trigger: 'tab' });
    expect(underWay.started).toBe(true);

    const [reply] = await say('sync contoso');
    const card = cardText(reply!);
    expect(card).toContain('Sync of Contoso Ltd: waiting');
    expect(card).toContain(QUEUED_SYNC_TEXT);
    const stored = await t.database.db.collection('followUps').findOne({ kind: 'bot.sync-card', 'subject.activityId': reply!.id });
    expect(stored!.subject).toMatchObject({ queued: true });
    expect(stored!.subject.runId).not.toBe(underWay.run.id);
    expect(await t.database.syncRuns.findOne({ _id: new ObjectId(String(stored!.subject.runId)) })).toMatchObject({ after: new ObjectId(underWay.run.id) });

    const last = await lastUpdate();
    expect(last.id).toBe(reply!.id);
    expect(last.card).toContain('Sync of Contoso Ltd: succeeded');
    expect(await t.database.syncRuns.findOne({ _id: new ObjectId(String(stored!.subject.runId)) })).toMatchObject({ state: 'succeeded' });
  }, 20_000);

  it('previews with "sync <customer> preview"', async () => {
    world.bot.updates.length = 0;
    const [reply] = await say('sync contoso preview');
    expect(cardText(reply!)).toContain('Sync preview of Contoso Ltd');
    expect((await lastUpdate()).card).toContain('Would change');
  }, 20_000);
});
