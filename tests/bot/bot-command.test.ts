import { parseCommand } from '../../bot/bot-command';

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
    ['add numbers contoso', { name: 'unknown', text: 'add numbers contoso' }],
    ['make me a sandwich', { name: 'unknown', text: 'make me a sandwich' }],
  ])('reads %j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });
});
