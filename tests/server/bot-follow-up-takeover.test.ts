import { until } from '../support/until';
import { MongoClient } from 'mongodb';
import { startPortal, type PortalProcess } from '../browser/support/portal-process';
import { ConnectorStandIn } from '../support/connector-stand-in';

/**
 * A slow backend (each call takes a while), so a sync lasts a few seconds;
 * short leases, so a killed instance's follow-up and sync are let go soon.
 */
const INSTANCE = {
  SIMULATOR_LATENCY_MS: '1500',
  FOLLOW_UP_LEASE_SECONDS: '2',
  FOLLOW_UP_POLL_MS: '200',
  SYNC_LEASE_SECONDS: '5',
};
const CONVERSATION = 'a:takeover-conversation';

const cardOf = (body: Record<string, unknown>) => JSON.stringify((body.attachments as { content?: unknown }[] | undefined)?.[0]?.content ?? {});


/**
 * The bot's follow-up of a sync card survives the instance that sent the
 * card: "sync contoso" reaches instance 1 (local mode, no Bot Framework
 * token), which answers with a card through a stand-in Bot Connector and
 * stores the follow-up; instance 1 is killed with kill -9; instance 2, started
 * on the same database, takes the follow-up over once its lease ran out and
 * updates the card to the final outcome.
 */
describe('a bot card followed by an instance that is killed', () => {
  const instances: PortalProcess[] = [];
  const client = new MongoClient(process.env.MONGODB_URI!);
  let standIn: ConnectorStandIn;
  beforeAll(async () => {
    standIn = await new ConnectorStandIn().start();
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await standIn.stop();
    await client.close();
  }, 60_000);

  it('is finished by another instance: the card shows the outcome and the follow-up ends done', async () => {
    const first = await startPortal(INSTANCE);
    instances.push(first);
    const partners = (await (await fetch(`${first.url}/api/v1/dev/partners`)).json()) as { items: { tenantId: string; name: string }[] };
    const tenantId = partners.items.find((p) => p.name.startsWith('Northwind'))!.tenantId;

    const response = await fetch(`${first.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'takeover-activity-1',
        text: 'sync contoso',
        channelId: 'msteams',
        serviceUrl: standIn.url,
        // A demo member who may sync (an Operator).
        from: { id: '29:operator', aadObjectId: 'demo-operator', name: 'Olivia Operator (demo)' },
        recipient: { id: '28:bot', name: 'Partner Portal' },
        conversation: { id: CONVERSATION, conversationType: 'personal', tenantId },
        channelData: { tenant: { id: tenantId } },
      }),
    });
    expect(response.status).toBe(200);
    const [sent] = standIn.sentTo(CONVERSATION);
    expect(cardOf(sent!.body)).toMatch(/Sync of Contoso Ltd: (starting|running)/);
    const activityId = 'sent-1';

    const followUps = client.db(first.database).collection('followUps');
    const stored = await until('the follow-up is stored', async () => (await followUps.findOne({ kind: 'bot.sync-card' })) ?? undefined);
    expect(stored.subject).toMatchObject({ activityId, reference: { serviceUrl: standIn.url, conversation: { id: CONVERSATION } } });
    // Instance 1 has looked at it once (claimed it with its lease) before it dies.
    await until('instance 1 claims the follow-up', async () => ((await followUps.findOne({ _id: stored._id }))?.claims >= 1 ? true : undefined));
    const runs = client.db(first.database).collection('syncRuns');
    const runAtKill = await runs.findOne({ trigger: 'bot' });
    await first.kill();
    // Killed before the sync could end: the run is the other instance's to report.
    expect(['queued', 'running']).toContain(runAtKill!.state);
    expect(standIn.updatesOf(activityId).length).toBeLessThanOrEqual(1);

    const second = await startPortal({ ...INSTANCE, MONGODB_DB: first.database });
    instances.push(second);
    const ended = await until('the follow-up ends', async () => {
      const now = await followUps.findOne({ _id: stored._id });
      return now && now.state !== 'open' ? now : undefined;
    });
    expect(ended.state).toBe('done');
    // Taken over: claimed again by instance 2 after instance 1's claim.
    expect(ended.claims).toBeGreaterThanOrEqual(2);
    expect(String(ended.lastError ?? '')).toBe('');

    const updates = standIn.updatesOf(activityId);
    expect(updates.length).toBeGreaterThan(0);
    const last = cardOf(updates[updates.length - 1]!.body);
    expect(last).toMatch(/Sync of Contoso Ltd: (succeeded|failed)/);
    if (last.includes('Contoso Ltd: failed')) expect(last).toContain('The run was interrupted (its process stopped)');
    expect((await runs.findOne({ _id: runAtKill!._id }))!.state).toMatch(/succeeded|failed/);
  }, 120_000);
});
