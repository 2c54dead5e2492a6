import {
  Badge,
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  SearchBox,
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
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CustomerView, PortalApi, TeamsOperationView, TeamsUserView } from '../api/portal-api';
import { ErrorBar } from '../shared/ErrorBar';
import { plural } from '../shared/format';
import { Pager } from '../shared/Pager';
import { useApiQuery } from '../shared/use-api-query';
import { useDebounced } from '../shared/use-debounced';
import { useFocusOnMount } from '../shared/use-focus-on-mount';
import { AssignNumberDialog } from './AssignNumberDialog';
import {
  CoManagementOffBar,
  OPERATION_POLL_MS,
  customerLabel,
  operationDoing,
  operationOutcome,
  useCoManagementOff,
} from './co-management';
import { UnassignNumberDialog } from './UnassignNumberDialog';
import { VoiceRoutingPolicyDialog } from './VoiceRoutingPolicyDialog';

export const USERS_PAGE_SIZE = 25;
/** Reading pending assignments failed this many times in a row: stop and offer to try again. */
const POLL_FAILURES_ALLOWED = 3;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  heading: { margin: 0 },
  bar: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  search: { minWidth: '280px' },
  selected: { backgroundColor: tokens.colorSubtleBackgroundSelected },
  table: { tableLayout: 'auto' },
  row: { cursor: 'pointer' },
  name: { minWidth: '10em' },
  signIn: { overflowWrap: 'break-word' },
  pending: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  spinner: { flexShrink: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  status: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

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
type Notice = { intent: 'success' | 'warning'; text: string };

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
  const styles = useStyles();
  const headingId = useId('teams-users-heading-');
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const restoreFocusTarget = useRestoreFocusTarget();
  const arrowNavigation = useArrowNavigationGroup({ axis: 'vertical', memorizeCurrent: true });
  const { off, report } = useCoManagementOff(onRevoked);
  const [search, setSearch] = useState('');
  const debouncedSearch = useDebounced(search.trim(), 250);
  // The page belongs to one search: another search starts at page 1.
  const [paging, setPaging] = useState({ key: debouncedSearch, page: 1 });
  if (paging.key !== debouncedSearch) setPaging({ key: debouncedSearch, page: 1 });
  const page = paging.key === debouncedSearch ? paging.page : 1;
  const [selectedId, setSelectedId] = useState<string>();
  const [dialog, setDialog] = useState<Dialog>();
  // The user a dialog is about: fixed when it opens, kept while it closes.
  const [dialogUser, setDialogUser] = useState<TeamsUserView>();
  const [notice, setNotice] = useState<Notice>();
  // Assignments started or read again here, by user: newer than the page until it is read again.
  const [followed, setFollowed] = useState<ReadonlyMap<string, TeamsOperationView>>(new Map());
  const [pollFailure, setPollFailure] = useState<unknown>();
  const [pollRound, setPollRound] = useState(0);
  const pollFailures = useRef(0);

  const { data, setData, error, loading, reload: refresh } = useApiQuery(
    () =>
      api.listTeamsUsers(customer.id, {
        ...(debouncedSearch ? { search: debouncedSearch } : {}),
        page,
        pageSize: USERS_PAGE_SIZE,
      }),
    [api, customer.id, debouncedSearch, page, reloadKey],
    { enabled: !off, report },
  );

  const items = useMemo(() => (off ? [] : (data?.items ?? [])), [data, off]);

  // The latest assignment of each user: the one followed here, or the page's, whichever is newer.
  const latest = useMemo(() => {
    const byUser = new Map<string, TeamsOperationView>(followed);
    for (const user of items) {
      const newest = newer(followed.get(user.id), user.operation);
      if (newest) byUser.set(user.id, newest);
    }
    return byUser;
  }, [followed, items]);
  const pendingIds = [...latest.values()]
    .filter((operation) => operation.state === 'pending')
    .map((operation) => operation.id)
    .sort()
    .join(',');

  // Read pending assignments again every pollMs until each is done or failed.
  useEffect(() => {
    if (!pendingIds || off || pollFailure !== undefined) return;
    let stopped = false;
    const timer = setTimeout(async () => {
      const answers = await Promise.allSettled(pendingIds.split(',').map((id) => api.getTeamsOperation(customer.id, id)));
      if (stopped) return;
      const read = answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
      const failed = answers.find((answer): answer is PromiseRejectedResult => answer.status === 'rejected');
      if (failed && report(failed.reason)) return;
      if (failed) {
        pollFailures.current += 1;
        if (pollFailures.current >= POLL_FAILURES_ALLOWED) setPollFailure(failed.reason);
      } else {
        pollFailures.current = 0;
      }
      setFollowed((before) => {
        const next = new Map(before);
        for (const operation of read) next.set(operation.userId, operation);
        return next;
      });
      const finished = read.filter((operation) => operation.state !== 'pending');
      if (finished.length > 0) {
        setNotice({
          intent: finished.every((operation) => operation.state === 'done') ? 'success' : 'warning',
          text: finished.map(operationOutcome).join(' '),
        });
        // The users' numbers changed at Microsoft: read the page again.
        refresh();
      }
      setPollRound((n) => n + 1);
    }, pollMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, customer.id, pendingIds, pollMs, pollRound, off, pollFailure, report, refresh]);

  const selected = off ? undefined : items.find((user) => user.id === selectedId);
  const selectedBusy = selected ? latest.get(selected.id)?.state === 'pending' : false;
  const total = off ? 0 : (data?.total ?? 0);
  const label = customerLabel(customer);
  const count = data && !off ? `${plural(total, 'user')}${debouncedSearch ? ' matching' : ''}` : undefined;

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
    setPollFailure(undefined);
    pollFailures.current = 0;
    setFollowed((before) => new Map(before).set(operation.userId, operation));
  };
  const policySaved = (user: TeamsUserView) => {
    setDialog(undefined);
    setData((before) => before && { ...before, items: before.items.map((item) => (item.id === user.id ? user : item)) });
    setNotice({ intent: 'success', text: `${user.displayName}'s voice routing policy is now ${user.voiceRoutingPolicy ?? 'the default'}.` });
  };
  const retryPolling = () => {
    pollFailures.current = 0;
    setPollFailure(undefined);
  };

  const unassignTitle = selected && !selected.number ? `${selected.displayName} has no number` : undefined;
  const busyTitle = selectedBusy ? 'An assignment of this user is still under way at Microsoft' : undefined;

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <div className={styles.header}>
        <h2 id={headingId} className={styles.heading} ref={headingRef} tabIndex={-1}>
          <Subtitle1>
            Users of {label}
            {count && ` (${count})`}
          </Subtitle1>
        </h2>
        <Toolbar aria-label="User actions">
          <Button onClick={onClose}>Close</Button>
          <Button disabled={off !== undefined} onClick={refresh}>
            Refresh
          </Button>
          <Button
            appearance="primary"
            {...restoreFocusTarget}
            disabled={!selected || selectedBusy}
            title={busyTitle}
            onClick={() => open('assign')}
          >
            Assign number
          </Button>
          <Button
            {...restoreFocusTarget}
            disabled={!selected || !selected.number || selectedBusy}
            title={busyTitle ?? unassignTitle}
            onClick={() => open('unassign')}
          >
            Unassign number
          </Button>
          <Button {...restoreFocusTarget} disabled={!selected} onClick={() => open('policy')}>
            Voice routing policy
          </Button>
        </Toolbar>
      </div>

      {off && <CoManagementOffBar error={off} />}

      <div className={styles.bar}>
        <Field label="Search">
          <SearchBox
            className={styles.search}
            placeholder="Name, sign-in name or number"
            maxLength={200}
            value={search}
            disabled={off !== undefined}
            onChange={(_, value) => setSearch(value.value)}
          />
        </Field>
      </div>

      {notice && !off && (
        <MessageBar intent={notice.intent}>
          <MessageBarBody>{notice.text}</MessageBarBody>
        </MessageBar>
      )}
      {error !== undefined && !off && <ErrorBar error={error} onRetry={refresh} />}
      {pollFailure !== undefined && !off && <ErrorBar error={pollFailure} onRetry={retryPolling} />}

      {items.length > 0 && (
        <Table aria-label={`Users of ${label}`} size="small" className={styles.table} {...arrowNavigation}>
          <TableHeader>
            <TableRow>
              <TableSelectionCell type="radio" invisible />
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Sign-in name</TableHeaderCell>
              <TableHeaderCell>Teams voice</TableHeaderCell>
              <TableHeaderCell>Number</TableHeaderCell>
              <TableHeaderCell>Voice routing policy</TableHeaderCell>
              <TableHeaderCell>Latest assignment</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((user) => {
              const isSelected = user.id === selectedId;
              const operation = latest.get(user.id);
              return (
                <TableRow
                  key={user.id}
                  aria-selected={isSelected}
                  className={mergeClasses(styles.row, isSelected && styles.selected)}
                  // A click on the row or its radio (mouse, or Space on the focused radio) selects it.
                  onClick={() => setSelectedId(user.id)}
                >
                  <TableSelectionCell
                    type="radio"
                    checked={isSelected}
                    radioIndicator={{ 'aria-label': `Select ${user.displayName}` }}
                  />
                  <TableCell className={styles.name}>
                    {user.displayName}
                    {!user.accountEnabled && <span className={styles.muted}> (sign-in blocked)</span>}
                  </TableCell>
                  <TableCell className={styles.signIn}>{user.userPrincipalName}</TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={user.voiceEnabled ? 'success' : 'subtle'}>
                      {user.voiceEnabled ? 'Enabled' : 'Off'}
                    </Badge>
                  </TableCell>
                  <TableCell>{user.number ?? <span className={styles.muted}>None</span>}</TableCell>
                  <TableCell>{user.voiceRoutingPolicy ?? <span className={styles.muted}>Default (Global)</span>}</TableCell>
                  <TableCell>{operation && <OperationStatus operation={operation} />}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {loading && !off && <Spinner size="tiny" label="Loading users from Microsoft" />}
      {data && total === 0 && !loading && !off && (
        <Text>{debouncedSearch ? `No user matches "${debouncedSearch}".` : `${label}'s tenant has no users.`}</Text>
      )}

      {!off && (
        <Pager
          page={page}
          pageSize={USERS_PAGE_SIZE}
          total={total}
          onPage={(next) => setPaging({ key: debouncedSearch, page: next })}
        />
      )}

      <AssignNumberDialog {...dialogProps} open={dialog === 'assign' && !off} onStarted={started} />
      <UnassignNumberDialog {...dialogProps} open={dialog === 'unassign' && !off} onStarted={started} />
      <VoiceRoutingPolicyDialog {...dialogProps} open={dialog === 'policy' && !off} onSaved={policySaved} />
    </section>
  );
}

/** A user's latest assignment: pending at Microsoft, done, or failed with Microsoft's reason. */
function OperationStatus({ operation }: { operation: TeamsOperationView }) {
  const styles = useStyles();
  if (operation.state === 'pending') {
    return (
      <span className={styles.pending}>
        <Spinner size="extra-tiny" aria-hidden className={styles.spinner} />
        <span>{operationDoing(operation)}… (pending at Microsoft)</span>
      </span>
    );
  }
  if (operation.state === 'done') {
    return (
      <span className={styles.status}>
        <Badge appearance="tint" color="success">
          Done
        </Badge>
        <span className={styles.muted}>
          {operation.kind === 'assign' ? `assigned ${operation.telephoneNumber}` : `unassigned ${operation.telephoneNumber}`}
        </span>
      </span>
    );
  }
  return (
    <span className={mergeClasses(styles.status, styles.failed)}>
      Failed: {operation.reason ?? 'Microsoft gave no reason.'}
    </span>
  );
}

/** The later of two views of a user's assignments; for the same one, the one that knows how it ended. */
function newer(a: TeamsOperationView | undefined, b: TeamsOperationView | null | undefined): TeamsOperationView | undefined {
  if (!a) return b ?? undefined;
  if (!b) return a;
  if (a.id === b.id) return a.state === 'pending' ? b : a;
  return a.startedAt >= b.startedAt ? a : b;
}
