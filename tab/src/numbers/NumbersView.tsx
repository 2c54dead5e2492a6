import { Button, Field, Select, useRestoreFocusTarget } from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useEffect, useRef, useState } from 'react';
import type { CustomerView, PortalApi, RemoveNumbersResult } from '../api/portal-api';
import { useAccess } from '../app/access';
import { NUMBER_STATUSES, STATUS_TEXT } from '../../../api/numbers/number-status';
import { NoticeBar } from '../shared/NoticeBar';
import { PagedListView } from '../shared/PagedListView';
import { usePagedList } from '../shared/use-paged-list';
import { AddNumbersDialog } from './AddNumbersDialog';
import { ImportDialog } from '../imports/ImportDialog';
import { ExportButton } from '../shared/ExportButton';
import { ErrorBar } from '../shared/ErrorBar';
import { NumbersTable } from './NumbersTable';
import { removalNotice } from './removal-notice';
import { RemoveNumbersDialog } from './RemoveNumbersDialog';
import { useFollowedSyncRun } from '../sync/use-followed-sync-run';

export { removalNotice };

export const PAGE_SIZE = 50;

export type KnownStatus = keyof typeof STATUS_TEXT;
const STATUSES = NUMBER_STATUSES as KnownStatus[];

export interface NumbersViewProps {
  api: PortalApi;
  customer: CustomerView;
  onClose(): void;
}

type Dialog = 'add' | 'remove' | 'import';

/**
 * Phone Numbers: the customer's numbers with their status text, a status
 * filter and a search (both answered by the API, a page at a time), and the
 * buttons Close, Add, Remove, Import and Export (of the status shown).
 */
export function NumbersView({ api, customer, onClose }: NumbersViewProps) {
  const restoreFocusTarget = useRestoreFocusTarget();
  const { can } = useAccess();
  const [status, setStatus] = useState<KnownStatus | ''>('');
  const list = usePagedList((query) => api.listNumbers(customer.id, { ...(status ? { status } : {}), ...query }), {
    pageSize: PAGE_SIZE,
    filter: status,
    deps: [api, customer.id],
  });
  // Selected numbers, for the list they were selected in; a new page, filter or search starts empty.
  const [selection, setSelection] = useState<{ key: string; numbers: ReadonlySet<string> }>({
    key: list.listKey,
    numbers: new Set(),
  });
  if (selection.key !== list.listKey) setSelection({ key: list.listKey, numbers: new Set() });
  const [dialog, setDialog] = useState<Dialog>();
  // What the Remove dialog confirms: fixed when it opens, kept while it closes.
  const [toRemove, setToRemove] = useState<string[]>([]);
  // The last removal, whose notice follows its clean-up sync (started, or queued behind the sync under way) to its end.
  const [removal, setRemoval] = useState<RemoveNumbersResult>();
  const cleanUp = useFollowedSyncRun(api, Boolean(removal?.syncRun));
  const notice = removal && removalNotice(removal, cleanUp.run);
  const cleanUpState = cleanUp.run?.state;
  const [exportFailure, setExportFailure] = useState<unknown>();
  const noticeRef = useRef<HTMLDivElement>(null);
  const focusNotice = useRef(false);

  const items = list.data?.items ?? [];
  const chosen = selection.key === list.listKey ? selection.numbers : new Set<string>();
  const selectedNumbers = items.filter((item) => chosen.has(item.e164)).map((item) => item.e164);
  const setChosen = (numbers: ReadonlySet<string>) => setSelection({ key: list.listKey, numbers });
  const toggle = (e164: string) => {
    const next = new Set(chosen);
    if (next.has(e164)) next.delete(e164);
    else next.add(e164);
    setChosen(next);
  };
  const toggleAll = () =>
    setChosen(selectedNumbers.length === items.length ? new Set() : new Set(items.map((item) => item.e164)));

  // The clean-up sync has ended: the statuses it wrote are shown.
  const reload = list.reload;
  useEffect(() => {
    if (cleanUpState === 'succeeded' || cleanUpState === 'failed') reload();
  }, [cleanUpState, reload]);

  const label = customerLabel(customer);
  const removed = (result: RemoveNumbersResult) => {
    setDialog(undefined);
    setChosen(new Set());
    focusNotice.current = true;
    setRemoval(result);
    cleanUp.follow(result.syncRun ?? undefined);
    list.reload();
  };

  return (
    <PagedListView
      list={list}
      title={`Phone Numbers of ${label}`}
      noun="number"
      actionsLabel="Number actions"
      actions={
        <>
          <Button onClick={onClose}>Close</Button>
          {can('addNumbers') && (
            <Button
              appearance="primary"
              {...restoreFocusTarget}
              onClick={() => {
                setRemoval(undefined);
                cleanUp.follow(undefined);
                setDialog('add');
              }}
            >
              Add
            </Button>
          )}
          {can('removeNumbers') && (
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
          )}
          {can('importNumbers') && (
            <Button {...restoreFocusTarget} onClick={() => setDialog('import')}>
              Import
            </Button>
          )}
          {can('exportNumbers') && (
            <ExportButton download={() => api.exportNumbers(customer.id, status || undefined)} onFailure={setExportFailure} />
          )}
        </>
      }
      search={{ placeholder: 'Part of a number, e.g. 555 0100', maxLength: 50, minWidth: '240px' }}
      filter={
        <Field label="Status">
          <Select
            style={{ minWidth: '280px' }}
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
      }
      notice={
        (notice || exportFailure !== undefined) && (
          <>
            {notice && <NoticeBar notice={notice} ref={noticeRef} />}
            {exportFailure !== undefined && <ErrorBar error={exportFailure} />}
          </>
        )
      }
      loadingLabel="Loading numbers"
      emptyText={list.filtered ? 'No number matches the filter and search.' : `${label} has no numbers yet. Press Add to assign some.`}
      pagerNote={selectedNumbers.length > 0 && `, ${selectedNumbers.length.toLocaleString()} selected`}
      dialogs={
        <>
          <AddNumbersDialog
            api={api}
            customer={customer}
            open={dialog === 'add'}
            onAdded={list.reload}
            onClose={() => setDialog(undefined)}
          />
          <ImportDialog
            api={api}
            open={dialog === 'import'}
            title={`Import numbers to ${label}`}
            kind="numbers.add"
            hint="A header row with a column named number (or e164, phone, phone number, did); one number a row. Other columns are left out."
            preview={(file) => api.importNumbers(customer.id, file, true)}
            start={(file) => api.importNumbers(customer.id, file, false)}
            onProgress={list.reload}
            onClose={() => {
              setDialog(undefined);
              list.reload();
            }}
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
        </>
      }
    >
      <NumbersTable label={`Phone numbers of ${label}`} numbers={items} chosen={chosen} onToggle={toggle} onToggleAll={toggleAll} selectable={can('removeNumbers')} />
    </PagedListView>
  );
}
