import type { CommandStartedEvent } from 'mongodb';
import { NUMBER_ADD_JOB } from '../../../api/numbers/number-service';
import { createCustomer, PARTNER_B, startTestApp, type TestApp } from '../../support/test-app';

/** `count` distinct valid NANP numbers from +1 212 200 0000 on. */
const numbersFrom = (start: number, count: number) =>
  Array.from({ length: count }, (_, i) => `+1212${String(2_000_000 + start + i).padStart(7, '0')}`);

describe('a paste of more than 1,000 numbers is added by a job', () => {
  let t: TestApp;
  let customer: string;
  let other: string;
  beforeAll(async () => {
    t = await startTestApp();
    customer = await createCustomer(t, { name: 'Contoso' });
    other = await createCustomer(t, { name: 'Fabrikam' });
  });
  afterAll(() => t.close());

  const idle = () => t.app.services.jobRunner.idle();

  it('answers up to 1,000 numbers at once, as before', async () => {
    const response = await t.request('POST', `/api/v1/customers/${other}/numbers`, {
      body: { numbers: numbersFrom(0, 1000).join('\n') },
    });
    expect(response.status).toBe(200);
    expect(response.body.summary.added).toBe(1000);
    expect(await t.database.jobs.countDocuments({})).toBe(0);
  });

  it('answers 202 with the job and its Location, and the job adds every row with the paste rules', async () => {
    // 1,198 new numbers, one already at Fabrikam, one listed twice, one that is no number.
    const pasted = [...numbersFrom(5000, 1198), numbersFrom(0, 1)[0]!, numbersFrom(5000, 1)[0]!, '12345'];
    const response = await t.request('POST', `/api/v1/customers/${customer}/numbers`, { body: { numbers: pasted.join('\n') } });
    expect(response.status).toBe(202);
    const job = response.body.job;
    expect(response.headers.get('location')).toBe(`/api/v1/jobs/${job.id}`);
    expect(job).toMatchObject({ kind: NUMBER_ADD_JOB, customerId: customer, total: 1201, startedBy: { oid: 'user-1', name: 'Test User' } });
    expect(['queued', 'running']).toContain(job.state);
    await idle();

    const done = await t.request('GET', `/api/v1/jobs/${job.id}`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      state: 'done',
      done: 1201,
      total: 1201,
      outcomes: { added: 1198, 'already-present': 1, 'owned-elsewhere': 1, invalid: 1 },
      cancelRequested: false,
      error: null,
    });
    expect(done.body.finishedAt).not.toBeNull();

    const failed = await t.request('GET', `/api/v1/jobs/${job.id}/rows?outcome=invalid`);
    expect(failed.body).toEqual({
      items: [{ row: 1201, line: null, input: '12345', outcome: 'invalid', message: expect.stringMatching(/.+/) }],
      total: 1,
      page: 1,
      pageSize: 25,
    });
    const twice = await t.request('GET', `/api/v1/jobs/${job.id}/rows?outcome=already-present`);
    expect(twice.body.items).toEqual([{ row: 1200, line: null, input: numbersFrom(5000, 1)[0], outcome: 'already-present', message: 'listed more than once' }]);
    const page = await t.request('GET', `/api/v1/jobs/${job.id}/rows?page=2&pageSize=200`);
    expect(page.body.items).toHaveLength(200);
    expect(page.body.items[0].row).toBe(201);
    expect(page.body.total).toBe(1201);

    // On the customer's list and count, and one audit entry for the whole job.
    const details = await t.request('GET', `/api/v1/customers/${customer}`);
    expect(details.body.numberCount).toBe(1198);
    expect((await t.request('GET', `/api/v1/customers/${customer}/numbers?pageSize=1`)).body.total).toBe(1198);
    const entries = (await t.database.audit.find({ action: 'numbers.added' }).toArray()).filter((e) => e.details?.jobId === job.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toEqual({ count: 1198, jobId: job.id });

    const list = await t.request('GET', '/api/v1/jobs');
    expect(list.body.items.map((j: { id: string }) => j.id)).toContain(job.id);
  });

  it("keeps each partner to its own jobs: another partner's job is 404", async () => {
    const response = await t.request('POST', `/api/v1/customers/${customer}/numbers`, {
      body: { numbers: numbersFrom(9000, 1001).join('\n') },
    });
    await idle();
    const id = response.body.job.id;
    const tokenB = await t.tokenFor(PARTNER_B.tenantId);
    for (const [method, path] of [
      ['GET', `/api/v1/jobs/${id}`],
      ['GET', `/api/v1/jobs/${id}/rows`],
      ['POST', `/api/v1/jobs/${id}/cancel`],
    ] as const) {
      const refused = await t.request(method, path, { token: tokenB });
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('not_found');
    }
    expect((await t.request('GET', '/api/v1/jobs', { token: tokenB })).body.items).toEqual([]);
    expect((await t.request('GET', '/api/v1/jobs/not-an-id')).status).toBe(404);
    expect((await t.request('POST', `/api/v1/jobs/${id}/cancel`)).status).toBe(409);
  });

  it('comes out the same when a runner died after writing numbers and before recording them: no row twice, the count right', async () => {
    // One of the rows adds back a number whose removal is pending: it is restored, not inserted.
    const [restored] = numbersFrom(30_000, 1);
    await t.app.services.numbers.add(t.callerA, other, [restored!]);
    await t.app.services.numberRemoval.remove(t.callerA, other, [restored!], 'retain');
    const response = await t.request('POST', `/api/v1/customers/${other}/numbers`, {
      body: { numbers: [...numbersFrom(20_000, 1499), restored].join('\n') },
    });
    await idle();
    const id = response.body.job.id;
    const before = (await t.request('GET', `/api/v1/customers/${other}`)).body.numberCount;
    // Back to how it stood when its runner died: numbers written, nothing of the job recorded.
    const job = (await t.database.jobs.findOne({ kind: NUMBER_ADD_JOB, total: 1500 }))!;
    await t.database.jobOutcomes.deleteMany({ jobId: job._id });
    await t.database.jobs.updateOne(
      { _id: job._id },
      {
        $set: {
          state: 'running',
          done: 0,
          nextBatch: 0,
          outcomes: { added: 0, 'already-present': 0, 'owned-elsewhere': 0, invalid: 0 },
          lease: { owner: 'dead-process', until: new Date(Date.now() - 1000) },
        },
        $unset: { finishedAt: '' },
      },
    );
    // A wrong count, as a batch counted twice would leave it.
    await t.database.customers.updateOne({ _id: job.customerId }, { $inc: { numberCount: 1500 } });
    t.app.services.jobRunner.kick();
    await idle();
    const again = await t.request('GET', `/api/v1/jobs/${id}`);
    expect(again.body).toMatchObject({ state: 'done', done: 1500, outcomes: { added: 1500, 'already-present': 0 } });
    expect((await t.request('GET', `/api/v1/jobs/${id}/rows?outcome=added&pageSize=1`)).body.total).toBe(1500);
    expect((await t.request('GET', `/api/v1/customers/${other}`)).body.numberCount).toBe(before);
  });
});

