/**
 * What a sync asked for while another runs comes to, in the product's words:
 * the tab and the bot say it alike.
 */
export const QUEUED_SYNC_TEXT = 'A sync was already running; your change will be applied by the next sync, which starts when it ends.';

/** A queued run's wait, where its progress shows. */
export const WAITING_SYNC_TEXT = 'Waiting for the sync under way to end';

/** A scheduled slot that found a sync under way. */
export const QUEUED_SLOT_TEXT = "A sync was already running; this slot's sync starts when it ends.";

/**
 * Where a removal's clean-up sync is, in the tab's notice and on the bot's
 * card alike: started (or queued behind the sync under way), then how it ended.
 */
export function cleanUpSyncText(state: string, queued: boolean): string {
  if (state === 'succeeded') return 'The backend clean-up sync has finished.';
  if (state === 'failed') return 'The backend clean-up sync failed; the next sync cleans up the backend.';
  if (queued && state === 'queued') return QUEUED_SYNC_TEXT;
  return 'The backend clean-up sync has started.';
}
