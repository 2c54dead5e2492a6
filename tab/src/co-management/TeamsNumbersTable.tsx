import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import type { TeamsNumberView } from '../api/portal-api';
import { DataTable } from '../shared/DataTable';
import { STATUS_COLOR } from '../shared/labels';

const useStyles = makeStyles({
  attentionRow: { backgroundColor: tokens.colorStatusWarningBackground1 },
  attention: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalS },
  attentionBadge: { flexShrink: 0, whiteSpace: 'nowrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  badge: { height: 'auto', whiteSpace: 'normal', paddingBlock: '2px', borderRadius: tokens.borderRadiusMedium },
});

/** What a number is assigned to in Teams, in words (Microsoft's assignmentStatus). */
const ASSIGNMENT_TEXT: Record<string, string> = {
  unassigned: 'Unassigned',
  userAssigned: 'Assigned to a user',
  conferenceAssigned: 'Assigned to audio conferencing',
  voiceApplicationAssigned: 'Assigned to a resource account',
  thirdPartyAppAssigned: 'Assigned to a third-party app',
  policyAssigned: 'Assigned to a policy',
};

/** Microsoft's activationState in words; "activated" says nothing worth showing. */
const ACTIVATION_TEXT: Record<string, string> = {
  assignmentPending: 'activation pending',
  assignmentFailed: 'activation failed',
  updatePending: 'update pending',
  updateFailed: 'update failed',
};

export function assignmentText(teams: TeamsNumberView['teams']): string {
  if (!teams) return 'Not a Direct Routing number of the tenant';
  const { assignmentStatus, assignedTo } = teams;
  if (assignmentStatus === 'userAssigned' && assignedTo) return `Assigned to ${assignedTo.displayName}`;
  const text = ASSIGNMENT_TEXT[assignmentStatus] ?? `Assigned (${assignmentStatus})`;
  return assignmentStatus !== 'unassigned' && assignedTo ? `${text}: ${assignedTo.displayName}` : text;
}

export function activationText(teams: TeamsNumberView['teams']): string | undefined {
  const state = teams?.activationState;
  if (!state || state === 'activated') return undefined;
  return ACTIVATION_TEXT[state] ?? state;
}

/** The tenant's numbers as Teams has them beside the portal's status; a disagreement stands out. */
export function TeamsNumbersTable({ label, numbers }: { label: string; numbers: TeamsNumberView[] }) {
  const styles = useStyles();
  return (
    <DataTable
      label={label}
      columns={['Number', 'Assigned in Teams', 'Portal status', 'Attention']}
      items={numbers}
      rowKey={(item) => item.telephoneNumber}
      rowProps={(item) => ({ className: item.attention ? styles.attentionRow : undefined })}
      cells={(item) => {
        const activation = activationText(item.teams);
        return [
          item.telephoneNumber,
          <>
            <span className={item.teams ? undefined : styles.muted}>{assignmentText(item.teams)}</span>
            {activation && (
              <>
                {' '}
                <Badge appearance="tint" color={activation.endsWith('failed') ? 'danger' : 'informative'}>
                  {activation}
                </Badge>
              </>
            )}
          </>,
          item.portal ? (
            <Badge appearance="tint" color={STATUS_COLOR[item.portal.status] ?? 'subtle'} className={styles.badge}>
              {item.portal.statusText}
            </Badge>
          ) : (
            <span className={styles.muted}>Not in the portal</span>
          ),
          item.attention && (
            <span className={styles.attention}>
              <Badge appearance="filled" color="warning" shape="rounded" className={styles.attentionBadge}>
                Needs attention
              </Badge>
              <span>{item.attention}</span>
            </span>
          ),
        ];
      }}
    />
  );
}
