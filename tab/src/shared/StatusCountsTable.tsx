import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { statusText } from './labels';

/** Numbers by status, each status in the product's words. */
export function StatusCountsTable({ counts, label }: { counts: Record<string, number>; label: string }) {
  return (
    <Table size="small" aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell style={{ textAlign: 'right', width: '8em' }}>Numbers</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {Object.entries(counts).map(([status, count]) => (
          <TableRow key={status}>
            <TableCell>{statusText(status)}</TableCell>
            <TableCell style={{ textAlign: 'right' }}>{count.toLocaleString()}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
