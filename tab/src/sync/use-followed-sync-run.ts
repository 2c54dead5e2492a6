import { useCallback, useEffect, useState } from 'react';
import type { PortalApi, SyncRunView } from '../api/portal-api';

/** How often a run in progress is read again. */
export const POLL_MS = 700;
/** Reading the run failed this many times in a row: stop and offer to try again. */
const POLL_FAILURES_ALLOWED = 3;

export const inProgress = (run: SyncRunView) => run.state === 'queued' || run.state === 'running';

/**
 * A sync run followed to its end: read again every POLL_MS while it is
 * queued (a run queued behind the sync under way waits so) or running and
 * `active` says so. `follow` starts following a run (or stops, with none).
 */
export function useFollowedSyncRun(api: PortalApi, active: boolean) {
  const [run, setRun] = useState<SyncRunView>();
  const [pollFailure, setPollFailure] = useState<unknown>();
  const [pollAgain, setPollAgain] = useState(0);

  const runId = run?.id;
  const following = active && run !== undefined && inProgress(run) && pollFailure === undefined;

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

  const follow = useCallback((next: SyncRunView | undefined) => {
    setPollFailure(undefined);
    setRun(next);
  }, []);
  const retry = useCallback(() => {
    setPollFailure(undefined);
    setPollAgain((n) => n + 1);
  }, []);
  const forget = useCallback(() => setPollFailure(undefined), []);
  return { run, follow, pollFailure, retry, forget };
}
