import { createApp, type App } from '../../api/app';
import { followUpCollection } from '../../api/follow-ups/follow-up-document';
import { createLogger } from '../../api/logging/logger';
import { registerBotEndpoint } from '../../bot/bot-endpoint';
import type { PortalBot } from '../../bot/portal-bot';
import { botWorld, RecordingPortalBot } from '../support/bot-conversation';
import { ConnectorStandIn } from '../support/connector-stand-in';
import { createCustomer, PARTNER_A, startTestApp, type TestApp } from '../support/test-app';

const cardOf = (update: { attachments?: { content?: unknown }[] }) => JSON.stringify(update.attachments?.[0]?.content ?? {});

describe('a sync card followed up from MongoDB', () => {
  const { world, say, cardText } = botWorld({}, { syncUpdateMs: 50 });
  const followUps = () => followUpCollection.of(world.t.database.db);

  it('stores where the card is and what it follows, then updates the card to the outcome and ends the follow-up', async () => {
    world.bot.updates.length = 0;
    const [reply] = await say('sync contoso');
    expect(cardText(reply!)).toMatch(/Sync of Contoso Ltd: (starting|running)/);
    // Stored by the turn, before anything was looked at.
    const stored = await followUps().findOne({ kind: 'bot.sync-card', 'subject.activityId': reply!.id });
    expect(stored).toMatchObject({
      state: 'open',
      partnerId: world.t.partnerA._id,
      caller: { tid: PARTNER_A.tenantId, oid: 'user-1', role: 'admin' },
      subject: {
        activityId: reply!.id,
        customer: { name: 'Contoso Ltd', accountId: 'contoso-01' },
        queued: false,
        reference: { channelId: 'msteams', conversation: { id: reply!.conversation!.id } },
      },
    });
    expect(typeof stored!.subject.runId).toBe('string');
    expect(stored!.expiresAt.getTime() - stored!.createdAt.getTime()).toBe(15 * 60 * 1000);

    await world.t.app.services.sync.idle();
    await world.bot.idle();
    const updates = world.bot.updates.filter((update) => update.id === reply!.id);
    expect(updates.length).toBeGreaterThan(0);
    expect(cardOf(updates[updates.length - 1]!)).toContain('Sync of Contoso Ltd: succeeded');
    // Each card once: a look that finds the same card sends nothing.
    expect(new Set(updates.map(cardOf)).size).toBe(updates.length);
    const ended = await followUps().findOne({ _id: stored!._id });
    expect(ended).toMatchObject({ state: 'done', failures: 0 });
    expect(typeof ended!.memo?.cardHash).toBe('string');
    expect(ended!.lease).toBeUndefined();
  }, 20_000);

  /** A card's follow-up first looked at after its lifetime ran out (a backlog, or every instance down meanwhile); its card's updates. */
  async function outlived(subject: Record<string, unknown>, activityId: string) {
    world.bot.updates.length = 0;
    const followUp = await world.t.app.services.followUps.add(world.t.callerA, {
      kind: 'bot.sync-card',
      subject: { ...subject, activityId },
      dueAt: new Date(Date.now() + 20),
      lifetimeMs: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 40));
    world.t.app.services.followUps.kick();
    await world.bot.idle();
    return { followUp, updates: world.bot.updates.filter((update) => update.id === activityId) };
  }

  it('says on the card that it is no longer kept up to date once its follow-up outlived its lifetime', async () => {
    const { followUp, updates } = await outlived({ reference: { channelId: 'msteams', conversation: { id: 'a:old-chat' } }, runId: 'r-old' }, 'old-card-1');
    expect(updates.map(cardOf)).toEqual([expect.stringContaining('I stopped keeping this card up to date after 15 minutes')]);
    expect((await followUps().findOne({ _id: followUp._id }))!.state).toBe('expired');
  }, 20_000);

  it('shows the outcome, not the note, when what an outlived card followed has ended meanwhile', async () => {
    // The sync card of the first test, whose run succeeded: followed again, first looked at after its lifetime.
    const done = await followUps().findOne({ kind: 'bot.sync-card', state: 'done' });
    const { updates } = await outlived(done!.subject, 'late-card-1');
    expect(updates.map(cardOf)).toEqual([expect.stringContaining('Sync of Contoso Ltd: succeeded')]);
  }, 20_000);

  describe('left by an instance that stopped', () => {
    let other: App;
    let otherBot: RecordingPortalBot;
    beforeAll(async () => {
      // A second instance on the same database, which never answered the chat.
      other = await createApp({ database: world.t.database, settings: world.t.settings, logger: createLogger('silent'), backendUrl: 'http://127.0.0.1:9' });
      otherBot = new RecordingPortalBot(other.services, createLogger('silent'), '', { syncUpdateMs: 50 });
    });
    afterAll(async () => {
      other.services.followUps.stop();
      await other.services.followUps.idle();
      other.services.backend.close();
    });

    it('is finished by another instance once the lease of the first ran out', async () => {
      world.bot.updates.length = 0;
      const [reply] = await say('sync contoso');
      await world.t.app.services.sync.idle();
      // The first instance claimed it and stopped (kill -9): its lease is held for a while longer, and never renewed.
      const heldUntil = new Date(Date.now() + 600);
      await followUps().updateOne(
        { 'subject.activityId': reply!.id },
        { $set: { lease: { owner: 'stopped-instance', until: heldUntil }, dueAt: new Date() }, $inc: { claims: 1 } },
      );
      other.services.followUps.kick();
      await other.services.followUps.idle();
      expect(otherBot.updates).toEqual([]);

      await otherBot.idle();
      expect(Date.now()).toBeGreaterThanOrEqual(heldUntil.getTime());
      expect(world.bot.updates).toEqual([]);
      const updates = otherBot.updates.filter((update) => update.id === reply!.id);
      expect(updates.length).toBeGreaterThan(0);
      expect(cardOf(updates[updates.length - 1]!)).toContain('Sync of Contoso Ltd: succeeded');
      expect(otherBot.references[0]).toMatchObject({ channelId: 'msteams', conversation: { id: reply!.conversation!.id } });
      expect(await followUps().findOne({ 'subject.activityId': reply!.id })).toMatchObject({ state: 'done' });
    }, 20_000);
  });
});

