import {
  Badge,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  TableSelectionCell,
  makeStyles,
  mergeClasses,
  tokens,
  useArrowNavigationGroup,
} from '@fluentui/react-components';
import type { TeamsOperationView, TeamsUserView } from '../api/portal-api';
import { useSelectableRowStyles } from '../shared/selectable-rows';
import { operationDoing } from './co-management';

const useStyles = makeStyles({
  table: { tableLayout: 'auto' },
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
  const arrowNavigation = useArrowNavigationGroup({ axis: 'vertical', memorizeCurrent: true });
  return (
    <Table aria-label={label} size="small" className={styles.table} {...arrowNavigation}>
      <TableHeader>
        <TableRow>
          <TableSelectionCell type="radio" invisible />
          <TableHeaderCell>Name</TableHeaderCell>
          <TableHeaderCell>Sign-in name</TableHeaderCell>
          <TableHeaderCell>Teams voice</TableHeaderCell>
          <TableHeaderCell>Number</TableHeaderCell>
          <TableHeaderCell>Voice routing policy</TableHeaderCell>
          <TableHeaderCell>Latest assignment</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {users.map((user) => {
          const isSelected = user.id === selectedId;
          const operation = latest.get(user.id);
          return (
            <TableRow
              key={user.id}
              aria-selected={isSelected}
              className={mergeClasses(rows.row, isSelected && rows.selected)}
              // A click on the row or its radio (mouse, or Space on the focused radio) selects it.
              onClick={() => onSelect(user.id)}
            >
              <TableSelectionCell type="radio" checked={isSelected} radioIndicator={{ 'aria-label': `Select ${user.displayName}` }} />
              <TableCell className={styles.name}>
                {user.displayName}
                {!user.accountEnabled && <span className={styles.muted}> (sign-in blocked)</span>}
              </TableCell>
              <TableCell className={styles.signIn}>{user.userPrincipalName}</TableCell>
              <TableCell>
                <Badge appearance="tint" color={user.voiceEnabled ? 'success' : 'subtle'}>
                  {user.voiceEnabled ? 'Enabled' : 'Off'}
                </Badge>
              </TableCell>
              <TableCell>{user.number ?? <span className={styles.muted}>None</span>}</TableCell>
              <TableCell>{user.voiceRoutingPolicy ?? <span className={styles.muted}>Default (Global)</span>}</TableCell>
              <TableCell>{operation && <OperationStatus operation={operation} />}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
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
