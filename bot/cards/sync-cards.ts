import type { Attachment } from 'botbuilder';
import { customerLabel as label } from '../../api/customers/customer-label';
import type { CustomerView } from '../../api/customers/customer-schemas';
import { QUEUED_SYNC_TEXT, WAITING_SYNC_TEXT } from '../../api/sync/sync-texts';
import { facts, paragraph } from './adaptive-card';
import { resultCard, statusFacts } from './card-pieces';

interface RunForCard {
  id: string;
  dryRun: boolean;
  state: string;
  progress: { done: number; total: number };
  counts: Record<string, number>;
  changeCounts: { routed: number; imported: number; removed: number; released: number; statusChanges: number };
  changes: { account: unknown };
  attention: { e164: string; statusText: string; detail?: string }[];
  errors: { message: string }[];
}

/**
 * A sync run as it goes: started, progress, then counts by status and what
 * needs attention. `queued`: the run was queued behind the sync under way,
 * and says so until its end.
 */
export function syncRunCard(customer: Pick<CustomerView, 'name' | 'accountId'>, run: RunForCard, queued = false): Attachment {
  const what = run.dryRun ? 'Sync preview' : 'Sync';
  const finished = run.state === 'succeeded' || run.state === 'failed';
  const succeeded = run.state === 'succeeded';
  const waiting = queued && run.state === 'queued';
  const attention = succeeded && run.attention.length > 0;
  const c = run.changeCounts;
  return resultCard(
    `${what} of ${label(customer)}: ${finished ? run.state : waiting ? 'waiting' : run.state === 'queued' ? 'starting' : 'running'}`,
    queued && paragraph(QUEUED_SYNC_TEXT, { isSubtle: true }),
    !finished &&
      paragraph(
        waiting ? `${WAITING_SYNC_TEXT}.` : run.progress.total > 0 ? `${run.progress.done} of ${run.progress.total} steps done` : 'Reading the backend...',
      ),
    succeeded && statusFacts(run.counts),
    succeeded &&
      paragraph(
        `${run.dryRun ? 'Would change' : 'Changed'}: ${c.statusChanges} status(es), ${c.routed} routed to Teams, ${c.imported} imported, ${c.removed} removed (${c.released} released)${run.changes.account ? ', account settings' : ''}.`,
      ),
    attention && paragraph('Numbers that need attention:', { weight: 'Bolder' }),
    attention && facts(run.attention.slice(0, 20).map((a) => [a.e164, `${a.statusText}${a.detail ? ` (${a.detail})` : ''}`])),
    run.errors.length > 0 && paragraph(run.errors.slice(0, 5).map((e) => e.message).join('\n\n'), { color: 'Attention' }),
  );
}
