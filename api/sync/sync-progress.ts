import type { Collection, ObjectId } from 'mongodb';
import type { SyncPhase, SyncRunDocument } from './sync-run-document';

const PROGRESS_EVERY_MS = 300;

export type RunUpdate = Partial<Omit<SyncRunDocument, '_id'>>;

/**
 * Progress on the run document: at phase changes, and at most every 300 ms in
 * between. Writes are chained, so a late progress write never lands after the
 * final one.
 */
export class ProgressReporter {
  private done = 0;
  private total = 0;
  private lastWrite = 0;
  private currentPhase: SyncPhase = 'queued';
  private writing: Promise<void> = Promise.resolve();
  private finished = false;

  constructor(
    private readonly runs: Collection<SyncRunDocument>,
    private readonly runId: ObjectId,
  ) {}

  setTotal(total: number) {
    this.total = total;
  }

  async phase(phase: SyncPhase, extra: RunUpdate = {}) {
    this.currentPhase = phase;
    await this.write(extra);
  }

  step() {
    this.done++;
    if (!this.finished && performance.now() - this.lastWrite >= PROGRESS_EVERY_MS) void this.write().catch(() => undefined);
  }

  async finish(update: RunUpdate) {
    this.finished = true;
    this.done = Math.max(this.done, this.total);
    await this.write({ ...update, ...(update.phase ? {} : { phase: this.currentPhase }) });
  }

  private write(extra: RunUpdate = {}): Promise<void> {
    this.lastWrite = performance.now();
    // Routing starts before the total is known, so done may run ahead of it.
    const progress = { done: this.done, total: Math.max(this.total, this.done) };
    const update = { phase: this.currentPhase, progress, ...extra };
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        // A run marked failed by the process that took its lease over stays failed.
        await this.runs.updateOne({ _id: this.runId, state: { $in: ['queued', 'running'] } }, { $set: update });
      });
    return this.writing;
  }
}
