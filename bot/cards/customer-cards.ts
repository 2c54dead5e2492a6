import type { Attachment } from 'botbuilder';
import { customerLabel as label } from '../../api/customers/customer-label';
import type { CustomerDetailsView, CustomerView } from '../../api/customers/customer-schemas';
import { adaptiveCard, facts, heading, paragraph } from './adaptive-card';
import { executeAction, noneCard, resultCard, statusFacts } from './card-pieces';

export function customersCard(customers: CustomerView[], total: number, text: string): Attachment {
  const title = text ? `Customers matching "${text}"` : 'Your customers';
  if (customers.length === 0) return noneCard(title);
  return resultCard(
    `${title} (${total})`,
    facts(customers.map((c) => [label(c), `${c.accountId} · ${c.tenantName} · ${c.numberCount} numbers · can manage: ${c.canManage ? 'yes' : 'no'}`])),
    total > customers.length && paragraph(`Showing ${customers.length} of ${total}: add words to narrow the list.`, { isSubtle: true }),
  );
}

export function detailsCard(c: CustomerDetailsView): Attachment {
  return resultCard(
    label(c),
    facts([
      ['Account ID', c.accountId],
      ['Office 365 Tenant', c.tenantName],
      ['Max Channels', String(c.maxChannels)],
      ['Can manage?', c.canManage ? 'Yes' : 'No'],
      ['Numbers', String(c.numberCount)],
      ['Last sync', c.lastSync ? `${c.lastSync.state}, ${c.lastSync.finishedAt ?? c.lastSync.startedAt}` : 'Never'],
    ]),
    statusFacts(c.numberCounts),
  );
}

export const PICK_VERB = 'pickCustomer';

/** Several customers match: a button per customer runs the command for that one. */
export function pickCard(words: string, matches: CustomerView[], command: unknown): Attachment {
  return adaptiveCard(
    [
      heading(`Several customers match "${words}": which one?`),
      facts(matches.map((c) => [label(c), `${c.accountId} · ${c.tenantName}`])),
    ],
    matches.slice(0, 6).map((c) => executeAction(label(c), PICK_VERB, { customerId: c.id, command })),
  );
}
