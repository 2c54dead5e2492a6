/** What Teams answers for a conversation the bot is no longer in (removed from the team, the chat deleted). */
export type GoneStatus = 403 | 404;

/**
 * The status of a Bot Connector call that failed because the bot is no
 * longer in the conversation, as botframework-connector's errors carry it;
 * undefined for any other failure (worth retrying).
 */
export function conversationGone(error: unknown): GoneStatus | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, status, response } = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  const found = [statusCode, status, response?.status].find((value) => typeof value === 'number');
  return found === 403 || found === 404 ? found : undefined;
}
