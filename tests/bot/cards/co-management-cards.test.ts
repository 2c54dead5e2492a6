import type { Attachment } from 'botbuilder';
import type { TeamsOperationView, TeamsUserView } from '../../../api/co-management/co-management-schemas';
import { assignCancelledCard, assignConfirmCard, assignOperationCard, teamsUsersCard } from '../../../bot/cards/co-management-cards';
import { CUSTOMER_VIEW as customer, expectAdaptiveCard15 } from '../../support/bot-conversation';

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

describe('co-management cards', () => {
  it.each(cards)('%s is an Adaptive Card 1.5 the adaptivecards parser takes without a warning', (_name, attachment) => expectAdaptiveCard15(attachment));
});
