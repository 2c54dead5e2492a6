import { ObjectId, type Collection } from 'mongodb';
import { callerFromStored, type Caller } from '../auth/caller';
import type { Logger } from '../logging/logger';
import type { JobDocument, JobInputDocument, JobInputRow, JobOutcomeDocument } from './job-document';
import type { JobKind } from './job-kind';
import { isDuplicateKeyError } from '../storage/duplicate-key';
import { Leases, processOwner, type LeaseClaimDocument } from '../leases/leases';
import { LookLoop } from '../leases/look-loop';

export interface JobRunnerOptions {
  /** How long a claim lasts without renewal; a job whose runner stopped is taken over after it. */
  leaseSeconds: number;
  /** How often an idle runner looks for queued jobs and jobs whose runner stopped. */
  pollMs: number;
  /** Jobs one process runs at a time. */
  concurrency: number;
}

/**
 * Told of a job's progress and end, by the process running it, when the job
 * has a follow-up (the bot's card to update): whichever instance runs or takes
 * over the job keeps the card up to date.
 */
export type JobListener = (job: JobDocument) => Promise<void>;

/** Input batches read per round trip (each up to JOB_BATCH_ROWS rows). */
const INPUT_CURSOR_BATCH = 20;

/**
 * Runs the queued jobs of every partner, in any process: a job is claimed
 * with a lease in MongoDB, renewed while it runs; when the process running it
 * stops, another (or this one, restarted) takes it over once the lease runs
 * out and goes on from the batch after the last one recorded.
 */
export class JobRunner {
  /** This process, as the jobs' leases name it. */
  readonly owner: string;
  private readonly leases: Leases<JobDocument>;
  private readonly kinds = new Map<string, JobKind>();
  private readonly active = new Set<Promise<void>>();
  private readonly log: Logger;
  private readonly loop: LookLoop;
  private readonly listeners: JobListener[] = [];
  private readonly endListeners: JobListener[] = [];
  /** Per job, the follow-ups told so far, one after another so a card never goes back to an older state. */
  private readonly told = new Map<string, Promise<void>>();

  constructor(
    private readonly collections: {
      jobs: Collection<JobDocument>;
      inputs: Collection<JobInputDocument>;
      outcomes: Collection<JobOutcomeDocument>;
      claims: Collection<LeaseClaimDocument>;
    },
    private readonly options: JobRunnerOptions,
    logger: Logger,
    owner = processOwner(),
  ) {
    this.owner = owner;
    this.leases = new Leases(collections.jobs, collections.claims, owner, options.leaseSeconds * 1000);
    this.log = logger.child({ component: 'job-runner', owner: this.owner });
    this.loop = new LookLoop(() => this.claimWhatFits(), options.pollMs, (error) => this.log.warn({ err: error }, 'could not look for jobs'));
  }

  register<R extends JobInputRow, C>(kind: JobKind<R, C>): void {
    // The runner hands each kind only the rows and context it made itself.
    this.kinds.set(kind.kind, kind as unknown as JobKind);
  }

  /** Called with each progress and the end of a job that has a follow-up. */
  onChange(listener: JobListener): void {
    this.listeners.push(listener);
  }

  /** Called once when a job ends (done, failed or cancelled), by the process that ended it: an alert. */
  onEnd(listener: JobListener): void {
    this.endListeners.push(listener);
  }

  /** Looks for work now and then every pollMs (the app process; tests kick instead). */
  start(): void {
    this.loop.start();
  }

  /** Claims what it can run now: a job just queued, or one whose runner stopped. */
  kick(): void {
    this.loop.kick();
  }

  /**
   * Stops claiming; a job under way stops after its batch and gives its claim
   * up, so another instance goes on with it at once (shutdown, a deploy).
   */
  stop(): void {
    this.loop.stop();
  }

  private get stopped(): boolean {
    return this.loop.stopped;
  }

  /** Resolves when this process runs no job and looks for none (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.loop.current || this.active.size > 0 || this.told.size > 0) {
      await Promise.allSettled([this.loop.current, ...this.active, ...this.told.values()]);
    }
  }

  /** Tells the listeners, after what they were told before; a listener that fails is logged, never fails the job. */
  private tell(job: JobDocument): void {
    if (!job.followUp || this.listeners.length === 0) return;
    const key = job._id.toHexString();
    const told = (this.told.get(key) ?? Promise.resolve())
      .then(() => Promise.all(this.listeners.map((listener) => listener(job))))
      .then(
        () => undefined,
        (error: unknown) => this.log.warn({ err: error, jobId: key }, 'could not follow a job up'),
      )
      .finally(() => {
        if (this.told.get(key) === told) this.told.delete(key);
      });
    this.told.set(key, told);
  }

  private async claimWhatFits(): Promise<void> {
    while (!this.stopped && this.active.size < this.options.concurrency) {
      const job = await this.claim();
      if (!job) return;
      const running = this.run(job).finally(() => {
        this.active.delete(running);
        // A slot is free: more may be waiting.
        this.kick();
      });
      this.active.add(running);
    }
  }

  private async claim(): Promise<JobDocument | null> {
    const now = new Date();
    const queued = await this.leases.claim({ state: 'queued' }, { set: { state: 'running', startedAt: now }, sort: { createdAt: 1 } });
    if (queued) return queued;
    const abandoned = await this.leases.claim(
      { state: 'running', 'lease.until': { $lt: now } },
      { set: { takenOver: true }, sort: { createdAt: 1 } },
    );
    if (abandoned) this.log.info({ jobId: abandoned._id.toHexString(), batch: abandoned.nextBatch }, 'took over a job');
    return abandoned;
  }

