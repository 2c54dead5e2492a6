import { useCallback, useEffect, useRef, useState, type DependencyList, type Dispatch, type SetStateAction } from 'react';

export interface ApiQueryOptions<T> {
  /** False: nothing is read (a co-management view once co-management is off). */
  enabled?: boolean;
  /** Sees a failure first; true when it handled it, so the view shows no error. */
  report?(error: unknown): boolean;
  /** Called with each answer still wanted, right after it is stored. */
  onData?(data: T): void;
}

export interface ApiQuery<T> {
  /** The latest answer; kept while the next one loads or fails. */
  data: T | undefined;
  /** Changes the answer in place (after an edit the list need not be read again). */
  setData: Dispatch<SetStateAction<T | undefined>>;
  /** The latest failure; cleared by the next answer. */
  error: unknown;
  loading: boolean;
  /** Reads again with the same dependencies (Refresh, Try again). */
  reload(): void;
}

/**
 * The list views' load-and-cancel effect in one place: reads again whenever
 * `deps` change (or on reload), and ignores an answer that arrives after the
 * view moved on (another page or search, or it closed), so a slow old answer
 * never replaces a newer one.
 */
export function useApiQuery<T>(query: () => Promise<T>, deps: DependencyList, options: ApiQueryOptions<T> = {}): ApiQuery<T> {
  const { enabled = true } = options;
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  // The callbacks may be new on every render; only `deps` decide when to read again.
  const report = useRef(options.report);
  const onData = useRef(options.onData);
  useEffect(() => {
    report.current = options.report;
    onData.current = options.onData;
  });

  useEffect(() => {
    if (!enabled) return;
    let current = true;
    setLoading(true);
    query()
      .then((result) => {
        if (!current) return;
        setData(result);
        setError(undefined);
        onData.current?.(result);
      })
      .catch((failure: unknown) => current && !report.current?.(failure) && setError(failure))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
    // The caller lists what the query depends on; the query itself is new on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, enabled, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, setData, error, loading, reload };
}
