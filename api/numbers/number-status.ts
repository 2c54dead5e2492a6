import type { NumberStatus } from './number-document';

/** The status texts partners read, as the product article words them (ASCII). */
export const STATUS_TEXT: Record<NumberStatus, string> = {
  pending: 'Added, waiting for sync',
  synced: 'Synced',
  backend_fatal: "This number cannot be sync'ed automatically (backend reports fatal)",
  not_in_backend: 'Needs to be added to portal (not in backend)',
};

export const NUMBER_STATUSES = Object.keys(STATUS_TEXT) as NumberStatus[];
