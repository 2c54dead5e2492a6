import { ObjectId } from 'mongodb';
import { alertClaimCollection } from '../../../api/alerts/alert-claim-document';
import { AlertClaims } from '../../../api/alerts/alert-claims';
import { ALERT_CARD_FOLLOW_UP, type AlertDelivery } from '../../../api/alerts/alert-delivery';
import { alertEventsOf } from '../../../api/alerts/alert-events';
import { AlertService } from '../../../api/alerts/alert-service';
import { alertSubscriptionCollection } from '../../../api/alerts/alert-subscription-document';
import { AlertSubscriptions, type AlertConversation } from '../../../api/alerts/alert-subscriptions';
import { customerPortalLink } from '../../../api/alerts/portal-link';
import type { Caller } from '../../../api/auth/caller';
import { ValidationError } from '../../../api/errors';
import { PortalEvents, type DriftFoundEvent, type JobFinishedEvent, type SyncFailedEvent } from '../../../api/events/portal-events';
import { followUpCollection, type FollowUpDocument } from '../../../api/follow-ups/follow-up-document';
import { FollowUpRunner } from '../../../api/follow-ups/follow-up-runner';
import { leaseClaimCollection } from '../../../api/leases/leases';
import { createLogger } from '../../../api/logging/logger';
import { RoleRequiredError, type MemberRole } from '../../../api/members/member-role';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';

const HOUR = 3600 * 1000;
const logger = createLogger('silent');

/** A fresh partner per test: nothing one test stores is seen by another. */
function partner(role: MemberRole = 'operator'): Caller {
  const partnerId = new ObjectId();
  return { partnerId, partnerName: `Partner ${partnerId.toHexString().slice(-4)}`, tenantId: `tenant-${partnerId.toHexString()}`, userId: 'ann', userName: 'Ann', role };
}

function conversation(id: string, type: AlertConversation['conversationType'] = 'personal'): AlertConversation {
  return { conversationId: id, conversationType: type, reference: { conversation: { id }, serviceUrl: 'http://127.0.0.1:1/' } };
}

function drift(caller: Caller, customerId: ObjectId, fingerprint: string, at = new Date()): DriftFoundEvent {
  return {
    kind: 'drift.found',
    partnerId: caller.partnerId,
    at,
    customerId,
    customerLabel: 'Contoso Ltd',
    runId: new ObjectId(),
    counts: { missing_at_backend: 2, not_in_portal: 1, assigned_not_synced: 0, synced_not_assigned: 0 },
    total: 3,
    fingerprint,
    examples: [
      { kind: 'missing_at_backend', e164: '+12125550100' },
      { kind: 'not_in_portal', e164: '+12125550199' },
    ],
  };
}

function failed(caller: Caller, customerId: ObjectId, consecutiveFailures: number, failingSince: ObjectId | null = null): SyncFailedEvent {
  return {
    kind: 'sync.failed',
    partnerId: caller.partnerId,
    at: new Date(),
    customerId,
    customerLabel: 'Contoso Ltd',
    runId: new ObjectId(),
    message: 'The backend did not answer',
    consecutiveFailures,
    failingSince,
  };
}

function jobFinished(caller: Caller, jobId = new ObjectId()): JobFinishedEvent {
  return { kind: 'job.finished', partnerId: caller.partnerId, at: new Date(), jobId, jobKind: 'numbers.add', state: 'done', total: 3, outcomes: { added: 3 } };
}

/** One app instance's alerts, on the shared database, with its own clock. */
function instance(db: TestDatabase, now: () => Date = () => new Date()) {
  const events = new PortalEvents(logger);
  // No handler: deliveries stay stored (open) for the test to read.
  const followUps = new FollowUpRunner(
    { followUps: followUpCollection.of(db.db), claims: leaseClaimCollection.of(db.db) },
    { leaseSeconds: 30, pollMs: 1000, concurrency: 1, maxFailures: 3 },
    logger,
  );
  const subscriptions = new AlertSubscriptions(alertSubscriptionCollection.of(db.db), logger);
  const alerts = new AlertService(subscriptions, new AlertClaims(alertClaimCollection.of(db.db), now), followUps, events, {
    repeatAfterMs: 24 * HOUR,
    portalLink: customerPortalLink('teams-app-id'),
  }, logger);
  return { events, alerts, subscriptions };
}

