import {
  Badge,
  Button,
  Field,
  Radio,
  RadioGroup,
  SearchBox,
  Spinner,
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Toolbar,
  makeStyles,
  tokens,
  useId,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { CustomerView, PortalApi, TeamsNumberFilter, TeamsNumberView } from '../api/portal-api';
import { ErrorBar } from '../shared/ErrorBar';
import { plural } from '../shared/format';
import { Pager } from '../shared/Pager';
import { useApiQuery } from '../shared/use-api-query';
import { STATUS_COLOR } from '../shared/labels';
import { useDebounced } from '../shared/use-debounced';
import { useFocusOnMount } from '../shared/use-focus-on-mount';
import { CoManagementOffBar, customerLabel, useCoManagementOff } from './co-management';

export const TEAMS_NUMBERS_PAGE_SIZE = 50;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  heading: { margin: 0 },
  bar: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalXL },
  search: { minWidth: '240px' },
  attentionRow: { backgroundColor: tokens.colorStatusWarningBackground1 },
  attention: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalS },
  attentionBadge: { flexShrink: 0, whiteSpace: 'nowrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  badge: { height: 'auto', whiteSpace: 'normal', paddingBlock: '2px', borderRadius: tokens.borderRadiusMedium },
});

/** What a number is assigned to in Teams, in words (Microsoft's assignmentStatus). */
const ASSIGNMENT_TEXT: Record<string, string> = {
  unassigned: 'Unassigned',
  userAssigned: 'Assigned to a user',
  conferenceAssigned: 'Assigned to audio conferencing',
  voiceApplicationAssigned: 'Assigned to a resource account',
  thirdPartyAppAssigned: 'Assigned to a third-party app',
  policyAssigned: 'Assigned to a policy',
};

/** Microsoft's activationState in words; "activated" says nothing worth showing. */
const ACTIVATION_TEXT: Record<string, string> = {
  assignmentPending: 'activation pending',
  assignmentFailed: 'activation failed',
  updatePending: 'update pending',
  updateFailed: 'update failed',
};

export function assignmentText(teams: TeamsNumberView['teams']): string {
  if (!teams) return 'Not a Direct Routing number of the tenant';
  const { assignmentStatus, assignedTo } = teams;
  if (assignmentStatus === 'userAssigned' && assignedTo) return `Assigned to ${assignedTo.displayName}`;
  const text = ASSIGNMENT_TEXT[assignmentStatus] ?? `Assigned (${assignmentStatus})`;
  return assignmentStatus !== 'unassigned' && assignedTo ? `${text}: ${assignedTo.displayName}` : text;
}

export function activationText(teams: TeamsNumberView['teams']): string | undefined {
  const state = teams?.activationState;
  if (!state || state === 'activated') return undefined;
  return ACTIVATION_TEXT[state] ?? state;
}

export interface TeamsNumbersViewProps {
  api: PortalApi;
  customer: CustomerView;
  /** Close: back to Customers, and the customer's tabs go. */
  onClose(): void;
  /** The customer switched co-management off while the view was open. */
  onRevoked?(): void;
  /** Changes when the tab is shown again: the view reads Microsoft again. */
  reloadKey?: number;
}

/**
 * Phone Numbers (co-management): the tenant's Direct Routing numbers as
 * Microsoft has them, side by side with the portal's status of each, and
 * why they disagree. "Needs attention" shows only the disagreements.
 */
