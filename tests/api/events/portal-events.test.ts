import { ObjectId } from 'mongodb';
import type { PortalEvent } from '../../../api/events/portal-events';
import { createCustomer, startTestApp, type TestApp } from '../../support/test-app';

describe('events the portal raises for alerts', () => {
  let t: TestApp;
  const raised: PortalEvent[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    t.app.services.events.on(async (event) => {
      raised.push(event);
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    raised.length = 0;
  });

  it('raises sync.failed for each failed real run, with the failures in a row, and nothing for a dry run', async () => {
    // No such account at the backend: every sync of it fails.
    const customerId = await createCustomer(t, { name: 'Gone Ltd', accountId: 'no-such-account' });
    t.simulator.accounts.delete('no-such-account');
    for (let i = 0; i < 2; i++) {
      await t.app.services.sync.start(t.callerA, customerId, { trigger: 'tab' });
      await t.app.services.sync.idle();
      await t.app.services.events.idle();
    }
    await t.app.services.sync.start(t.callerA, customerId, { trigger: 'tab', dryRun: true });
    await t.app.services.sync.idle();
    const failed = raised.filter((event) => event.kind === 'sync.failed');
    expect(failed.map((event) => event.kind === 'sync.failed' && [event.customerLabel, event.consecutiveFailures])).toEqual([
      ['Gone Ltd', 1],
      ['Gone Ltd', 2],
    ]);
    expect(failed[0]).toMatchObject({ partnerId: t.partnerA._id, message: expect.stringContaining('The sync did not start: No account with Account ID no-such-account') });
    // Never synced: both failures belong to one streak, which alerts once.
    expect(failed.map((event) => event.kind === 'sync.failed' && event.failingSince)).toEqual([null, null]);
  });

  it('names a streak of failures after the last success, the same for each of its failures', async () => {
    const customerId = await createCustomer(t, { name: 'Flaky Ltd', accountId: 'flaky-01' });
    t.simulator.load({ apiKeys: [], accounts: [{ id: 'flaky-01', name: 'Flaky' }] });
    const sync = async () => {
      await t.app.services.sync.start(t.callerA, customerId, { trigger: 'tab' });
      await t.app.services.sync.idle();
      await t.app.services.events.idle();
    };
    await sync();
    const [succeeded] = await t.database.syncRuns.find({ customerId: new ObjectId(customerId), state: 'succeeded' }).toArray();
    t.simulator.failNext({ method: 'GET', path: /\/v2\/accounts\/flaky-01/, status: 404, times: 10 });
    await sync();
    await sync();
    const failed = raised.filter((event) => event.kind === 'sync.failed');
    expect(failed.map((event) => event.kind === 'sync.failed' && [event.consecutiveFailures, event.failingSince?.toHexString()])).toEqual([
      [1, succeeded!._id.toHexString()],
      [2, succeeded!._id.toHexString()],
    ]);
  }, 30_000);

  it('raises job.finished once when a job ends, with its counts', async () => {
    const customerId = await createCustomer(t, { name: 'Imports Ltd' });
    const started = await t.request('POST', `/api/v1/customers/${customerId}/numbers/import`, {
      headers: { 'content-type': 'text/csv' },
      rawBody: 'number\n+12125550190\nnot a number\n',
    });
    expect(started.status).toBe(202);
    await t.app.services.jobRunner.idle();
    await t.app.services.events.idle();
    const finished = raised.filter((event) => event.kind === 'job.finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ state: 'done', jobKind: 'numbers.add', customerLabel: 'Imports Ltd', total: 2, outcomes: { added: 1, invalid: 1 } });
  });
});
