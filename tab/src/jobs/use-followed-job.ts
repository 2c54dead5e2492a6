import { useEffect, useState } from 'react';
import type { JobView, PortalApi } from '../api/portal-api';

/** How often a running job is read again. */
export const JOB_POLL_MS = 750;

export function isRunning(job: JobView): boolean {
  return job.state === 'queued' || job.state === 'running';
}

/**
 * A job read again until it ends; a failed read is kept and retried at the
 * next tick (the job goes on at the server whatever the tab sees).
 */
export function useFollowedJob(api: PortalApi, started: JobView, pollMs = JOB_POLL_MS) {
  const [job, setJob] = useState(started);
  const [failure, setFailure] = useState<unknown>();
  const running = isRunning(job);

  useEffect(() => setJob(started), [started]);

  useEffect(() => {
    if (!running) return;
    let current = true;
    const timer = setTimeout(() => {
      api.getJob(job.id).then(
        (next) => {
          if (!current) return;
          setJob(next);
          setFailure(undefined);
        },
        (error: unknown) => current && setFailure(error),
      );
    }, pollMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, job, running, pollMs]);

  return { job, setJob, failure, running };
}
