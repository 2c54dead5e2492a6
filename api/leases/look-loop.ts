/**
 * The polling half of the one lease mechanism: a process looks for work it
 * may claim now and then every `pollMs`, and at once when kicked (work was just
 * stored here). One look at a time; a kick during a look asks for another
 * right after it, so nothing stored meanwhile waits for the next poll. Used by
 * the job runner, the follow-up runner and the scheduler.
 */
export class LookLoop {
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<void> | undefined;
  private lookAgain = false;
  private halted = false;

  constructor(
    private readonly look: () => Promise<unknown>,
    private readonly pollMs: number,
    /** A look that failed (MongoDB unreachable): logged, and the next poll tries again. */
    private readonly failed: (error: unknown) => void,
  ) {}

  /** True once stopped: work under way ends as soon as it can and claims nothing more. */
  get stopped(): boolean {
    return this.halted;
  }

  start(): void {
    if (this.timer) return;
    this.halted = false;
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  stop(): void {
    this.halted = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  kick(): void {
    if (this.halted) return;
    if (this.looking) {
      this.lookAgain = true;
      return;
    }
    this.looking = this.look()
      .then(
        () => undefined,
        (error: unknown) => this.failed(error),
      )
      .finally(() => {
        this.looking = undefined;
        if (this.lookAgain) {
          this.lookAgain = false;
          this.kick();
        }
      });
  }

  /** The look under way, if any (idle() of its owner waits for it). */
  get current(): Promise<void> | undefined {
    return this.looking;
  }
}