describe('a followed card in a chat the bot was removed from, through the real CloudAdapter', () => {
  let t: TestApp;
  let standIn: ConnectorStandIn;
  let bot: PortalBot;
  beforeAll(async () => {
    standIn = await new ConnectorStandIn().start();
    t = await startTestApp({
      backend: { accounts: [{ id: 'removed-01', name: 'Removed', teams: { max_channels: 2, tenant_name: 'removed.example.com' } }] },
    });
    await createCustomer(t, { accountId: 'removed-01', name: 'Removed Chat Co', tenantName: 'removed.example.com', maxChannels: 2 });
    // As bot-endpoint.ts builds it: no BOT_ID, so the connector is called without a token.
    bot = registerBotEndpoint(t.app.server, t.app.services, t.settings, createLogger('silent'));
  });
  afterAll(async () => {
    await t.close();
    await standIn.stop();
  });

  it('ends the follow-up as failed at the first 403, without retrying', async () => {
    const conversationId = 'a:removed-conversation';
    const response = await t.request('POST', '/api/messages', {
      token: null,
      body: {
        type: 'message',
        id: 'incoming-1',
        text: 'sync removed chat co',
        channelId: 'msteams',
        serviceUrl: standIn.url,
        from: { id: '29:user', aadObjectId: 'user-1', name: 'Ann' },
        recipient: { id: '28:bot', name: 'Partner Portal' },
        conversation: { id: conversationId, conversationType: 'personal', tenantId: PARTNER_A.tenantId },
        channelData: { tenant: { id: PARTNER_A.tenantId } },
      },
    });
    expect(response.status).toBe(200);
    const [sent] = standIn.sentTo(conversationId);
    expect(cardOf(sent!.body as never)).toContain('Sync of Removed Chat Co');
    const sentId = 'sent-1';
    const followUp = await followUpCollection.of(t.database.db).findOne({ kind: 'bot.sync-card' });
    expect(followUp!.subject).toMatchObject({ activityId: sentId, reference: { serviceUrl: standIn.url, conversation: { id: conversationId } } });

    // The bot is removed from the chat before its first update.
    standIn.refuse(conversationId, 403);
    await t.app.services.sync.idle();
    await bot.idle();
    const ended = await followUpCollection.of(t.database.db).findOne({ _id: followUp!._id });
    expect(ended).toMatchObject({ state: 'failed', failures: 0 });
    expect(ended!.lastError).toContain('403');
    // One attempt, then nothing more, however often the runner looks.
    for (let i = 0; i < 5; i++) {
      t.app.services.followUps.kick();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await t.app.services.followUps.idle();
    expect(standIn.updatesOf(sentId)).toHaveLength(1);
    // Nor a "Something went wrong" into the chat it was removed from.
    expect(standIn.sentTo(conversationId)).toHaveLength(1);
  }, 20_000);
});