  private async run(claimed: JobDocument): Promise<void> {
    let job = claimed;
    const kind = this.kinds.get(job.kind);
    if (!kind) {
      await this.end(job, { state: 'failed', error: `This portal cannot run jobs of kind ${job.kind}` });
      return;
    }
    const caller = callerOf(job);
    let lost = false;
    // Renewed while a batch is worked, so a long batch keeps its claim.
    const letGo = this.leases.keep(job._id, () => {
      lost = true;
    });
    try {
      const context = await kind.prepare(job, caller);
      const inputs = this.collections.inputs
        .find({ jobId: job._id, batch: { $gte: job.nextBatch } })
        .sort({ batch: 1 })
        .batchSize(INPUT_CURSOR_BATCH);
      let first = true;
      for await (const input of inputs) {
        if (lost || job.cancelRequested || this.stopped) break;
        if (first && job.takenOver) {
          // The previous runner may have recorded some outcomes of this batch, not its progress.
          await this.collections.outcomes.deleteMany({ jobId: job._id, batch: { $gte: input.batch } });
        }
        first = false;
        const rows = input.rows.map((data, index) => ({ row: input.firstRow + index, data }));
        const outcomes = await kind.runBatch(job, caller, rows, context);
        const counts: Record<string, number> = {};
        const recorded: JobOutcomeDocument = {
          _id: new ObjectId(),
          jobId: job._id,
          partnerId: job.partnerId,
          batch: input.batch,
          firstRow: input.firstRow,
          rows: rows.map((_, index) => {
            const { outcome, message } = outcomes[index]!;
            counts[outcome] = (counts[outcome] ?? 0) + 1;
            return message ? { outcome, message } : { outcome };
          }),
          counts,
        };
        if (lost || !(await this.recordOutcomes(recorded))) {
          lost = true;
          break;
        }
        // Progress, the claim's renewal and the cancel check in one round trip.
        const after = await this.collections.jobs.findOneAndUpdate(
          this.leases.held(job._id),
          { $set: { nextBatch: input.batch + 1, 'lease.until': this.leases.until() }, $inc: { done: rows.length, ...Object.fromEntries(Object.entries(counts).map(([outcome, n]) => [`outcomes.${outcome}`, n])) } },
          { returnDocument: 'after' },
        );
        if (!after) {
          lost = true;
          break;
        }
        job = after;
        if (job.nextBatch < job.batches) this.tell(job);
      }
      if (lost) {
        this.log.warn({ jobId: job._id.toHexString() }, 'lost the claim on a job: another process goes on with it');
        return;
      }
      if (this.stopped && job.nextBatch < job.batches && !job.cancelRequested) {
        // Run out, not removed: a running job whose lease ran out is what another instance takes over.
        await this.collections.jobs.updateOne(this.leases.held(job._id), { $set: { 'lease.until': new Date(0) } });
        this.log.info({ jobId: job._id.toHexString(), batch: job.nextBatch }, 'stopping: gave a job up for another instance');
        return;
      }
      await kind.finish?.(job, caller);
      // Cancelled during the last batch: everything was done, so it is done.
      await this.end(job, { state: job.cancelRequested && job.nextBatch < job.batches ? 'cancelled' : 'done' });
    } catch (error) {
      this.log.error({ err: error, jobId: job._id.toHexString() }, 'a job failed');
      // What its finished batches did is set right all the same (counts read again, as after a take-over).
      await kind.finish?.({ ...job, takenOver: true }, caller).catch((finishError: unknown) =>
        this.log.warn({ err: finishError, jobId: job._id.toHexString() }, 'could not finish a failed job'),
      );
      await this.end(job, { state: 'failed', error: messageOf(error) }).catch(() => undefined);
    } finally {
      letGo();
    }
  }

  /**
   * The batch's outcomes, one document. One already there (a runner that
   * lost its claim mid-batch wrote it late) is replaced: the batch's progress is
   * recorded once, by whoever holds the claim.
   */
  private async recordOutcomes(outcomes: JobOutcomeDocument): Promise<boolean> {
    try {
      await this.collections.outcomes.insertOne(outcomes);
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // Only while this process still holds the job: a runner that stalled past its lease must not overwrite the new holder's.
      const held = await this.collections.jobs.countDocuments(this.leases.held(outcomes.jobId), { limit: 1 });
      if (held === 0) return false;
      const { _id: _ignored, ...replacement } = outcomes;
      await this.collections.outcomes.replaceOne({ jobId: outcomes.jobId, batch: outcomes.batch }, replacement);
      return true;
    }
  }

  private async end(job: JobDocument, outcome: { state: 'done' | 'failed' | 'cancelled'; error?: string }): Promise<void> {
    const ended = await this.collections.jobs.findOneAndUpdate(
      this.leases.held(job._id),
      { $set: { ...outcome, finishedAt: new Date() }, $unset: { lease: '' } },
      { returnDocument: 'after' },
    );
    if (!ended) return;
    await this.ended(ended);
  }

  /** Tells of a job's end: the job's follow-up (its bot card), then the end listeners (an alert). Also for a job cancelled before any runner claimed it. */
  async ended(job: JobDocument): Promise<void> {
    this.tell(job);
    for (const listener of this.endListeners) {
      await listener(job).catch((error: unknown) => this.log.warn({ err: error, jobId: job._id.toHexString() }, 'a listener could not take a job\'s end'));
    }
  }
}

/** The person who started the job, as the services see a caller (their role when they started it). */
function callerOf(job: JobDocument): Caller {
  return callerFromStored(job.partnerId, job.startedBy);
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? `The job stopped: ${error.message}` : 'The job stopped on an error';
}
