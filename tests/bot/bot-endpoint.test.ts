import nock from 'nock';
import { createLogger } from '../../api/logging/logger';
import { registerBotEndpoint } from '../../bot/bot-endpoint';
import type { PortalBot } from '../../bot/portal-bot';
import { createCustomer, PARTNER_A, startTestApp, type TestApp } from '../support/test-app';

const SERVICE_URL = 'https://smba.trafficmanager.test/amer/';

function activity(text: string) {
  return {
    type: 'message',
    id: `activity-${Math.random().toString(36).slice(2)}`,
    text,
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: '29:user', aadObjectId: 'user-1', name: 'Ann' },
    recipient: { id: '28:bot', name: 'Partner Portal' },
    conversation: { id: 'a:conversation-1', conversationType: 'personal', tenantId: PARTNER_A.tenantId },
    channelData: { tenant: { id: PARTNER_A.tenantId } },
  };
}

describe('POST /api/messages', () => {
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  describe('in local mode (no BOT_ID)', () => {
    let t: TestApp;
    let bot: PortalBot;
    beforeAll(async () => {
      nock.disableNetConnect();
      nock.enableNetConnect('127.0.0.1');
      t = await startTestApp();
      bot = registerBotEndpoint(t.app.server, t.app.services, t.settings, createLogger('silent'));
    });
    afterAll(() => t.close());

    it('answers a real activity through the connector at the activity\'s serviceUrl', async () => {
      const replies: { text?: string; attachments?: { contentType: string; content: unknown }[] }[] = [];
      nock('https://smba.trafficmanager.test')
        .post(/\/amer\/v3\/conversations\/.+\/activities\/.+/)
        .reply(200, (_uri, body) => {
          replies.push(body as (typeof replies)[number]);
          return { id: 'reply-1' };
        });
      const response = await t.request('POST', '/api/messages', { token: null, body: activity('help') });
      expect(response.status).toBe(200);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(JSON.stringify(replies[0]!.attachments?.[0]?.content)).toContain('customers [text]');
    });

    it('answers "sync" at once, then updates that same message through the connector', async () => {
      t.simulator.load({ apiKeys: [], accounts: [{ id: 'endpoint-sync', name: 'Sync', teams: { max_channels: 2, tenant_name: 'sync.example.com' } }] });
      await createCustomer(t, { accountId: 'endpoint-sync', name: 'Endpoint Sync Co', tenantName: 'sync.example.com', maxChannels: 2 });
      const updates: { attachments?: { content: unknown }[] }[] = [];
      nock('https://smba.trafficmanager.test')
        .post(/\/amer\/v3\/conversations\/.+\/activities\/.+/)
        .reply(200, { id: 'sync-message-1' })
        .put(/\/amer\/v3\/conversations\/.+\/activities\/sync-message-1/)
        .times(10)
        .reply(200, (_uri, body) => {
          updates.push(body as (typeof updates)[number]);
          return { id: 'sync-message-1' };
        });
      const response = await t.request('POST', '/api/messages', { token: null, body: activity('sync endpoint sync co') });
      expect(response.status).toBe(200);
      await t.app.services.sync.idle();
      await bot.idle();
      expect(updates.length).toBeGreaterThan(0);
      expect(JSON.stringify(updates[updates.length - 1]!.attachments?.[0]?.content)).toContain('Sync of Endpoint Sync Co: succeeded');
    }, 20_000);

    it('answers a paste of more than 1,000 numbers with a job card, which the job runner then updates through the connector', async () => {
      await createCustomer(t, { accountId: 'endpoint-job', name: 'Endpoint Job Co', tenantName: 'job.example.com' });
      const sent: { attachments?: { content: unknown }[] }[] = [];
      const updates: { attachments?: { content: unknown }[] }[] = [];
      nock('https://smba.trafficmanager.test')
        .post(/\/amer\/v3\/conversations\/.+\/activities\/.+/)
        .reply(200, (_uri, body) => {
          sent.push(body as (typeof sent)[number]);
          return { id: 'job-message-1' };
        })
        .put(/\/amer\/v3\/conversations\/.+\/activities\/job-message-1/)
        .times(10)
        .reply(200, (_uri, body) => {
          updates.push(body as (typeof updates)[number]);
          return { id: 'job-message-1' };
        });
      const numbers = Array.from({ length: 1100 }, (_, i) => `+1646555${String(8000 + i).padStart(4, '0')}`);
      // The job waits until the turn has stored its card: the update then comes from the runner, outside any turn.
      t.app.services.jobRunner.stop();
      const response = await t.request('POST', '/api/messages', { token: null, body: activity(`add numbers endpoint job co\n${numbers.join('\n')}`) });
      expect(response.status).toBe(200);
      expect(sent).toHaveLength(1);
      expect(JSON.stringify(sent[0]!.attachments?.[0]?.content)).toContain('Adding 1,100 numbers to Endpoint Job Co');
      t.app.services.jobRunner.start();
      await t.app.services.jobRunner.idle();
      t.app.services.jobRunner.stop();
      expect(updates.length).toBeGreaterThan(0);
      const last = JSON.stringify(updates[updates.length - 1]!.attachments?.[0]?.content);
      expect(last).toContain('"title":"State","value":"Done"');
      expect(last).toContain('"title":"Added","value":"1,100"');
    }, 20_000);
    it('refuses deliveryMode "expectReplies" (the replies would come back in the HTTP answer) and runs nothing', async () => {
      await createCustomer(t, { name: 'Secret Customer Co' });
      const connector = nock('https://smba.trafficmanager.test').post(/.*/).reply(200, {});
      for (const deliveryMode of ['expectReplies', 'ExpectReplies']) {
        const response = await t.request('POST', '/api/messages', { token: null, body: { ...activity('customers'), deliveryMode } });
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('expect_replies_refused');
        expect(JSON.stringify(response.body)).not.toContain('Secret Customer Co');
      }
      expect(connector.isDone()).toBe(false);
      // The ordinary delivery still works.
      nock('https://smba.trafficmanager.test').post(/.*/).reply(200, { id: 'reply' });
      expect((await t.request('POST', '/api/messages', { token: null, body: { ...activity('help'), deliveryMode: 'normal' } })).status).toBe(200);
    });
  });

  describe('with BOT_ID set', () => {
    let t: TestApp;
    beforeAll(async () => {
      nock.disableNetConnect();
      nock.enableNetConnect('127.0.0.1');
      t = await startTestApp({ settings: { BOT_ID: '00000000-1111-2222-3333-444444444444', BOT_PASSWORD: 'not-a-real-secret' } });
      registerBotEndpoint(t.app.server, t.app.services, t.settings, createLogger('silent'));
    });
    afterAll(() => t.close());

    it('refuses a request without a Bot Framework token with 401, and answers nothing', async () => {
      const connector = nock('https://smba.trafficmanager.test').post(/.*/).reply(200, {});
      const response = await t.request('POST', '/api/messages', { token: null, body: activity('customers') });
      expect(response.status).toBe(401);
      expect(connector.isDone()).toBe(false);
    });
  });
});
