import { Button, Field, MessageBar, MessageBarBody, ProgressBar, Spinner, Text, makeStyles } from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { QUEUED_SYNC_TEXT, WAITING_SYNC_TEXT } from '../../../api/sync/sync-texts';
import { useEffect, useRef, useState } from 'react';
import type { CustomerView, PortalApi, SyncRunView, SyncStart } from '../api/portal-api';
import { DialogShell } from '../shared/DialogShell';
import { ErrorBar } from '../shared/ErrorBar';
import { RunOutcome } from './RunOutcome';
import { inProgress, useFollowedSyncRun } from './use-followed-sync-run';

export { POLL_MS } from './use-followed-sync-run';

const useStyles = makeStyles({
  surface: { maxWidth: '720px', width: '100%' },
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

export interface SyncDialogProps {
  api: PortalApi;
  customer: CustomerView;
  open: boolean;
  onClose(): void;
}

/**
 * Sync: a preview of what a sync would change (a dry run), or the sync itself,
 * followed with a progress bar until it ends, then its outcome: numbers by
 * status, the numbers that need attention, and what went wrong. While another
 * sync of the customer runs, the answer is the sync queued behind it, which
 * is followed the same way from its wait to its end.
 */
export function SyncDialog({ api, customer, open, onClose }: SyncDialogProps) {
  const styles = useStyles();
  // Read again every POLL_MS while it is queued or running and the dialog is open.
  const { run, follow, pollFailure, retry, forget } = useFollowedSyncRun(api, open);
  // The answer was the run queued behind the sync under way: it is followed to its end all the same.
  const [queued, setQueued] = useState(false);
  const [starting, setStarting] = useState<'preview' | 'sync'>();
  const [failure, setFailure] = useState<unknown>();
  // Answers to an earlier opening (or another customer) are not shown.
  const session = useRef(0);

  useEffect(() => {
    session.current += 1;
    follow(undefined);
    setQueued(false);
    setStarting(undefined);
    setFailure(undefined);
  }, [open, customer.id, follow]);

  const start = async (dryRun: boolean) => {
    const mine = session.current;
    setStarting(dryRun ? 'preview' : 'sync');
    setFailure(undefined);
    forget();
    try {
      const answer: SyncStart = dryRun ? await api.startSync(customer.id, true) : await api.startSync(customer.id);
      if (mine !== session.current) return;
      const { started, queuedAfter, ...startedRun } = answer;
      setQueued(!started && Boolean(queuedAfter));
      follow(startedRun);
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
    <DialogShell
      open={open}
      title={`Sync ${who}`}
      onDismiss={onClose}
      surfaceClassName={styles.surface}
      actions={
        <>
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
        </>
      }
    >
      <Text>
        A sync pushes the changes made in the portal to the backend and reads back the status of every number of {who}.
        Preview shows what a sync would change without changing anything.
      </Text>
      {failure !== undefined && <ErrorBar error={failure} />}
      {queued && run && inProgress(run) && (
        <MessageBar intent="info">
          <MessageBarBody>{QUEUED_SYNC_TEXT}</MessageBarBody>
        </MessageBar>
      )}
      {run && inProgress(run) && <RunProgress run={run} waiting={queued && run.state === 'queued'} />}
      {pollFailure !== undefined && <ErrorBar error={pollFailure} onRetry={retry} />}
      {run && !inProgress(run) && <RunOutcome run={run} />}
    </DialogShell>
  );
}

function RunProgress({ run, waiting }: { run: SyncRunView; waiting: boolean }) {
  const { done, total } = run.progress;
  const what = run.dryRun ? 'Preview' : 'Sync';
  return (
    <Field
      label={waiting ? `${what} queued: ${WAITING_SYNC_TEXT}` : `${what} in progress: ${phaseText(run.phase)}`}
      hint={total > 0 ? `${done.toLocaleString()} of ${total.toLocaleString()} steps` : 'Working out what to do'}
    >
      <ProgressBar value={total > 0 ? Math.min(done / total, 1) : undefined} max={1} thickness="large" />
    </Field>
  );
}

