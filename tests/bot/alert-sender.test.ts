import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ObjectId } from 'mongodb';
import { ALERT_CARD_FOLLOW_UP } from '../../api/alerts/alert-delivery';
import { alertSubscriptionCollection } from '../../api/alerts/alert-subscription-document';
import type { DriftFoundEvent } from '../../api/events/portal-events';
import { followUpCollection } from '../../api/follow-ups/follow-up-document';
import { createLogger } from '../../api/logging/logger';
import { PortalBot } from '../../bot/portal-bot';
import { conversationWith } from '../support/bot-conversation';
import { ConnectorStandIn } from '../support/connector-stand-in';
import { PARTNER_A, startTestApp, type TestApp } from '../support/test-app';

/**
 * An alert sent as in production: the bot's real CloudAdapter, built as
 * bot-endpoint.ts builds it with no BOT_ID (no auth), sends through the
 * conversation reference stored when the chat said "alerts on", to a local
 * stand-in for the Bot Connector service named by the reference's serviceUrl.
 */
describe('alert sender (real adapter, connector stand-in)', () => {
  let t: TestApp;
  let connector: ConnectorStandIn;
  let bot: PortalBot;
  const chat = () => conversationWith(() => bot);

  beforeAll(async () => {
    t = await startTestApp({ settings: { TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555', FOLLOW_UP_MAX_FAILURES: 5 } });
    connector = await new ConnectorStandIn().start();
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }));
    bot = new PortalBot(t.app.services, createLogger('silent'), '', {}, adapter);
  });
  afterAll(async () => {
    t.app.services.followUps.stop();
    await t.app.services.followUps.idle();
    await connector.stop();
    await t.close();
  });

  /** "alerts on" said in a conversation whose activities come from the stand-in. */
  async function subscribe(conversationId: string, words = 'alerts on', from?: { id: string; aadObjectId: string; name: string }) {
    const [reply] = await chat().say(words, PARTNER_A.tenantId, {
      ...(from ? { from } : {}),
      serviceUrl: connector.url,
      conversation: { id: conversationId, conversationType: 'personal', tenantId: PARTNER_A.tenantId } as never,
    });
    return reply!;
  }

  function drift(customerId: ObjectId, fingerprint: string): DriftFoundEvent {
    return {
      kind: 'drift.found',
      partnerId: t.partnerA._id,
      at: new Date(),
      customerId,
      customerLabel: 'Contoso Ltd',
      runId: new ObjectId(),
      counts: { missing_at_backend: 1, not_in_portal: 0, assigned_not_synced: 0, synced_not_assigned: 0 },
      total: 1,
      fingerprint,
      examples: [{ kind: 'missing_at_backend', e164: '+12125550100' }],
    };
  }

  it('posts the alert card into the subscribed conversation through the stored reference', async () => {
    expect(JSON.stringify((await subscribe('a:chat-1')).attachments)).toContain('Alerts on in this chat');
    const customerId = new ObjectId();
    await t.app.services.events.raise(drift(customerId, 'fp-1'));
    await t.app.services.followUps.settled([ALERT_CARD_FOLLOW_UP]);
    const sent = connector.sentTo('a:chat-1');
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as { type: string; attachments: { content: unknown }[] };
    expect(body.type).toBe('message');
    const card = JSON.stringify(body.attachments[0]!.content);
    expect(card).toContain('Drift at Contoso Ltd: 1 number');
    expect(card).toContain('+12125550100');
    expect(card).toContain('https://teams.microsoft.com/l/entity/11111111-2222-3333-4444-555555555555/partner-portal?context=');
    const done = await followUpCollection.of(t.database.db).findOne({ kind: ALERT_CARD_FOLLOW_UP, 'subject.conversationId': 'a:chat-1' });
    expect(done).toMatchObject({ state: 'done' });
  });

  it('a conversation the bot was removed from (403) is unsubscribed and its delivery failed, not retried', async () => {
    await subscribe('a:chat-gone');
    await subscribe('a:chat-kept');
    connector.refuse('a:chat-gone', 403);
    const before = connector.calls.length;
    await t.app.services.events.raise(drift(new ObjectId(), 'fp-2'));
    await t.app.services.followUps.settled([ALERT_CARD_FOLLOW_UP]);
    expect(connector.calls.slice(before).filter((call) => call.conversationId === 'a:chat-gone')).toHaveLength(1);
    expect(connector.sentTo('a:chat-kept')).toHaveLength(1);
    const gone = await followUpCollection.of(t.database.db).findOne({ kind: ALERT_CARD_FOLLOW_UP, 'subject.conversationId': 'a:chat-gone' });
    expect(gone).toMatchObject({ state: 'failed', failures: 0 });
    expect(gone!.lastError).toContain('403');
    const subscriptions = alertSubscriptionCollection.of(t.database.db);
    expect(await subscriptions.countDocuments({ conversationId: 'a:chat-gone' })).toBe(0);
    expect(await subscriptions.countDocuments({ conversationId: 'a:chat-kept' })).toBe(1);
    // The next alert goes to the conversation still there only.
    await t.app.services.events.raise(drift(new ObjectId(), 'fp-3'));
    await t.app.services.followUps.settled([ALERT_CARD_FOLLOW_UP]);
    expect(connector.calls.filter((call) => call.conversationId === 'a:chat-gone')).toHaveLength(1);
    expect(connector.sentTo('a:chat-kept')).toHaveLength(2);
  });

  it('no longer alerts the personal chat of someone removed from the partner: it is unsubscribed', async () => {
    await t.app.services.members.setRole(t.callerA, 'leaver-1', { role: 'operator', name: 'Lee' });
    expect(JSON.stringify((await subscribe('a:chat-leaver', 'alerts on', { id: '29:lee', aadObjectId: 'leaver-1', name: 'Lee' })).attachments)).toContain(
      'Alerts on in this chat',
    );
    await t.app.services.members.remove(t.callerA, 'leaver-1');
    const toAnn = connector.sentTo('a:chat-1').length;
    await t.app.services.events.raise(drift(new ObjectId(), 'fp-leaver'));
    await t.app.services.followUps.settled([ALERT_CARD_FOLLOW_UP]);
    expect(connector.sentTo('a:chat-leaver')).toHaveLength(0);
    expect(await alertSubscriptionCollection.of(t.database.db).countDocuments({ conversationId: 'a:chat-leaver' })).toBe(0);
    // Ann, still a member, is told as before.
    expect(connector.sentTo('a:chat-1')).toHaveLength(toAnn + 1);
  });

  it('a 404 (the chat is gone) is the same', async () => {
    await subscribe('a:chat-404');
    connector.refuse('a:chat-404', 404);
    await t.app.services.events.raise(drift(new ObjectId(), 'fp-4'));
    await t.app.services.followUps.settled([ALERT_CARD_FOLLOW_UP]);
    expect(await alertSubscriptionCollection.of(t.database.db).countDocuments({ conversationId: 'a:chat-404' })).toBe(0);
    const gone = await followUpCollection.of(t.database.db).findOne({ 'subject.conversationId': 'a:chat-404' });
    expect(gone).toMatchObject({ state: 'failed', failures: 0 });
  });

  it('does not send an alert stored before the conversation said "alerts off"', async () => {
    await subscribe('a:chat-off');
    t.app.services.followUps.stop();
    await t.app.services.events.raise(drift(new ObjectId(), 'fp-5'));
    await subscribe('a:chat-off', 'alerts off');
    t.app.services.followUps.start();
    await t.app.services.followUps.settled([ALERT_CARD_FOLLOW_UP]);
    expect(connector.sentTo('a:chat-off')).toHaveLength(0);
    t.app.services.followUps.stop();
  });
});
