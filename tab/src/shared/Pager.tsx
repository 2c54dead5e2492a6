import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  paging: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

export interface PagerProps {
  /** The page shown, from 1. */
  page: number;
  pageSize: number;
  /** All the entries, on every page. */
  total: number;
  /** Previous or Next was pressed: show this page. */
  onPage(page: number): void;
  /** Said after "1–25 of 60" (e.g. how many are selected). */
  children?: ReactNode;
}

/** The paging footer of the list views: Previous, "1–25 of 60", Next. */
export function Pager({ page, pageSize, total, onPage, children }: PagerProps) {
  const styles = useStyles();
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, total);
  return (
    <div className={styles.paging} role="navigation" aria-label="Pages">
      <Button disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </Button>
      <Text aria-live="polite">
        {first}–{last} of {total.toLocaleString()}
        {children}
      </Text>
      <Button disabled={last >= total} onClick={() => onPage(page + 1)}>
        Next
      </Button>
    </div>
  );
}