describe('the round trips of an add job', () => {
  let t: TestApp;
  let customer: string;
  beforeAll(async () => {
    // A database of its own, so the embedded one's writes stay quick; a lease long enough that no
    // heartbeat (a round trip per lease/3 of time, not per row) falls in the count.
    t = await startTestApp({ settings: { JOB_LEASE_SECONDS: 600 } });
    customer = await createCustomer(t, { name: 'Contoso' });
  });
  afterAll(() => t.close());

  const idle = () => t.app.services.jobRunner.idle();

  it('talks to MongoDB a constant number of times plus at most one per 1,000 rows', async () => {
    const commands: string[] = [];
    const listen = (event: CommandStartedEvent) => commands.push(event.commandName);
    const measure = async (start: number, count: number) => {
      commands.length = 0;
      t.database.client.on('commandStarted', listen);
      let response;
      try {
        response = await t.request('POST', `/api/v1/customers/${customer}/numbers`, {
          body: { numbers: numbersFrom(start, count).join('\n') },
        });
        expect(response.status).toBe(202);
        await idle();
      } finally {
        t.database.client.off('commandStarted', listen);
      }
      return [...commands];
    };
    // One batch, and two (a batch is 5,000 rows): the data stays small for the embedded database.
    const small = await measure(100_000, 1_001);
    const large = await measure(200_000, 6_000);
    // Each batch of 5,000 rows is four round trips: the $in look-up, one insertMany of numbers, one
    // of the rows' outcomes, and the job's progress (findAndModify).
    expect(large.length - small.length).toBeLessThanOrEqual(Math.floor((6_000 - 1_001) / 1_000));
    expect(small.length).toBeLessThanOrEqual(CONSTANT_ROUND_TRIPS + Math.floor(1_001 / 1_000));
    expect(large.length).toBeLessThanOrEqual(CONSTANT_ROUND_TRIPS + Math.floor(6_000 / 1_000));
    expect(large.filter((name) => name === 'insert')).toHaveLength(small.filter((name) => name === 'insert').length + 2);
  });
});

