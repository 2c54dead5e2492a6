import {
  Badge,
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  SearchBox,
  Select,
  Spinner,
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  TableSelectionCell,
  Text,
  Toolbar,
  makeStyles,
  mergeClasses,
  tokens,
  useArrowNavigationGroup,
  useId,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useEffect, useRef, useState } from 'react';
import type { CustomerView, PortalApi, RemoveNumbersResult } from '../api/portal-api';
import { NUMBER_STATUSES, STATUS_TEXT } from '../../../api/numbers/number-status';
import { ErrorBar } from '../shared/ErrorBar';
import { formatDateTime, plural } from '../shared/format';
import { STATUS_COLOR } from '../shared/labels';
import { Pager } from '../shared/Pager';
import { useApiQuery } from '../shared/use-api-query';
import { useDebounced } from '../shared/use-debounced';
import { useFocusOnMount } from '../shared/use-focus-on-mount';
import { AddNumbersDialog } from './AddNumbersDialog';
import { RemoveNumbersDialog } from './RemoveNumbersDialog';

export const PAGE_SIZE = 50;

export type KnownStatus = keyof typeof STATUS_TEXT;
const STATUSES = NUMBER_STATUSES as KnownStatus[];


const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  heading: { margin: 0 },
  bar: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  search: { minWidth: '240px' },
  filter: { minWidth: '280px' },
  selected: { backgroundColor: tokens.colorSubtleBackgroundSelected },
  row: { cursor: 'pointer' },
});

export interface NumbersViewProps {
  api: PortalApi;
  customer: CustomerView;
  onClose(): void;
}

type Notice = { intent: 'success' | 'warning'; text: string };
type Dialog = 'add' | 'remove';

/**
 * Phone Numbers: the customer's numbers with their status text, a status
 * filter and a search (both answered by the API, a page at a time), and the
 * buttons Close, Add and Remove.
 */
