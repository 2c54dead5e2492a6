import { CsvFileError } from '../../../api/csv/csv-errors';
import { JobQueue } from '../../../api/jobs/job-queue';
import { startTestApp, type TestApp } from '../../support/test-app';

describe('a job whose rows arrive as a file is read', () => {
  let t: TestApp;
  let queue: JobQueue;
  beforeAll(async () => {
    t = await startTestApp();
    // Batches of 2 rows, and no runner told of new jobs: the test reads what is stored.
    queue = new JobQueue({ jobs: t.database.jobs, inputs: t.database.jobInputs, outcomes: t.database.jobOutcomes }, () => undefined, 2);
  });
  afterAll(() => t.close());

  const job = { kind: 'test.rows', outcomes: ['done'], inputLabel: 'Number', fileName: 'rows.csv' };
  const row = (n: number) => ({ input: `row ${n}`, line: n + 1 });

  it('stores each batch of input once it is full, before the rest has arrived, and the job once all of it is in', async () => {
    let reachedGate: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (reachedGate = resolve));
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    async function* arriving() {
      yield* [row(1), row(2), row(3)];
      reachedGate();
      await gate;
      yield* [row(4), row(5)];
    }
    const stored = queue.enqueueRows(t.callerA, job, arriving());
    await reached;
    const early = await t.database.jobInputs.find({}).toArray();
    expect(early.map(({ batch, firstRow, rows }) => ({ batch, firstRow, rows }))).toEqual([{ batch: 0, firstRow: 1, rows: [row(1), row(2)] }]);
    expect(await t.database.jobs.countDocuments({})).toBe(0);

    openGate();
    const queued = await stored;
    expect(queued).toMatchObject({ state: 'queued', total: 5, batches: 3, nextBatch: 0, fileName: 'rows.csv', outcomes: { done: 0 } });
    const inputs = await t.database.jobInputs.find({ jobId: queued._id }).sort({ batch: 1 }).toArray();
    expect(inputs.map(({ batch, firstRow, rows }) => ({ batch, firstRow, rows }))).toEqual([
      { batch: 0, firstRow: 1, rows: [row(1), row(2)] },
      { batch: 1, firstRow: 3, rows: [row(3), row(4)] },
      { batch: 2, firstRow: 5, rows: [row(5)] },
    ]);
    expect(await t.database.jobs.countDocuments({ _id: queued._id })).toBe(1);
  });

  it('keeps no job, and none of its input, when the rows stop with a problem', async () => {
    await t.database.jobInputs.deleteMany({});
    await t.database.jobs.deleteMany({});
    async function* arriving() {
      yield* [row(1), row(2), row(3), row(4), row(5)];
      throw new CsvFileError('csv_too_many_cells', 'Line 7 has 3 cells but the header has 2 columns', 7);
    }
    await expect(queue.enqueueRows(t.callerA, job, arriving())).rejects.toMatchObject({ code: 'csv_too_many_cells' });
    expect(await t.database.jobInputs.countDocuments({})).toBe(0);
    expect(await t.database.jobs.countDocuments({})).toBe(0);
  });
});
