import type { ObjectId } from 'mongodb';
import type { Actor, StoredCaller } from '../auth/caller';
import { defineCollection } from '../storage/collection-definition';

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Who started the job, enough to act as them in any process that runs it. */
export type JobStarter = StoredCaller;

/**
 * A long piece of work (a 10,000-number paste, an import): the job holds its
 * counts and where it is; its input rows and their outcomes live in
 * collections of their own, so the job stays small to read at any size.
 */
export interface JobDocument {
  _id: ObjectId;
  partnerId: ObjectId;
  kind: string;
  customerId?: ObjectId;
  /** The customer's name when the job started (for lists of jobs). */
  customerLabel?: string;
  startedBy: JobStarter;
  state: JobState;
  /** Rows in the job, and rows done (whatever their outcome). */
  total: number;
  done: number;
  /** Rows by outcome, as the job's kind names them. */
  outcomes: Record<string, number>;
  /** The input is stored in batches; the next one to work on (all before it are done and counted). */
  batches: number;
  nextBatch: number;
  /** What the kind needs besides the rows (a removal's mode). */
  params: Record<string, unknown>;
  /** The outcomes that mean a row went as asked; the others are the "failed rows". */
  successOutcomes: string[];
  /** What a row's input is, in the product's words (Number, Account ID): the failed rows' column header. */
  inputLabel: string;
  /** The file the rows came from, when the job is an import. */
  fileName?: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  /** The process running the job, until when; another one takes the job over once it runs out. */
  lease?: { owner: string; until: Date };
  /** Another process took the job over at least once (its previous runner stopped mid-way). */
  takenOver?: boolean;
  /** Times the job was claimed; each claim is confirmed by a leaseClaims document of this number (api/leases). */
  claims?: number;
  cancelRequested?: { at: Date; by: Actor };
  error?: string;
  /**
   * Who to tell of its progress, as the client that started it stored it (the
   * bot: its conversation and the card to update). Opaque to the jobs.
   */
  followUp?: JobFollowUp;
}

/** A client's note of where to report a job (the bot's card), stored with the job. */
export interface JobFollowUp {
  kind: string;
  [field: string]: unknown;
}

/** One row of a job's input as the kind reads it (a number as pasted, with what it read as). */
export interface JobInputRow {
  input: string;
  /** The line of the imported file the row is on. */
  line?: number;
  [field: string]: unknown;
}

/** A batch of a job's input, written once when the job is made and never changed. */
export interface JobInputDocument {
  _id: ObjectId;
  jobId: ObjectId;
  batch: number;
  /** The row number (1-based) of the batch's first row. */
  firstRow: number;
  rows: JobInputRow[];
}

/**
 * What became of the rows of one batch, written once by the runner holding
 * the job: one document a batch (not one a row), so recording a batch is one
 * write and a 100,000-row job is 20 documents; each row's input stays in its
 * batch of the input.
 */
export interface JobOutcomeDocument {
  _id: ObjectId;
  jobId: ObjectId;
  partnerId: ObjectId;
  batch: number;
  /** The row number (1-based) of the batch's first row. */
  firstRow: number;
  /** Each row's outcome and message, in the batch's order. */
  rows: { outcome: string; message?: string }[];
  /** The batch's rows by outcome, so pages of one outcome are found without reading every batch. */
  counts: Record<string, number>;
}

export const jobCollection = defineCollection<JobDocument>('jobs', [
  { key: { partnerId: 1, createdAt: -1 }, name: 'partner_created' },
  { key: { state: 1, createdAt: 1 }, name: 'state_created' },
]);

export const jobInputCollection = defineCollection<JobInputDocument>('jobInputs', [
  { key: { jobId: 1, batch: 1 }, name: 'job_batch', unique: true },
]);

export const jobOutcomeCollection = defineCollection<JobOutcomeDocument>('jobOutcomes', [
  { key: { jobId: 1, batch: 1 }, name: 'job_batch', unique: true },
]);
