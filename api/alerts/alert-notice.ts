import { z } from 'zod';
import type { PortalEvent } from '../events/portal-events';

/**
 * What an alert's card tells, as plain JSON: stored with each delivery, read
 * back (and checked) by whichever instance sends it.
 */
const driftKind = z.enum(['missing_at_backend', 'not_in_portal', 'assigned_not_synced', 'synced_not_assigned']);

const customerPart = { customerId: z.string(), customerLabel: z.string() };

export const alertNoticeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('drift.found'),
    ...customerPart,
    at: z.string(),
    counts: z.record(driftKind, z.number()),
    total: z.number(),
    examples: z.array(z.object({ kind: driftKind, e164: z.string() })),
    portalLink: z.string().optional(),
  }),
  z.object({
    kind: z.literal('sync.failed'),
    ...customerPart,
    at: z.string(),
    runId: z.string(),
    message: z.string(),
    consecutiveFailures: z.number(),
    portalLink: z.string().optional(),
  }),
  z.object({
    kind: z.literal('job.finished'),
    at: z.string(),
    jobId: z.string(),
    jobKind: z.string(),
    state: z.enum(['done', 'failed', 'cancelled']),
    customerId: z.string().optional(),
    customerLabel: z.string().optional(),
    fileName: z.string().optional(),
    total: z.number(),
    outcomes: z.record(z.string(), z.number()),
    error: z.string().optional(),
    portalLink: z.string().optional(),
  }),
]);
export type AlertNotice = z.infer<typeof alertNoticeSchema>;

/** Examples a card shows: a few numbers, not the list. */
export const NOTICE_EXAMPLES = 5;

/** The notice of an event; `portalLink` opens the customer's Details in the tab. */
export function noticeOf(event: PortalEvent, portalLink: (customerId: string) => string | undefined): AlertNotice {
  const at = event.at.toISOString();
  const customerId = 'customerId' in event && event.customerId ? event.customerId.toHexString() : undefined;
  const link = customerId ? portalLink(customerId) : undefined;
  const linked = link ? { portalLink: link } : {};
  switch (event.kind) {
    case 'drift.found':
      return {
        kind: event.kind,
        customerId: customerId!,
        customerLabel: event.customerLabel,
        at,
        counts: { ...event.counts },
        total: event.total,
        examples: event.examples.slice(0, NOTICE_EXAMPLES).map(({ kind, e164 }) => ({ kind, e164 })),
        ...linked,
      };
    case 'sync.failed':
      return {
        kind: event.kind,
        customerId: customerId!,
        customerLabel: event.customerLabel,
        at,
        runId: event.runId.toHexString(),
        message: event.message,
        consecutiveFailures: event.consecutiveFailures,
        ...linked,
      };
    case 'job.finished':
      return {
        kind: event.kind,
        at,
        jobId: event.jobId.toHexString(),
        jobKind: event.jobKind,
        state: event.state,
        ...(customerId ? { customerId } : {}),
        ...(event.customerLabel ? { customerLabel: event.customerLabel } : {}),
        ...(event.fileName ? { fileName: event.fileName } : {}),
        total: event.total,
        outcomes: { ...event.outcomes },
        ...(event.error ? { error: event.error } : {}),
        ...linked,
      };
  }
}
