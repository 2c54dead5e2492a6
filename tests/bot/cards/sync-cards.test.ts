import type { Attachment } from 'botbuilder';
import { syncRunCard } from '../../../bot/cards/sync-cards';
import { CUSTOMER_VIEW as customer, expectAdaptiveCard15 } from '../../support/bot-conversation';

const run = (state: string, dryRun = false) => ({
  id: 'r1',
  dryRun,
  state,
  progress: { done: 2, total: 5 },
  counts: { pending: 0, synced: 3, backend_fatal: 1, not_in_backend: 1 },
  changeCounts: { routed: 1, imported: 1, removed: 0, released: 0, statusChanges: 3 },
  changes: { account: null },
  attention: [{ e164: '+12125550103', statusText: "This number cannot be sync'ed automatically (backend reports fatal)", detail: 'on the seat of Megan Bowen (essentials)' }],
  errors: state === 'failed' ? [{ message: 'The backend did not answer' }] : [],
});

const cards: [string, Attachment][] = [
  ['sync running', syncRunCard(customer, run('running'))],
  ['sync succeeded', syncRunCard(customer, run('succeeded'))],
  ['sync failed', syncRunCard(customer, run('failed'))],
  ['sync preview, already running', syncRunCard(customer, run('succeeded', true), true)],
];

describe('sync cards', () => {
  it.each(cards)('%s is an Adaptive Card 1.5 the adaptivecards parser takes without a warning', (_name, attachment) => expectAdaptiveCard15(attachment));
});