/**
 * Round trips of a job whatever its size, with its first batch: the request (partner, member, customer,
 * the input, the job), the claim (its update, its confirmation and the holder read back) and the runner's looks for more work, the customer again and the input
 * cursor, one batch's four, and the end (the count, the audit entry, the job's state).
 */
const CONSTANT_ROUND_TRIPS = 20;

describe('a removal of more than 1,000 numbers is done by a job', () => {
  let t: TestApp;
  let customer: string;
  beforeAll(async () => {
    t = await startTestApp();
    customer = await createCustomer(t, { name: 'Contoso' });
    await t.app.services.numbers.add(t.callerA, customer, numbersFrom(0, 1100));
  });
  afterAll(() => t.close());

  it('answers 202 with the job; the job removes each present number once, counts, audits, and starts the clean-up sync', async () => {
    // 1,099 present, one listed twice, one not on the customer, one no number.
    const inputs = [...numbersFrom(0, 1099), numbersFrom(0, 1)[0]!, numbersFrom(9000, 1)[0]!, 'nope'];
    const response = await t.request('POST', `/api/v1/customers/${customer}/numbers/remove`, { body: { numbers: inputs, mode: 'retain' } });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/api/v1/jobs/${response.body.job.id}`);
    await t.app.services.jobRunner.idle();
    const job = await t.request('GET', `/api/v1/jobs/${response.body.job.id}`);
    expect(job.body).toMatchObject({ state: 'done', kind: 'numbers.remove', outcomes: { removed: 1099, 'not-found': 2, invalid: 1 } });
    const twice = await t.request('GET', `/api/v1/jobs/${response.body.job.id}/rows?outcome=not-found`);
    expect(twice.body.items.map((r: { message: string }) => r.message)).toEqual(['listed more than once', 'not on this customer']);
    expect((await t.request('GET', `/api/v1/customers/${customer}`)).body).toMatchObject({ numberCount: 1, pendingRemovals: 1099 });
    const entries = (await t.database.audit.find({ action: 'numbers.removed' }).toArray()).filter((e) => e.details?.jobId === job.body.id);
    expect(entries.map((e) => e.details)).toEqual([{ mode: 'retain', count: 1099, jobId: job.body.id }]);
    await t.app.services.sync.idle();
    const runs = await t.request('GET', `/api/v1/customers/${customer}/sync-runs`);
    expect(runs.body.items[0]).toMatchObject({ trigger: 'after-remove' });
  });
});
