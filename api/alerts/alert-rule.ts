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
}

/** The rule of an event; none for an event that tells nothing (no drift at all). */
export function alertRuleOf(event: PortalEvent, repeatAfterMs: number): AlertRule | undefined {
  const partner = event.partnerId.toHexString();
  switch (event.kind) {
    // One card per customer and kind of event, whatever the numbers: the same drift again is quiet for a while.
    case 'drift.found':
      if (event.total === 0) return undefined;
      return { key: `${partner}:${event.customerId.toHexString()}:drift.found`, fingerprint: event.fingerprint, repeatAfterMs };
    // Every new failure in a row is news; the same count again (the event raised twice) is not.
    case 'sync.failed':
      return {
        key: `${partner}:${event.customerId.toHexString()}:sync.failed`,
        fingerprint: `failures:${event.consecutiveFailures}`,
        repeatAfterMs,
      };
    case 'job.finished':
      return { key: `${partner}:job:${event.jobId.toHexString()}`, fingerprint: 'finished' };
  }
}
