import type { Attachment } from 'botbuilder';
import type { CustomerDetailsView } from '../../../api/customers/customer-schemas';
import { customersCard, detailsCard, pickCard } from '../../../bot/cards/customer-cards';
import { CUSTOMER_VIEW as customer, expectAdaptiveCard15 } from '../../support/bot-conversation';

const details: CustomerDetailsView = {
  ...customer,
  numberCounts: { pending: 1, synced: 1, backend_fatal: 0, not_in_backend: 0 },
  pendingRemovals: 0,
  coManagement: { consentGrantedAt: null, consentGrantedBy: null, changedAt: null, changedBy: null },
};

const cards: [string, Attachment][] = [
  ['customers', customersCard([customer], 40, 'con')],
  ['no customers', customersCard([], 0, 'zzz')],
  ['details', detailsCard(details)],
  ['pick', pickCard('fab', [customer, { ...customer, id: 'c2', name: 'Contoso West' }], { name: 'details', customer: 'fab' })],
];

describe('customer cards', () => {
  it.each(cards)('%s is an Adaptive Card 1.5 the adaptivecards parser takes without a warning', (_name, attachment) => expectAdaptiveCard15(attachment));
});
