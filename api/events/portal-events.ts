import type { ObjectId } from 'mongodb';
import type { Logger } from '../logging/logger';

/**
 * Something a partner's team may want told of in Teams (issue 15): raised
 * in-process by the feature where it happened (the sync that failed, the
 * drift computed after a sync, the job that ended); the alerts feature turns
 * each into stored deliveries, which any instance sends.
 */
export type PortalEvent = SyncFailedEvent | DriftFoundEvent | JobFinishedEvent;
export type PortalEventKind = PortalEvent['kind'];
export const PORTAL_EVENT_KINDS = ['sync.failed', 'drift.found', 'job.finished'] as const satisfies readonly PortalEventKind[];

interface EventBase {
  partnerId: ObjectId;
  at: Date;
}

export interface SyncFailedEvent extends EventBase {
  kind: 'sync.failed';
  customerId: ObjectId;
  customerLabel: string;
  runId: ObjectId;
  /** Why the run stopped, as the sync history shows it. */
  message: string;
  /** Failed real runs in a row, this one included (at most FAILURES_COUNTED). */
  consecutiveFailures: number;
  /** The last real run that succeeded before these failures (null: none ever did): the same for every failure of one streak. */
  failingSince: ObjectId | null;
}

/** How a customer's numbers differ between the portal, the backend and Microsoft Teams. */
export type DriftKind = 'missing_at_backend' | 'not_in_portal' | 'assigned_not_synced' | 'synced_not_assigned';

export interface DriftFoundEvent extends EventBase {
  kind: 'drift.found';
  customerId: ObjectId;
  customerLabel: string;
  runId: ObjectId;
  /** Numbers by kind of drift (a number can be of two kinds). */
  counts: Record<DriftKind, number>;
  /** Numbers that drifted; 0 when the sync found none (raised after every successful real sync). */
  total: number;
  /** The same drift gives the same fingerprint (alerts are not repeated for it). */
  fingerprint: string;
  /** A few of the numbers, for the card. */
  examples: { kind: DriftKind; e164: string }[];
}

export interface JobFinishedEvent extends EventBase {
  kind: 'job.finished';
  jobId: ObjectId;
  jobKind: string;
  state: 'done' | 'failed' | 'cancelled';
  customerId?: ObjectId;
  customerLabel?: string;
  fileName?: string;
  total: number;
  outcomes: Record<string, number>;
  error?: string;
}

export type PortalEventListener = (event: PortalEvent) => Promise<void>;

/** Tells every listener of each event; a listener that fails is logged and never fails the work that raised it. */
export class PortalEvents {
  private readonly listeners: PortalEventListener[] = [];
  private readonly telling = new Set<Promise<void>>();
  private readonly log: Logger;

  constructor(logger: Logger) {
    this.log = logger.child({ component: 'portal-events' });
  }

  on(listener: PortalEventListener): void {
    this.listeners.push(listener);
  }

  /** Returns once every listener has taken the event (an alert is stored before the work that raised it reports its end). */
  async raise(event: PortalEvent): Promise<void> {
    const told = Promise.all(
      this.listeners.map((listener) =>
        listener(event).catch((error: unknown) => this.log.warn({ err: error, event: event.kind }, 'a listener could not take an event')),
      ),
    ).then(() => undefined);
    this.telling.add(told);
    try {
      await told;
    } finally {
      this.telling.delete(told);
    }
  }

  /** Resolves when no event is being told (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.telling.size > 0) await Promise.allSettled([...this.telling]);
  }
}
