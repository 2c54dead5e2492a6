import type { Attachment } from 'botbuilder';
import { customerLabel as label } from '../../api/customers/customer-label';
import type { CustomerView } from '../../api/customers/customer-schemas';
import type { NumberView } from '../../api/numbers/number-schemas';
import type { Page } from '../../api/shared/paging';
import { cleanUpSyncText } from '../../api/sync/sync-texts';
import { facts, heading, paragraph } from './adaptive-card';
import { confirmCard, noteCard, pagedListCard, resultCard, statusText } from './card-pieces';

/** A page of a customer's numbers (of one status, when `status` is given), with their status texts. */
export function numbersCard(customer: CustomerView, page: Page<NumberView>, status?: string): Attachment {
  const which = status ? ` (${statusText(status)})` : '';
  return pagedListCard(
    `Numbers of ${label(customer)}${which}`,
    page,
    (n) => [n.e164, n.statusText],
    (next) => `numbers ${customer.accountId}${status ? ` ${status}` : ''} page ${next}`,
  );
}

/** An added number's outcome in words (the add card's, and an add job's). */
export const ADD_OUTCOME_TEXT: Record<string, string> = {
  added: 'added',
  'already-present': 'already there',
  'owned-elsewhere': 'belongs to another customer',
  invalid: 'not valid',
};

type NumberOutcome = { input: string; e164?: string; outcome: string; reason?: string };

/** The outcome of every number (or piece) the partner pasted, as the API gave it. */
export function addResultCard(customer: CustomerView, result: { results: NumberOutcome[]; summary: Record<string, number> }): Attachment {
  const summary = Object.entries(result.summary)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${ADD_OUTCOME_TEXT[outcome] ?? outcome}`)
    .join(', ');
  return resultCard(
    `Numbers for ${label(customer)}: ${summary}`,
    facts(result.results.map((r) => [r.e164 ?? r.input, `${ADD_OUTCOME_TEXT[r.outcome] ?? r.outcome}${r.reason ? ` (${r.reason})` : ''}`])),
    result.summary.added && paragraph('New numbers wait for the next sync: say "sync ' + customer.accountId + '".', { isSubtle: true }),
  );
}

export interface RemovalRequest {
  requestId: string;
  customerId: string;
  numbers: string[];
}

export const REMOVE_VERB = 'removeNumbers';
export const CANCEL_REMOVE_VERB = 'cancelRemoveNumbers';

/** Nothing is removed yet: the numbers, the delete/retain toggle, Confirm and Cancel. */
export function removeConfirmCard(customer: CustomerView, request: RemovalRequest, invalid: string[]): Attachment {
  return confirmCard(
    [
      heading(`Remove ${request.numbers.length} number(s) from ${label(customer)}?`),
      paragraph(request.numbers.join(', ')),
      ...(invalid.length > 0 ? [paragraph(`Not numbers, left out: ${invalid.join(', ')}`, { isSubtle: true })] : []),
      {
        type: 'Input.Toggle',
        id: 'deleteFromBackend',
        title: 'Also delete the numbers from the backend (off: keep them there, only detach them)',
        value: 'false',
        valueOn: 'true',
        valueOff: 'false',
      },
    ],
    { ...request },
    { verb: REMOVE_VERB, style: 'destructive' },
    { verb: CANCEL_REMOVE_VERB },
  );
}

/** What a removal did; its clean-up sync, when one started or was queued behind the sync under way (`queuedAfter`). */
export type RemovalOutcome = { mode: string; results: NumberOutcome[]; syncRun: { id: string; queuedAfter?: string | null } | null };

/** The removal's outcome; with `run`, where its clean-up sync is now (the card follows it to its end). */
export function removeResultCard(customer: Pick<CustomerView, 'name' | 'accountId'>, result: RemovalOutcome, run?: { state: string }): Attachment {
  const removed = result.results.filter((r) => r.outcome === 'removed').map((r) => r.e164 ?? r.input);
  const others = result.results.filter((r) => r.outcome !== 'removed');
  return resultCard(
    `Removed ${removed.length} number(s) from ${label(customer)}`,
    removed.length > 0 && paragraph(removed.join(', ')),
    paragraph(result.mode === 'delete' ? 'They are deleted from the backend as well.' : 'They stay in the backend, only detached from the customer.'),
    others.length > 0 && facts(others.map((r) => [r.input, `${r.outcome}${r.reason ? ` (${r.reason})` : ''}`])),
    result.syncRun && paragraph(cleanUpSyncText(run?.state ?? 'queued', Boolean(result.syncRun.queuedAfter)), { isSubtle: true }),
  );
}

export function cancelledCard(): Attachment {
  return noteCard('Cancelled: nothing was removed.');
}
