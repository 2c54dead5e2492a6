import { makeStyles } from '@fluentui/react-components';
import { statusText } from './labels';
import { DataTable } from './DataTable';

const useStyles = makeStyles({
  numeric: { textAlign: 'right', width: '8em' },
});

/** Numbers by status, each status in the product's words. */
export function StatusCountsTable({ counts, label }: { counts: Record<string, number>; label: string }) {
  const styles = useStyles();
  return (
    <DataTable
      label={label}
      columns={['Status', { title: 'Numbers', className: styles.numeric }]}
      items={Object.entries(counts)}
      rowKey={([status]) => status}
      cells={([status, count]) => [statusText(status), count.toLocaleString()]}
    />
  );
}
