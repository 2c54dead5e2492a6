import type { Activity } from 'botbuilder';
import { createApp, type App } from '../../../api/app';
import { createLogger } from '../../../api/logging/logger';
import { botWorld, expectAdaptiveCard15, RecordingPortalBot } from '../../support/bot-conversation';

/** `count` valid numbers from +1 646 555 <first>, none of them in the other tests' pastes. */
const numbersFrom = (first: number, count: number) => Array.from({ length: count }, (_, i) => `+1646555${String(first + i).padStart(4, '0')}`);
/** 1,199 numbers and a piece that is none: 1,200 rows, more than the 1,000 added at once, so a job. */
const pasteFrom = (first: number) => [...numbersFrom(first, 1199), '12345'].join('\n');

const cardOf = (activity: Partial<Activity>) => JSON.stringify(activity.attachments?.[0]?.content ?? {});
const progressOf = (card: string) => /"title":"Progress","value":"([\d,]+ of [\d,]+)"/.exec(card)?.[1];

/** The final card of an add job of `pasteFrom`: its counts, and where the failed row is. */
function expectFinal(card: string) {
  expect(card).toContain('"title":"State","value":"Done"');
  expect(progressOf(card)).toBe('1,200 of 1,200');
  expect(card).toContain('"title":"Added","value":"1,199"');
  expect(card).toContain('"title":"Not valid","value":"1"');
  expect(card).toContain('1 row was not done as asked: the failed rows are in the Jobs list');
}

describe('a paste of more than 1,000 numbers runs as a job', () => {
  // Batches of 500: 1,200 rows are 3 batches, so the card shows progress before the end.
  const { world, say, press, cardText, actionsOf } = botWorld({ JOB_BATCH_ROWS: 500 });
  const NEWCOMER = { from: { id: 'teams-newcomer', aadObjectId: 'bot-newcomer', name: 'Nina Newcomer' } };

  it('answers one card with the job at once, updates that same card as it goes, then with the final counts; "jobs" lists it', async () => {
    const { t, bot } = world;
    bot.updates.length = 0;
    const replies = await say(`add numbers contoso\n${pasteFrom(1000)}`);
    expect(replies).toHaveLength(1);
    const reply = replies[0]!;
    expectAdaptiveCard15(reply.attachments![0]!);
    expect(cardText(reply)).toContain('Adding 1,200 numbers to Contoso Ltd');
    expect(progressOf(cardText(reply))).toBe('0 of 1,200');

    // Where the card is, stored with the job in MongoDB, not in this instance.
    const job = (await t.database.jobs.find({ kind: 'numbers.add' }).sort({ createdAt: -1 }).limit(1).toArray())[0]!;
    expect(job.followUp).toMatchObject({
      kind: 'bot.card',
      activityId: reply.id,
      customerLabel: 'Contoso Ltd',
      reference: { channelId: 'msteams', conversation: { id: reply.conversation!.id } },
    });

    await t.app.services.jobRunner.idle();
    expect(bot.updates.length).toBeGreaterThan(0);
    expect(bot.updates.map((update) => update.id)).toEqual(bot.updates.map(() => reply.id));
    const shown = bot.updates.map(cardOf);
    // Told in order: the card never goes back to an older state.
    const done = shown.map((card) => Number(progressOf(card)!.split(' of ')[0]!.replace(/,/g, '')));
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expectFinal(shown[shown.length - 1]!);
    expect(await t.database.numbers.countDocuments({ e164: { $in: numbersFrom(1000, 1199) } })).toBe(1199);

    const [list] = await say('jobs');
    expectAdaptiveCard15(list!.attachments![0]!);
    const listed = cardText(list!);
    for (const part of ['Your last job', 'Add numbers', '"value":"Done"', '"value":"1,200 of 1,200"', '"value":"1,199 added, 1 not valid"', 'Started {{DATE(']) {
      expect(listed).toContain(part);
    }
  });

  it('updates the card itself, at once, when the job ended before the card was stored with it', async () => {
    const { t, bot } = world;
    bot.updates.length = 0;
    const jobs = t.app.services.jobs;
    const follow = jobs.follow.bind(jobs);
    // The job runs to its end before its card is stored: no runner tells of it.
    const late = jest.spyOn(jobs, 'follow').mockImplementation(async (...args) => {
      await t.app.services.jobRunner.idle();
      return follow(...args);
    });
    let reply: Partial<Activity>;
    try {
      [reply] = (await say(`add numbers contoso\n${pasteFrom(3000)}`)) as [Partial<Activity>];
      expect(late).toHaveBeenCalledTimes(1);
    } finally {
      late.mockRestore();
    }
    expect(bot.updates.map((update) => update.id)).toEqual([reply.id]);
    expectFinal(cardOf(bot.updates[0]!));
  });

  it('keeps the card a customer was picked on up to date, once it shows the job', async () => {
    const { t, bot } = world;
    bot.updates.length = 0;
    const [pick] = await say(`add numbers fabrikam\n${pasteFrom(5000)}`);
    expect(cardText(pick!)).toContain('Several customers match');
    const fabrikamInc = actionsOf(pick!).find((action) => action.title === 'Fabrikam Inc')!;
    const answered = await press(fabrikamInc.verb, fabrikamInc.data, { replyToId: 'pick-card-1' });
    expect(answered).toContain('Adding 1,200 numbers to Fabrikam Inc');
    await t.app.services.jobRunner.idle();
    expect(bot.updates.length).toBeGreaterThan(0);
    expect(bot.updates.map((update) => update.id)).toEqual(bot.updates.map(() => 'pick-card-1'));
    const last = cardOf(bot.updates[bot.updates.length - 1]!);
    expect(last).toContain('Adding 1,200 numbers to Fabrikam Inc');
    expectFinal(last);
  });

  it('answers a user who started no job that they have none, even as a Viewer', async () => {
    const [reply] = await say('jobs', undefined, NEWCOMER);
    expect(cardText(reply!)).toContain('You have started no jobs yet');
    expect((await world.t.app.services.members.callerOf(world.t.partnerA, { tenantId: world.t.partnerA.tenantId, oid: 'bot-newcomer' })).role).toBe('viewer');
  });
});

