import { Button, Field, MessageBar, MessageBarBody, ProgressBar, Spinner, Text, makeStyles } from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useEffect, useRef, useState } from 'react';
import type { CustomerView, PortalApi, SyncRunView, SyncStart } from '../api/portal-api';
import { DialogShell } from '../shared/DialogShell';
import { ErrorBar } from '../shared/ErrorBar';
import { RunOutcome } from './RunOutcome';

/** How often a run in progress is read again. */
export const POLL_MS = 700;
/** Reading the run failed this many times in a row: stop and offer to try again. */
const POLL_FAILURES_ALLOWED = 3;

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
    </DialogShell>
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

