import type { Attachment } from 'botbuilder';
import { customerLabel as label } from '../../api/customers/customer-label';
import type { CustomerView } from '../../api/customers/customer-schemas';
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

/** A sync run as it goes: started, progress, then counts by status and what needs attention. */
export function syncRunCard(customer: Pick<CustomerView, 'name' | 'accountId'>, run: RunForCard, alreadyRunning = false): Attachment {
  const what = run.dryRun ? 'Sync preview' : 'Sync';
  const finished = run.state === 'succeeded' || run.state === 'failed';
  const succeeded = run.state === 'succeeded';
  const attention = succeeded && run.attention.length > 0;
  const c = run.changeCounts;
  return resultCard(
    `${what} of ${label(customer)}: ${finished ? run.state : run.state === 'queued' ? 'starting' : 'running'}`,
    alreadyRunning && paragraph('A sync of this customer was already under way: this is that one.', { isSubtle: true }),
    !finished && paragraph(run.progress.total > 0 ? `${run.progress.done} of ${run.progress.total} steps done` : 'Reading the backend...'),
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
