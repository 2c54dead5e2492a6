import { Field, SearchBox, Spinner, Subtitle1, Text, Toolbar, makeStyles, mergeClasses, tokens, useId } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { Page } from '../api/portal-api';
import { ErrorBar } from './ErrorBar';
import { plural } from './format';
import { Pager } from './Pager';
import type { PagedList } from './use-paged-list';
import { useFocusOnMount } from './use-focus-on-mount';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  heading: { margin: 0 },
  bar: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  wide: { gap: tokens.spacingHorizontalXL },
});

export interface PagedListViewProps {
  /** The list's state (usePagedList). */
  list: Omit<PagedList<Page<unknown>>, 'setData'>;
  /** The heading, followed by the count ("Users of Contoso (3 users)"). */
  title: string;
  /** What the count counts: "number", "user". */
  noun: string;
  /** The buttons beside the heading, and the toolbar's name. */
  actions: ReactNode;
  actionsLabel: string;
  search: { placeholder: string; maxLength: number; minWidth: string };
  /** A filter beside the search (a Field). */
  filter?: ReactNode;
  /** More room between the search and the filter. */
  wideBar?: boolean;
  /** The view has stopped (co-management is off): this is shown instead of the list and its states. */
  stopped?: ReactNode;
  /** A notice above the list's error (what an action did). */
  notice?: ReactNode;
  /** Another failure, below the list's error. */
  alert?: ReactNode;
  loadingLabel: string;
  /** Said when the list is empty. */
  emptyText: string;
  /** Said in the pager after "1–25 of 60". */
  pagerNote?: ReactNode;
  /** The table of the page's items (shown when there are some). */
  children: ReactNode;
  /** After the pager: the view's dialogs. */
  dialogs?: ReactNode;
}

/**
 * A list view of the tab: the heading with the count, which takes the focus
 * when the view opens; the actions; search and filter; notices and errors
 * (Try again reads the list again); the table; loading and empty states; the
 * pager.
 */
export function PagedListView(props: PagedListViewProps) {
  const { list, title, noun, stopped, search } = props;
  const styles = useStyles();
  const headingId = useId('list-heading-');
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const live = !stopped;
  const { data, loading } = list;
  const total = live ? (data?.total ?? 0) : 0;
  const count = data && live ? `${plural(total, noun)}${list.filtered ? ' matching' : ''}` : undefined;

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <div className={styles.header}>
        <h2 id={headingId} className={styles.heading} ref={headingRef} tabIndex={-1}>
          <Subtitle1>
            {title}
            {count && ` (${count})`}
          </Subtitle1>
        </h2>
        <Toolbar aria-label={props.actionsLabel}>{props.actions}</Toolbar>
      </div>

      {stopped}

      <div className={mergeClasses(styles.bar, props.wideBar && styles.wide)}>
        <Field label="Search">
          <SearchBox
            style={{ minWidth: search.minWidth }}
            placeholder={search.placeholder}
            maxLength={search.maxLength}
            value={list.search}
            disabled={!live}
            onChange={(_, value) => list.setSearch(value.value)}
          />
        </Field>
        {props.filter}
      </div>

      {live && props.notice}
      {live && list.error !== undefined && <ErrorBar error={list.error} onRetry={list.reload} />}
      {live && props.alert}

      {live && data && data.items.length > 0 && props.children}
      {live && loading && <Spinner size="tiny" label={props.loadingLabel} />}
      {live && data && total === 0 && !loading && <Text>{props.emptyText}</Text>}

      {live && (
        <Pager page={list.page} pageSize={list.pageSize} total={total} onPage={list.setPage}>
          {props.pagerNote}
        </Pager>
      )}
      {props.dialogs}
    </section>
  );
}
