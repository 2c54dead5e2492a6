import { Button, Field, Radio, RadioGroup } from '@fluentui/react-components';
import { useState } from 'react';
import type { CustomerView, PortalApi, TeamsNumberFilter } from '../api/portal-api';
import { PagedListView } from '../shared/PagedListView';
import { usePagedList } from '../shared/use-paged-list';
import { CoManagementOffBar, customerLabel, useCoManagementOff } from './co-management';
import { TeamsNumbersTable, activationText, assignmentText } from './TeamsNumbersTable';

export { activationText, assignmentText };

export const TEAMS_NUMBERS_PAGE_SIZE = 50;

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
  const { off, report } = useCoManagementOff(onRevoked);
  const [view, setView] = useState<TeamsNumberFilter>('all');
  const list = usePagedList((query) => api.listTeamsNumbers(customer.id, { ...query, view }), {
    pageSize: TEAMS_NUMBERS_PAGE_SIZE,
    filter: view === 'all' ? '' : view,
    deps: [api, customer.id, reloadKey],
    enabled: !off,
    report,
  });
  const label = customerLabel(customer);
  const attentionCount = list.data?.attentionCount;

  return (
    <PagedListView
      list={list}
      title={`Phone Numbers of ${label} in Teams`}
      noun="number"
      actionsLabel="Phone number actions"
      actions={
        <>
          <Button onClick={onClose}>Close</Button>
          <Button disabled={off !== undefined} onClick={list.reload}>
            Refresh
          </Button>
        </>
      }
      stopped={off && <CoManagementOffBar error={off} />}
      search={{ placeholder: "Part of a number, or a user's name", maxLength: 200, minWidth: '240px' }}
      wideBar
      filter={
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
      }
      loadingLabel="Loading numbers from Microsoft"
      emptyText={emptyText(view, list.debouncedSearch, label)}
    >
      <TeamsNumbersTable label={`Phone numbers of ${label} in Teams`} numbers={list.data?.items ?? []} />
    </PagedListView>
  );
}

function emptyText(view: TeamsNumberFilter, search: string, label: string): string {
  if (search) return `No number matches "${search}".`;
  if (view === 'attention') return 'Nothing needs attention: Teams and the portal agree on every number.';
  return `${label}'s tenant has no Direct Routing numbers, and the portal has none for ${label}.`;
}
