import type { Activity } from 'botbuilder';
import { ObjectId } from 'mongodb';
import { alertSubscriptionCollection } from '../../../api/alerts/alert-subscription-document';
import { ALERT_SYNC_VERB } from '../../../bot/cards/alert-cards';
import { botWorld } from '../../support/bot-conversation';
import { PARTNER_A, PARTNER_B } from '../../support/test-app';

const BOT = { id: '28:portal-bot', name: 'Partner Portal' };

/** A message in the bot's personal chat. */
const personal = (id: string): Partial<Activity> => ({
  conversation: { id, conversationType: 'personal', tenantId: PARTNER_A.tenantId } as Activity['conversation'],
});

/** A message in a group chat, which Teams sends with the bot @mentioned. */
const groupChat = (id: string): Partial<Activity> => ({
  recipient: BOT,
  conversation: { id, conversationType: 'groupChat', isGroup: true, tenantId: PARTNER_A.tenantId } as Activity['conversation'],
  entities: [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }],
});

/** A message in a thread of a team's channel: its conversation is the thread; the bot is @mentioned. */
const channel = (channelId: string, messageId: string): Partial<Activity> => ({
  recipient: BOT,
  conversation: { id: `${channelId};messageid=${messageId}`, conversationType: 'channel', isGroup: true, tenantId: PARTNER_A.tenantId } as Activity['conversation'],
  channelData: { tenant: { id: PARTNER_A.tenantId }, team: { id: '19:team-1@thread.tacv2' }, channel: { id: channelId } },
  entities: [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }],
});

const mention = (text: string) => `<at>${BOT.name}</at> ${text}`;

