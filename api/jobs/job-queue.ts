import { ObjectId, type Collection } from 'mongodb';
import { actorOf, storedCallerOf, type Caller } from '../auth/caller';
import { ConflictError, NotFoundError } from '../errors';
import { requireRole } from '../members/member-role';
import { parseObjectId } from '../shared/object-id';
import { skipOf, type Page, type Paging } from '../shared/paging';
import type { JobDocument, JobFollowUp, JobInputDocument, JobInputRow, JobOutcomeDocument } from './job-document';
import type { JobRowView, JobView } from './job-schemas';
import { csvStream, type CsvOutputColumn } from '../csv/csv-writer';

/**
 * Rows per stored batch: a batch is worked with a handful of round trips
 * (a look-up, a bulk write, its outcomes, the job's progress), so MongoDB sees
 * under one round trip per 1,000 rows.
 */
export const JOB_BATCH_ROWS = 5_000;

export interface NewJob {
  kind: string;
  customerId?: ObjectId;
  /** The customer's name as the partner sees it, kept with the job for its lists. */
  customerLabel?: string;
  rows: readonly JobInputRow[];
  params?: Record<string, unknown>;
  /** Every outcome of the kind, so a new job shows each at 0. */
  outcomes: readonly string[];
  /** The outcomes that mean a row went as asked (none: every row is a "failed row"). */
  successOutcomes?: readonly string[];
  /** What a row's input is, in the product's words; "Input" when unsaid. */
  inputLabel?: string;
  fileName?: string | undefined;
}

