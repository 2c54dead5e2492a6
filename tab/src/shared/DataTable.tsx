import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  TableSelectionCell,
  useArrowNavigationGroup,
  type TableRowProps,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';

export interface DataTableColumn {
  title: string;
  /** On the header cell and on every cell of the column (alignment, width). */
  className?: string;
  /** On the column's cells only. */
  cellClassName?: string;
}

/** Rows that can be selected: a radio (one at a time) or a checkbox (several) in front of each. */
export interface DataTableSelection<T> {
  type: 'radio' | 'checkbox';
  isSelected(item: T): boolean;
  /** The name of an item's radio or checkbox ("Select +15550100001"). */
  label(item: T): string;
  /** Checkboxes: the header's one, which selects the whole page. */
  all?: { checked: boolean | 'mixed'; onClick(): void; label: string };
}

export interface DataTableProps<T> {
  /** The table's name, or the id of the heading that names it. */
  label?: string;
  labelledBy?: string;
  columns: (string | DataTableColumn)[];
  items: readonly T[];
  rowKey(item: T, index: number): string | number;
  /** The row's cells, one a column. */
  cells(item: T): ReactNode[];
  /** A cell's own class (a problem in red), instead of its column's. */
  cellClassName?(item: T, column: number): string | undefined;
  selection?: DataTableSelection<T>;
  /** A row's class and events (a click selects it, Enter opens it). */
  rowProps?(item: T): Omit<TableRowProps, 'children'>;
  /** The columns take the width their content needs. */
  autoLayout?: boolean;
  /** Up and Down move between the rows' controls. */
  arrowKeys?: boolean;
}

/** A table of the tab: a header row and one row an item, maybe with a radio or checkbox in front. */
export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, items, selection } = props;
  const arrowNavigation = useArrowNavigationGroup({ axis: 'vertical', memorizeCurrent: true });
  const cols = columns.map((column): DataTableColumn => (typeof column === 'string' ? { title: column } : column));
  return (
    <Table
      size="small"
      aria-label={props.label}
      aria-labelledby={props.labelledBy}
      style={props.autoLayout ? { tableLayout: 'auto' } : undefined}
      {...(props.arrowKeys ? arrowNavigation : {})}
    >
      <TableHeader>
        <TableRow>
          {selection && <HeaderSelectionCell selection={selection} />}
          {cols.map((column) => (
            <TableHeaderCell key={column.title} className={column.className}>
              {column.title}
            </TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((item, index) => {
          const selected = selection?.isSelected(item);
          return (
            <TableRow key={props.rowKey(item, index)} aria-selected={selected} {...props.rowProps?.(item)}>
              {selection?.type === 'radio' && (
                <TableSelectionCell type="radio" checked={selected} radioIndicator={{ 'aria-label': selection.label(item) }} />
              )}
              {selection?.type === 'checkbox' && (
                <TableSelectionCell checked={selected} checkboxIndicator={{ 'aria-label': selection.label(item) }} />
              )}
              {props.cells(item).map((cell, column) => (
                <TableCell
                  key={column}
                  className={props.cellClassName?.(item, column) ?? cols[column]?.cellClassName ?? cols[column]?.className}
                >
                  {cell}
                </TableCell>
              ))}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

function HeaderSelectionCell<T>({ selection }: { selection: DataTableSelection<T> }) {
  const { all } = selection;
  if (selection.type === 'checkbox' && all) {
    return <TableSelectionCell checked={all.checked} onClick={all.onClick} checkboxIndicator={{ 'aria-label': all.label }} />;
  }
  return <TableSelectionCell type={selection.type} invisible />;
}
