import { Badge, mergeClasses } from '@fluentui/react-components';
import type { NumberView } from '../api/portal-api';
import { DataTable } from '../shared/DataTable';
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
  /** False: no checkboxes (the caller's role cannot remove, so there is nothing to select for). */
  selectable?: boolean;
}

/** A page of the customer's numbers, each with a checkbox; the header's selects the whole page. */
export function NumbersTable({ label, numbers, chosen, onToggle, onToggleAll, selectable = true }: NumbersTableProps) {
  const styles = useSelectableRowStyles();
  const selectedCount = numbers.filter((item) => chosen.has(item.e164)).length;
  const allSelected = numbers.length > 0 && selectedCount === numbers.length;
  return (
    <DataTable
      label={label}
      arrowKeys
      columns={['Number', 'Status', 'Added at', 'Added by']}
      items={numbers}
      rowKey={(item) => item.e164}
      selection={
        selectable
          ? {
              type: 'checkbox',
              isSelected: (item) => chosen.has(item.e164),
              label: (item) => `Select ${item.e164}`,
              all: {
                checked: allSelected ? true : selectedCount > 0 ? 'mixed' : false,
                onClick: onToggleAll,
                label: 'Select all numbers on this page',
              },
            }
          : undefined
      }
      rowProps={(item) =>
        selectable
          ? {
              className: mergeClasses(styles.row, chosen.has(item.e164) && styles.selected),
              // A click on the row or its checkbox (mouse, or Space on the focused checkbox) toggles it.
              onClick: () => onToggle(item.e164),
            }
          : {}
      }
      cells={(item) => [
        item.e164,
        <Badge
          appearance="tint"
          color={STATUS_COLOR[item.status] ?? 'subtle'}
          // Long status texts wrap inside the badge instead of spilling over the next row.
          style={{ height: 'auto', whiteSpace: 'normal', paddingBlock: '2px', borderRadius: '4px' }}
        >
          {item.statusText}
        </Badge>,
        formatDateTime(item.addedAt),
        item.addedBy.name ?? item.addedBy.oid,
      ]}
    />
  );
}