describe('a job run by another instance of the app', () => {
  const { world, say, cardText } = botWorld({ JOB_BATCH_ROWS: 500 });
  let other: App;
  let otherBot: RecordingPortalBot;

  beforeAll(async () => {
    // A second instance on the same database; it only runs jobs here, so it needs no server nor backend.
    other = await createApp({ database: world.t.database, settings: world.t.settings, logger: createLogger('silent'), backendUrl: 'http://127.0.0.1:9' });
    otherBot = new RecordingPortalBot(other.services, createLogger('silent'));
    // The instance that answers the chat runs no job.
    world.t.app.services.jobRunner.stop();
  });
  afterAll(async () => {
    other.services.jobRunner.stop();
    await other.services.jobRunner.idle();
    other.services.backend.close();
  });

  it('has that instance update the card, after each batch and at the end, from the conversation stored with the job', async () => {
    const [reply] = await say(`add numbers contoso\n${pasteFrom(7000)}`);
    expect(cardText(reply!)).toContain('"title":"State","value":"Waiting to start"');
    other.services.jobRunner.kick();
    await other.services.jobRunner.idle();
    expect(world.bot.updates).toEqual([]);
    expect(otherBot.updates.map((update) => update.id)).toEqual([reply!.id, reply!.id, reply!.id]);
    expect(otherBot.updates.map((update) => progressOf(cardOf(update)))).toEqual(['500 of 1,200', '1,000 of 1,200', '1,200 of 1,200']);
    expectFinal(cardOf(otherBot.updates[2]!));
    expect(otherBot.references[0]).toMatchObject({ channelId: 'msteams', conversation: { id: reply!.conversation!.id } });
  });
});
