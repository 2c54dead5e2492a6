import type { BadgeProps } from '@fluentui/react-components';
import { ROLE_NAMES, type MemberRole } from '../../../api/members/role-names';
import { STATUS_TEXT } from '../../../api/numbers/number-status';

/** A sync run's state in the words the tab shows. */
export const SYNC_STATE_TEXT: Record<string, string> = {
  queued: 'Starting',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

export function syncStateText(state: string): string {
  return SYNC_STATE_TEXT[state] ?? state;
}

/** A number status in the product's words (the API's status texts). */
export function statusText(status: string): string {
  return (STATUS_TEXT as Record<string, string>)[status] ?? status;
}

/** A number status's badge colour. */
export const STATUS_COLOR: Record<string, BadgeProps['color']> = {
  pending: 'informative',
  synced: 'success',
  backend_fatal: 'danger',
  not_in_backend: 'warning',
};

/** A member's role in the product's words (Viewer, Operator, Admin). */
export function roleText(role: MemberRole): string {
  return ROLE_NAMES[role];
}