describe('alert commands', () => {
  const { world, say, press, send, cardText } = botWorld();
  const stored = () => alertSubscriptionCollection.of(world.t.database.db);
  const text = (reply: Partial<Activity> | undefined) => reply?.text ?? cardText(reply!);

  it('"alerts on" in the personal chat subscribes it to all three events; "alerts" shows it; "alerts off" stops it', async () => {
    expect(text((await say('alerts', PARTNER_A.tenantId, personal('a:personal-1')))[0])).toContain('No alerts in this chat');
    const [on] = await say('alerts on', PARTNER_A.tenantId, personal('a:personal-1'));
    expect(cardText(on!)).toContain('Alerts on in this chat: failed syncs, drift and finished jobs');
    expect(cardText(on!)).toContain('Ann');
    const subscription = await stored().findOne({ conversationId: 'a:personal-1' });
    expect(subscription).toMatchObject({ partnerId: world.t.partnerA._id, conversationType: 'personal', subscribedBy: { oid: 'user-1', name: 'Ann' } });
    expect(subscription!.reference).toMatchObject({ conversation: { id: 'a:personal-1' }, channelId: 'msteams' });
    expect(subscription!.reference.activityId).toBeUndefined();
    expect(cardText((await say('alerts', PARTNER_A.tenantId, personal('a:personal-1')))[0]!)).toContain('Alerts in this chat');
    expect(text((await say('alerts off', PARTNER_A.tenantId, personal('a:personal-1')))[0])).toBe('Alerts off: I post no more alerts in this chat.');
    expect(await stored().countDocuments({ conversationId: 'a:personal-1' })).toBe(0);
    expect(text((await say('alerts off', PARTNER_A.tenantId, personal('a:personal-1')))[0])).toBe('There were no alerts in this chat.');
  });

  it('"alerts on drift jobs" in a group chat, with the @mention, subscribes to those; saying it again changes them', async () => {
    const [on] = await say(mention('alerts on drift jobs'), PARTNER_A.tenantId, groupChat('19:group-1@thread.v2'));
    expect(cardText(on!)).toContain('Alerts on in this group chat: drift and finished jobs');
    const [changed] = await say(mention('alerts on failures'), PARTNER_A.tenantId, groupChat('19:group-1@thread.v2'));
    expect(cardText(changed!)).toContain('Alerts changed in this group chat: failed syncs');
    expect(await stored().find({ conversationId: '19:group-1@thread.v2' }).toArray()).toMatchObject([{ conversationType: 'groupChat', events: ['sync.failed'] }]);
  });

  it('in a channel, the @mention is stripped and the channel (not the thread) is subscribed', async () => {
    const channelId = '19:channel-1@thread.tacv2';
    const [on] = await say(mention('alerts on'), PARTNER_A.tenantId, channel(channelId, '1001'));
    expect(cardText(on!)).toContain('Alerts on in this channel');
    const subscription = (await stored().findOne({ conversationId: channelId }))!;
    expect(subscription).toMatchObject({ conversationType: 'channel', teamId: '19:team-1@thread.tacv2', channelId });
    // Alerts are posts of their own in the channel, not replies in the thread that subscribed.
    expect(subscription.reference).toMatchObject({ conversation: { id: channelId, conversationType: 'channel' } });
    // Another thread of the same channel is the same subscription.
    expect(cardText((await say(mention('alerts'), PARTNER_A.tenantId, channel(channelId, '2002')))[0]!)).toContain('Alerts in this channel');
    expect(text((await say(mention('alerts off'), PARTNER_A.tenantId, channel(channelId, '3003')))[0])).toContain('Alerts off');
  });

  it('says which words it does not know as events', async () => {
    const [reply] = await say('alerts on weather', PARTNER_A.tenantId, personal('a:personal-2'));
    expect(reply!.text).toContain('I do not know "weather" as an event');
    expect(await stored().countDocuments({ conversationId: 'a:personal-2' })).toBe(0);
  });

  it('a Viewer sees the subscription but may not change it', async () => {
    await world.t.app.services.members.setRole(world.t.callerA, 'alert-viewer', { role: 'viewer', name: 'Vic Viewer' });
    const viewer = { from: { id: 'teams-alert-viewer', aadObjectId: 'alert-viewer', name: 'Vic Viewer' } };
    const [refused] = await say('alerts on', PARTNER_A.tenantId, { ...personal('a:personal-3'), ...viewer });
    expect(refused!.text).toContain('This needs the Operator role');
    expect(text((await say('alerts', PARTNER_A.tenantId, { ...personal('a:personal-3'), ...viewer }))[0])).toContain('No alerts in this chat');
  });

  it('another partner does not see this partner\'s subscription of the same conversation id', async () => {
    await say('alerts on', PARTNER_A.tenantId, personal('shared-id'));
    const [other] = await say('alerts', PARTNER_B.tenantId, {
      conversation: { id: 'shared-id', conversationType: 'personal', tenantId: PARTNER_B.tenantId } as Activity['conversation'],
    });
    expect(other!.text).toContain('No alerts in this chat');
  });

  it('"Sync now" on an alert card starts a sync of the customer as the sync command does (trigger bot), and needs an Operator', async () => {
    const { matches } = await world.t.app.services.customers.match(world.t.callerA, 'contoso');
    const contoso = matches[0]!;
    const card = await press(ALERT_SYNC_VERB, { customerId: contoso.id, customerLabel: 'Contoso Ltd' }, { extra: personal('a:personal-4') });
    expect(card).toMatch(/Sync of Contoso Ltd: (starting|running|succeeded)/);
    await world.t.app.services.sync.idle();
    const runs = await world.t.database.syncRuns.find({ customerId: new ObjectId(contoso.id) }).sort({ startedAt: -1 }).limit(1).toArray();
    expect(runs[0]).toMatchObject({ trigger: 'bot' });
    await world.t.app.services.members.setRole(world.t.callerA, 'alert-viewer-2', { role: 'viewer', name: 'Vic' });
    const refused = await press(ALERT_SYNC_VERB, { customerId: contoso.id, customerLabel: 'Contoso Ltd' }, {
      extra: { ...personal('a:personal-4'), from: { id: 't-v2', aadObjectId: 'alert-viewer-2', name: 'Vic' } },
    });
    expect(refused).toContain('This needs the Operator role');
  }, 20_000);

  it('"Sync now" on a card that carries its notice keeps the alert as it was, says who started the sync, and posts the sync\'s card apart', async () => {
    const { matches } = await world.t.app.services.customers.match(world.t.callerA, 'contoso');
    const contoso = matches[0]!;
    const notice = {
      kind: 'drift.found',
      customerId: contoso.id,
      customerLabel: 'Contoso Ltd',
      at: '2026-03-01T09:00:00.000Z',
      counts: { missing_at_backend: 1, not_in_portal: 0, assigned_not_synced: 0, synced_not_assigned: 0 },
      total: 1,
      examples: [{ kind: 'missing_at_backend', e164: '+12125550199' }],
    };
    const replies = await send({
      ...personal('a:personal-6'),
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: 'alert-message-1',
      value: { action: { type: 'Action.Execute', verb: ALERT_SYNC_VERB, data: { customerId: contoso.id, customerLabel: 'Contoso Ltd', notice } } },
    } as Partial<Activity>);
    const shown = JSON.stringify((replies.find((r) => r.type === 'invokeResponse')?.value as { body?: { value?: unknown } }).body?.value);
    expect(shown).toContain('Drift at Contoso Ltd: 1 number');
    expect(shown).toContain('+12125550199');
    expect(shown).toContain('Sync now pressed by Ann');
    const syncCard = replies.find((r) => r.type === 'message' && cardText(r).includes('Sync of Contoso Ltd'));
    expect(syncCard).toBeDefined();
    await world.t.app.services.sync.idle();

    // A Viewer's press syncs nothing, and the alert stays as it was, with why.
    await world.t.app.services.members.setRole(world.t.callerA, 'alert-viewer-3', { role: 'viewer', name: 'Val' });
    const before = await world.t.database.syncRuns.countDocuments({ customerId: new ObjectId(contoso.id) });
    const refused = await press(ALERT_SYNC_VERB, { customerId: contoso.id, customerLabel: 'Contoso Ltd', notice }, {
      extra: { ...personal('a:personal-6'), from: { id: 't-v3', aadObjectId: 'alert-viewer-3', name: 'Val' } },
    });
    expect(refused).toContain('Drift at Contoso Ltd: 1 number');
    expect(refused).toContain('Sync now pressed by Val');
    expect(refused).toContain('This needs the Operator role');
    expect(await world.t.database.syncRuns.countDocuments({ customerId: new ObjectId(contoso.id) })).toBe(before);
  }, 20_000);

  it('help lists the alert commands', async () => {
    const [help] = await say('help', PARTNER_A.tenantId, personal('a:personal-5'));
    expect(cardText(help!)).toContain('alerts on [drift] [failures] [jobs]');
  });
});
