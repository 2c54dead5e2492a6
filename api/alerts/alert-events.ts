import { z } from 'zod';
import { PORTAL_EVENT_KINDS, type PortalEventKind } from '../events/portal-events';

/** The events a conversation can be told of, as the partner names them. */
export const ALERT_EVENT_NAMES: Record<PortalEventKind, string> = {
  'sync.failed': 'failed syncs',
  'drift.found': 'drift',
  'job.finished': 'finished jobs',
};

export const alertEventsSchema = z
  .array(z.enum(PORTAL_EVENT_KINDS, { error: 'an event is sync.failed, drift.found or job.finished' }))
  .min(1, 'at least one event')
  .transform((events) => PORTAL_EVENT_KINDS.filter((kind) => events.includes(kind)));

/** The words `alerts on` takes after it, singular or plural ("alerts on drift failures"). */
const EVENT_WORDS: Record<string, readonly PortalEventKind[]> = {
  all: PORTAL_EVENT_KINDS,
  drift: ['drift.found'],
  drifts: ['drift.found'],
  failure: ['sync.failed'],
  failures: ['sync.failed'],
  failed: ['sync.failed'],
  fail: ['sync.failed'],
  errors: ['sync.failed'],
  job: ['job.finished'],
  jobs: ['job.finished'],
  ...Object.fromEntries(PORTAL_EVENT_KINDS.map((kind) => [kind, [kind]])),
};

/** The events some words name (all of them when there are none), or the words that name none. */
export function alertEventsOf(words: readonly string[]): { events: PortalEventKind[] } | { unknown: string[] } {
  const said = words.map((word) => word.toLowerCase().replace(/[,;.]+$/, '')).filter((word) => word && word !== 'and');
  if (said.length === 0) return { events: [...PORTAL_EVENT_KINDS] };
  const unknown = said.filter((word) => !EVENT_WORDS[word]);
  if (unknown.length > 0) return { unknown };
  const named = new Set(said.flatMap((word) => EVENT_WORDS[word]!));
  return { events: PORTAL_EVENT_KINDS.filter((kind) => named.has(kind)) };
}
