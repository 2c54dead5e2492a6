import { ObjectId } from 'mongodb';
import type { Caller } from '../../../api/auth/caller';
import type { JobDocument } from '../../../api/jobs/job-document';
import { leaseClaimCollection } from '../../../api/leases/leases';
import type { JobKind, JobRow, RowOutcome } from '../../../api/jobs/job-kind';
import { JobRunner } from '../../../api/jobs/job-runner';
import { createLogger } from '../../../api/logging/logger';
import { startTestApp, type TestApp } from '../../support/test-app';

/**
 * A kind of job for the runner's own tests: each row's outcome is "even" or
 * "odd" by its input; `gate` holds a batch until the test lets it go, so the
 * test can act between batches.
 */
class CountingKind implements JobKind<{ input: string }, string> {
  readonly kind = 'test.counting';
  readonly outcomes = ['even', 'odd'];
  readonly worked: number[][] = [];
  finished = 0;
  /** Set: the batch holding this row fails. */
  failAt: number | undefined;
  gate: Promise<void> | undefined;

  async prepare(job: JobDocument): Promise<string> {
    return job._id.toHexString();
  }

  async runBatch(_job: JobDocument, _caller: Caller, rows: JobRow<{ input: string }>[]): Promise<RowOutcome[]> {
    this.worked.push(rows.map((r) => r.row));
    await this.gate;
    if (this.failAt !== undefined && rows.some((r) => r.row === this.failAt)) throw new Error('the backend went away');
    return rows.map(({ data }) => (Number(data.input) % 2 === 0 ? { outcome: 'even' } : { outcome: 'odd', message: `${data.input} is odd` }));
  }

  async finish(): Promise<void> {
    this.finished += 1;
  }
}

const rowsOf = (count: number) => Array.from({ length: count }, (_, i) => ({ input: String(i + 1) }));

