import { Badge, Spinner, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { TeamsOperationView, TeamsUserView } from '../api/portal-api';
import { DataTable } from '../shared/DataTable';
import { useSelectableRowStyles } from '../shared/selectable-rows';
import { operationDoing } from './co-management';

const useStyles = makeStyles({
  name: { minWidth: '10em' },
  signIn: { overflowWrap: 'break-word' },
  pending: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  spinner: { flexShrink: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  status: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

export interface TeamsUsersTableProps {
  label: string;
  users: TeamsUserView[];
  selectedId: string | undefined;
  onSelect(userId: string): void;
  /** The latest assignment of each user, by user id. */
  latest: ReadonlyMap<string, TeamsOperationView>;
}

/** A page of the customer's users with their Teams voice settings; one can be selected. */
export function TeamsUsersTable({ label, users, selectedId, onSelect, latest }: TeamsUsersTableProps) {
  const styles = useStyles();
  const rows = useSelectableRowStyles();
  return (
    <DataTable
      label={label}
      autoLayout
      arrowKeys
      columns={[
        { title: 'Name', cellClassName: styles.name },
        { title: 'Sign-in name', cellClassName: styles.signIn },
        'Teams voice',
        'Number',
        'Voice routing policy',
        'Latest assignment',
      ]}
      items={users}
      rowKey={(user) => user.id}
      selection={{ type: 'radio', isSelected: (user) => user.id === selectedId, label: (user) => `Select ${user.displayName}` }}
      rowProps={(user) => ({
        className: mergeClasses(rows.row, user.id === selectedId && rows.selected),
        // A click on the row or its radio (mouse, or Space on the focused radio) selects it.
        onClick: () => onSelect(user.id),
      })}
      cells={(user) => {
        const operation = latest.get(user.id);
        return [
          <>
            {user.displayName}
            {!user.accountEnabled && <span className={styles.muted}> (sign-in blocked)</span>}
          </>,
          user.userPrincipalName,
          <Badge appearance="tint" color={user.voiceEnabled ? 'success' : 'subtle'}>
            {user.voiceEnabled ? 'Enabled' : 'Off'}
          </Badge>,
          user.number ?? <span className={styles.muted}>None</span>,
          user.voiceRoutingPolicy ?? <span className={styles.muted}>Default (Global)</span>,
          operation && <OperationStatus operation={operation} />,
        ];
      }}
    />
  );
}

/** A user's latest assignment: pending at Microsoft, done, or failed with Microsoft's reason. */
function OperationStatus({ operation }: { operation: TeamsOperationView }) {
  const styles = useStyles();
  if (operation.state === 'pending') {
    return (
      <span className={styles.pending}>
        <Spinner size="extra-tiny" aria-hidden className={styles.spinner} />
        <span>{operationDoing(operation)}… (pending at Microsoft)</span>
      </span>
    );
  }
  if (operation.state === 'done') {
    return (
      <span className={styles.status}>
        <Badge appearance="tint" color="success">
          Done
        </Badge>
        <span className={styles.muted}>
          {operation.kind === 'assign' ? `assigned ${operation.telephoneNumber}` : `unassigned ${operation.telephoneNumber}`}
        </span>
      </span>
    );
  }
  return <span className={mergeClasses(styles.status, styles.failed)}>Failed: {operation.reason ?? 'Microsoft gave no reason.'}</span>;
}
