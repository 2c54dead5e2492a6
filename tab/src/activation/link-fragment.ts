/**
 * The partner's link is /activate.html#link=<token>: the token travels in the
 * fragment, which browsers never send to a server. The page takes it once and
 * removes it from the address bar at once (history.replaceState, no new
 * history entry), so it is not kept in the history, bookmarks or a reload;
 * from then on the session cookie stands for it.
 */
export function takeLinkFromAddress(
  location: Pick<Location, 'hash' | 'pathname' | 'search'> = window.location,
  history: Pick<History, 'replaceState' | 'state'> = window.history,
): string | null {
  if (!location.hash || location.hash === '#') return null;
  const link = new URLSearchParams(location.hash.slice(1)).get('link')?.trim() || null;
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return link;
}
