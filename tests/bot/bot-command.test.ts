import { BotRouter } from '../../bot/bot-router';
import { COMMAND_GROUPS } from '../../bot/commands';
import { customerSplits } from '../../bot/commands/co-management-commands';
import { notUnderstood } from '../../bot/commands/help-commands';
const router = new BotRouter(COMMAND_GROUPS, notUnderstood);
const parseCommand = (t: string) => router.parse(t);

describe('parseCommand', () => {
  it.each([
    ['help', { name: 'help' }],
    ['', { name: 'help' }],
    ['  Customers   contoso  ', { name: 'customers', text: 'contoso' }],
    ['details Contoso Ltd', { name: 'details', customer: 'Contoso Ltd' }],
    ['numbers contoso', { name: 'numbers', customer: 'contoso' }],
    ['numbers contoso fatal', { name: 'numbers', customer: 'contoso', status: 'backend_fatal' }],
    ['numbers contoso ltd missing page 3', { name: 'numbers', customer: 'contoso ltd', status: 'not_in_backend', page: 3 }],
    ['sync contoso', { name: 'sync', customer: 'contoso', preview: false }],
    ['sync contoso preview', { name: 'sync', customer: 'contoso', preview: true }],
    ['add numbers contoso +1 212 555 0100, +12125550101', { name: 'add-numbers', customer: 'contoso', numbers: '+1 212 555 0100, +12125550101' }],
    ['Add numbers Contoso Ltd\n+12125550100\n(212) 555-0101', { name: 'add-numbers', customer: 'Contoso Ltd', numbers: '+12125550100\n(212) 555-0101' }],
    ['remove numbers fabrikam-02 tel:+14155550130', { name: 'remove-numbers', customer: 'fabrikam-02', numbers: 'tel:+14155550130' }],
    ['users contoso', { name: 'users', customer: 'contoso' }],
    ['Users  Contoso Ltd lee gu', { name: 'users', customer: 'Contoso Ltd lee gu' }],
    ['users contoso lee page 2', { name: 'users', customer: 'contoso lee', page: 2 }],
    ['users contoso page 3', { name: 'users', customer: 'contoso', page: 3 }],
    ['users', { name: 'unknown', text: 'users' }],
    [
      'assign +1 212 555 0101 to Lee Gu at contoso',
      { name: 'assign', number: '+1 212 555 0101', user: 'Lee Gu', customer: 'contoso' },
    ],
    [
      'Assign  (212) 555-0101\nTO LeeG@contoso.onmicrosoft.com  AT Contoso Ltd ',
      { name: 'assign', number: '(212) 555-0101', user: 'LeeG@contoso.onmicrosoft.com', customer: 'Contoso Ltd' },
    ],
    // The number ends at the first "to", the user at the last "at".
    [
      'assign +12125550101 to Pat at Home at bed at home ltd',
      { name: 'assign', number: '+12125550101', user: 'Pat at Home at bed', customer: 'home ltd' },
    ],
    ['assign +12125550101 to Lee Gu', { name: 'unknown', text: 'assign +12125550101 to Lee Gu' }],
    ['add numbers contoso', { name: 'unknown', text: 'add numbers contoso' }],
    ['make me a sandwich', { name: 'unknown', text: 'make me a sandwich' }],
  ])('reads %j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });
});

describe('customerSplits', () => {
  it('tries the longest customer first, the rest being the search text', () => {
    expect(customerSplits('contoso ltd lee')).toEqual([
      { customer: 'contoso ltd lee' },
      { customer: 'contoso ltd', search: 'lee' },
      { customer: 'contoso', search: 'ltd lee' },
    ]);
  });

  it('tries at most a few splits', () => {
    expect(customerSplits('a b c d e f g h i j k', 3).map((s) => s.customer)).toEqual(['a b c d e f g h i j k', 'a b c d e f g h i j', 'a b c d e f g h i']);
  });
});
