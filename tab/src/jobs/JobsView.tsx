import { Badge, Button, Subtitle1, Text, Toolbar, makeStyles, tokens, useId, useRestoreFocusTarget, type BadgeProps } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { JobView, PortalApi } from '../api/portal-api';
import { DataTable } from '../shared/DataTable';
import { ErrorBar } from '../shared/ErrorBar';
import { formatDateTime } from '../shared/format';
import { Pager } from '../shared/Pager';
import { useApiQuery } from '../shared/use-api-query';
import { useFocusOnMount } from '../shared/use-focus-on-mount';
import { FollowedJobDialog } from './FollowedJobDialog';
import { jobKindText, outcomeSummary, outcomeTextOf } from './job-texts';
import { isRunning } from './use-followed-job';

const PAGE_SIZE = 25;
/** How often the list is read again while a job on it runs. */
const LIST_POLL_MS = 2000;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  heading: { margin: 0 },
});

export const JOB_STATE_TEXT: Record<JobView['state'], string> = {
  queued: 'Waiting',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const STATE_COLOR: Record<JobView['state'], BadgeProps['color']> = {
  queued: 'informative',
  running: 'brand',
  done: 'success',
  failed: 'danger',
  cancelled: 'warning',
};

export interface JobsViewProps {
  api: PortalApi;
  /** How often an open job is read again (tests pass a short one). */
  jobPollMs?: number;
}

/**
 * Jobs: the partner's recent imports, large pastes and removals, newest
 * first, with their progress and results; Open shows one with its failed rows
 * (and Download failed rows), or follows it while it runs.
 */
export function JobsView({ api, jobPollMs }: JobsViewProps) {
  const styles = useStyles();
  const headingId = useId('jobs-heading-');
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const restoreFocus = useRestoreFocusTarget();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<JobView>();
  const jobs = useApiQuery(() => api.listJobs({ page, pageSize: PAGE_SIZE }), [api, page]);
  const items = jobs.data?.items ?? [];
  const running = items.some(isRunning);
  const { reload } = jobs;

  useEffect(() => {
    if (!running || open) return;
    const timer = setTimeout(reload, LIST_POLL_MS);
    return () => clearTimeout(timer);
  }, [running, open, jobs.data, reload]);

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <div className={styles.header}>
        <h2 id={headingId} className={styles.heading} ref={headingRef} tabIndex={-1}>
          <Subtitle1>Jobs</Subtitle1>
        </h2>
        <Toolbar aria-label="Job actions">
          <Button onClick={reload}>Refresh</Button>
        </Toolbar>
      </div>
      {jobs.error !== undefined && <ErrorBar error={jobs.error} onRetry={reload} />}
      {jobs.data && items.length === 0 && <Text>No jobs yet. Imports and pastes of more than 1,000 numbers show here.</Text>}
      {items.length > 0 && (
        <DataTable
          labelledBy={headingId}
          columns={['What', 'State', 'Rows', 'Result', 'Started by', 'Started', '']}
          items={items}
          rowKey={(job) => job.id}
          cells={(job) => [
            jobKindText(job),
            <Badge key="state" appearance="tint" color={STATE_COLOR[job.state]}>
              {JOB_STATE_TEXT[job.state]}
            </Badge>,
            `${job.done.toLocaleString()} of ${job.total.toLocaleString()}`,
            outcomeSummary(job.kind, job.outcomes),
            job.startedBy.name ?? job.startedBy.oid,
            formatDateTime(job.createdAt),
            <Button key="open" size="small" {...restoreFocus} onClick={() => setOpen(job)} aria-label={`Open ${jobKindText(job)}`}>
              Open
            </Button>,
          ]}
        />
      )}
      <Pager page={page} pageSize={PAGE_SIZE} total={jobs.data?.total ?? 0} onPage={setPage} />
      {open && (
        <FollowedJobDialog
          api={api}
          open
          title={jobKindText(open)}
          started={open}
          intro={startedText}
          outcomeText={outcomeTextOf(open.kind)}
          pollMs={jobPollMs}
          onClose={() => {
            setOpen(undefined);
            reload();
          }}
        />
      )}
    </section>
  );
}

function startedText(job: JobView): string {
  const ended = job.finishedAt ? `; ended ${formatDateTime(job.finishedAt)}` : '';
  return `Started by ${job.startedBy.name ?? job.startedBy.oid}, ${formatDateTime(job.createdAt)}${ended}.`;
}
