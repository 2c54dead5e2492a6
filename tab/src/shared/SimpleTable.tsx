import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import type { ReactNode } from 'react';

export interface SimpleTableColumn {
  title: string;
  /** On the header cell and on every cell of the column (alignment, width). */
  className?: string;
}

export interface SimpleTableProps<T> {
  /** The table's name, or the id of the heading that names it. */
  label?: string;
  labelledBy?: string;
  columns: (string | SimpleTableColumn)[];
  items: readonly T[];
  rowKey(item: T, index: number): string | number;
  /** The row's cells, one a column. */
  cells(item: T): ReactNode[];
  /** A cell's own class (a problem in red). */
  cellClassName?(item: T, column: number): string | undefined;
}

/** A small read-only table: a header row and one row an item, nothing to select. */
export function SimpleTable<T>({ label, labelledBy, columns, items, rowKey, cells, cellClassName }: SimpleTableProps<T>) {
  const cols = columns.map((column) => (typeof column === 'string' ? { title: column } : column));
  return (
    <Table size="small" aria-label={label} aria-labelledby={labelledBy}>
      <TableHeader>
        <TableRow>
          {cols.map((column) => (
            <TableHeaderCell key={column.title} className={column.className}>
              {column.title}
            </TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((item, index) => (
          <TableRow key={rowKey(item, index)}>
            {cells(item).map((cell, column) => (
              <TableCell key={column} className={cellClassName?.(item, column) ?? cols[column]?.className}>
                {cell}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
