import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useEffect, useRef, useState } from 'react';
import { statusText } from '../shared/labels';
import { StatusCountsTable } from '../shared/StatusCountsTable';
import type { CustomerView, PortalApi, SyncRunView, SyncStart } from '../api/portal-api';
import { ErrorBar } from '../shared/ErrorBar';
import { plural } from '../shared/format';

/** How often a run in progress is read again. */
export const POLL_MS = 700;
/** Reading the run failed this many times in a row: stop and offer to try again. */
const POLL_FAILURES_ALLOWED = 3;
/** Entries of each list shown; the counts beside them are exact. */
const LIST_SHOWN = 10;

const useStyles = makeStyles({
  surface: { maxWidth: '720px', width: '100%' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  numeric: { textAlign: 'right', width: '6em' },
});

const PHASE_TEXT: Record<string, string> = {
  queued: 'Waiting to start',
  reading: "Reading the backend's numbers, callflows and users",
  routing: 'Updating the backend: account settings, removals, routing to Teams',
  saving: 'Saving the results',
  done: 'Done',
};

export function phaseText(phase: string): string {
  return PHASE_TEXT[phase] ?? phase;
}

const inProgress = (run: SyncRunView) => run.state === 'queued' || run.state === 'running';

export interface SyncDialogProps {
  api: PortalApi;
  customer: CustomerView;
  open: boolean;
  onClose(): void;
}

/**
 * Sync: a preview of what a sync would change (a dry run), or the sync itself,
 * followed with a progress bar until it ends, then its outcome: numbers by
 * status, the numbers that need attention, and what went wrong.
 */
export function SyncDialog({ api, customer, open, onClose }: SyncDialogProps) {
  const styles = useStyles();
  const [run, setRun] = useState<SyncRunView>();
  const [alreadyRunning, setAlreadyRunning] = useState(false);
  const [starting, setStarting] = useState<'preview' | 'sync'>();
  const [failure, setFailure] = useState<unknown>();
  const [pollFailure, setPollFailure] = useState<unknown>();
  const [pollAgain, setPollAgain] = useState(0);
  // Answers to an earlier opening (or another customer) are not shown.
  const session = useRef(0);

  useEffect(() => {
    session.current += 1;
    setRun(undefined);
    setAlreadyRunning(false);
    setStarting(undefined);
    setFailure(undefined);
    setPollFailure(undefined);
  }, [open, customer.id]);

  const runId = run?.id;
  const following = open && run !== undefined && inProgress(run) && pollFailure === undefined;

  // Read the run again every POLL_MS while it is queued or running and the dialog is open.
  useEffect(() => {
    if (!following || !runId) return;
    let stopped = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout>;
    const poll = () => {
      timer = setTimeout(async () => {
        try {
          const latest = await api.getSyncRun(runId);
          if (stopped) return;
          failures = 0;
          setRun(latest);
          if (inProgress(latest)) poll();
        } catch (error) {
          if (stopped) return;
          failures += 1;
          if (failures >= POLL_FAILURES_ALLOWED) setPollFailure(error);
          else poll();
        }
      }, POLL_MS);
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, runId, following, pollAgain]);

  const start = async (dryRun: boolean) => {
    const mine = session.current;
    setStarting(dryRun ? 'preview' : 'sync');
    setFailure(undefined);
    setPollFailure(undefined);
    try {
      const answer: SyncStart = dryRun ? await api.startSync(customer.id, true) : await api.startSync(customer.id);
      if (mine !== session.current) return;
      const { started, ...startedRun } = answer;
      setAlreadyRunning(!started);
      setRun(startedRun);
    } catch (error) {
      if (mine !== session.current) return;
      setFailure(error);
    } finally {
      if (mine === session.current) setStarting(undefined);
    }
  };

  const busy = starting !== undefined || (run !== undefined && inProgress(run));
  const who = customerLabel(customer);

  return (
    <Dialog open={open} modalType="modal" onOpenChange={(_, data) => !data.open && onClose()}>
      <DialogSurface className={styles.surface} aria-label={`Sync ${who}`}>
        <DialogBody>
          <DialogTitle>Sync {who}</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>
              A sync pushes the changes made in the portal to the backend and reads back the status of every number of{' '}
              {who}. Preview shows what a sync would change without changing anything.
            </Text>
            {failure !== undefined && <ErrorBar error={failure} />}
            {alreadyRunning && run && (
              <MessageBar intent="info">
                <MessageBarBody>
                  A sync of this customer was already under way, so no new one was started. Following that run
                  {run.startedAt ? ` (started ${new Date(run.startedAt).toLocaleTimeString()})` : ''}.
                </MessageBarBody>
              </MessageBar>
            )}
            {run && inProgress(run) && <RunProgress run={run} />}
            {pollFailure !== undefined && (
              <ErrorBar
                error={pollFailure}
                onRetry={() => {
                  setPollFailure(undefined);
                  setPollAgain((n) => n + 1);
                }}
              />
            )}
            {run && !inProgress(run) && <RunOutcome run={run} />}
          </DialogContent>
          <DialogActions>
            <Button
              disabledFocusable={busy}
              icon={starting === 'preview' ? <Spinner size="tiny" aria-label="Starting the preview" /> : undefined}
              onClick={() => void start(true)}
            >
              Preview
            </Button>
            <Button
              appearance="primary"
              disabledFocusable={busy}
              icon={starting === 'sync' ? <Spinner size="tiny" aria-label="Starting the sync" /> : undefined}
              onClick={() => void start(false)}
            >
              Sync
            </Button>
            <Button onClick={onClose}>Close</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function RunProgress({ run }: { run: SyncRunView }) {
  const { done, total } = run.progress;
  const what = run.dryRun ? 'Preview' : 'Sync';
  return (
    <Field
      label={`${what} in progress: ${phaseText(run.phase)}`}
      hint={total > 0 ? `${done.toLocaleString()} of ${total.toLocaleString()} steps` : 'Working out what to do'}
    >
      <ProgressBar value={total > 0 ? Math.min(done / total, 1) : undefined} max={1} thickness="large" />
    </Field>
  );
}

function RunOutcome({ run }: { run: SyncRunView }) {
  const styles = useStyles();
  const failed = run.state === 'failed';
  return (
    <>
      <MessageBar intent={failed ? 'error' : run.errors.length > 0 ? 'warning' : 'success'}>
        <MessageBarBody>
          <MessageBarTitle>{outcomeTitle(run)}</MessageBarTitle>
          {failed
            ? 'Nothing was lost. See what went wrong below, then run the sync again.'
            : run.dryRun
              ? 'Nothing was changed. Press Sync to make these changes.'
              : run.errors.length > 0
                ? 'Some numbers were not handled; the next sync tries them again.'
                : 'The portal and the backend agree.'}
        </MessageBarBody>
      </MessageBar>

      {run.errors.length > 0 && (
        <section className={styles.section} aria-label="Errors">
          <h3 className={styles.heading}>What went wrong</h3>
          <ul className={styles.list}>
            {run.errors.map((problem, index) => (
              <li key={index}>{problem.message}</li>
            ))}
          </ul>
        </section>
      )}

      {!failed && <Changes run={run} />}

      {!failed && (
        <section className={styles.section} aria-label="Numbers by status">
          <h3 className={styles.heading}>{run.dryRun ? 'Numbers by status after a sync' : 'Numbers by status'}</h3>
          <StatusCountsTable counts={run.counts} label="Numbers by status" />
        </section>
      )}

      {run.attention.length > 0 && (
        <section className={styles.section} aria-label="Numbers that need attention">
          <h3 className={styles.heading}>Numbers that need attention ({run.attention.length.toLocaleString()})</h3>
          <Table size="small" aria-label="Numbers that need attention">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Number</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Detail</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {run.attention.map((item) => (
                <TableRow key={item.e164}>
                  <TableCell>{item.e164}</TableCell>
                  <TableCell>{item.statusText}</TableCell>
                  <TableCell>{item.detail ?? ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </section>
      )}
    </>
  );
}

function outcomeTitle(run: SyncRunView): string {
  if (run.state === 'failed') return run.dryRun ? 'The preview failed' : 'The sync failed';
  if (run.dryRun) return 'Preview: what a sync would change';
  return run.errors.length > 0 ? 'The sync finished with problems' : 'The sync succeeded';
}

const WOULD = {
  route: 'to route to Teams',
  import: 'to import',
  remove: 'to remove',
  release: 'to release from the backend',
  status: 'to change status',
};
const DID = {
  route: 'routed to Teams',
  import: 'imported',
  remove: 'removed',
  release: 'released from the backend',
  status: 'changed status',
};

/** What the run changed, or for a preview would change: counts and the first few of each. */
function Changes({ run }: { run: SyncRunView }) {
  const styles = useStyles();
  const { changes, changeCounts } = run;
  const verb = run.dryRun ? WOULD : DID;
  const account = changes.account;
  const nothing =
    !account &&
    changeCounts.routed + changeCounts.imported + changeCounts.removed + changeCounts.released + changeCounts.statusChanges === 0;

  return (
    <section className={styles.section} aria-label={run.dryRun ? 'Changes a sync would make' : 'Changes made'}>
      <h3 className={styles.heading}>{run.dryRun ? 'Changes a sync would make' : 'Changes made'}</h3>
      {nothing && <Text>{run.dryRun ? 'Nothing to change: the customer is in sync.' : 'Nothing needed changing.'}</Text>}
      {account && (
        <div>
          <Text weight="semibold">Account settings</Text>
          <ul className={styles.list}>
            {account.from.maxChannels !== account.to.maxChannels && (
              <li>
                Max Channels: {account.from.maxChannels ?? 'not set'} → {account.to.maxChannels}
              </li>
            )}
            {account.from.tenantName !== account.to.tenantName && (
              <li>
                Office 365 Tenant Name: {account.from.tenantName ?? 'not set'} → {account.to.tenantName}
              </li>
            )}
          </ul>
        </div>
      )}
      <ChangeList title={`${plural(changeCounts.routed, 'number')} ${verb.route}`} items={changes.toRoute} total={changeCounts.routed} />
      <ChangeList title={`${plural(changeCounts.imported, 'number')} ${verb.import}`} items={changes.toImport} total={changeCounts.imported} />
      <ChangeList
        title={`${plural(changeCounts.removed, 'number')} ${verb.remove}`}
        items={changes.toRemove.map((r) => `${r.e164} (${r.mode === 'delete' ? 'delete' : 'retain'})`)}
        total={changeCounts.removed}
      />
      <ChangeList title={`${plural(changeCounts.released, 'number')} ${verb.release}`} items={changes.toRelease} total={changeCounts.released} />
      <ChangeList
        title={`${plural(changeCounts.statusChanges, 'number')} ${verb.status}`}
        items={changes.statusChanges.map((c) => `${c.e164}: ${statusText(c.from)} → ${statusText(c.to)}`)}
        total={changeCounts.statusChanges}
      />
    </section>
  );
}

function ChangeList({ title, items, total }: { title: string; items: string[]; total: number }) {
  const styles = useStyles();
  if (total === 0) return null;
  const shown = items.slice(0, LIST_SHOWN);
  const more = total - shown.length;
  return (
    <div>
      <Text weight="semibold">{title}</Text>
      <ul className={styles.list}>
        {shown.map((item) => (
          <li key={item}>{item}</li>
        ))}
        {more > 0 && <li>and {more.toLocaleString()} more</li>}
      </ul>
    </div>
  );
}
