import { customersCard, detailsCard, PICK_VERB } from '../cards/customer-cards';
import type { CommandGroup } from '../command-group';
import { customerCommand, pickCustomer } from './customer-resolution';

/** Customers on one answer of "customers". */
const CUSTOMERS_PAGE_SIZE = 25;

/** "customers [text]", "details <customer>", and the card to pick one of several customers. */
export const customerCommands: CommandGroup = {
  commands: [
    {
      name: 'customers',
      role: 'viewer',
      help: ['customers [text]', 'your customers, e.g. "customers contoso"'],
      match: (said) => (said.word === 'customers' || said.word === 'customer' ? { name: 'customers', text: said.args } : undefined),
      async run(turn, command: { name: 'customers'; text: string }) {
        const page = await turn.services.customers.list(turn.caller, {
          search: command.text || undefined,
          sort: 'name',
          page: 1,
          pageSize: CUSTOMERS_PAGE_SIZE,
        });
        await turn.context.sendActivity({ attachments: [customersCard(page.items, page.total, command.text)] });
      },
    },
    customerCommand<{ name: 'details'; customer: string }>({
      name: 'details',
      role: 'viewer',
      help: ['details <customer>', 'a customer\'s details, e.g. "details contoso"'],
      match: (said) => (said.word === 'details' && said.args ? { name: 'details', customer: said.args } : undefined),
      answer: async (turn, _command, customer) => ({ card: detailsCard(await turn.services.customers.details(turn.caller, customer.id)) }),
    }),
  ],
  actions: { [PICK_VERB]: { role: 'viewer', run: pickCustomer } },
  notes: ['A customer is found by any part of its name, account ID or tenant name.'],
};
