/**
 * An HTTP Retry-After (seconds, or an HTTP date) in milliseconds, cut to
 * `maxMs` so no call waits for minutes; undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | null | undefined, maxMs: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, maxMs);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - Date.now()), maxMs);
}