describe('alerts', () => {
  let db: TestDatabase;
  let clock: Date;
  let one: ReturnType<typeof instance>;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(() => {
    clock = new Date('2026-03-01T09:00:00Z');
    one = instance(db, () => clock);
  });

  /** The deliveries stored for the partner, oldest first. */
  async function deliveries(caller: Caller): Promise<(FollowUpDocument & { subject: AlertDelivery })[]> {
    const stored = await followUpCollection.of(db.db).find({ partnerId: caller.partnerId, kind: ALERT_CARD_FOLLOW_UP }).sort({ createdAt: 1, _id: 1 }).toArray();
    return stored as (FollowUpDocument & { subject: AlertDelivery })[];
  }

  describe('subscriptions', () => {
    it('are one per conversation and partner, and another partner sees none of them', async () => {
      const a = partner();
      const b = partner();
      const first = await one.subscriptions.subscribe(a, { conversation: conversation('chat-1') });
      expect(first.created).toBe(true);
      expect(first.subscription).toMatchObject({ conversationType: 'personal', events: ['sync.failed', 'drift.found', 'job.finished'], subscribedBy: { oid: 'ann', name: 'Ann' } });
      expect(await one.subscriptions.of(b, 'chat-1')).toBeNull();
      expect(await one.subscriptions.unsubscribe(b, 'chat-1')).toBe(false);
      // The same conversation id for partner B is B's own.
      expect((await one.subscriptions.subscribe(b, { conversation: conversation('chat-1'), events: ['job.finished'] })).created).toBe(true);
      expect((await one.subscriptions.of(a, 'chat-1'))?.events).toHaveLength(3);
      expect((await one.subscriptions.of(b, 'chat-1'))?.events).toEqual(['job.finished']);
    });

    it('"alerts on" again changes the events of the one subscription; "alerts off" removes it', async () => {
      const a = partner();
      await one.subscriptions.subscribe(a, { conversation: conversation('channel-1', 'channel') });
      const again = await one.subscriptions.subscribe(a, { conversation: conversation('channel-1', 'channel'), events: ['job.finished', 'drift.found'] });
      expect(again.created).toBe(false);
      expect(again.subscription.events).toEqual(['drift.found', 'job.finished']);
      expect(await alertSubscriptionCollection.of(db.db).countDocuments({ partnerId: a.partnerId })).toBe(1);
      expect(await one.subscriptions.unsubscribe(a, 'channel-1')).toBe(true);
      expect(await one.subscriptions.of(a, 'channel-1')).toBeNull();
    });

    it('need an Operator to change and a Viewer to read', async () => {
      const viewer = partner('viewer');
      await expect(one.subscriptions.subscribe(viewer, { conversation: conversation('chat-v') })).rejects.toBeInstanceOf(RoleRequiredError);
      await expect(one.subscriptions.unsubscribe(viewer, 'chat-v')).rejects.toBeInstanceOf(RoleRequiredError);
      expect(await one.subscriptions.of(viewer, 'chat-v')).toBeNull();
    });

    it('refuse what is not a conversation or an event', async () => {
      const a = partner();
      await expect(
        one.subscriptions.subscribe(a, { conversation: { ...conversation('m'), conversationType: 'meeting' as never } }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(one.subscriptions.subscribe(a, { conversation: conversation('m'), events: [] })).rejects.toBeInstanceOf(ValidationError);
    });

    it('read the events the words of "alerts on" name', () => {
      expect(alertEventsOf([])).toEqual({ events: ['sync.failed', 'drift.found', 'job.finished'] });
      expect(alertEventsOf(['drift', 'failures'])).toEqual({ events: ['sync.failed', 'drift.found'] });
      expect(alertEventsOf(['Jobs,', 'and', 'drift'])).toEqual({ events: ['drift.found', 'job.finished'] });
      expect(alertEventsOf(['drift', 'weather'])).toEqual({ unknown: ['weather'] });
    });
  });

  it('stores one delivery per subscription that wants the event, in one write, and none for another partner', async () => {
    const a = partner();
    const b = partner();
    await one.subscriptions.subscribe(a, { conversation: conversation('all') });
    await one.subscriptions.subscribe(a, { conversation: conversation('drift-only', 'groupChat'), events: ['drift.found'] });
    await one.subscriptions.subscribe(a, { conversation: conversation('jobs-only'), events: ['job.finished'] });
    await one.subscriptions.subscribe(b, { conversation: conversation('b-all') });
    const inserts: string[] = [];
    const listener = (event: { commandName: string; command: Record<string, unknown> }) => {
      if (event.commandName === 'insert' && event.command.insert === 'followUps') inserts.push('followUps');
    };
    db.client.on('commandStarted', listener);
    const customerId = new ObjectId();
    await one.events.raise(drift(a, customerId, 'fp-1'));
    db.client.off('commandStarted', listener);
    expect(inserts).toHaveLength(1);
    const stored = await deliveries(a);
    expect(stored.map((d) => d.subject.conversationId).sort()).toEqual(['all', 'drift-only']);
    expect(stored[0]).toMatchObject({ state: 'open', kind: 'alert.card' });
    expect(stored[0]!.subject.notice).toMatchObject({
      kind: 'drift.found',
      customerId: customerId.toHexString(),
      customerLabel: 'Contoso Ltd',
      total: 3,
      examples: [{ e164: '+12125550100' }, { e164: '+12125550199' }],
    });
    expect(stored[0]!.subject.notice.portalLink).toContain(`customer%3A${customerId.toHexString()}`);
    expect(stored[0]!.subject.reference).toEqual({ conversation: { id: stored[0]!.subject.conversationId }, serviceUrl: 'http://127.0.0.1:1/' });
    expect(await deliveries(b)).toHaveLength(0);
  });

  it('does not alert the same drift again within the window, alerts when it changes, and again after the window', async () => {
    const a = partner();
    await one.subscriptions.subscribe(a, { conversation: conversation('chat') });
    const customer = new ObjectId();
    const other = new ObjectId();
    await one.events.raise(drift(a, customer, 'fp-1'));
    clock = new Date(clock.getTime() + 23 * HOUR);
    await one.events.raise(drift(a, customer, 'fp-1'));
    expect(await deliveries(a)).toHaveLength(1);
    // Another customer's drift is its own.
    await one.events.raise(drift(a, other, 'fp-1'));
    expect(await deliveries(a)).toHaveLength(2);
    // Changed, then back to what it was: each is news.
    await one.events.raise(drift(a, customer, 'fp-2'));
    await one.events.raise(drift(a, customer, 'fp-1'));
    expect(await deliveries(a)).toHaveLength(4);
    await one.events.raise(drift(a, customer, 'fp-1'));
    expect(await deliveries(a)).toHaveLength(4);
    clock = new Date(clock.getTime() + 24 * HOUR);
    await one.events.raise(drift(a, customer, 'fp-1'));
    expect(await deliveries(a)).toHaveLength(5);
  });

  it('alerts a customer that starts failing once for the streak, again after the window, and a new streak after a success', async () => {
    const a = partner();
    await one.subscriptions.subscribe(a, { conversation: conversation('chat') });
    const customer = new ObjectId();
    await one.events.raise(failed(a, customer, 1));
    await one.events.raise(failed(a, customer, 2));
    await one.events.raise(failed(a, customer, 3));
    const stored = await deliveries(a);
    expect(stored.map((d) => d.subject.notice.kind === 'sync.failed' && d.subject.notice.consecutiveFailures)).toEqual([1]);
    clock = new Date(clock.getTime() + 25 * HOUR);
    await one.events.raise(failed(a, customer, 4));
    expect(await deliveries(a)).toHaveLength(2);
    // It synced once, then failed again within the window: a new streak is news.
    const success = new ObjectId();
    clock = new Date(clock.getTime() + HOUR);
    await one.events.raise(failed(a, customer, 1, success));
    await one.events.raise(failed(a, customer, 2, success));
    expect(await deliveries(a)).toHaveLength(3);
  });

  it('alerts drift that went away and came back, though it is the same drift as before', async () => {
    const a = partner();
    await one.subscriptions.subscribe(a, { conversation: conversation('chat') });
    const customer = new ObjectId();
    await one.events.raise(drift(a, customer, 'fp-1'));
    await one.events.raise({ ...drift(a, customer, 'fp-0'), total: 0 });
    await one.events.raise({ ...drift(a, customer, 'fp-0'), total: 0 });
    await one.events.raise(drift(a, customer, 'fp-1'));
    await one.events.raise(drift(a, customer, 'fp-1'));
    expect(await deliveries(a)).toHaveLength(2);
    // Settled once, not at every sync without drift.
    expect(await alertClaimCollection.of(db.db).countDocuments({ key: { $regex: customer.toHexString() } })).toBe(3);
  });

  it('gives the claim back when the deliveries cannot be stored, so the next raise alerts', async () => {
    const a = partner();
    await one.subscriptions.subscribe(a, { conversation: conversation('chat') });
    const customer = new ObjectId();
    const failing = { addMany: jest.fn().mockRejectedValueOnce(new Error('write failed')).mockResolvedValue([]) };
    const alerts = new AlertService(one.subscriptions, new AlertClaims(alertClaimCollection.of(db.db), () => clock), failing, new PortalEvents(logger), {
      repeatAfterMs: 24 * HOUR,
      portalLink: () => undefined,
    }, logger);
    await expect(alerts.take(drift(a, customer, 'fp-1'))).rejects.toThrow('write failed');
    expect(await alerts.take(drift(a, customer, 'fp-1'))).toBe(1);
    expect(failing.addMany).toHaveBeenCalledTimes(2);
  });

  it('alerts a finished job once, whenever it is raised again', async () => {
    const a = partner();
    await one.subscriptions.subscribe(a, { conversation: conversation('chat') });
    const job = new ObjectId();
    await one.events.raise(jobFinished(a, job));
    clock = new Date(clock.getTime() + 48 * HOUR);
    await one.events.raise(jobFinished(a, job));
    await one.events.raise(jobFinished(a));
    const stored = await deliveries(a);
    expect(stored).toHaveLength(2);
    expect(stored[0]!.subject.notice).toMatchObject({ kind: 'job.finished', jobId: job.toHexString(), state: 'done', outcomes: { added: 3 } });
  });

  it('two instances raising the same event store one delivery per subscription', async () => {
    const a = partner();
    await one.subscriptions.subscribe(a, { conversation: conversation('chat') });
    await one.subscriptions.subscribe(a, { conversation: conversation('channel', 'channel') });
    const two = instance(db, () => clock);
    const customer = new ObjectId();
    const event = drift(a, customer, 'fp-race');
    await Promise.all([one.events.raise(event), two.events.raise(event), one.events.raise(failed(a, customer, 3)), two.events.raise(failed(a, customer, 3))]);
    const stored = await deliveries(a);
    expect(stored.map((d) => `${d.subject.notice.kind} ${d.subject.conversationId}`).sort()).toEqual([
      'drift.found channel',
      'drift.found chat',
      'sync.failed channel',
      'sync.failed chat',
    ]);
  });

  it('stores nothing, and claims nothing, when no conversation wants the event', async () => {
    const a = partner();
    await one.subscriptions.subscribe(a, { conversation: conversation('jobs'), events: ['job.finished'] });
    const customer = new ObjectId();
    await one.events.raise(drift(a, customer, 'fp-1'));
    expect(await deliveries(a)).toHaveLength(0);
    // Subscribed afterwards: the same drift is news to it.
    await one.subscriptions.subscribe(a, { conversation: conversation('drift'), events: ['drift.found'] });
    await one.events.raise(drift(a, customer, 'fp-1'));
    expect(await deliveries(a)).toHaveLength(1);
    // No drift at all tells nothing.
    await one.events.raise({ ...drift(a, new ObjectId(), 'fp-0'), total: 0 });
    expect(await deliveries(a)).toHaveLength(1);
  });

  it('a removed conversation is unsubscribed', async () => {
    const a = partner();
    await one.subscriptions.subscribe(a, { conversation: conversation('gone') });
    const stored = (await alertSubscriptionCollection.of(db.db).findOne({ partnerId: a.partnerId }))!;
    expect(await one.subscriptions.stillWants(a.partnerId, stored._id, 'drift.found')).toBe(true);
    // Another partner's id cannot remove it.
    await one.subscriptions.conversationRemoved(new ObjectId(), stored._id, { conversationId: 'gone', reason: 'Teams answered 403' });
    expect(await one.subscriptions.of(a, 'gone')).not.toBeNull();
    await one.subscriptions.conversationRemoved(a.partnerId, stored._id, { conversationId: 'gone', reason: 'Teams answered 403' });
    expect(await one.subscriptions.of(a, 'gone')).toBeNull();
    expect(await one.subscriptions.stillWants(a.partnerId, stored._id, 'drift.found')).toBe(false);
  });
});