export function NumbersView({ api, customer, onClose }: NumbersViewProps) {
  const styles = useStyles();
  const headingId = useId('numbers-heading-');
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const restoreFocusTarget = useRestoreFocusTarget();
  const arrowNavigation = useArrowNavigationGroup({ axis: 'vertical', memorizeCurrent: true });
  const [status, setStatus] = useState<KnownStatus | ''>('');
  const [search, setSearch] = useState('');
  const debouncedSearch = useDebounced(search.trim(), 250);
  // The page belongs to one filter and search: another filter or search starts at page 1.
  const queryKey = `${status}|${debouncedSearch}`;
  const [paging, setPaging] = useState({ key: queryKey, page: 1 });
  if (paging.key !== queryKey) setPaging({ key: queryKey, page: 1 });
  const page = paging.key === queryKey ? paging.page : 1;
  // Selected numbers, for the list they were selected in; a new page, filter or search starts empty.
  const listKey = `${queryKey}|${page}`;
  const [selection, setSelection] = useState<{ key: string; numbers: ReadonlySet<string> }>({
    key: listKey,
    numbers: new Set(),
  });
  if (selection.key !== listKey) setSelection({ key: listKey, numbers: new Set() });
  const [dialog, setDialog] = useState<Dialog>();
  // What the Remove dialog confirms: fixed when it opens, kept while it closes.
  const [toRemove, setToRemove] = useState<string[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const noticeRef = useRef<HTMLDivElement>(null);
  const focusNotice = useRef(false);

  const { data, error, loading, reload: refresh } = useApiQuery(
    () =>
      api.listNumbers(customer.id, {
        ...(status ? { status } : {}),
        ...(debouncedSearch ? { search: debouncedSearch } : {}),
        page,
        pageSize: PAGE_SIZE,
      }),
    [api, customer.id, status, debouncedSearch, page],
  );

  // A removal can empty the last page: show the new last page instead.
  useEffect(() => {
    if (data && data.items.length === 0 && data.total > 0 && data.page > 1) {
      setPaging({ key: queryKey, page: Math.ceil(data.total / PAGE_SIZE) });
    }
  }, [data, queryKey]);

  const items = data?.items ?? [];
  const chosen = selection.key === listKey ? selection.numbers : new Set<string>();
  const selectedNumbers = items.filter((item) => chosen.has(item.e164)).map((item) => item.e164);
  const allSelected = items.length > 0 && selectedNumbers.length === items.length;
  const someSelected = selectedNumbers.length > 0 && !allSelected;

  const setChosen = (numbers: ReadonlySet<string>) => setSelection({ key: listKey, numbers });
  const toggle = (e164: string) => {
    const next = new Set(chosen);
    if (next.has(e164)) next.delete(e164);
    else next.add(e164);
    setChosen(next);
  };
  const toggleAll = () => setChosen(allSelected ? new Set() : new Set(items.map((item) => item.e164)));

  const total = data?.total ?? 0;
  const filtered = status !== '' || debouncedSearch !== '';
  const label = customerLabel(customer);
  const count = data ? `${plural(total, 'number')}${filtered ? ' matching' : ''}` : undefined;

  const removed = (result: RemoveNumbersResult) => {
    setDialog(undefined);
    setChosen(new Set());
    focusNotice.current = true;
    setNotice(removalNotice(result));
    refresh();
  };

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <div className={styles.header}>
        <h2 id={headingId} className={styles.heading} ref={headingRef} tabIndex={-1}>
          <Subtitle1>
          Phone Numbers of {label}
          {count && ` (${count})`}
        </Subtitle1>
        </h2>
        <Toolbar aria-label="Number actions">
          <Button onClick={onClose}>Close</Button>
          <Button
            appearance="primary"
            {...restoreFocusTarget}
            onClick={() => {
              setNotice(undefined);
              setDialog('add');
            }}
          >
            Add
          </Button>
          <Button
            {...restoreFocusTarget}
            disabled={selectedNumbers.length === 0}
            onClick={() => {
              setToRemove(selectedNumbers);
              setDialog('remove');
            }}
          >
            Remove
          </Button>
        </Toolbar>
      </div>

      <div className={styles.bar}>
        <Field label="Search">
          <SearchBox
            className={styles.search}
            placeholder="Part of a number, e.g. 555 0100"
            maxLength={50}
            value={search}
            onChange={(_, value) => setSearch(value.value)}
          />
        </Field>
        <Field label="Status">
          <Select
            className={styles.filter}
            value={status}
            onChange={(_, value) => setStatus(value.value as KnownStatus | '')}
          >
            <option value="">All</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {STATUS_TEXT[value]}
              </option>
            ))}
          </Select>
        </Field>
      </div>

      {notice && (
        <MessageBar intent={notice.intent} ref={noticeRef} tabIndex={-1}>
          <MessageBarBody>{notice.text}</MessageBarBody>
        </MessageBar>
      )}
      {error !== undefined && <ErrorBar error={error} onRetry={refresh} />}

      {data && items.length > 0 && (
        <Table aria-label={`Phone numbers of ${label}`} size="small" {...arrowNavigation}>
          <TableHeader>
            <TableRow>
              <TableSelectionCell
                checked={allSelected ? true : someSelected ? 'mixed' : false}
                onClick={toggleAll}
                checkboxIndicator={{ 'aria-label': 'Select all numbers on this page' }}
              />
              <TableHeaderCell>Number</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Added at</TableHeaderCell>
              <TableHeaderCell>Added by</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((item) => {
              const selected = chosen.has(item.e164);
              return (
                <TableRow
                  key={item.e164}
                  aria-selected={selected}
                  className={mergeClasses(styles.row, selected && styles.selected)}
                  // A click on the row or its checkbox (mouse, or Space on the focused checkbox) toggles it.
                  onClick={() => toggle(item.e164)}
                >
                  <TableSelectionCell checked={selected} checkboxIndicator={{ 'aria-label': `Select ${item.e164}` }} />
                  <TableCell>{item.e164}</TableCell>
                  <TableCell>
                    <Badge
                      appearance="tint"
                      color={STATUS_COLOR[item.status as KnownStatus] ?? 'subtle'}
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
      )}
      {loading && <Spinner size="tiny" label="Loading numbers" />}
      {data && total === 0 && !loading && (
        <Text>
          {filtered ? 'No number matches the filter and search.' : `${label} has no numbers yet. Press Add to assign some.`}
        </Text>
      )}

      <Pager page={page} pageSize={PAGE_SIZE} total={total} onPage={(next) => setPaging({ key: queryKey, page: next })}>
        {selectedNumbers.length > 0 && `, ${selectedNumbers.length.toLocaleString()} selected`}
      </Pager>

      <AddNumbersDialog
        api={api}
        customer={customer}
        open={dialog === 'add'}
        onAdded={refresh}
        onClose={() => setDialog(undefined)}
      />
      <RemoveNumbersDialog
        api={api}
        customer={customer}
        numbers={toRemove}
        open={dialog === 'remove'}
        onCancel={() => setDialog(undefined)}
        onRemoved={removed}
        onClosed={() => {
          // After a removal the Remove button is disabled: focus goes to what happened instead.
          if (focusNotice.current) noticeRef.current?.focus();
          focusNotice.current = false;
        }}
      />
    </section>
  );
}

/** What a removal did, in a sentence or three. */
export function removalNotice(result: RemoveNumbersResult): Notice {
  const { removed, 'not-found': notFound, invalid } = result.summary;
  const parts: string[] = [];
  if (removed > 0) {
    parts.push(
      result.mode === 'delete'
        ? `Removed ${plural(removed, 'number')}; ${removed === 1 ? 'it is' : 'they are'} deleted from the backend.`
        : `Removed ${plural(removed, 'number')}; ${removed === 1 ? 'it stays' : 'they stay'} in the backend (only detached).`,
    );
  } else {
    parts.push('No number was removed.');
  }
  if (notFound > 0) parts.push(`${plural(notFound, 'number')} ${notFound === 1 ? 'was' : 'were'} not on this customer.`);
  if (invalid > 0) parts.push(`${plural(invalid, 'entry', 'entries')} ${invalid === 1 ? 'was' : 'were'} not a valid number.`);
  if (result.syncRun) {
    parts.push(
      result.syncRun.started
        ? 'The backend clean-up sync has started.'
        : 'A sync that is already running cleans up the backend.',
    );
  } else if (removed > 0) {
    parts.push('The backend is cleaned up at the next sync.');
  }
  return { intent: removed > 0 && notFound === 0 && invalid === 0 ? 'success' : 'warning', text: parts.join(' ') };
}
