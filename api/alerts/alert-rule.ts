import type { PortalEvent } from '../events/portal-events';

/**
 * When an event alerts: what it is about (`key`), what it says
 * (`fingerprint`), and how long the same thing said again stays quiet
 * (`repeatAfterMs`; none: never again).
 */
export interface AlertRule {
  key: string;
  fingerprint: string;
  repeatAfterMs?: number;
  /** Tells nobody; only ends what the key alerted last (drift that is gone), so its coming back is news. */
  settles?: true;
}

/** What a key's latest claim says once the thing it alerted is over. */
export const SETTLED = 'settled';

/** The rule of an event: when it alerts, or (no drift at all) what it settles. */
export function alertRuleOf(event: PortalEvent, repeatAfterMs: number): AlertRule {
  const partner = event.partnerId.toHexString();
  switch (event.kind) {
    // One card per customer and kind of event, whatever the numbers: the same drift again is quiet for a while.
    case 'drift.found':
      if (event.total === 0) return { key: `${partner}:${event.customerId.toHexString()}:drift.found`, fingerprint: SETTLED, settles: true };
      return { key: `${partner}:${event.customerId.toHexString()}:drift.found`, fingerprint: event.fingerprint, repeatAfterMs };
    // A customer that starts failing is news, and again each day it keeps failing; each failure of the streak is not.
    case 'sync.failed':
      return {
        key: `${partner}:${event.customerId.toHexString()}:sync.failed`,
        fingerprint: `failing-since:${event.failingSince?.toHexString() ?? 'never-synced'}`,
        repeatAfterMs,
      };
    case 'job.finished':
      return { key: `${partner}:job:${event.jobId.toHexString()}`, fingerprint: 'finished' };
  }
}
