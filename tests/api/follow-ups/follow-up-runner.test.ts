import { ObjectId } from 'mongodb';
import type { Caller } from '../../../api/auth/caller';
import { followUpCollection } from '../../../api/follow-ups/follow-up-document';
import { FollowUpRunner, type FollowUpHandler, type FollowUpRunnerOptions } from '../../../api/follow-ups/follow-up-runner';
import { leaseClaimCollection } from '../../../api/leases/leases';
import { createLogger } from '../../../api/logging/logger';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';

const CALLER: Caller = {
  partnerId: new ObjectId(),
  partnerName: 'Partner A',
  tenantId: 'partner-a-tenant',
  userId: 'user-1',
  userName: 'Ann',
  role: 'operator',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FollowUpRunner', () => {
  let database: TestDatabase;
  const runners: FollowUpRunner[] = [];
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) runner.stop();
    await database.db.collection('followUps').deleteMany({});
  });
  afterAll(() => database.close());

  const followUps = () => followUpCollection.of(database.db);
  /** A runner on the test database, as another app process would have; stopped after each test. */
  function runner(options: Partial<FollowUpRunnerOptions> = {}, owner?: string) {
    const made = new FollowUpRunner(
      { followUps: followUps(), claims: leaseClaimCollection.of(database.db) },
      { leaseSeconds: 30, pollMs: 20, concurrency: 4, maxFailures: 3, ...options },
      createLogger('silent'),
      ...(owner ? [owner] : []),
    );
    runners.push(made);
    return made;
  }
  const stored = async (id: ObjectId) => (await followUps().findOne({ _id: id }))!;
  async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('never happened');
      await sleep(20);
    }
  }

  it('carries a follow-up to its end with the stored caller, remembering what each look said', async () => {
    const seen: { memo: unknown; caller: Caller }[] = [];
    const one = runner();
    one.register('test.count', async (followUp, caller) => {
      seen.push({ memo: followUp.memo, caller });
      const looks = ((followUp.memo?.looks as number | undefined) ?? 0) + 1;
      return looks < 3 ? { final: false, againInMs: 10, memo: { looks } } : { final: true, memo: { looks } };
    });
    const added = await one.add(CALLER, { kind: 'test.count', subject: { what: 'it' }, lifetimeMs: 60_000 });
    await one.settled(['test.count'], 10);
    expect(seen.map((s) => s.memo)).toEqual([undefined, { looks: 1 }, { looks: 2 }]);
    expect(seen[0]!.caller).toMatchObject({ partnerId: CALLER.partnerId, tenantId: CALLER.tenantId, userId: 'user-1', role: 'operator' });
    const after = await stored(added._id);
    expect(after).toMatchObject({ state: 'done', memo: { looks: 3 }, failures: 0 });
    expect(after.lease).toBeUndefined();
    expect(after.endedAt).toBeInstanceOf(Date);
  });

  it('looks at a follow-up only once it is due', async () => {
    const one = runner();
    const looked: number[] = [];
    one.register('test.due', async () => {
      looked.push(Date.now());
      return { final: true };
    });
    const addedAt = Date.now();
    await one.add(CALLER, { kind: 'test.due', subject: {}, dueAt: new Date(addedAt + 400), lifetimeMs: 60_000 });
    one.kick();
    await one.idle();
    expect(looked).toEqual([]);
    await one.settled(['test.due'], 20);
    expect(looked).toHaveLength(1);
    expect(looked[0]! - addedAt).toBeGreaterThanOrEqual(400);
  });

  it('claims only the kinds it has a handler for', async () => {
    const one = runner();
    one.register('test.mine', async () => ({ final: true }));
    const theirs = await one.add(CALLER, { kind: 'test.theirs', subject: {}, lifetimeMs: 60_000 });
    const mine = await one.add(CALLER, { kind: 'test.mine', subject: {}, lifetimeMs: 60_000 });
    await one.settled(['test.mine'], 10);
    expect((await stored(mine._id)).state).toBe('done');
    expect(await stored(theirs._id)).toMatchObject({ state: 'open', failures: 0 });
    expect((await stored(theirs._id)).lease).toBeUndefined();
  });

  it('of many runners claiming at once, has one look at each follow-up per time it is due', async () => {
    const looks = new Map<string, number>();
    const handler: FollowUpHandler = async (followUp) => {
      const key = `${followUp._id.toHexString()}:${(followUp.memo?.look as number | undefined) ?? 0}`;
      looks.set(key, (looks.get(key) ?? 0) + 1);
      await sleep(5);
      const look = ((followUp.memo?.look as number | undefined) ?? 0) + 1;
      return look < 2 ? { final: false, againInMs: 0, memo: { look } } : { final: true, memo: { look } };
    };
    const many = Array.from({ length: 6 }, () => runner({ concurrency: 3 }));
    for (const each of many) each.register('test.race', handler);
    const adder = runner();
    await followUps().insertMany(
      Array.from({ length: 8 }, () => ({
        _id: new ObjectId(),
        partnerId: CALLER.partnerId,
        kind: 'test.race',
        state: 'open' as const,
        dueAt: new Date(),
        createdAt: new Date(),
        expiresAt: new Date(Date.now() + 60_000),
        caller: { tid: CALLER.tenantId, oid: CALLER.userId, name: 'Ann', role: CALLER.role, partnerName: CALLER.partnerName },
        subject: {},
        failures: 0,
      })),
    );
    for (const each of many) each.start();
    await adder.settled(['test.race'], 20);
    await Promise.all(many.map((each) => each.idle()));
    // 8 follow-ups, looked at twice each (not final, then final): 16 looks, none twice.
    expect([...looks.values()]).toEqual(Array.from({ length: 16 }, () => 1));
    const ended = await followUps().find({ kind: 'test.race' }).toArray();
    expect(ended.map((f) => [f.state, f.memo?.look])).toEqual(ended.map(() => ['done', 2]));
  });

  it('backs off after a failed look and starts counting again after one that works', async () => {
    const one = runner({ maxFailures: 5 });
    let calls = 0;
    one.register('test.flaky', async () => {
      calls++;
      if (calls === 1) throw new Error('the channel timed out');
      return calls === 2 ? { final: false, againInMs: 0 } : { final: true };
    });
    const added = await one.add(CALLER, { kind: 'test.flaky', subject: {}, lifetimeMs: 60_000 });
    await until(async () => (await stored(added._id)).failures === 1);
    const failed = await stored(added._id);
    expect(failed).toMatchObject({ state: 'open', failures: 1, lastError: 'the channel timed out' });
    // The first retry waits a second.
    expect(failed.dueAt.getTime() - Date.now()).toBeGreaterThan(700);
    one.kick();
    await one.idle();
    expect(calls).toBe(1);
    await one.settled(['test.flaky'], 50);
    expect(calls).toBe(3);
    expect(await stored(added._id)).toMatchObject({ state: 'done', failures: 0 });
  });

  it('gives a follow-up up after the most failed looks in a row', async () => {
    const one = runner({ maxFailures: 2 });
    let calls = 0;
    const givenUp: string[] = [];
    one.register(
      'test.broken',
      async () => {
        calls++;
        throw new Error('always broken');
      },
      async (followUp, caller, why) => {
        givenUp.push(`${followUp.kind} ${caller.userId} ${why}`);
      },
    );
    const added = await one.add(CALLER, { kind: 'test.broken', subject: {}, lifetimeMs: 60_000 });
    await one.settled(['test.broken'], 50);
    expect(calls).toBe(2);
    // Told once, when given up, so its card can say it is no longer kept up to date.
    expect(givenUp).toEqual(['test.broken user-1 failed']);
    expect(await stored(added._id)).toMatchObject({ state: 'failed', failures: 2, lastError: 'always broken' });
  });

  it('gives up at once a follow-up its handler says can never be carried out', async () => {
    const one = runner();
    let calls = 0;
    one.register('test.removed', async () => {
      calls++;
      return { final: 'failed', reason: 'the bot was removed from the chat' };
    });
    const added = await one.add(CALLER, { kind: 'test.removed', subject: {}, lifetimeMs: 60_000 });
    await one.settled(['test.removed'], 10);
    expect(calls).toBe(1);
    expect(await stored(added._id)).toMatchObject({ state: 'failed', failures: 0, lastError: 'the bot was removed from the chat' });
  });

  it('ends a follow-up past its lifetime as expired, without looking at it', async () => {
    const one = runner();
    let calls = 0;
    const givenUp: string[] = [];
    one.register(
      'test.old',
      async () => {
        calls++;
        return { final: false, againInMs: 0 };
      },
      async (_followUp, _caller, why) => {
        givenUp.push(why);
        throw new Error('the card could not be told');
      },
    );
    const added = await one.add(CALLER, { kind: 'test.old', subject: {}, dueAt: new Date(Date.now() + 100), lifetimeMs: 50 });
    await one.settled(['test.old'], 20);
    expect(calls).toBe(0);
    // A failure to tell does not keep it open.
    expect(givenUp).toEqual(['expired']);
    expect((await stored(added._id)).state).toBe('expired');
  });

  it('lets another runner take over a follow-up whose runner stopped renewing its claim, and ignores the late answer', async () => {
    // A runner whose process froze mid-look (kill -9 as seen from MongoDB): its look never answers, its lease is never renewed.
    const frozen = runner({ leaseSeconds: 1 }, 'frozen-process');
    let answerLate: (step: { final: true }) => void = () => undefined;
    let frozenLooks = 0;
    frozen.register('test.card', () => {
      frozenLooks++;
      return new Promise((resolve) => (answerLate = resolve));
    });
    const keep = jest.spyOn(
      (frozen as unknown as { leases: { keep: (...args: unknown[]) => () => void } }).leases,
      'keep',
    ).mockReturnValue(() => undefined);
    const added = await frozen.add(CALLER, { kind: 'test.card', subject: {}, lifetimeMs: 60_000 });
    await until(async () => frozenLooks === 1);
    expect((await stored(added._id)).lease?.owner).toBe('frozen-process');
    frozen.stop();
    keep.mockRestore();

    const other = runner({ leaseSeconds: 5 }, 'other-process');
    const otherLooks: number[] = [];
    other.register('test.card', async () => {
      otherLooks.push(Date.now());
      return { final: true, memo: { by: 'other' } };
    });
    other.kick();
    await other.idle();
    // Still held: the frozen runner's lease has not run out yet.
    expect(otherLooks).toEqual([]);
    await other.settled(['test.card'], 50);
    expect(otherLooks).toHaveLength(1);
    expect(await stored(added._id)).toMatchObject({ state: 'done', memo: { by: 'other' }, claims: 2 });

    // The frozen look answers at last: it no longer holds the follow-up, so its answer changes nothing.
    answerLate({ final: true });
    await frozen.idle();
    expect(await stored(added._id)).toMatchObject({ state: 'done', memo: { by: 'other' } });
  });
});
