import { cleanUpSyncText } from '../../../api/sync/sync-texts';
import type { RemoveNumbersResult, SyncRunView } from '../api/portal-api';
import { plural } from '../shared/format';
import type { Notice } from '../shared/NoticeBar';

/** What a removal did, in a sentence or three; with `cleanUp`, where its clean-up sync (followed to its end) is now. */
export function removalNotice(result: RemoveNumbersResult, cleanUp?: SyncRunView): Notice {
  const { removed, 'not-found': notFound, invalid } = result.summary;
  const parts: string[] = [];
  if (removed > 0) {
    parts.push(
      result.mode === 'delete'
        ? `Removed ${plural(removed, 'number')}; ${removed === 1 ? 'it is' : 'they are'} deleted from the backend.`
        : `Removed ${plural(removed, 'number')}; ${removed === 1 ? 'it stays' : 'they stay'} in the backend (only detached).`,
    );
  } else {
    parts.push('No number was removed.');
  }
  if (notFound > 0) parts.push(`${plural(notFound, 'number')} ${notFound === 1 ? 'was' : 'were'} not on this customer.`);
  if (invalid > 0) parts.push(`${plural(invalid, 'entry', 'entries')} ${invalid === 1 ? 'was' : 'were'} not a valid number.`);
  if (result.syncRun) {
    const state = cleanUp?.id === result.syncRun.id ? cleanUp.state : result.syncRun.state;
    parts.push(cleanUpSyncText(state, !result.syncRun.started));
  } else if (removed > 0) {
    parts.push('The backend is cleaned up at the next sync.');
  }
  return { intent: removed > 0 && notFound === 0 && invalid === 0 ? 'success' : 'warning', text: parts.join(' ') };
}
