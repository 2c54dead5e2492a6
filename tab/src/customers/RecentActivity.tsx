import { Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { AuditEntryView, Page, SyncRunView } from '../api/portal-api';
import { DataTable } from '../shared/DataTable';
import { ErrorBar } from '../shared/ErrorBar';
import { formatDateTime } from '../shared/format';
import { syncStateText } from '../shared/labels';
import { TRIGGER_TEXT, describeChange, runOutcome } from './customer-texts';
import type { Loaded } from './use-customer-details';

export const useSectionStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
});

/** A section of the details page: its heading, then what it holds. */
export function DetailsSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  const styles = useSectionStyles();
  return (
    <section className={styles.section} aria-labelledby={id}>
      <h2 id={id} className={styles.heading}>
        {title}
      </h2>
      {children}
    </section>
  );
}

interface ListSectionProps<T> {
  id: string;
  title: string;
  list: Loaded<Page<T>>;
  onRetry(): void;
  loadingLabel: string;
  emptyText: string;
  columns: string[];
  rowKey(item: T): string;
  cells(item: T): ReactNode[];
}

/** A section listing a few entries: loading, its failure with Try again, none yet, or the table. */
function ListSection<T>({ id, title, list, onRetry, loadingLabel, emptyText, ...table }: ListSectionProps<T>) {
  return (
    <DetailsSection id={id} title={title}>
      {list.loading && !list.data && <Spinner size="tiny" label={loadingLabel} />}
      {list.error !== undefined && <ErrorBar error={list.error} onRetry={onRetry} />}
      {list.data && list.data.items.length === 0 && <Text>{emptyText}</Text>}
      {list.data && list.data.items.length > 0 && <DataTable labelledBy={id} items={list.data.items} {...table} />}
    </DetailsSection>
  );
}

/** The customer's latest sync runs. */
export function SyncRuns({ runs, onRetry }: { runs: Loaded<Page<SyncRunView>>; onRetry(): void }) {
  return (
    <ListSection
      id="customer-syncs"
      title="Recent syncs"
      list={runs}
      onRetry={onRetry}
      loadingLabel="Loading the syncs"
      emptyText="No sync has run yet."
      columns={['Started', 'Kind', 'By', 'State', 'Outcome']}
      rowKey={(run) => run.id}
      cells={(run) => [
        formatDateTime(run.startedAt ?? run.createdAt),
        `${run.dryRun ? 'Preview' : 'Sync'} (${TRIGGER_TEXT[run.trigger] ?? run.trigger})`,
        run.actor.name ?? 'Someone',
        syncStateText(run.state),
        runOutcome(run),
      ]}
    />
  );
}

/** The customer's latest changes (the audit log). */
export function Changes({ audit, onRetry }: { audit: Loaded<Page<AuditEntryView>>; onRetry(): void }) {
  return (
    <ListSection
      id="customer-changes"
      title="Recent changes"
      list={audit}
      onRetry={onRetry}
      loadingLabel="Loading the changes"
      emptyText="No changes recorded."
      columns={['When', 'By', 'Change']}
      rowKey={(entry) => entry.id}
      cells={(entry) => [formatDateTime(entry.at), entry.actor.name ?? 'Someone', describeChange(entry)]}
    />
  );
}
