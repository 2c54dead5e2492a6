import {
  Badge,
  Button,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { AuditEntryView, CustomerDetailsView, Page, PortalApi, SyncRunView } from '../api/portal-api';
import { ActivationLink } from './ActivationLink';
import { syncStateText } from '../shared/labels';
import { useFocusOnMount } from '../shared/use-focus-on-mount';
import { StatusCountsTable } from '../shared/StatusCountsTable';
import { ErrorBar } from '../shared/ErrorBar';
import { formatDateTime, plural } from '../shared/format';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '1000px' },
  header: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  facts: {
    display: 'grid',
    // The same first column in every section, however short its terms.
    gridTemplateColumns: 'minmax(12rem, max-content) 1fr',
    columnGap: tokens.spacingHorizontalXL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
  },
  term: { fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0 },
  numeric: { textAlign: 'right', width: '8em' },
});

const SYNC_STATE_COLOR: Record<string, 'informative' | 'success' | 'danger' | 'subtle'> = {
  queued: 'informative',
  running: 'informative',
  succeeded: 'success',
  failed: 'danger',
};

const TRIGGER_TEXT: Record<string, string> = {
  tab: 'Sync button',
  bot: 'Bot',
  'after-save': 'Sync after save',
  'after-remove': 'After a removal',
  schedule: 'Schedule',
};

const SEAT_TYPE_TEXT: Record<string, string> = {
  bundled: 'MS Teams bundled',
  unbundled: 'MS Teams unbundled',
};

const FIELD_TEXT: Record<string, string> = {
  name: 'Name',
  tenantName: 'Office 365 Tenant Name',
  maxChannels: 'Max Channels',
  seatType: 'Seat type',
  accountId: 'Account ID',
};

export interface CustomerDetailsProps {
  api: PortalApi;
  customerId: string;
  onClose(): void;
}

type Loaded<T> = { data?: T; error?: unknown; loading: boolean };

/** Details: everything about one customer, read-only, with its recent syncs and changes. */
export function CustomerDetails({ api, customerId, onClose }: CustomerDetailsProps) {
  const styles = useStyles();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [reload, setReload] = useState(0);
  const { customer, runs, audit } = useDetails(api, customerId, reload);
  const retry = useCallback(() => setReload((n) => n + 1), []);
  const c = customer.data;

  return (
    <section className={styles.root} aria-label="Customer details">
      <div className={styles.header}>
        <h1 ref={headingRef} tabIndex={-1} style={{ margin: 0 }}>
          <Title2>{c ? `Details: ${customerLabel(c)}` : 'Customer details'}</Title2>
        </h1>
        <Button onClick={onClose}>Close</Button>
      </div>

      {customer.loading && !c && <Spinner label="Loading the customer" />}
      {customer.error !== undefined && <ErrorBar error={customer.error} onRetry={retry} />}

      {c && (
        <>
          <section className={styles.section} aria-labelledby="customer-facts">
            <h2 id="customer-facts" className={styles.heading}>
              Customer
            </h2>
            <dl className={styles.facts}>
              <Fact term="Account ID">{c.accountId}</Fact>
              <Fact term="Office 365 Tenant Name">{c.tenantName}</Fact>
              <Fact term="Name">{c.name ?? <em>(no name)</em>}</Fact>
              <Fact term="Max Channels">{c.maxChannels.toLocaleString()}</Fact>
              <Fact term="Seat type">{c.seatType ? SEAT_TYPE_TEXT[c.seatType] : 'Not given'}</Fact>
              <Fact term="Phone numbers">{c.numberCount.toLocaleString()}</Fact>
              <Fact term="Pending removals">
                {c.pendingRemovals > 0 ? `${plural(c.pendingRemovals, 'number')}, done at the next sync` : 'None'}
              </Fact>
              <Fact term="Created">{formatDateTime(c.createdAt)}</Fact>
              <Fact term="Updated">{formatDateTime(c.updatedAt)}</Fact>
              <Fact term="Last sync">
                {c.lastSync ? (
                  <>
                    <Badge appearance="tint" color={SYNC_STATE_COLOR[c.lastSync.state] ?? 'subtle'}>
                      {syncStateText(c.lastSync.state)}
                    </Badge>{' '}
                    started {formatDateTime(c.lastSync.startedAt)}
                    {c.lastSync.finishedAt ? `, finished ${formatDateTime(c.lastSync.finishedAt)}` : ''}
                  </>
                ) : (
                  'Never'
                )}
              </Fact>
            </dl>
          </section>

          <section className={styles.section} aria-labelledby="customer-co-management">
            <h2 id="customer-co-management" className={styles.heading}>
              Co-management
            </h2>
            <dl className={styles.facts}>
              <Fact term="Can manage?">
                <Badge appearance="tint" color={c.canManage ? 'success' : 'subtle'}>
                  {c.canManage ? 'Yes' : 'No'}
                </Badge>
              </Fact>
              <Fact term="Consent granted">
                {c.coManagement.consentGrantedAt
                  ? `${formatDateTime(c.coManagement.consentGrantedAt)}${byWhom(c.coManagement.consentGrantedBy)}`
                  : 'Not yet'}
              </Fact>
              <Fact term="Last switched">
                {c.coManagement.changedAt
                  ? `${c.canManage ? 'On' : 'Off'}, ${formatDateTime(c.coManagement.changedAt)}${byWhom(c.coManagement.changedBy)}`
                  : 'Never'}
              </Fact>
              {c.customerTenantId && <Fact term="Customer tenant ID">{c.customerTenantId}</Fact>}
            </dl>
            <ActivationLink api={api} customerId={c.id} label={customerLabel(c)} />
          </section>

          <section className={styles.section} aria-labelledby="customer-counts">
            <h2 id="customer-counts" className={styles.heading}>
              Numbers by status
            </h2>
            <StatusCountsTable counts={c.numberCounts} label="Numbers by status" />
          </section>
        </>
      )}

      {c && <SyncRuns runs={runs} onRetry={retry} />}
      {c && <Changes audit={audit} onRetry={retry} />}
    </section>
  );
}

