import { useEffect, useMemo, useRef, useState } from 'react';
import type { PortalApi, TeamsOperationView, TeamsUserView } from '../api/portal-api';
import type { Notice } from '../shared/NoticeBar';
import { operationOutcome } from './co-management';

/** Reading pending assignments failed this many times in a row: stop and offer to try again. */
const POLL_FAILURES_ALLOWED = 3;

export interface FollowedOperationsOptions {
  api: PortalApi;
  customerId: string;
  /** The users of the page shown, with the latest assignment the API knows of each. */
  users: TeamsUserView[];
  pollMs: number;
  /** Nothing is read (co-management is off). */
  stopped: boolean;
  /** Sees a failure first; true when it handled it (co-management switched off). */
  report(error: unknown): boolean;
  /** Assignments ended: what happened, and the page is read again (the users' numbers changed). */
  onFinished(notice: Notice): void;
}

/**
 * The users' assignments at Microsoft, followed: the latest of each user (the
 * one started or read here, or the page's, whichever is newer), read again
 * every pollMs while one is pending. After a few failures in a row it stops
 * and keeps the failure, for Try again.
 */
export function useFollowedOperations({ api, customerId, users, pollMs, stopped, report, onFinished }: FollowedOperationsOptions) {
  // Assignments started or read again here, by user: newer than the page until it is read again.
  const [followed, setFollowed] = useState<ReadonlyMap<string, TeamsOperationView>>(new Map());
  const [pollFailure, setPollFailure] = useState<unknown>();
  const [pollRound, setPollRound] = useState(0);
  const pollFailures = useRef(0);
  const finishedRef = useRef(onFinished);
  useEffect(() => {
    finishedRef.current = onFinished;
  });

  const latest = useMemo(() => {
    const byUser = new Map<string, TeamsOperationView>(followed);
    for (const user of users) {
      const newest = newer(followed.get(user.id), user.operation);
      if (newest) byUser.set(user.id, newest);
    }
    return byUser;
  }, [followed, users]);
  const pendingIds = [...latest.values()]
    .filter((operation) => operation.state === 'pending')
    .map((operation) => operation.id)
    .sort()
    .join(',');

  useEffect(() => {
    if (!pendingIds || stopped || pollFailure !== undefined) return;
    let over = false;
    const timer = setTimeout(async () => {
      const answers = await Promise.allSettled(pendingIds.split(',').map((id) => api.getTeamsOperation(customerId, id)));
      if (over) return;
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
        finishedRef.current({
          intent: finished.every((operation) => operation.state === 'done') ? 'success' : 'warning',
          text: finished.map(operationOutcome).join(' '),
        });
      }
      setPollRound((n) => n + 1);
    }, pollMs);
    return () => {
      over = true;
      clearTimeout(timer);
    };
  }, [api, customerId, pendingIds, pollMs, pollRound, stopped, pollFailure, report]);

  /** Follows an assignment just started (and reads again after failures). */
  const follow = (operation: TeamsOperationView) => {
    setPollFailure(undefined);
    pollFailures.current = 0;
    setFollowed((before) => new Map(before).set(operation.userId, operation));
  };
  const retry = () => {
    pollFailures.current = 0;
    setPollFailure(undefined);
  };

  return { latest, pollFailure, follow, retry };
}

/** The later of two views of a user's assignments; for the same one, the one that knows how it ended. */
function newer(a: TeamsOperationView | undefined, b: TeamsOperationView | null | undefined): TeamsOperationView | undefined {
  if (!a) return b ?? undefined;
  if (!b) return a;
  if (a.id === b.id) return a.state === 'pending' ? b : a;
  return a.startedAt >= b.startedAt ? a : b;
}
