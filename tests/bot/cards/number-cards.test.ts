import type { Attachment } from 'botbuilder';
import type { NumberView } from '../../../api/numbers/number-schemas';
import { addResultCard, cancelledCard, numbersCard, removeConfirmCard, removeResultCard } from '../../../bot/cards/number-cards';
import { CUSTOMER_VIEW as customer, expectAdaptiveCard15 } from '../../support/bot-conversation';

const number: NumberView = {
  e164: '+12125550100',
  status: 'synced',
  statusText: 'Synced',
  addedAt: '2026-01-01T00:00:00.000Z',
  addedBy: { tid: 't', oid: 'o' },
  syncedAt: null,
};

const cards: [string, Attachment][] = [
  ['numbers', numbersCard(customer, { items: [number], total: 60, page: 1, pageSize: 1 }, 'synced')],
  ['numbers, page 2 of 3', numbersCard(customer, { items: [number], total: 60, page: 2, pageSize: 25 })],
  ['no numbers', numbersCard(customer, { items: [], total: 0, page: 1, pageSize: 0 })],
  [
    'add result',
    addResultCard(customer, {
      results: [
        { input: '+1 212 555 0100', e164: '+12125550100', outcome: 'added' },
        { input: '123', outcome: 'invalid', reason: 'too short to be a phone number' },
      ],
      summary: { added: 1, 'already-present': 0, 'owned-elsewhere': 0, invalid: 1 },
    }),
  ],
  ['remove confirm', removeConfirmCard(customer, { requestId: 'q1', customerId: 'c1', numbers: ['+12125550100'] }, ['abc'])],
  [
    'remove result',
    removeResultCard(customer, {
      mode: 'delete',
      results: [
        { input: '+12125550100', e164: '+12125550100', outcome: 'removed' },
        { input: '+12125550199', e164: '+12125550199', outcome: 'not-found', reason: 'not on this customer' },
      ],
      syncRun: { id: 'r2' },
    }),
  ],
  ['cancelled', cancelledCard()],
];

describe('number cards', () => {
  it.each(cards)('%s is an Adaptive Card 1.5 the adaptivecards parser takes without a warning', (_name, attachment) => expectAdaptiveCard15(attachment));

  it('says how to ask for the next page of numbers', () => {
    const card = JSON.stringify(numbersCard(customer, { items: [number], total: 60, page: 2, pageSize: 25 }, 'synced').content);
    expect(card).toContain('26-26 of 60 (page 2 of 3): say \\"numbers acct-1 synced page 3\\" for more.');
  });
});
