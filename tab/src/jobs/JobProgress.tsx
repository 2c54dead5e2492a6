import { Button, Field, ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { JobRowView, JobView, PortalApi } from '../api/portal-api';
import { useAccess } from '../app/access';
import { DataTable } from '../shared/DataTable';
import { ErrorBar } from '../shared/ErrorBar';
import { isRunning } from './use-followed-job';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  rows: { maxHeight: '40vh', overflowY: 'auto' },
});

/** Rows shown per outcome that did not go through. */
const PROBLEM_ROWS = 20;

export interface JobProgressProps {
  api: PortalApi;
  job: JobView;
  /** The kind's outcomes in words, and which of them is the one that went through. */
  outcomeText: Record<string, string>;
  success: string;
  /** The job was read again after a cancel (the dialog follows it). */
  onCancelled(job: JobView): void;
  /** A read of the job failed: shown, the job goes on. */
  failure?: unknown;
}

/**
 * A job under way: a progress bar with done of total and Cancel; once it has
 * ended, the counts by outcome and the first rows that did not go through.
 */
export function JobProgress({ api, job, outcomeText, success, onCancelled, failure }: JobProgressProps) {
  const styles = useStyles();
  const { can } = useAccess();
  const [cancelling, setCancelling] = useState(false);
  const [cancelFailure, setCancelFailure] = useState<unknown>();
  const running = isRunning(job);
  const counts = Object.entries(job.outcomes).filter(([, count]) => count > 0);

  const cancel = () => {
    setCancelling(true);
    setCancelFailure(undefined);
    api.cancelJob(job.id).then(
      (answer) => {
        setCancelling(false);
        onCancelled(answer);
      },
      (error: unknown) => {
        setCancelling(false);
        setCancelFailure(error);
      },
    );
  };

  return (
    <div className={styles.root}>
      <Field
        label={stateText(job)}
        validationState={job.state === 'failed' ? 'error' : 'none'}
        validationMessage={job.error ?? undefined}
        hint={`${job.done.toLocaleString()} of ${job.total.toLocaleString()} rows`}
      >
        <ProgressBar
          value={job.total === 0 ? 1 : job.done / job.total}
          max={1}
          thickness="large"
          color={job.state === 'failed' ? 'error' : job.state === 'done' ? 'success' : 'brand'}
        />
      </Field>
      <Text role="status">
        {counts.length > 0
          ? counts.map(([outcome, count]) => `${count.toLocaleString()} ${outcomeText[outcome] ?? outcome}`).join(', ')
          : 'Nothing done yet.'}
      </Text>
      {running && can('cancelJob') && (
        <div>
          <Button onClick={cancel} disabled={cancelling || job.cancelRequested}>
            {job.cancelRequested ? 'Stopping after the batch under way…' : 'Cancel job'}
          </Button>
        </div>
      )}
      {running && <Text size={200}>Closing this leaves the job running; it goes on even if you close the portal.</Text>}
      {failure !== undefined && <ErrorBar error={failure} />}
      {cancelFailure !== undefined && <ErrorBar error={cancelFailure} />}
      {!running && <ProblemRows api={api} job={job} success={success} outcomeText={outcomeText} />}
    </div>
  );
}

/** The first rows of each outcome that did not go through, with the reason. */
function ProblemRows({ api, job, success, outcomeText }: { api: PortalApi; job: JobView; success: string; outcomeText: Record<string, string> }) {
  const styles = useStyles();
  const [rows, setRows] = useState<JobRowView[]>();
  const [failure, setFailure] = useState<unknown>();
  const problems = Object.entries(job.outcomes)
    .filter(([outcome, count]) => outcome !== success && count > 0)
    .map(([outcome]) => outcome);
  const key = problems.join(',');

  useEffect(() => {
    if (problems.length === 0) return;
    let current = true;
    Promise.all(problems.map((outcome) => api.listJobRows(job.id, { outcome, page: 1, pageSize: PROBLEM_ROWS })))
      .then((pages) => current && setRows(pages.flatMap((page) => page.items).sort((a, b) => a.row - b.row)))
      .catch((error: unknown) => current && setFailure(error));
    return () => {
      current = false;
    };
    // The outcomes with rows decide what to read; the array itself is new on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, job.id, key]);

  if (problems.length === 0) return null;
  if (failure !== undefined) return <ErrorBar error={failure} />;
  if (!rows) return null;
  return (
    <div className={styles.rows}>
      <DataTable
        label="Rows that did not go through"
        columns={['Row', 'Input', 'Outcome', 'Reason']}
        items={rows}
        rowKey={(row) => row.row}
        cells={(row) => [row.row.toLocaleString(), row.input, outcomeText[row.outcome] ?? row.outcome, row.message ?? '']}
      />
    </div>
  );
}

function stateText(job: JobView): string {
  switch (job.state) {
    case 'queued':
      return 'Waiting to start';
    case 'running':
      return job.cancelRequested ? 'Stopping' : 'Working';
    case 'done':
      return 'Done';
    case 'cancelled':
      return 'Cancelled: what was done before stays done';
    case 'failed':
      return 'Stopped on an error';
  }
}
