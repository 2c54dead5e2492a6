import { Button, useRestoreFocusTarget } from '@fluentui/react-components';
import { useCallback, useMemo, useState } from 'react';
import type { CustomerView, PortalApi, TeamsOperationView, TeamsUserView } from '../api/portal-api';
import { useAccess } from '../app/access';
import { ErrorBar } from '../shared/ErrorBar';
import { NoticeBar, type Notice } from '../shared/NoticeBar';
import { PagedListView } from '../shared/PagedListView';
import { usePagedList } from '../shared/use-paged-list';
import { AssignNumberDialog } from './AssignNumberDialog';
import { CoManagementOffBar, OPERATION_POLL_MS, customerLabel, useCoManagementOff } from './co-management';
import { TeamsUsersTable } from './TeamsUsersTable';
import { UnassignNumberDialog } from './UnassignNumberDialog';
import { useFollowedOperations } from './use-followed-operations';
import { VoiceRoutingPolicyDialog } from './VoiceRoutingPolicyDialog';

export const USERS_PAGE_SIZE = 25;

export interface TeamsUsersViewProps {
  api: PortalApi;
  customer: CustomerView;
  /** Close: back to Customers, and the customer's tabs go. */
  onClose(): void;
  /** The customer switched co-management off while the view was open. */
  onRevoked?(): void;
  /** Changes when the tab is shown again: the view reads Microsoft again. */
  reloadKey?: number;
  /** How often pending assignments are read again (tests pass a short one). */
  pollMs?: number;
}

type Dialog = 'assign' | 'unassign' | 'policy';

/**
 * Users (co-management): the customer's Microsoft 365 users with their Teams
 * voice settings, searched and paged on the server, and the actions Assign
 * number, Unassign number and Voice routing policy on the selected user. An
 * assignment is a Microsoft operation: its row shows it pending, and the view
 * reads it again until it is done or failed.
 */
export function TeamsUsersView({
  api,
  customer,
  onClose,
  onRevoked,
  reloadKey = 0,
  pollMs = OPERATION_POLL_MS,
}: TeamsUsersViewProps) {
  const restoreFocusTarget = useRestoreFocusTarget();
  const { can } = useAccess();
  const { off, report } = useCoManagementOff(onRevoked);
  const [selectedId, setSelectedId] = useState<string>();
  const [dialog, setDialog] = useState<Dialog>();
  // The user a dialog is about: fixed when it opens, kept while it closes.
  const [dialogUser, setDialogUser] = useState<TeamsUserView>();
  const [notice, setNotice] = useState<Notice>();

  const list = usePagedList((query) => api.listTeamsUsers(customer.id, query), {
    pageSize: USERS_PAGE_SIZE,
    deps: [api, customer.id, reloadKey],
    enabled: !off,
    report,
  });
  const { data, setData, reload } = list;
  const items = useMemo(() => (off ? [] : (data?.items ?? [])), [data, off]);
  const operations = useFollowedOperations({
    api,
    customerId: customer.id,
    users: items,
    pollMs,
    stopped: off !== undefined,
    report,
    onFinished: (finished) => {
      setNotice(finished);
      // The users' numbers changed at Microsoft: read the page again.
      reload();
    },
  });

  const selected = off ? undefined : items.find((user) => user.id === selectedId);
  const selectedBusy = selected ? operations.latest.get(selected.id)?.state === 'pending' : false;
  const label = customerLabel(customer);

  const open = (which: Dialog) => {
    if (!selected) return;
    setNotice(undefined);
    setDialogUser(selected);
    setDialog(which);
  };
  const closeDialog = useCallback(() => setDialog(undefined), []);
  const revokedInDialog = useCallback(
    (failure: unknown) => {
      setDialog(undefined);
      report(failure);
    },
    [report],
  );
  // What the three dialogs about the user are given alike.
  const dialogProps = { api, customer, user: dialogUser, onCancel: closeDialog, onRevoked: revokedInDialog };
  const started = (operation: TeamsOperationView) => {
    setDialog(undefined);
    operations.follow(operation);
  };
  const policySaved = (user: TeamsUserView) => {
    setDialog(undefined);
    setData((before) => before && { ...before, items: before.items.map((item) => (item.id === user.id ? user : item)) });
    setNotice({ intent: 'success', text: `${user.displayName}'s voice routing policy is now ${user.voiceRoutingPolicy ?? 'the default'}.` });
  };

  const unassignTitle = selected && !selected.number ? `${selected.displayName} has no number` : undefined;
  const busyTitle = selectedBusy ? 'An assignment of this user is still under way at Microsoft' : undefined;

  return (
    <PagedListView
      list={list}
      title={`Users of ${label}`}
      noun="user"
      actionsLabel="User actions"
      actions={
        <>
          <Button onClick={onClose}>Close</Button>
          <Button disabled={off !== undefined} onClick={reload}>
            Refresh
          </Button>
          {can('assignTeamsNumber') && (
            <Button
              appearance="primary"
              {...restoreFocusTarget}
              disabled={!selected || selectedBusy}
              title={busyTitle}
              onClick={() => open('assign')}
            >
              Assign number
            </Button>
          )}
          {can('unassignTeamsNumber') && (
            <Button
              {...restoreFocusTarget}
              disabled={!selected || !selected.number || selectedBusy}
              title={busyTitle ?? unassignTitle}
              onClick={() => open('unassign')}
            >
              Unassign number
            </Button>
          )}
          {can('setVoiceRoutingPolicy') && (
            <Button {...restoreFocusTarget} disabled={!selected} onClick={() => open('policy')}>
              Voice routing policy
            </Button>
          )}
        </>
      }
      stopped={off && <CoManagementOffBar error={off} />}
      search={{ placeholder: 'Name, sign-in name or number', maxLength: 200, minWidth: '280px' }}
      notice={notice && <NoticeBar notice={notice} />}
      alert={operations.pollFailure !== undefined && <ErrorBar error={operations.pollFailure} onRetry={operations.retry} />}
      loadingLabel="Loading users from Microsoft"
      emptyText={list.debouncedSearch ? `No user matches "${list.debouncedSearch}".` : `${label}'s tenant has no users.`}
      dialogs={
        <>
          <AssignNumberDialog {...dialogProps} open={dialog === 'assign' && !off} onStarted={started} />
          <UnassignNumberDialog {...dialogProps} open={dialog === 'unassign' && !off} onStarted={started} />
          <VoiceRoutingPolicyDialog {...dialogProps} open={dialog === 'policy' && !off} onSaved={policySaved} />
        </>
      }
    >
      <TeamsUsersTable
        label={`Users of ${label}`}
        users={items}
        selectedId={selectedId}
        onSelect={setSelectedId}
        latest={operations.latest}
      />
    </PagedListView>
  );
}
