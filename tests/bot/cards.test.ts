import * as AdaptiveCards from 'adaptivecards';
import type { Attachment } from 'botbuilder';
import type { CustomerDetailsView, CustomerView } from '../../api/customers/customer-schemas';
import type { NumberView } from '../../api/numbers/number-schemas';
import type { TeamsOperationView, TeamsUserView } from '../../api/co-management/co-management-schemas';
import { customersCard, detailsCard, pickCard } from '../../bot/cards/customer-cards';
import { addResultCard, cancelledCard, numbersCard, removeConfirmCard, removeResultCard } from '../../bot/cards/number-cards';
import { syncRunCard } from '../../bot/cards/sync-cards';
import { assignCancelledCard, assignConfirmCard, assignOperationCard, teamsUsersCard } from '../../bot/cards/co-management-cards';
import { COMMAND_GROUPS } from '../../bot/commands';
import { helpOf } from '../../bot/commands/help-commands';
const helpCard = () => helpOf(COMMAND_GROUPS);

const customer: CustomerView = {
  id: 'c1',
  accountId: 'acct-1',
  tenantName: 'contoso.onmicrosoft.com',
  name: 'Contoso Ltd',
  maxChannels: 10,
  seatType: 'bundled',
  canManage: true,
  customerTenantId: null,
  numberCount: 2,
  lastSync: { runId: 'r1', state: 'succeeded', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const details: CustomerDetailsView = {
  ...customer,
  numberCounts: { pending: 1, synced: 1, backend_fatal: 0, not_in_backend: 0 },
  pendingRemovals: 0,
  coManagement: { consentGrantedAt: null, consentGrantedBy: null, changedAt: null, changedBy: null },
};
const number: NumberView = {
  e164: '+12125550100',
  status: 'synced',
  statusText: 'Synced',
  addedAt: '2026-01-01T00:00:00.000Z',
  addedBy: { tid: 't', oid: 'o' },
  syncedAt: null,
};
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
const operation = (state: TeamsOperationView['state'], reason: string | null = null): TeamsOperationView => ({
  id: 'op1',
  kind: 'assign',
  telephoneNumber: '+12125550105',
  userId: 'u4',
  userName: 'Lee Gu',
  state,
  reason,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: state === 'pending' ? null : '2026-01-01T00:00:05.000Z',
});
const teamsUser: TeamsUserView = {
  id: 'u2',
  displayName: 'Alex Wilber',
  userPrincipalName: 'AlexW@contoso.onmicrosoft.com',
  accountEnabled: true,
  voiceEnabled: true,
  number: '+12125550100',
  voiceRoutingPolicy: 'US-East',
  operation: null,
};
const assignment = {
  requestId: 'q2',
  customerId: 'c1',
  telephoneNumber: '+12125550105',
  userId: 'u4',
  userName: 'Lee Gu',
  userPrincipalName: 'LeeG@contoso.onmicrosoft.com',
};

const cards: [string, Attachment][] = [
  ['help', helpCard()],
  ['customers', customersCard([customer], 40, 'con')],
  ['no customers', customersCard([], 0, 'zzz')],
  ['details', detailsCard(details)],
  ['numbers', numbersCard(customer, { items: [number], total: 60, page: 1, pageSize: 1 }, 'synced')],
  ['numbers, page 2 of 3', numbersCard(customer, { items: [number], total: 60, page: 2, pageSize: 25 })],
  ['no numbers', numbersCard(customer, { items: [], total: 0, page: 1, pageSize: 0 })],
  ['pick', pickCard('fab', [customer, { ...customer, id: 'c2', name: 'Contoso West' }], { name: 'details', customer: 'fab' })],
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
  ['sync running', syncRunCard(customer, run('running'))],
  ['sync succeeded', syncRunCard(customer, run('succeeded'))],
  ['sync failed', syncRunCard(customer, run('failed'))],
  ['sync preview, already running', syncRunCard(customer, run('succeeded', true), true)],
  [
    'teams users, page 1 of 3',
    teamsUsersCard(
      customer,
      {
        items: [
          teamsUser,
          { ...teamsUser, id: 'u6', displayName: 'Megan Bowen', voiceEnabled: false, number: null, voiceRoutingPolicy: null, accountEnabled: false },
          { ...teamsUser, id: 'u4', displayName: 'Lee Gu', number: null, operation: operation('pending') },
        ],
        total: 25,
        page: 1,
        pageSize: 10,
      },
      'contoso',
    ),
  ],
  ['no teams users', teamsUsersCard(customer, { items: [], total: 0, page: 1, pageSize: 0 }, 'zzz')],
  ['assign confirm', assignConfirmCard(customer, assignment)],
  ['assign pending', assignOperationCard(customer, operation('pending'))],
  ['assign done', assignOperationCard(customer, operation('done'))],
  ['assign failed', assignOperationCard(customer, operation('failed', 'The user does not have a Teams Phone license.'))],
  ['assign no longer followed', assignOperationCard(customer, operation('pending'), 'The portal cannot follow it any more.')],
  ['assign cancelled', assignCancelledCard()],
];

describe('every card the bot sends', () => {
  it.each(cards)('%s is an Adaptive Card 1.5 the adaptivecards parser takes without a warning', (_name, attachment) => {
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const json = attachment.content as { version: string };
    expect(json.version).toBe('1.5');
    const card = new AdaptiveCards.AdaptiveCard();
    const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
    card.parse(json, context);
    const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
    expect(events).toEqual([]);
    expect(card.validateProperties().validationEvents.map((e) => e.message)).toEqual([]);
  });
});
