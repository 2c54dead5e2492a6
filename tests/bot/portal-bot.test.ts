import type { Activity } from 'botbuilder';
import { botWorld } from '../support/bot-conversation';
import { PARTNER_A, UNREGISTERED_TENANT } from '../support/test-app';

describe('PortalBot', () => {
  const { say, send, cardText } = botWorld();

  it('politely refuses an unregistered tenant, showing nothing', async () => {
    const [reply] = await say('customers', UNREGISTERED_TENANT);
    expect(reply!.text).toContain('not registered');
    expect(reply!.attachments ?? []).toHaveLength(0);
  });

  it('answers a retried activity once', async () => {
    const first = await say('help', PARTNER_A.tenantId, { id: 'retried-activity-1' });
    const retry = await say('help', PARTNER_A.tenantId, { id: 'retried-activity-1' });
    expect(first).toHaveLength(1);
    expect(retry).toHaveLength(0);
  });

  it('answers a button it does not know (Action.Submit fallback) with an expired card', async () => {
    const [reply] = await send({ type: 'message', value: { verb: 'noSuchVerb' } } as Partial<Activity>);
    expect(cardText(reply!)).toContain('This card has expired: ask again.');
  });
});
