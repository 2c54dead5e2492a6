/**
 * Waits until `look` finds something (anything but undefined) and gives it
 * back; fails naming `what` after `timeoutMs`. For what another process or a
 * background loop does, never for a timed assertion.
 */
export async function until<T>(what: string, look: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const found = await look();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`never: ${what}`);
}
