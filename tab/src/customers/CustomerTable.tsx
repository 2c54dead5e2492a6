import { Badge, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import type { KeyboardEvent } from 'react';
import type { CustomerView } from '../api/portal-api';
import { DataTable } from '../shared/DataTable';
import { formatDateTime, plural } from '../shared/format';
import { syncStateText } from '../shared/labels';

const useStyles = makeStyles({
  selected: { backgroundColor: tokens.colorSubtleBackgroundSelected },
  numeric: { textAlign: 'right' },
  drift: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, whiteSpace: 'nowrap' },
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
    <DataTable
      label="Customers"
      autoLayout
      columns={[
        'Name',
        'Account ID',
        'Office 365 Tenant',
        { title: 'Max Channels', cellClassName: styles.numeric },
        { title: 'Numbers', cellClassName: styles.numeric },
        'Last sync',
        'Drift',
        'Can manage?',
      ]}
      items={customers}
      rowKey={(customer) => customer.id}
      selection={{
        type: 'radio',
        isSelected: (customer) => customer.id === selectedId,
        label: (customer) => `Select ${customerLabel(customer)}`,
      }}
      rowProps={(customer) => ({
        className: customer.id === selectedId ? styles.selected : undefined,
        onClick: () => onSelect(customer),
        onDoubleClick: () => onOpen(customer),
        onKeyDown: (event: KeyboardEvent) => {
          if (event.key === ' ') {
            event.preventDefault();
            onSelect(customer);
          } else if (event.key === 'Enter') {
            onOpen(customer);
          }
        },
        tabIndex: 0,
      })}
      cells={(customer) => [
        customer.name ?? <em>(no name)</em>,
        customer.accountId,
        customer.tenantName,
        customer.maxChannels,
        customer.numberCount,
        lastSyncText(customer),
        <DriftCell customer={customer} />,
        <Badge appearance="tint" color={customer.canManage ? 'success' : 'subtle'}>
          {customer.canManage ? 'Yes' : 'No'}
        </Badge>,
      ]}
    />
  );
}

/** The drift count, with a warning badge and what it means when the customer needs attention; "—" before any sync ended. */
function DriftCell({ customer }: { customer: CustomerView }) {
  const styles = useStyles();
  const drift = customer.drift;
  if (!drift) return <span aria-label="No sync yet">—</span>;
  const text = driftText(drift);
  if (!drift.needsAttention) return <span title={text}>{drift.total}</span>;
  return (
    <span className={styles.drift} title={text}>
      <Badge appearance="filled" color="warning" aria-hidden>
        {drift.total}
      </Badge>
      <Caption1>{text}</Caption1>
    </span>
  );
}

export function driftText(drift: NonNullable<CustomerView['drift']>): string {
  const parts: string[] = [];
  if (drift.computedAt === null) parts.push('not compared yet');
  else if (drift.total > 0 || drift.consecutiveFailures === 0) parts.push(`${plural(drift.total, 'number')} drifted`);
  if (drift.consecutiveFailures > 0) parts.push(`${plural(drift.consecutiveFailures, 'failed sync')} in a row`);
  const text = parts.join(' · ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function lastSyncText(customer: CustomerView): string {
  if (!customer.lastSync) return 'Never';
  const state = syncStateText(customer.lastSync.state);
  const when = customer.lastSync.finishedAt ?? customer.lastSync.startedAt;
  return `${state}, ${formatDateTime(when)}`;
}