describe('the job runner', () => {
  let t: TestApp;
  let kind: CountingKind;
  const runners: JobRunner[] = [];
  const runner = (leaseSeconds = 30) => {
    const made = new JobRunner(
      { jobs: t.database.jobs, inputs: t.database.jobInputs, outcomes: t.database.jobOutcomes, claims: leaseClaimCollection.of(t.database.db) },
      { leaseSeconds, pollMs: 50, concurrency: 2 },
      createLogger('silent'),
    );
    made.register(kind);
    runners.push(made);
    return made;
  };

  beforeAll(async () => {
    // Batches of 4 rows, so a few rows make several batches.
    t = await startTestApp({ settings: { JOB_BATCH_ROWS: 4 } });
    // The app's own runner stays out of these tests' way.
    t.app.services.jobRunner.stop();
  });
  afterAll(() => t.close());
  beforeEach(() => {
    kind = new CountingKind();
  });
  afterEach(async () => {
    for (const made of runners.splice(0)) {
      made.stop();
      await made.idle();
    }
  });

  const enqueue = (count: number) =>
    t.app.services.jobs.enqueue(t.callerA, { kind: kind.kind, rows: rowsOf(count), outcomes: kind.outcomes });
  const jobOf = async (id: ObjectId) => (await t.database.jobs.findOne({ _id: id }))!;
  /** The job's rows as the API pages them. */
  const rowsOfJob = async (id: ObjectId, choice: { outcome?: string; failed?: boolean; page?: number; pageSize?: number } = {}) =>
    t.app.services.jobs.rows(t.callerA, id.toHexString(), { page: 1, pageSize: 200, ...choice });
  /** A batch's outcomes as a runner records them. */
  const recorded = (job: { _id: ObjectId; partnerId: ObjectId }, batch: number, outcomes: string[]) => ({
    _id: new ObjectId(),
    jobId: job._id,
    partnerId: job.partnerId,
    batch,
    firstRow: batch * 4 + 1,
    rows: outcomes.map((outcome) => ({ outcome })),
    counts: outcomes.reduce<Record<string, number>>((counts, o) => ({ ...counts, [o]: (counts[o] ?? 0) + 1 }), {}),
  });

  it('works every batch once, records each row and counts the outcomes, then finishes', async () => {
    const job = await enqueue(10);
    expect(job).toMatchObject({ state: 'queued', total: 10, done: 0, batches: 3, outcomes: { even: 0, odd: 0 } });
    const one = runner();
    one.kick();
    await one.idle();
    expect(kind.worked).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
    expect(kind.finished).toBe(1);
    const done = await jobOf(job._id);
    expect(done).toMatchObject({ state: 'done', done: 10, nextBatch: 3, outcomes: { even: 5, odd: 5 } });
    expect(done.lease).toBeUndefined();
    expect(done.startedAt).toBeInstanceOf(Date);
    expect(done.finishedAt).toBeInstanceOf(Date);
    // One outcome document a batch, not one a row.
    expect(await t.database.jobOutcomes.countDocuments({ jobId: job._id })).toBe(3);
    const rows = (await rowsOfJob(job._id)).items;
    expect(rows.map((r) => [r.row, r.input, r.outcome, r.message])).toEqual(
      rowsOf(10).map(({ input }, i) => [i + 1, input, Number(input) % 2 === 0 ? 'even' : 'odd', Number(input) % 2 === 0 ? null : `${input} is odd`]),
    );
    // Pages of one outcome, across batches.
    const odd = await rowsOfJob(job._id, { outcome: 'odd', page: 2, pageSize: 2 });
    expect(odd).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(odd.items.map((r) => r.row)).toEqual([5, 7]);
    const lastOdd = await rowsOfJob(job._id, { outcome: 'odd', page: 3, pageSize: 2 });
    expect(lastOdd.items.map((r) => r.row)).toEqual([9]);
    const all = await rowsOfJob(job._id, { page: 2, pageSize: 3 });
    expect(all.items.map((r) => r.row)).toEqual([4, 5, 6]);
    expect((await rowsOfJob(job._id, { page: 5, pageSize: 3 })).items).toEqual([]);
  });

  it('runs a job in one process only, however many look for work', async () => {
    const job = await enqueue(8);
    const [a, b] = [runner(), runner()];
    a.kick();
    b.kick();
    await Promise.all([a.idle(), b.idle()]);
    expect(kind.worked.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await jobOf(job._id)).state).toBe('done');
  });

  it('leaves a job whose claim another process confirmed at the same moment, and runs it once the claim is free again', async () => {
    const job = await enqueue(4);
    // Another process confirmed claim 1 of this job (the emulator can hand one job to two claimers at once).
    await leaseClaimCollection.of(t.database.db).insertOne({ _id: `jobs:${job._id.toHexString()}:1`, owner: 'other', at: new Date() });
    const one = runner(1);
    one.kick();
    await one.idle();
    expect(kind.worked).toEqual([]);
    // That process is gone: once the lease runs out, the job is claimed again (claim 2) and run, once.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    one.kick();
    await one.idle();
    expect(kind.worked).toEqual([[1, 2, 3, 4]]);
    expect(await jobOf(job._id)).toMatchObject({ state: 'done', claims: 2, takenOver: true });
  });

  it('stops a cancelled job between batches, keeping what was done', async () => {
    let release!: () => void;
    kind.gate = new Promise((resolve) => (release = resolve));
    const job = await enqueue(12);
    const one = runner();
    one.kick();
    while (kind.worked.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const cancelled = await t.app.services.jobs.cancel(t.callerA, job._id.toHexString());
    expect(cancelled).toMatchObject({ state: 'running', cancelRequested: true });
    release();
    await one.idle();
    const stopped = await jobOf(job._id);
    expect(stopped).toMatchObject({ state: 'cancelled', done: 4, outcomes: { even: 2, odd: 2 } });
    expect(kind.worked).toHaveLength(1);
    expect(kind.finished).toBe(1);
    expect((await rowsOfJob(job._id)).total).toBe(4);
    await expect(t.app.services.jobs.cancel(t.callerA, job._id.toHexString())).rejects.toMatchObject({ status: 409, code: 'job_ended' });
  });

  it('cancels a queued job at once: nothing of it runs', async () => {
    const job = await enqueue(3);
    const finished: unknown[] = [];
    t.app.services.events.on(async (event) => {
      if (event.kind === 'job.finished' && event.jobId.equals(job._id)) finished.push(event);
    });
    expect(await t.app.services.jobs.cancel(t.callerA, job._id.toHexString())).toMatchObject({ state: 'cancelled', done: 0 });
    // No runner ended it, so the cancel tells of its end (alerts, the bot's card).
    expect(finished).toEqual([expect.objectContaining({ kind: 'job.finished', state: 'cancelled', total: 3 })]);
    const one = runner();
    one.kick();
    await one.idle();
    expect(kind.worked).toEqual([]);
  });

  it("takes over a job whose runner stopped, from the batch after its last recorded one, each row once", async () => {
    const job = await enqueue(10);
    // A runner claimed it, finished batch 0, recorded batch 1's outcomes but not its progress, and died: its lease ran out.
    await t.database.jobs.updateOne(
      { _id: job._id },
      {
        $set: {
          state: 'running',
          startedAt: new Date(),
          nextBatch: 1,
          done: 4,
          'outcomes.even': 2,
          'outcomes.odd': 2,
          lease: { owner: 'dead-process', until: new Date(Date.now() - 1000) },
        },
      },
    );
    await t.database.jobOutcomes.insertMany([recorded(job, 0, ['odd', 'even', 'odd', 'even']), recorded(job, 1, ['odd', 'even', 'odd', 'even'])]);
    const one = runner();
    one.kick();
    await one.idle();
    expect(kind.worked).toEqual([[5, 6, 7, 8], [9, 10]]);
    const done = await jobOf(job._id);
    expect(done).toMatchObject({ state: 'done', done: 10, takenOver: true, outcomes: { even: 5, odd: 5 } });
    const rows = (await rowsOfJob(job._id)).items;
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await t.database.jobOutcomes.countDocuments({ jobId: job._id })).toBe(3);
  });

  it("replaces a batch's rows that a runner which lost its claim wrote late, instead of failing", async () => {
    const job = await enqueue(4);
    await t.database.jobOutcomes.insertOne(recorded(job, 0, ['stale', 'stale']));
    const one = runner();
    one.kick();
    await one.idle();
    expect(await jobOf(job._id)).toMatchObject({ state: 'done', done: 4, outcomes: { even: 2, odd: 2 } });
    const rows = (await rowsOfJob(job._id)).items;
    expect(rows.map((r) => [r.row, r.outcome])).toEqual([
      [1, 'odd'],
      [2, 'even'],
      [3, 'odd'],
      [4, 'even'],
    ]);
  });

  it('leaves a job whose lease is still live to its runner', async () => {
    const job = await enqueue(4);
    await t.database.jobs.updateOne(
      { _id: job._id },
      { $set: { state: 'running', lease: { owner: 'live-process', until: new Date(Date.now() + 60_000) } } },
    );
    const one = runner();
    one.kick();
    await one.idle();
    expect(kind.worked).toEqual([]);
    await t.database.jobs.updateOne({ _id: job._id }, { $set: { state: 'done' }, $unset: { lease: '' } });
  });

  it('gives its job up on stop after the batch under way, and another runner goes on at once', async () => {
    let release!: () => void;
    kind.gate = new Promise((resolve) => (release = resolve));
    const job = await enqueue(8);
    const first = runner();
    first.kick();
    while (kind.worked.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    first.stop();
    release();
    await first.idle();
    expect((await jobOf(job._id)).nextBatch).toBe(1);
    kind.gate = undefined;
    const second = runner();
    second.kick();
    await second.idle();
    expect(kind.worked).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    expect(await jobOf(job._id)).toMatchObject({ state: 'done', done: 8 });
  });

  it('fails a job whose batch throws, keeping the batches before it, and still finishes it (counts set right)', async () => {
    kind.failAt = 6;
    const job = await enqueue(10);
    const one = runner();
    one.kick();
    await one.idle();
    expect(await jobOf(job._id)).toMatchObject({ state: 'failed', done: 4, error: 'The job stopped: the backend went away' });
    expect(kind.worked).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    expect(kind.finished).toBe(1);
    expect((await rowsOfJob(job._id)).total).toBe(4);
  });

  it('marks a job of a kind this portal cannot run as failed', async () => {
    const job = await t.app.services.jobs.enqueue(t.callerA, { kind: 'test.unknown', rows: rowsOf(1), outcomes: [] });
    const one = runner();
    one.kick();
    await one.idle();
    expect(await jobOf(job._id)).toMatchObject({ state: 'failed', error: 'This portal cannot run jobs of kind test.unknown' });
  });
});
