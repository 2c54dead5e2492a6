import { ObjectId, type Collection } from 'mongodb';
import { callerFromStored, storedCallerOf, type Caller } from '../auth/caller';
import { Leases, processOwner, unheld, type LeaseClaimDocument } from '../leases/leases';
import { LookLoop } from '../leases/look-loop';
import type { Logger } from '../logging/logger';
import type { FollowUpDocument } from './follow-up-document';

export interface FollowUpRunnerOptions {
  /** How long a claim lasts without renewal; a follow-up whose process stopped is taken over after it. */
  leaseSeconds: number;
  /** How often an idle runner looks for follow-ups that are due. */
  pollMs: number;
  /** Follow-ups one process carries out at a time. */
  concurrency: number;
  /** Failed looks in a row after which a follow-up is given up. */
  maxFailures: number;
}

/** What one look at a follow-up came to. */
export type FollowUpStep =
  /** Finished: nothing more to do. */
  | { final: true; memo?: Record<string, unknown> }
  /** Look again after `againInMs`, remembering `memo`. */
  | { final: false; againInMs: number; memo?: Record<string, unknown> }
  /** It can never be carried out (the chat removed the bot): given up at once. */
  | { final: 'failed'; reason: string };

/** Carries out follow-ups of one kind: one look, short (it holds the claim while it runs). */
export type FollowUpHandler = (followUp: FollowUpDocument, caller: Caller) => Promise<FollowUpStep>;

/** Told once when the runner gives a follow-up up (its lifetime ran out, or it failed too often), so what it kept up to date can say so. */
export type FollowUpGivenUp = (followUp: FollowUpDocument, caller: Caller, why: 'expired' | 'failed') => Promise<void>;

export interface NewFollowUp {
  kind: string;
  subject: Record<string, unknown>;
  /** When to look first (now when unsaid). */
  dueAt?: Date;
  /** How long it may be followed. */
  lifetimeMs: number;
}

/**
 * Stores follow-ups and carries out the due ones, in any process: each is
 * claimed with a lease, looked at by its kind's handler, then given back with
 * when to look again, or ended. Nothing about it lives in process memory, so
 * a follow-up whose process stopped is carried on by another.
 */
export class FollowUpRunner {
  private readonly handlers = new Map<string, FollowUpHandler>();
  private readonly givenUp = new Map<string, FollowUpGivenUp>();
  private readonly active = new Set<Promise<void>>();
  private readonly leases: Leases<FollowUpDocument>;
  private readonly log: Logger;
  private readonly loop: LookLoop;

  constructor(
    private readonly collections: { followUps: Collection<FollowUpDocument>; claims: Collection<LeaseClaimDocument> },
    private readonly options: FollowUpRunnerOptions,
    logger: Logger,
    readonly owner = processOwner(),
  ) {
    this.leases = new Leases(collections.followUps, collections.claims, owner, options.leaseSeconds * 1000);
    this.log = logger.child({ component: 'follow-up-runner', owner });
    this.loop = new LookLoop(() => this.claimWhatFits(), options.pollMs, (error) => this.log.warn({ err: error }, 'could not look for follow-ups'));
  }

  register(kind: string, handler: FollowUpHandler, givenUp?: FollowUpGivenUp): void {
    this.handlers.set(kind, handler);
    if (givenUp) this.givenUp.set(kind, givenUp);
  }

  /** Stores a follow-up for the caller; this process looks at it when it is due (or another does). */
  async add(caller: Caller, followUp: NewFollowUp): Promise<FollowUpDocument> {
    const now = new Date();
    const document = newFollowUp(caller, followUp, now);
    await this.collections.followUps.insertOne(document);
    if (document.dueAt <= now) this.kick();
    return document;
  }

  /** Stores several follow-ups in one write (an alert to each subscribed chat). */
  async addMany(caller: Caller, followUps: readonly NewFollowUp[]): Promise<void> {
    if (followUps.length === 0) return;
    const now = new Date();
    await this.collections.followUps.insertMany(followUps.map((followUp) => newFollowUp(caller, followUp, now)));
    this.kick();
  }

  /** Looks for due follow-ups now and then every pollMs (the app process; tests may kick instead). */
  start(): void {
    this.loop.start();
  }

  /** Stops claiming; a look under way finishes and gives its follow-up back. */
  stop(): void {
    this.loop.stop();
  }

  kick(): void {
    this.loop.kick();
  }

  private get stopped(): boolean {
    return this.loop.stopped;
  }

