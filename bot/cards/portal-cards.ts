import type { Attachment } from 'botbuilder';
import type { CustomerDetailsView, CustomerView } from '../../api/customers/customer-schemas';
import type { NumberView } from '../../api/numbers/number-schemas';
import { STATUS_TEXT } from '../../api/numbers/number-status';
import { adaptiveCard, facts, heading, paragraph } from './adaptive-card';

const label = (c: CustomerView) => c.name ?? c.accountId;

export function helpCard(): Attachment {
  return adaptiveCard([
    heading('Partner Portal: what you can ask'),
    facts([
      ['help', 'this list'],
      ['customers [text]', 'your customers, e.g. "customers contoso"'],
      ['details <customer>', 'a customer\'s details, e.g. "details contoso"'],
      ['numbers <customer> [status]', 'a customer\'s numbers, e.g. "numbers contoso fatal" (pending, synced, fatal, missing)'],
    ]),
    paragraph('A customer is found by any part of its name, account ID or tenant name.', { isSubtle: true }),
  ]);
}

export function customersCard(customers: CustomerView[], total: number, text: string): Attachment {
  const title = text ? `Customers matching "${text}"` : 'Your customers';
  if (customers.length === 0) return adaptiveCard([heading(title), paragraph('None.')]);
  return adaptiveCard([
    heading(`${title} (${total})`),
    facts(customers.map((c) => [label(c), `${c.accountId} · ${c.tenantName} · ${c.numberCount} numbers · can manage: ${c.canManage ? 'yes' : 'no'}`])),
    ...(total > customers.length ? [paragraph(`Showing ${customers.length} of ${total}: add words to narrow the list.`, { isSubtle: true })] : []),
  ]);
}

export function detailsCard(c: CustomerDetailsView): Attachment {
  return adaptiveCard([
    heading(label(c)),
    facts([
      ['Account ID', c.accountId],
      ['Office 365 Tenant', c.tenantName],
      ['Max Channels', String(c.maxChannels)],
      ['Can manage?', c.canManage ? 'Yes' : 'No'],
      ['Numbers', String(c.numberCount)],
      ['Last sync', c.lastSync ? `${c.lastSync.state}, ${c.lastSync.finishedAt ?? c.lastSync.startedAt}` : 'Never'],
    ]),
    facts(Object.entries(c.numberCounts).map(([status, count]) => [STATUS_TEXT[status as keyof typeof STATUS_TEXT] ?? status, String(count)])),
  ]);
}

export function numbersCard(customer: CustomerView, numbers: NumberView[], total: number, status?: string): Attachment {
  const which = status ? ` (${STATUS_TEXT[status as keyof typeof STATUS_TEXT] ?? status})` : '';
  if (numbers.length === 0) return adaptiveCard([heading(`Numbers of ${label(customer)}${which}`), paragraph('None.')]);
  return adaptiveCard([
    heading(`Numbers of ${label(customer)}${which}: ${total}`),
    facts(numbers.map((n) => [n.e164, n.statusText])),
    ...(total > numbers.length ? [paragraph(`Showing the first ${numbers.length} of ${total}; the tab lists them all.`, { isSubtle: true })] : []),
  ]);
}

/** Several customers match: say which, and how to name one. */
export function pickCard(words: string, matches: CustomerView[]): Attachment {
  return adaptiveCard([
    heading(`Several customers match "${words}"`),
    facts(matches.map((c) => [label(c), c.accountId])),
    paragraph('Name one by its account ID, e.g. "details ' + matches[0]!.accountId + '".', { isSubtle: true }),
  ]);
}