function byWhom(who: string | null): string {
  return who ? ` by ${who}` : '';
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <>
      <dt className={styles.term}>{term}</dt>
      <dd className={styles.value}>{children}</dd>
    </>
  );
}

function SyncRuns({ runs, onRetry }: { runs: Loaded<Page<SyncRunView>>; onRetry(): void }) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-labelledby="customer-syncs">
      <h2 id="customer-syncs" className={styles.heading}>
        Recent syncs
      </h2>
      {runs.loading && !runs.data && <Spinner size="tiny" label="Loading the syncs" />}
      {runs.error !== undefined && <ErrorBar error={runs.error} onRetry={onRetry} />}
      {runs.data && runs.data.items.length === 0 && <Text>No sync has run yet.</Text>}
      {runs.data && runs.data.items.length > 0 && (
        <Table size="small" aria-labelledby="customer-syncs">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Started</TableHeaderCell>
              <TableHeaderCell>Kind</TableHeaderCell>
              <TableHeaderCell>By</TableHeaderCell>
              <TableHeaderCell>State</TableHeaderCell>
              <TableHeaderCell>Outcome</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {runs.data.items.map((run) => (
              <TableRow key={run.id}>
                <TableCell>{formatDateTime(run.startedAt ?? run.createdAt)}</TableCell>
                <TableCell>
                  {run.dryRun ? 'Preview' : 'Sync'} ({TRIGGER_TEXT[run.trigger] ?? run.trigger})
                </TableCell>
                <TableCell>{run.actor.name ?? 'Someone'}</TableCell>
                <TableCell>{syncStateText(run.state)}</TableCell>
                <TableCell>{runOutcome(run)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

function Changes({ audit, onRetry }: { audit: Loaded<Page<AuditEntryView>>; onRetry(): void }) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-labelledby="customer-changes">
      <h2 id="customer-changes" className={styles.heading}>
        Recent changes
      </h2>
      {audit.loading && !audit.data && <Spinner size="tiny" label="Loading the changes" />}
      {audit.error !== undefined && <ErrorBar error={audit.error} onRetry={onRetry} />}
      {audit.data && audit.data.items.length === 0 && <Text>No changes recorded.</Text>}
      {audit.data && audit.data.items.length > 0 && (
        <Table size="small" aria-labelledby="customer-changes">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>By</TableHeaderCell>
              <TableHeaderCell>Change</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {audit.data.items.map((entry) => (
              <TableRow key={entry.id}>
                <TableCell>{formatDateTime(entry.at)}</TableCell>
                <TableCell>{entry.actor.name ?? 'Someone'}</TableCell>
                <TableCell>{describeChange(entry)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

/** Loads the page's three parts side by side; each shows its own failure. */
function useDetails(api: PortalApi, customerId: string, reload: number) {
  const [customer, setCustomer] = useState<Loaded<CustomerDetailsView>>({ loading: true });
  const [runs, setRuns] = useState<Loaded<Page<SyncRunView>>>({ loading: true });
  const [audit, setAudit] = useState<Loaded<Page<AuditEntryView>>>({ loading: true });
  useEffect(() => {
    let current = true;
    const follow = <T,>(promise: Promise<T>, set: (update: (before: Loaded<T>) => Loaded<T>) => void) => {
      set((before) => ({ data: before.data, loading: true }));
      promise.then(
        (data) => current && set(() => ({ data, loading: false })),
        (error: unknown) => current && set((before) => ({ data: before.data, error, loading: false })),
      );
    };
    follow(api.getCustomer(customerId), setCustomer);
    follow(api.listSyncRuns(customerId, 1, 10), setRuns);
    follow(api.listAudit(customerId, 1, 20), setAudit);
    return () => {
      current = false;
    };
  }, [api, customerId, reload]);
  return { customer, runs, audit };
}


function runOutcome(run: SyncRunView): string {
  if (run.state === 'queued' || run.state === 'running') {
    const { done, total } = run.progress;
    return total > 0 ? `${done} of ${total} steps` : 'In progress';
  }
  if (run.state === 'failed') return run.errors[0]?.message ?? 'Failed';
  const { routed, imported, removed, released, statusChanges } = run.changeCounts;
  const would = run.dryRun ? 'would be ' : '';
  const parts = [
    routed && `${plural(routed, 'number')} ${would}routed`,
    imported && `${plural(imported, 'number')} ${would}imported`,
    removed && `${plural(removed, 'number')} ${would}removed`,
    released && `${plural(released, 'number')} ${would}released`,
    statusChanges && `${plural(statusChanges, 'status change')}`,
  ].filter(Boolean);
  const attention = run.attention.length > 0 ? `; ${plural(run.attention.length, 'number')} need attention` : '';
  const errors = run.errors.length > 0 ? `; ${plural(run.errors.length, 'problem')}` : '';
  return `${parts.length > 0 ? parts.join(', ') : 'No changes'}${attention}${errors}`;
}

/** One audit entry in words. */
export function describeChange(entry: AuditEntryView): string {
  const d = entry.details;
  switch (entry.action) {
    case 'customer.created':
      return `Created: Account ID ${String(d.accountId ?? '')}, tenant ${String(d.tenantName ?? '')}, Max Channels ${String(d.maxChannels ?? '')}`;
    case 'customer.updated': {
      const changed = (d.changed ?? {}) as Record<string, { from: unknown; to: unknown }>;
      const parts = Object.entries(changed).map(
        ([field, { from, to }]) => `${FIELD_TEXT[field] ?? field} ${shown(from)} → ${shown(to)}`,
      );
      return `Changed: ${parts.join(', ') || 'nothing'}`;
    }
    case 'numbers.added':
      return `${plural(Number(d.count ?? 0), 'number')} added${listed(d.numbers)}`;
    case 'numbers.removed':
      return `${plural(Number(d.count ?? 0), 'number')} removed (${d.mode === 'delete' ? 'delete' : 'retain'})${listed(d.numbers)}`;
    case 'activation.link_created':
      return 'Activation link created (older links stopped working)';
    case 'co_management.consent_granted':
      return 'Consent granted to Microsoft 365 by the customer';
    case 'co_management.allowed':
      return 'Co-management switched on by the customer';
    case 'co_management.switched_off':
      return 'Co-management switched off by the customer';
    case 'teams.number_assign_started':
      return `Assigning ${String(d.telephoneNumber ?? '')} to ${String(d.user ?? '')} in Teams`;
    case 'teams.number_unassign_started':
      return `Unassigning ${String(d.telephoneNumber ?? '')} from ${String(d.user ?? '')} in Teams`;
    case 'teams.operation_finished':
      return `${d.kind === 'unassign' ? 'Unassignment' : 'Assignment'} of ${String(d.telephoneNumber ?? '')} ${
        d.state === 'done' ? 'done' : `failed: ${String(d.reason ?? 'no reason given')}`
      }`;
    case 'teams.voice_routing_policy_set':
      return `Voice routing policy of ${String(d.user ?? '')}: ${shown(d.from)} → ${shown(d.to)}`;
    case 'teams.users_read':
      return 'Looked at the Teams users';
    case 'teams.numbers_read':
      return 'Looked at the Teams phone numbers';
    case 'teams.refused':
      return 'Co-management refused: the customer does not allow it';
    default:
      return entry.action;
  }
}

function shown(value: unknown): string {
  return value === null || value === undefined || value === '' ? '(none)' : String(value);
}

function listed(numbers: unknown): string {
  if (!Array.isArray(numbers) || numbers.length === 0) return '';
  const first = numbers.slice(0, 3).map(String).join(', ');
  return `: ${first}${numbers.length > 3 ? `, and ${numbers.length - 3} more` : ''}`;
}