  /** Resolves when this process carries out no follow-up and looks for none. */
  async idle(): Promise<void> {
    while (this.loop.current || this.active.size > 0) await Promise.allSettled([this.loop.current, ...this.active]);
  }

  /** Resolves when no follow-up of the kinds is open any more, anywhere (tests): looks every `everyMs`. */
  async settled(kinds: readonly string[] = [...this.handlers.keys()], everyMs = 50, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.collections.followUps.countDocuments({ state: 'open', kind: { $in: [...kinds] } }, { limit: 1 })) > 0) {
      if (Date.now() > deadline) throw new Error('follow-ups still open');
      this.kick();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    await this.idle();
  }

  private async claimWhatFits(): Promise<void> {
    while (!this.stopped && this.active.size < this.options.concurrency) {
      const now = new Date();
      const followUp = await this.leases.claim(
        { state: 'open', dueAt: { $lte: now }, kind: { $in: [...this.handlers.keys()] }, ...unheld(now) },
        { sort: { dueAt: 1 } },
      );
      if (!followUp) return;
      const running = this.carryOut(followUp).finally(() => {
        this.active.delete(running);
        this.kick();
      });
      this.active.add(running);
    }
  }

  private async carryOut(followUp: FollowUpDocument): Promise<void> {
    const id = followUp._id;
    if (followUp.expiresAt < new Date()) {
      // Told only by the process whose release ended it, so once.
      if (await this.leases.release(id, { set: { state: 'expired', endedAt: new Date() } })) await this.tellGivenUp(followUp, 'expired');
      return;
    }
    const handler = this.handlers.get(followUp.kind)!;
    const letGo = this.leases.keep(id, () => this.log.warn({ followUpId: id.toHexString() }, 'lost the claim on a follow-up'));
    try {
      const step = await handler(followUp, callerFromStored(followUp.partnerId, followUp.caller));
      if (step.final === 'failed') {
        this.log.info({ followUpId: id.toHexString(), kind: followUp.kind, reason: step.reason }, 'a follow-up cannot be carried out: given up');
        await this.leases.release(id, { set: { state: 'failed', lastError: step.reason, endedAt: new Date() } });
      } else if (step.final) {
        await this.leases.release(id, { set: { state: 'done', endedAt: new Date(), failures: 0, ...(step.memo ? { memo: step.memo } : {}) } });
      } else {
        await this.leases.release(id, {
          set: { dueAt: new Date(Date.now() + step.againInMs), failures: 0, ...(step.memo ? { memo: step.memo } : {}) },
        });
      }
    } catch (error) {
      const failures = followUp.failures + 1;
      const lastError = error instanceof Error ? error.message : String(error);
      const givenUp = failures >= this.options.maxFailures;
      this.log.warn({ err: lastError, followUpId: id.toHexString(), kind: followUp.kind, failures, givenUp }, 'a follow-up failed');
      // Backs off: 1 s, 2 s, 4 s... up to a minute.
      const again = Math.min(60_000, 1000 * 2 ** (failures - 1));
      const released = await this.leases
        .release(id, {
          set: givenUp
            ? { state: 'failed', failures, lastError, endedAt: new Date() }
            : { failures, lastError, dueAt: new Date(Date.now() + again) },
        })
        .catch(() => false);
      if (givenUp && released) await this.tellGivenUp(followUp, 'failed');
    } finally {
      letGo();
    }
  }

  /** Best effort: a failure to tell is logged, and the follow-up ends all the same. */
  private async tellGivenUp(followUp: FollowUpDocument, why: 'expired' | 'failed'): Promise<void> {
    const told = this.givenUp.get(followUp.kind);
    if (!told) return;
    await told(followUp, callerFromStored(followUp.partnerId, followUp.caller), why).catch((error: unknown) =>
      this.log.warn({ err: String(error), followUpId: followUp._id.toHexString(), why }, 'could not tell that a follow-up was given up'),
    );
  }
}

function newFollowUp(caller: Caller, followUp: NewFollowUp, now: Date): FollowUpDocument {
  return {
    _id: new ObjectId(),
    partnerId: caller.partnerId,
    kind: followUp.kind,
    state: 'open',
    dueAt: followUp.dueAt ?? now,
    createdAt: now,
    expiresAt: new Date(now.getTime() + followUp.lifetimeMs),
    caller: storedCallerOf(caller),
    subject: followUp.subject,
    failures: 0,
  };
}
