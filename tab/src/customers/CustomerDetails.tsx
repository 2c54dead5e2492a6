import { Badge, Button, Spinner, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useCallback, useState, type ReactNode } from 'react';
import type { CustomerDetailsView, PortalApi } from '../api/portal-api';
import { useAccess } from '../app/access';
import { ErrorBar } from '../shared/ErrorBar';
import { formatDateTime, plural } from '../shared/format';
import { syncStateText } from '../shared/labels';
import { StatusCountsTable } from '../shared/StatusCountsTable';
import { useFocusOnMount } from '../shared/use-focus-on-mount';
import { ActivationLink } from './ActivationLink';
import { SEAT_TYPE_TEXT, SYNC_STATE_COLOR, byWhom } from './customer-texts';
import { Changes, DetailsSection, SyncRuns } from './RecentActivity';
import { useCustomerDetails } from './use-customer-details';
import { ScheduleSection } from '../schedules/ScheduleSection';
import { DriftSection } from '../drift/DriftSection';

export { describeChange } from './customer-texts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '1000px' },
  header: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
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
});

export interface CustomerDetailsProps {
  api: PortalApi;
  customerId: string;
  onClose(): void;
}

/** Details: everything about one customer, read-only, with its recent syncs and changes. */
export function CustomerDetails({ api, customerId, onClose }: CustomerDetailsProps) {
  const styles = useStyles();
  const { can } = useAccess();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [reload, setReload] = useState(0);
  const { customer, runs, audit } = useCustomerDetails(api, customerId, reload);
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
          <DetailsSection id="customer-facts" title="Customer">
            <CustomerFacts customer={c} />
          </DetailsSection>
          <DetailsSection id="customer-drift" title="Drift">
            <DriftSection api={api} customerId={c.id} reload={reload} />
          </DetailsSection>
          <DetailsSection id="customer-co-management" title="Co-management">
            <CoManagementFacts customer={c} />
            {can('createActivationLink') && <ActivationLink api={api} customerId={c.id} label={customerLabel(c)} />}
          </DetailsSection>
          <DetailsSection id="customer-schedule" title="Scheduled sync">
            <ScheduleSection api={api} customerId={c.id} />
          </DetailsSection>
          <DetailsSection id="customer-counts" title="Numbers by status">
            <StatusCountsTable counts={c.numberCounts} label="Numbers by status" />
          </DetailsSection>
          <SyncRuns runs={runs} onRetry={retry} />
          <Changes audit={audit} onRetry={retry} />
        </>
      )}
    </section>
  );
}

function CustomerFacts({ customer: c }: { customer: CustomerDetailsView }) {
  const styles = useStyles();
  return (
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
  );
}

function CoManagementFacts({ customer: c }: { customer: CustomerDetailsView }) {
  const styles = useStyles();
  return (
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
  );
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
