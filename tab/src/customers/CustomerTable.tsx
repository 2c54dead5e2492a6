import {
  Badge,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  TableSelectionCell,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import type { CustomerView } from '../api/portal-api';
import { formatDateTime } from '../shared/format';
import { syncStateText } from '../shared/labels';

const useStyles = makeStyles({
  selected: { backgroundColor: tokens.colorSubtleBackgroundSelected },
  numeric: { textAlign: 'right' },
});

export interface CustomerTableProps {
  customers: CustomerView[];
  selectedId: string | undefined;
  onSelect(customer: CustomerView): void;
  /** Enter or double click: the customer's details. */
  onOpen(customer: CustomerView): void;
}

/** The partner's customers, one selectable row each. */
export function CustomerTable({ customers, selectedId, onSelect, onOpen }: CustomerTableProps) {
  const styles = useStyles();
  return (
    <Table aria-label="Customers" size="small" style={{ tableLayout: 'auto' }}>
      <TableHeader>
        <TableRow>
          <TableSelectionCell type="radio" invisible />
          <TableHeaderCell>Name</TableHeaderCell>
          <TableHeaderCell>Account ID</TableHeaderCell>
          <TableHeaderCell>Office 365 Tenant</TableHeaderCell>
          <TableHeaderCell>Max Channels</TableHeaderCell>
          <TableHeaderCell>Numbers</TableHeaderCell>
          <TableHeaderCell>Last sync</TableHeaderCell>
          <TableHeaderCell>Can manage?</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {customers.map((customer) => {
          const selected = customer.id === selectedId;
          return (
            <TableRow
              key={customer.id}
              aria-selected={selected}
              className={selected ? styles.selected : undefined}
              onClick={() => onSelect(customer)}
              onDoubleClick={() => onOpen(customer)}
              onKeyDown={(event) => {
                if (event.key === ' ') {
                  event.preventDefault();
                  onSelect(customer);
                } else if (event.key === 'Enter') {
                  onOpen(customer);
                }
              }}
              tabIndex={0}
            >
              <TableSelectionCell
                type="radio"
                checked={selected}
                radioIndicator={{ 'aria-label': `Select ${customerLabel(customer)}` }}
              />
              <TableCell>{customer.name ?? <em>(no name)</em>}</TableCell>
              <TableCell>{customer.accountId}</TableCell>
              <TableCell>{customer.tenantName}</TableCell>
              <TableCell className={styles.numeric}>{customer.maxChannels}</TableCell>
              <TableCell className={styles.numeric}>{customer.numberCount}</TableCell>
              <TableCell>{lastSyncText(customer)}</TableCell>
              <TableCell>
                <Badge appearance="tint" color={customer.canManage ? 'success' : 'subtle'}>
                  {customer.canManage ? 'Yes' : 'No'}
                </Badge>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

export function lastSyncText(customer: CustomerView): string {
  if (!customer.lastSync) return 'Never';
  const state = syncStateText(customer.lastSync.state);
  const when = customer.lastSync.finishedAt ?? customer.lastSync.startedAt;
  return `${state}, ${formatDateTime(when)}`;
}
