import type { DriftKind } from '../events/portal-events';

/** A kind of drift in the product's words (the bot's alert cards and the tab's Drift section). */
export const DRIFT_TEXT: Record<DriftKind, string> = {
  missing_at_backend: 'In the portal, missing at the backend',
  not_in_portal: 'At the backend, not in the portal',
  assigned_not_synced: 'Assigned in Teams, not synced',
  synced_not_assigned: 'Synced, not assigned in Teams',
};

/** The kinds in the order reports list them. */
export const DRIFT_KIND_ORDER = Object.keys(DRIFT_TEXT) as DriftKind[];
