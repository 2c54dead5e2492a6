import { ObjectId, type Collection, type Filter } from 'mongodb';
import { actorOf, type Caller } from '../auth/caller';
import { ConflictError, NotFoundError } from '../errors';
import { requireRole } from '../members/member-role';
import { parseObjectId } from '../shared/object-id';
import { skipOf, type Page, type Paging } from '../shared/paging';
import type { JobDocument, JobFollowUp, JobInputDocument, JobInputRow, JobRowDocument } from './job-document';
import type { JobView } from './job-schemas';
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
      rows: Collection<JobRowDocument>;
    },
    /** Called once a job is queued: the runner of this process looks for work at once. */
    private readonly onQueued: () => void = () => undefined,
    /** Rows per stored batch (JOB_BATCH_ROWS). */
    private readonly batchRows = JOB_BATCH_ROWS,
  ) {}

  /** Stores the job and its input (one insertMany of its batches), queued for any process to run. */
  async enqueue(caller: Caller, job: NewJob): Promise<JobDocument> {
    const now = new Date();
    const { batchRows } = this;
    const document: JobDocument = {
      _id: new ObjectId(),
      partnerId: caller.partnerId,
      kind: job.kind,
      ...(job.customerId ? { customerId: job.customerId } : {}),
      ...(job.customerLabel ? { customerLabel: job.customerLabel } : {}),
      startedBy: { ...actorOf(caller), role: caller.role, partnerName: caller.partnerName },
      state: 'queued',
      total: job.rows.length,
      done: 0,
      outcomes: Object.fromEntries(job.outcomes.map((outcome) => [outcome, 0])),
      batches: Math.ceil(job.rows.length / batchRows),
      nextBatch: 0,
      params: job.params ?? {},
      successOutcomes: [...(job.successOutcomes ?? [])],
      inputLabel: job.inputLabel ?? 'Input',
      ...(job.fileName ? { fileName: job.fileName } : {}),
      createdAt: now,
    };
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

  /** The outcomes of a job's rows, in row order, maybe of one outcome only. */
  async rows(caller: Caller, jobId: string, query: Paging & { outcome?: string | undefined; failed?: boolean | undefined }) {
    const job = await this.require(caller, jobId);
    const filter = rowFilter(job, query);
    const paging = { page: query.page, pageSize: query.pageSize };
    const [documents, total] = await Promise.all([
      this.collections.rows.find(filter).sort({ row: 1 }).skip(skipOf(paging)).limit(paging.pageSize).toArray(),
      this.collections.rows.countDocuments(filter),
    ]);
    return {
      items: documents.map(toJobRowView),
      total,
      ...paging,
    };
  }

  /**
   * The rows that did not go as asked (or those of one outcome) as a CSV
   * file, streamed from a cursor: row, line, input (under the job's input label,
   * so a failed numbers file imports again once fixed), outcome, message.
   */
  async exportRows(caller: Caller, jobId: string, query: { outcome?: string | undefined }) {
    const job = await this.require(caller, jobId);
    const cursor = this.collections.rows.find(rowFilter(job, { outcome: query.outcome, failed: !query.outcome })).sort({ row: 1 }).batchSize(1_000);
    const columns: CsvOutputColumn<JobRowDocument>[] = [
      { header: job.inputLabel ?? 'Input', cell: (r) => r.input },
      { header: 'Outcome', cell: (r) => r.outcome },
      { header: 'Message', cell: (r) => r.message },
      { header: 'Line', cell: (r) => r.line },
      { header: 'Row', cell: (r) => r.row },
    ];
    const stem = (job.fileName ?? job.kind).replace(/\.csv$/i, '');
    return {
      fileName: `${stem}-${query.outcome ?? 'failed'}-rows.csv`,
      stream: csvStream(columns, cursor),
    };
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
      if (cancelled) return toJobView(cancelled);
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

function rowFilter(job: JobDocument, query: { outcome?: string | undefined; failed?: boolean | undefined }): Filter<JobRowDocument> {
  if (query.outcome) return { jobId: job._id, outcome: query.outcome };
  if (query.failed) return { jobId: job._id, outcome: { $nin: job.successOutcomes ?? [] } };
  return { jobId: job._id };
}

function toJobRowView(row: JobRowDocument) {
  return { row: row.row, line: row.line ?? null, input: row.input, outcome: row.outcome, message: row.message ?? null };
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
