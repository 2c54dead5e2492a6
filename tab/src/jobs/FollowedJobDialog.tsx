import { Button, Text } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import type { JobView, PortalApi } from '../api/portal-api';
import { DialogShell } from '../shared/DialogShell';
import { JobProgress } from './JobProgress';
import { useFollowedJob } from './use-followed-job';

export interface FollowedJobDialogProps {
  api: PortalApi;
  open: boolean;
  title: string;
  /** The job as last read (just started, or picked from the Jobs list). */
  started: JobView;
  /** What the job is doing, above its progress. */
  intro(job: JobView): string;
  outcomeText: Record<string, string>;
  /** Rows landed (each recorded batch): what the view behind shows is out of date. */
  onProgress?(): void;
  onClose(): void;
  pollMs?: number | undefined;
}

/** A job in a dialog, read again until it ends: progress, Cancel job, then counts and failed rows. Close leaves it running. */
export function FollowedJobDialog({ api, open, title, started, intro, outcomeText, onProgress, onClose, pollMs }: FollowedJobDialogProps) {
  const { job, setJob, failure, running } = useFollowedJob(api, started, pollMs);
  const landed = useRef(job.done);
  useEffect(() => {
    if (job.done !== landed.current) onProgress?.();
    landed.current = job.done;
  }, [job.done, onProgress]);
  return (
    <DialogShell
      open={open}
      title={title}
      onDismiss={onClose}
      actions={
        <Button appearance={running ? 'secondary' : 'primary'} onClick={onClose}>
          {running ? 'Close' : 'Done'}
        </Button>
      }
    >
      <Text>{intro(job)}</Text>
      <JobProgress api={api} job={job} outcomeText={outcomeText} onCancelled={setJob} failure={failure} />
    </DialogShell>
  );
}
