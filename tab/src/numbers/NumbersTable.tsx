import {
  Badge,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  TableSelectionCell,
  mergeClasses,
  useArrowNavigationGroup,
} from '@fluentui/react-components';
import type { NumberView } from '../api/portal-api';
import { formatDateTime } from '../shared/format';
import { STATUS_COLOR } from '../shared/labels';
import { useSelectableRowStyles } from '../shared/selectable-rows';

export interface NumbersTableProps {
  label: string;
  numbers: NumberView[];
  /** The selected numbers (E.164) of this page. */
  chosen: ReadonlySet<string>;
  onToggle(e164: string): void;
  onToggleAll(): void;
}

/** A page of the customer's numbers, each with a checkbox; the header's selects the whole page. */
export function NumbersTable({ label, numbers, chosen, onToggle, onToggleAll }: NumbersTableProps) {
  const styles = useSelectableRowStyles();
  const arrowNavigation = useArrowNavigationGroup({ axis: 'vertical', memorizeCurrent: true });
  const selectedCount = numbers.filter((item) => chosen.has(item.e164)).length;
  const allSelected = numbers.length > 0 && selectedCount === numbers.length;
  return (
    <Table aria-label={label} size="small" {...arrowNavigation}>
      <TableHeader>
        <TableRow>
          <TableSelectionCell
            checked={allSelected ? true : selectedCount > 0 ? 'mixed' : false}
            onClick={onToggleAll}
            checkboxIndicator={{ 'aria-label': 'Select all numbers on this page' }}
          />
          <TableHeaderCell>Number</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell>Added at</TableHeaderCell>
          <TableHeaderCell>Added by</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {numbers.map((item) => {
          const selected = chosen.has(item.e164);
          return (
            <TableRow
              key={item.e164}
              aria-selected={selected}
              className={mergeClasses(styles.row, selected && styles.selected)}
              // A click on the row or its checkbox (mouse, or Space on the focused checkbox) toggles it.
              onClick={() => onToggle(item.e164)}
            >
              <TableSelectionCell checked={selected} checkboxIndicator={{ 'aria-label': `Select ${item.e164}` }} />
              <TableCell>{item.e164}</TableCell>
              <TableCell>
                <Badge
                  appearance="tint"
                  color={STATUS_COLOR[item.status] ?? 'subtle'}
                  // Long status texts wrap inside the badge instead of spilling over the next row.
                  style={{ height: 'auto', whiteSpace: 'normal', paddingBlock: '2px', borderRadius: '4px' }}
                >
                  {item.statusText}
                </Badge>
              </TableCell>
              <TableCell>{formatDateTime(item.addedAt)}</TableCell>
              <TableCell>{item.addedBy.name ?? item.addedBy.oid}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