export function TeamsNumbersView({ api, customer, onClose, onRevoked, reloadKey = 0 }: TeamsNumbersViewProps) {
  const styles = useStyles();
  const headingId = useId('teams-numbers-heading-');
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const { off, report } = useCoManagementOff(onRevoked);
  const [view, setView] = useState<TeamsNumberFilter>('all');
  const [search, setSearch] = useState('');
  const debouncedSearch = useDebounced(search.trim(), 250);
  // The page belongs to one filter and search: another starts at page 1.
  const queryKey = `${view}|${debouncedSearch}`;
  const [paging, setPaging] = useState({ key: queryKey, page: 1 });
  if (paging.key !== queryKey) setPaging({ key: queryKey, page: 1 });
  const page = paging.key === queryKey ? paging.page : 1;

  const { data, error, loading, reload: refresh } = useApiQuery(
    () =>
      api.listTeamsNumbers(customer.id, {
        ...(debouncedSearch ? { search: debouncedSearch } : {}),
        view,
        page,
        pageSize: TEAMS_NUMBERS_PAGE_SIZE,
      }),
    [api, customer.id, view, debouncedSearch, page, reloadKey],
    { enabled: !off, report },
  );

  const items = off ? [] : (data?.items ?? []);
  const total = off ? 0 : (data?.total ?? 0);
  const label = customerLabel(customer);
  const attentionCount = data?.attentionCount;
  const count = data && !off ? `${plural(total, 'number')}${view === 'attention' || debouncedSearch ? ' matching' : ''}` : undefined;

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <div className={styles.header}>
        <h2 id={headingId} className={styles.heading} ref={headingRef} tabIndex={-1}>
          <Subtitle1>
            Phone Numbers of {label} in Teams
            {count && ` (${count})`}
          </Subtitle1>
        </h2>
        <Toolbar aria-label="Phone number actions">
          <Button onClick={onClose}>Close</Button>
          <Button disabled={off !== undefined} onClick={refresh}>
            Refresh
          </Button>
        </Toolbar>
      </div>

      {off && <CoManagementOffBar error={off} />}

      <div className={styles.bar}>
        <Field label="Search">
          <SearchBox
            className={styles.search}
            placeholder="Part of a number, or a user's name"
            maxLength={200}
            value={search}
            disabled={off !== undefined}
            onChange={(_, value) => setSearch(value.value)}
          />
        </Field>
        <Field label="Show">
          <RadioGroup
            layout="horizontal"
            value={view}
            disabled={off !== undefined}
            onChange={(_, value) => setView(value.value as TeamsNumberFilter)}
          >
            <Radio value="all" label="All" />
            <Radio
              value="attention"
              label={attentionCount === undefined ? 'Needs attention' : `Needs attention (${attentionCount.toLocaleString()})`}
            />
          </RadioGroup>
        </Field>
      </div>

      {error !== undefined && !off && <ErrorBar error={error} onRetry={refresh} />}

      {items.length > 0 && (
        <Table aria-label={`Phone numbers of ${label} in Teams`} size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Number</TableHeaderCell>
              <TableHeaderCell>Assigned in Teams</TableHeaderCell>
              <TableHeaderCell>Portal status</TableHeaderCell>
              <TableHeaderCell>Attention</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((item) => {
              const activation = activationText(item.teams);
              return (
                <TableRow key={item.telephoneNumber} className={item.attention ? styles.attentionRow : undefined}>
                  <TableCell>{item.telephoneNumber}</TableCell>
                  <TableCell>
                    <span className={item.teams ? undefined : styles.muted}>{assignmentText(item.teams)}</span>
                    {activation && (
                      <>
                        {' '}
                        <Badge appearance="tint" color={activation.endsWith('failed') ? 'danger' : 'informative'}>
                          {activation}
                        </Badge>
                      </>
                    )}
                  </TableCell>
                  <TableCell>
                    {item.portal ? (
                      <Badge appearance="tint" color={STATUS_COLOR[item.portal.status] ?? 'subtle'} className={styles.badge}>
                        {item.portal.statusText}
                      </Badge>
                    ) : (
                      <span className={styles.muted}>Not in the portal</span>
                    )}
                  </TableCell>
                  <TableCell>
                    {item.attention && (
                      <span className={styles.attention}>
                        <Badge appearance="filled" color="warning" shape="rounded" className={styles.attentionBadge}>
                          Needs attention
                        </Badge>
                        <span>{item.attention}</span>
                      </span>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {loading && !off && <Spinner size="tiny" label="Loading numbers from Microsoft" />}
      {data && total === 0 && !loading && !off && <Text>{emptyText(view, debouncedSearch, label)}</Text>}

      {!off && (
        <Pager
          page={page}
          pageSize={TEAMS_NUMBERS_PAGE_SIZE}
          total={total}
          onPage={(next) => setPaging({ key: queryKey, page: next })}
        />
      )}
    </section>
  );
}

function emptyText(view: TeamsNumberFilter, search: string, label: string): string {
  if (search) return `No number matches "${search}".`;
  if (view === 'attention') return 'Nothing needs attention: Teams and the portal agree on every number.';
  return `${label}'s tenant has no Direct Routing numbers, and the portal has none for ${label}.`;
}
