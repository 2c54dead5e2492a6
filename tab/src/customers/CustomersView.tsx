import { Button, SearchBox, Spinner, Text, ToggleButton, Toolbar, makeStyles, tokens, useRestoreFocusTarget } from '@fluentui/react-components';
import { Suspense, lazy, useEffect, useState } from 'react';
import type { CustomerView, PortalApi } from '../api/portal-api';
import { useAccess } from '../app/access';
import { ErrorBar } from '../shared/ErrorBar';
import { Pager } from '../shared/Pager';
import { useApiQuery } from '../shared/use-api-query';
import { useDebounced } from '../shared/use-debounced';
import { CustomerTable } from './CustomerTable';
import { ExportButton } from '../shared/ExportButton';

// The dialogs are chunks of their own, loaded when first needed: the first view stays small.
const NewCustomerDialog = lazy(() => import('./NewCustomerDialog').then((module) => ({ default: module.NewCustomerDialog })));
const SyncDialog = lazy(() => import('../sync/SyncDialog').then((module) => ({ default: module.SyncDialog })));
const ImportDialog = lazy(() => import('../imports/ImportDialog').then((module) => ({ default: module.ImportDialog })));

const PAGE_SIZE = 25;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  bar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  search: { minWidth: '280px' },
});

export interface CustomersViewProps {
  api: PortalApi;
  onOpenDetails(customer: CustomerView): void;
  onOpenNumbers(customer: CustomerView): void;
  onManage(customer: CustomerView): void;
  /** Changes when the list must be read again from outside (a customer switched co-management off). */
  reloadKey?: number;
}

/** The Customers tab: search, the table, and the buttons New, Details, Phone Numbers, Manage, Sync, Import, Export. */
export function CustomersView({ api, onOpenDetails, onOpenNumbers, onManage, reloadKey = 0 }: CustomersViewProps) {
  const styles = useStyles();
  const { can } = useAccess();
  const [search, setSearch] = useState('');
  const debouncedSearch = useDebounced(search.trim(), 250);
  const [page, setPage] = useState(1);
  const [attention, setAttention] = useState(false);
  const [selected, setSelected] = useState<CustomerView>();
  const [dialog, setDialog] = useState<'new' | 'sync' | 'import'>();
  const [exportFailure, setExportFailure] = useState<unknown>();

  useEffect(() => setPage(1), [debouncedSearch, attention]);

  const { data, error, loading, reload: refresh } = useApiQuery(
    () => api.listCustomers({ search: debouncedSearch, page, pageSize: PAGE_SIZE, ...(attention ? { attention: true } : {}) }),
    [api, debouncedSearch, page, attention, reloadKey],
    {
      // Keep the selection fresh (counts, last sync), or drop it when the row left the page.
      onData: (result) => setSelected((before) => result.items.find((c) => c.id === before?.id)),
    },
  );

  const restoreFocus = useRestoreFocusTarget();

  // Runs started for the partner (Sync after save, a removal's clean-up) show
  // their state in the list: look again while one of them is under way.
  const running = data?.items.some((c) => c.lastSync?.state === 'queued' || c.lastSync?.state === 'running');
  useEffect(() => {
    if (!running || dialog) return;
    const timer = setTimeout(refresh, 2000);
    return () => clearTimeout(timer);
  }, [running, dialog, data, refresh]);
  const total = data?.total ?? 0;

  return (
    <section className={styles.root} aria-label="Customers">
      <div className={styles.bar}>
        <SearchBox
          className={styles.search}
          placeholder="Search name, account ID or tenant"
          aria-label="Search customers"
          value={search}
          onChange={(_, value) => setSearch(value.value)}
        />
        <ToggleButton
          checked={attention}
          onClick={() => setAttention((before) => !before)}
          title="Only the customers with drifted numbers or failing syncs"
        >
          Needs attention
        </ToggleButton>
        <Toolbar aria-label="Customer actions">
          {can('createCustomer') && (
            <Button appearance="primary" onClick={() => setDialog('new')} {...restoreFocus}>
              New
            </Button>
          )}
          <Button disabled={!selected} onClick={() => selected && onOpenDetails(selected)}>
            Details
          </Button>
          <Button disabled={!selected} onClick={() => selected && onOpenNumbers(selected)}>
            Phone Numbers
          </Button>
          <Button
            disabled={!selected?.canManage}
            title={selected && !selected.canManage ? 'The customer has not allowed co-management' : undefined}
            onClick={() => selected && onManage(selected)}
          >
            Manage
          </Button>
          {can('startSync') && (
            <Button disabled={!selected} onClick={() => setDialog('sync')} {...restoreFocus}>
              Sync
            </Button>
          )}
          {can('importCustomers') && (
            <Button onClick={() => setDialog('import')} {...restoreFocus}>
              Import
            </Button>
          )}
          {can('exportCustomers') && (
            <ExportButton download={() => api.exportCustomers(debouncedSearch || undefined)} onFailure={setExportFailure} />
          )}
        </Toolbar>
      </div>

      {error !== undefined && <ErrorBar error={error} onRetry={refresh} />}
      {exportFailure !== undefined && <ErrorBar error={exportFailure} />}

      {data && (
        <CustomerTable customers={data.items} selectedId={selected?.id} onSelect={setSelected} onOpen={onOpenDetails} />
      )}
      {loading && <Spinner size="tiny" label="Loading customers" />}
      {data && data.total === 0 && !loading && (
        <Text>{attention ? `No customer${debouncedSearch ? ` matching "${debouncedSearch}"` : ''} needs attention.` : debouncedSearch ? `No customer matches "${debouncedSearch}".` : can('createCustomer') ? 'No customers yet. Press New to create one.' : 'No customers yet.'}</Text>
      )}

      <Pager page={page} pageSize={PAGE_SIZE} total={total} onPage={setPage} />

      <Suspense fallback={null}>
      {dialog === 'new' && (
      <NewCustomerDialog
        api={api}
        open
        onCancel={() => setDialog(undefined)}
        onSaved={(customer) => {
          setDialog(undefined);
          // Show the new customer wherever it sorts: search for its account id.
          setSearch(customer.accountId);
          setSelected(customer);
          refresh();
        }}
      />
      )}
      {dialog === 'import' && (
        <ImportDialog
          api={api}
          open
          title="Import customers"
          kind="customers.import"
          hint="A header row with Account ID, Office 365 Tenant Name and Max Channels (Name and Seat type if you have them); one customer a row."
          preview={(file) => api.importCustomers(file, true)}
          start={(file) => api.importCustomers(file, false)}
          onProgress={refresh}
          onClose={() => {
            setDialog(undefined);
            refresh();
          }}
        />
      )}
      {selected && (
        <SyncDialog
          api={api}
          customer={selected}
          open={dialog === 'sync'}
          onClose={() => {
            setDialog(undefined);
            refresh();
          }}
        />
      )}
      </Suspense>
    </section>
  );
}
