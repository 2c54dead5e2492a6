import type { Attachment } from 'botbuilder';
import type { TeamsOperationView, TeamsUserView } from '../../api/co-management/co-management-schemas';
import { customerLabel as label } from '../../api/customers/customer-label';
import type { CustomerView } from '../../api/customers/customer-schemas';
import type { Page } from '../../api/shared/paging';
import { facts, heading, paragraph } from './adaptive-card';
import { confirmCard, noteCard, pagedListCard, resultCard } from './card-pieces';

const onOff = (on: boolean) => (on ? 'on' : 'off');
const customerFact = (customer: Pick<CustomerView, 'name' | 'accountId'>): [string, string] => ['Customer', `${label(customer)} (${customer.accountId})`];

/** A page of the customer's Teams users: name, then sign-in name, Teams voice, number and voice routing policy. */
export function teamsUsersCard(customer: CustomerView, page: Page<TeamsUserView>, search?: string): Attachment {
  const which = search ? ` matching "${search}"` : '';
  return pagedListCard(
    `Teams users of ${label(customer)}${which}`,
    page,
    (u) => [
      `${u.displayName}${u.accountEnabled ? '' : ' (disabled)'}`,
      [
        u.userPrincipalName,
        `Teams voice ${onOff(u.voiceEnabled)}`,
        u.number ?? 'no number',
        `policy: ${u.voiceRoutingPolicy ?? 'global (default)'}`,
        ...(u.operation?.state === 'pending' ? [`${u.operation.kind === 'assign' ? 'assigning' : 'unassigning'} ${u.operation.telephoneNumber}`] : []),
      ].join(' · '),
    ],
    (next) => `users ${customer.accountId}${search ? ` ${search}` : ''} page ${next}`,
  );
}

/** What an assignment card showed, kept on the server under its request id. */
export interface AssignmentRequest {
  requestId: string;
  customerId: string;
  telephoneNumber: string;
  userId: string;
  userName: string;
  userPrincipalName: string;
}

export const ASSIGN_VERB = 'assignNumber';
export const CANCEL_ASSIGN_VERB = 'cancelAssignNumber';

/** Nothing is assigned yet: the number, the user and the customer, Confirm and Cancel. */
export function assignConfirmCard(customer: CustomerView, request: AssignmentRequest): Attachment {
  return confirmCard(
    [
      heading(`Assign ${request.telephoneNumber} to ${request.userName}?`),
      facts([
        ['Number', request.telephoneNumber],
        ['User', `${request.userName} (${request.userPrincipalName})`],
        customerFact(customer),
      ]),
      paragraph('Microsoft assigns the number in Teams; it takes a moment.', { isSubtle: true }),
    ],
    { requestId: request.requestId },
    { verb: ASSIGN_VERB, style: 'positive' },
    { verb: CANCEL_ASSIGN_VERB },
  );
}

/** An assignment as Microsoft carries it out: pending, done, or failed with Microsoft's reason. */
export function assignOperationCard(customer: Pick<CustomerView, 'name' | 'accountId'>, operation: TeamsOperationView, note?: string): Attachment {
  const state = operation.state === 'pending' ? 'pending at Microsoft' : operation.state === 'done' ? 'done' : 'failed';
  return resultCard(
    `Assigning ${operation.telephoneNumber} to ${operation.userName}: ${state}`,
    facts([customerFact(customer)]),
    operation.state === 'failed' && paragraph(operation.reason ?? 'Microsoft gave no reason.', { color: 'Attention' }),
    operation.state === 'done' && paragraph(`${operation.telephoneNumber} is ${operation.userName}'s number in Teams now.`),
    note && paragraph(note, { isSubtle: true }),
  );
}

export function assignCancelledCard(): Attachment {
  return noteCard('Cancelled: nothing was assigned.');
}