/** Starts jobs and answers on them, scoped to the caller's partner. */
export class JobQueue {
  constructor(
    private readonly collections: {
      jobs: Collection<JobDocument>;
      inputs: Collection<JobInputDocument>;
      outcomes: Collection<JobOutcomeDocument>;
    },
    /** Called once a job is queued: the runner of this process looks for work at once. */
    private readonly onQueued: () => void = () => undefined,
    /** Rows per stored batch (JOB_BATCH_ROWS). */
    private readonly batchRows = JOB_BATCH_ROWS,
    /** Called with a job that ended before any runner claimed it (cancelled while queued): JobRunner.ended. */
    private readonly onEnded: (job: JobDocument) => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Stores the job and its input (one insertMany of its batches), queued for any process to run. */
  async enqueue(caller: Caller, job: NewJob): Promise<JobDocument> {
    const { batchRows } = this;
    const document = newJobDocument(caller, job, new ObjectId(), job.rows.length, Math.ceil(job.rows.length / batchRows));
    const inputs: JobInputDocument[] = [];
    for (let batch = 0; batch * batchRows < job.rows.length; batch++) {
      const start = batch * batchRows;
      inputs.push({
        _id: new ObjectId(),
        jobId: document._id,
        batch,
        firstRow: start + 1,
        rows: job.rows.slice(start, start + batchRows),
      });
    }
    // The input first: a runner that claims the job always finds all of it.
    if (inputs.length > 0) await this.collections.inputs.insertMany(inputs);
    await this.collections.jobs.insertOne(document);
    this.onQueued();
    return document;
  }

  /**
   * Stores a job whose rows arrive as they are read (an imported file): each
   * batch of its input is written once it is full (one insertOne a batch), so
   * no more than a batch is held, and the job itself once all of them are in.
   * Rows that fail to arrive (a problem further down the file) leave no job;
   * the batches written before are deleted (and, if the process stops first,
   * are input no job points to).
   */
  async enqueueRows(caller: Caller, job: Omit<NewJob, 'rows'>, rows: AsyncIterable<JobInputRow>): Promise<JobDocument> {
    const jobId = new ObjectId();
    let batch: JobInputRow[] = [];
    let batches = 0;
    let total = 0;
    const store = async () => {
      await this.collections.inputs.insertOne({ _id: new ObjectId(), jobId, batch: batches, firstRow: total - batch.length + 1, rows: batch });
      batches++;
      batch = [];
    };
    try {
      for await (const row of rows) {
        batch.push(row);
        total++;
        if (batch.length === this.batchRows) await store();
      }
      if (batch.length > 0) await store();
    } catch (error) {
      // The file's problem is the answer; a batch left behind (the delete failed) is input no job points to.
      if (batches > 0) await this.collections.inputs.deleteMany({ jobId }).catch(() => undefined);
      throw error;
    }
    const document = newJobDocument(caller, job, jobId, total, batches);
    await this.collections.jobs.insertOne(document);
    this.onQueued();
    return document;
  }

  async get(caller: Caller, jobId: string): Promise<JobView> {
    return toJobView(await this.require(caller, jobId));
  }

  async list(caller: Caller, paging: Paging): Promise<Page<JobView>> {
    const filter = { partnerId: caller.partnerId };
    const [documents, total] = await Promise.all([
      this.collections.jobs
        .find(filter, { projection: { lease: 0, followUp: 0 } })
        .sort({ createdAt: -1, _id: -1 })
        .skip(skipOf(paging))
        .limit(paging.pageSize)
        .toArray(),
      this.collections.jobs.countDocuments(filter),
    ]);
    return { items: documents.map(toJobView), total, ...paging };
  }

  /**
   * The outcomes of a job's rows, in row order, maybe of one outcome only (or
   * the failed ones): the batches' counts tell which batches hold the page, and
   * only those are read, with their input (four round trips at any size).
   */
  async rows(caller: Caller, jobId: string, query: Paging & RowChoice): Promise<Page<JobRowView>> {
    const job = await this.require(caller, jobId);
    const wanted = rowTest(job, query);
    const batches = await this.collections.outcomes
      .find({ jobId: job._id, batch: { $lt: job.nextBatch } }, { projection: { batch: 1, counts: 1 } })
      .sort({ batch: 1 })
      .toArray();
    const matching = batches.map((b) => Object.entries(b.counts).reduce((sum, [outcome, n]) => sum + (wanted(outcome) ? n : 0), 0));
    const total = matching.reduce((sum, n) => sum + n, 0);
    const skip = skipOf(query);
    const end = skip + query.pageSize;
    const holding: number[] = [];
    let before = 0;
    let skipInFirst = 0;
    batches.forEach((b, index) => {
      const count = matching[index]!;
      if (count > 0 && before + count > skip && before < end) {
        if (holding.length === 0) skipInFirst = skip - before;
        holding.push(b.batch);
      }
      before += count;
    });
    const items: JobRowView[] = [];
    if (holding.length > 0) {
      const rows = await this.rowsOf(job, holding, wanted);
      items.push(...rows.slice(skipInFirst, skipInFirst + query.pageSize));
    }
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  /**
   * The rows that did not go as asked (or those of one outcome) as a CSV
   * file, streamed batch by batch: input (under the job's input label, so a
   * failed numbers file imports again once fixed), outcome, message, line, row.
   */
  async exportRows(caller: Caller, jobId: string, query: { outcome?: string | undefined }) {
    const job = await this.require(caller, jobId);
    const wanted = rowTest(job, { outcome: query.outcome, failed: !query.outcome });
    const batches = await this.collections.outcomes
      .find({ jobId: job._id, batch: { $lt: job.nextBatch } }, { projection: { batch: 1, counts: 1 } })
      .sort({ batch: 1 })
      .toArray();
    const holding = batches.filter((b) => Object.entries(b.counts).some(([outcome, n]) => n > 0 && wanted(outcome))).map((b) => b.batch);
    const rowsOf = (batch: number) => this.rowsOf(job, [batch], wanted);
    async function* rows() {
      // One batch at a time: memory holds at most one batch's rows.
      for (const batch of holding) yield* await rowsOf(batch);
    }
    const columns: CsvOutputColumn<JobRowView>[] = [
      { header: job.inputLabel ?? 'Input', cell: (r) => r.input },
      { header: 'Outcome', cell: (r) => r.outcome },
      { header: 'Message', cell: (r) => r.message },
      { header: 'Line', cell: (r) => r.line },
      { header: 'Row', cell: (r) => r.row },
    ];
    const stem = (job.fileName ?? job.kind).replace(/\.csv$/i, '');
    return {
      fileName: `${stem}-${query.outcome ?? 'failed'}-rows.csv`,
      stream: csvStream(columns, rows()),
    };
  }

  /** The rows of some batches whose outcome passes `wanted`, in row order, with their input. */
  private async rowsOf(job: JobDocument, batches: number[], wanted: (outcome: string) => boolean): Promise<JobRowView[]> {
    const [outcomes, inputs] = await Promise.all([
      this.collections.outcomes.find({ jobId: job._id, batch: { $in: batches } }).sort({ batch: 1 }).toArray(),
      this.collections.inputs.find({ jobId: job._id, batch: { $in: batches } }).toArray(),
    ]);
    const inputOf = new Map(inputs.map((input) => [input.batch, input]));
    const rows: JobRowView[] = [];
    for (const recorded of outcomes) {
      const input = inputOf.get(recorded.batch);
      recorded.rows.forEach(({ outcome, message }, index) => {
        if (!wanted(outcome)) return;
        const data = input?.rows[index];
        rows.push({
          row: recorded.firstRow + index,
          line: typeof data?.line === 'number' ? data.line : null,
          input: data?.input ?? '',
          outcome,
          message: message ?? null,
        });
      });
    }
    return rows;
  }

  /**
   * Stores where to report the job (the bot's card), and answers the job as it
   * is now: a job that ended before the note was stored is the client's to
   * report at once.
   */
  async follow(caller: Caller, jobId: string, followUp: JobFollowUp): Promise<JobDocument> {
    const job = await this.require(caller, jobId);
    const followed = await this.collections.jobs.findOneAndUpdate({ _id: job._id }, { $set: { followUp } }, { returnDocument: 'after' });
    return followed ?? job;
  }

  /** The jobs the caller started, newest first (the bot's `jobs`). */
  async listMine(caller: Caller, limit: number): Promise<JobView[]> {
    const documents = await this.collections.jobs
      .find({ partnerId: caller.partnerId, 'startedBy.oid': caller.userId }, { projection: { lease: 0, followUp: 0 } })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .toArray();
    return documents.map(toJobView);
  }

  /**
   * Stops the job between batches: a queued job is cancelled at once, a
   * running one after the batch under way (what was done stays done).
   */
  async cancel(caller: Caller, jobId: string): Promise<JobView> {
    requireRole(caller, 'operator');
    const job = await this.require(caller, jobId);
    const now = new Date();
    const by = actorOf(caller);
    if (job.state === 'queued') {
      const cancelled = await this.collections.jobs.findOneAndUpdate(
        { _id: job._id, state: 'queued' },
        { $set: { state: 'cancelled', finishedAt: now, cancelRequested: { at: now, by } } },
        { returnDocument: 'after' },
      );
      if (cancelled) {
        // No runner holds it, so none tells of its end: its bot card and alerts hear of it from here.
        await this.onEnded(cancelled);
        return toJobView(cancelled);
      }
    }
    const running = await this.collections.jobs.findOneAndUpdate(
      { _id: job._id, state: { $in: ['queued', 'running'] } },
      { $set: { cancelRequested: { at: now, by } } },
      { returnDocument: 'after' },
    );
    if (running) return toJobView(running);
    const ended = (await this.collections.jobs.findOne({ _id: job._id })) ?? job;
    throw new ConflictError('job_ended', `The job has ended already (${ended.state}); there is nothing to cancel`);
  }

  private async require(caller: Caller, jobId: string): Promise<JobDocument> {
    const id = parseObjectId(jobId);
    const job = id ? await this.collections.jobs.findOne({ _id: id, partnerId: caller.partnerId }) : null;
    if (!job) throw new NotFoundError('No such job');
    return job;
  }
}

/** A queued job of `total` rows stored in `batches` batches of input. */
function newJobDocument(caller: Caller, job: Omit<NewJob, 'rows'>, id: ObjectId, total: number, batches: number): JobDocument {
  return {
    _id: id,
    partnerId: caller.partnerId,
    kind: job.kind,
    ...(job.customerId ? { customerId: job.customerId } : {}),
    ...(job.customerLabel ? { customerLabel: job.customerLabel } : {}),
    startedBy: storedCallerOf(caller),
    state: 'queued',
    total,
    done: 0,
    outcomes: Object.fromEntries(job.outcomes.map((outcome) => [outcome, 0])),
    batches,
    nextBatch: 0,
    params: job.params ?? {},
    successOutcomes: [...(job.successOutcomes ?? [])],
    inputLabel: job.inputLabel ?? 'Input',
    ...(job.fileName ? { fileName: job.fileName } : {}),
    createdAt: new Date(),
  };
}

/** Which rows a caller asks for: one outcome, the failed ones (not a success outcome of the job), or all. */
interface RowChoice {
  outcome?: string | undefined;
  failed?: boolean | undefined;
}

function rowTest(job: JobDocument, choice: RowChoice): (outcome: string) => boolean {
  if (choice.outcome) return (outcome) => outcome === choice.outcome;
  if (choice.failed) return (outcome) => !(job.successOutcomes ?? []).includes(outcome);
  return () => true;
}

export function toJobView(job: JobDocument): JobView {
  const { role: _role, partnerName: _partner, ...startedBy } = job.startedBy;
  return {
    id: job._id.toHexString(),
    kind: job.kind,
    customerId: job.customerId?.toHexString() ?? null,
    customerLabel: job.customerLabel ?? null,
    state: job.state,
    total: job.total,
    done: job.done,
    outcomes: job.outcomes,
    startedBy,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    cancelRequested: job.cancelRequested !== undefined,
    successOutcomes: job.successOutcomes ?? [],
    inputLabel: job.inputLabel ?? 'Input',
    fileName: job.fileName ?? null,
    error: job.error ?? null,
  };
}
