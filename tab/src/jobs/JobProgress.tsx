import { Button, Field, ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { JobRowView, JobView, PortalApi } from '../api/portal-api';
import { useAccess } from '../app/access';
import { DataTable } from '../shared/DataTable';
import { ErrorBar } from '../shared/ErrorBar';
import { isRunning } from './use-followed-job';
import { failedCount } from './job-texts';
import { saveFile } from '../shared/save-file';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  rows: { maxHeight: '40vh', overflowY: 'auto' },
});

/** Rows shown per outcome that did not go through. */
const PROBLEM_ROWS = 20;

export interface JobProgressProps {
  api: PortalApi;
  job: JobView;
  /** The kind's outcomes in words. */
  outcomeText: Record<string, string>;
  /** The job was read again after a cancel (the dialog follows it). */
  onCancelled(job: JobView): void;
  /** A read of the job failed: shown, the job goes on. */
  failure?: unknown;
}

/**
 * A job under way: a progress bar with done of total and Cancel; once it has
 * ended, the counts by outcome and the first rows that did not go through.
 */
export function JobProgress({ api, job, outcomeText, onCancelled, failure }: JobProgressProps) {
  const styles = useStyles();
  const { can } = useAccess();
  const [cancelling, setCancelling] = useState(false);
  const [cancelFailure, setCancelFailure] = useState<unknown>();
  const [downloading, setDownloading] = useState(false);
  const [downloadFailure, setDownloadFailure] = useState<unknown>();
  const failed = failedCount(job);

  const downloadFailed = () => {
    setDownloading(true);
    setDownloadFailure(undefined);
    api.downloadFailedRows(job.id).then(
      (file) => {
        setDownloading(false);
        saveFile(file);
      },
      (error: unknown) => {
        setDownloading(false);
        setDownloadFailure(error);
      },
    );
  };
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
      {!running && failed > 0 && (
        <div>
          <Button onClick={downloadFailed} disabled={downloading}>
            {downloading ? 'Downloading…' : `Download failed rows (${failed.toLocaleString()})`}
          </Button>
        </div>
      )}
      {downloadFailure !== undefined && <ErrorBar error={downloadFailure} />}
      {!running && <ProblemRows api={api} job={job} outcomeText={outcomeText} />}
    </div>
  );
}

/** The first rows of each outcome that did not go through, with the reason (all of them: Download failed rows). */
function ProblemRows({ api, job, outcomeText }: { api: PortalApi; job: JobView; outcomeText: Record<string, string> }) {
  const styles = useStyles();
  const [rows, setRows] = useState<JobRowView[]>();
  const [failure, setFailure] = useState<unknown>();
  const problems = Object.entries(job.outcomes)
    .filter(([outcome, count]) => !job.successOutcomes.includes(outcome) && count > 0)
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
  // An import's rows are named by the file's line numbers, as the spreadsheet shows them.
  const byLine = rows.some((row) => row.line !== null);
  return (
    <div className={styles.rows}>
      <DataTable
        label="Rows that did not go through"
        columns={[byLine ? 'Line' : 'Row', job.inputLabel, 'Outcome', 'Reason']}
        items={rows}
        rowKey={(row) => row.row}
        cells={(row) => [
          (byLine ? (row.line ?? row.row) : row.row).toLocaleString(),
          row.input,
          outcomeText[row.outcome] ?? row.outcome,
          row.message ?? '',
        ]}
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
