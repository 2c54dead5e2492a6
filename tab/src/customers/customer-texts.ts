/** Customer Details in words: sync runs, seat types and the changes of the audit log. */
import type { AuditEntryView, SyncRunView } from '../api/portal-api';
import { plural } from '../shared/format';

export const SYNC_STATE_COLOR: Record<string, 'informative' | 'success' | 'danger' | 'subtle'> = {
  queued: 'informative',
  running: 'informative',
  succeeded: 'success',
  failed: 'danger',
};

export const TRIGGER_TEXT: Record<string, string> = {
  tab: 'Sync button',
  bot: 'Bot',
  'after-save': 'Sync after save',
  'after-remove': 'After a removal',
  scheduled: 'Scheduled',
};

export const SEAT_TYPE_TEXT: Record<string, string> = {
  bundled: 'MS Teams bundled',
  unbundled: 'MS Teams unbundled',
};

const FIELD_TEXT: Record<string, string> = {
  name: 'Name',
  tenantName: 'Office 365 Tenant Name',
  maxChannels: 'Max Channels',
  seatType: 'Seat type',
  accountId: 'Account ID',
};

export function byWhom(who: string | null): string {
  return who ? ` by ${who}` : '';
}

/** What a run did (or would do), in a line. */
export function runOutcome(run: SyncRunView): string {
  if (run.state === 'queued' || run.state === 'running') {
    const { done, total } = run.progress;
    return total > 0 ? `${done} of ${total} steps` : 'In progress';
  }
  if (run.state === 'failed') return run.errors[0]?.message ?? 'Failed';
  const { routed, imported, removed, released, statusChanges } = run.changeCounts;
  const would = run.dryRun ? 'would be ' : '';
  const parts = [
    routed && `${plural(routed, 'number')} ${would}routed`,
    imported && `${plural(imported, 'number')} ${would}imported`,
    removed && `${plural(removed, 'number')} ${would}removed`,
    released && `${plural(released, 'number')} ${would}released`,
    statusChanges && `${plural(statusChanges, 'status change')}`,
  ].filter(Boolean);
  const attention = run.attention.length > 0 ? `; ${plural(run.attention.length, 'number')} need attention` : '';
  const errors = run.errors.length > 0 ? `; ${plural(run.errors.length, 'problem')}` : '';
  return `${parts.length > 0 ? parts.join(', ') : 'No changes'}${attention}${errors}`;
}

/** One audit entry in words. */
export function describeChange(entry: AuditEntryView): string {
  const d = entry.details;
  switch (entry.action) {
    case 'customer.created':
      return `Created: Account ID ${String(d.accountId ?? '')}, tenant ${String(d.tenantName ?? '')}, Max Channels ${String(d.maxChannels ?? '')}`;
    case 'customer.updated': {
      const changed = (d.changed ?? {}) as Record<string, { from: unknown; to: unknown }>;
      const parts = Object.entries(changed).map(
        ([field, { from, to }]) => `${FIELD_TEXT[field] ?? field} ${shown(from)} → ${shown(to)}`,
      );
      return `Changed: ${parts.join(', ') || 'nothing'}`;
    }
    case 'customer.schedule_changed':
      return `Scheduled sync: ${scheduleText(d.from)} → ${scheduleText(d.to)}`;
    case 'numbers.added':
      return `${plural(Number(d.count ?? 0), 'number')} added${listed(d.numbers)}`;
    case 'numbers.removed':
      return `${plural(Number(d.count ?? 0), 'number')} removed (${d.mode === 'delete' ? 'delete' : 'retain'})${listed(d.numbers)}`;
    case 'activation.link_created':
      return 'Activation link created (older links stopped working)';
    case 'co_management.consent_granted':
      return 'Consent granted to Microsoft 365 by the customer';
    case 'co_management.allowed':
      return 'Co-management switched on by the customer';
    case 'co_management.switched_off':
      return 'Co-management switched off by the customer';
    case 'teams.number_assign_started':
      return `Assigning ${String(d.telephoneNumber ?? '')} to ${String(d.user ?? '')} in Teams`;
    case 'teams.number_unassign_started':
      return `Unassigning ${String(d.telephoneNumber ?? '')} from ${String(d.user ?? '')} in Teams`;
    case 'teams.operation_finished':
      return `${d.kind === 'unassign' ? 'Unassignment' : 'Assignment'} of ${String(d.telephoneNumber ?? '')} ${
        d.state === 'done' ? 'done' : `failed: ${String(d.reason ?? 'no reason given')}`
      }`;
    case 'teams.voice_routing_policy_set':
      return `Voice routing policy of ${String(d.user ?? '')}: ${shown(d.from)} → ${shown(d.to)}`;
    case 'teams.users_read':
      return 'Looked at the Teams users';
    case 'teams.numbers_read':
      return 'Looked at the Teams phone numbers';
    case 'teams.refused':
      return 'Co-management refused: the customer does not allow it';
    default:
      return entry.action;
  }
}

function shown(value: unknown): string {
  return value === null || value === undefined || value === '' ? '(none)' : String(value);
}

function listed(numbers: unknown): string {
  if (!Array.isArray(numbers) || numbers.length === 0) return '';
  const first = numbers.slice(0, 3).map(String).join(', ');
  return `: ${first}${numbers.length > 3 ? `, and ${numbers.length - 3} more` : ''}`;
}

/** A schedule in words: "Every hour at :15", "Every day at 02:30 (Europe/Berlin)", "Partner default". */
export function scheduleText(schedule: unknown): string {
  if (schedule === 'default' || schedule === undefined || schedule === null) return 'Partner default';
  const s = schedule as { kind?: string; minute?: number; time?: string; timeZone?: string; expression?: string };
  switch (s.kind) {
    case 'off':
      return 'Off';
    case 'hourly':
      return `Every hour at :${String(s.minute ?? 0).padStart(2, '0')}`;
    case 'daily':
      return `Every day at ${s.time ?? ''} (${s.timeZone ?? 'UTC'})`;
    case 'cron':
      return `Cron "${s.expression ?? ''}" (${s.timeZone ?? 'UTC'})`;
    default:
      return String(s.kind ?? 'unknown');
  }
}
