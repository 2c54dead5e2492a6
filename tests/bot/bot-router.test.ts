import type { Attachment, TurnContext } from 'botbuilder';
import { BotRouter } from '../../bot/bot-router';
import type { CommandGroup, Turn } from '../../bot/command-group';
import { COMMAND_GROUPS } from '../../bot/commands';
import { notUnderstood } from '../../bot/commands/help-commands';

describe('BotRouter with the portal\'s command groups', () => {
  const router = new BotRouter(COMMAND_GROUPS, notUnderstood);

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
    ['Jobs', { name: 'jobs' }],
    ['jobs contoso', { name: 'unknown', text: 'jobs contoso' }],
    ['make me a sandwich', { name: 'unknown', text: 'make me a sandwich' }],
  ])('reads %j', (text, expected) => {
    expect(router.parse(text)).toEqual(expected);
  });

  it('answers a message no command takes with the help card', async () => {
    const sent: unknown[] = [];
    const turn = { context: { sendActivity: async (activity: unknown) => sent.push(activity) } as unknown as TurnContext, commands: router, caller: { role: 'admin', partnerName: 'Partner A' } } as unknown as Turn;
    const route = router.route('  make   me a sandwich ');
    expect(route.command).toEqual({ name: 'unknown', text: 'make me a sandwich' });
    await route.run(turn);
    expect(sent).toHaveLength(1);
    const answer = sent[0] as { text: string; attachments: Attachment[] };
    expect(answer.text).toBe('I did not understand "make me a sandwich". Here is what I can do:');
    expect(JSON.stringify(answer.attachments[0]!.content)).toContain('assign <number> to <user> at <customer>');
  });

  it('states a least role for every command and card action, reads as viewer and changes as operator', () => {
    const stated = Object.fromEntries(COMMAND_GROUPS.flatMap((group) => group.commands.map((command) => [command.name, command.role])));
    expect(stated).toEqual({
      help: 'viewer',
      customers: 'viewer',
      details: 'viewer',
      numbers: 'viewer',
      'add-numbers': 'operator',
      'remove-numbers': 'operator',
      jobs: 'viewer',
      sync: 'operator',
      users: 'viewer',
      assign: 'operator',
      alerts: 'viewer',
      'alerts-switch': 'operator',
    });
    for (const group of COMMAND_GROUPS) {
      for (const [verb, action] of Object.entries(group.actions ?? {})) {
        expect([verb, ['viewer', 'operator', 'admin'].includes(action.role)]).toEqual([verb, true]);
      }
    }
  });

  it('reads "alerts", "alerts on <events>" and "alerts off"', () => {
    expect(router.parse('alerts')).toEqual({ name: 'alerts' });
    expect(router.parse('Alerts status')).toEqual({ name: 'alerts' });
    expect(router.parse('alerts on drift jobs')).toEqual({ name: 'alerts-switch', switch: 'on', words: ['drift', 'jobs'] });
    expect(router.parse('ALERTS OFF')).toEqual({ name: 'alerts-switch', switch: 'off', words: [] });
  });

  it('knows the customer commands a pick card may name, and no other', () => {
    for (const name of ['details', 'numbers', 'sync', 'add-numbers', 'remove-numbers', 'users', 'assign']) {
      expect(router.named(name)?.forCustomer).toBeDefined();
    }
    expect(router.named('customers')?.forCustomer).toBeUndefined();
    expect(router.named('help')?.forCustomer).toBeUndefined();
    expect(router.named('unknown')).toBeUndefined();
  });
});

describe('BotRouter', () => {
  const card = (text: string) => ({ contentType: 'test', content: text }) as Attachment;
  const turn = { caller: { role: 'operator', partnerName: 'Partner A' } } as Turn;
  const viewer = { caller: { role: 'viewer', partnerName: 'Partner A' } } as Turn;
  const ran: string[] = [];
  const groups: CommandGroup[] = [
    {
      commands: [
        { name: 'ping', role: 'viewer', match: (said) => (said.word === 'ping' ? { name: 'ping' } : undefined), run: async () => void ran.push('ping') },
        { name: 'echo', role: 'operator', match: (said) => (said.word === 'echo' ? { name: 'echo', text: said.args } : undefined), run: async (_t, c) => void ran.push(JSON.stringify(c)) },
      ],
      actions: { first: { role: 'operator', run: async (_t, data, verb) => card(`${verb} ${JSON.stringify(data)}`) } },
    },
    {
      commands: [{ name: 'ping-too', role: 'viewer', match: (said) => (said.word === 'ping' ? { name: 'ping-too' } : undefined), run: async () => void ran.push('ping-too') }],
      actions: { second: { role: 'viewer', run: async () => card('second') } },
    },
  ];
  const router = new BotRouter(groups, async (_turn, text) => void ran.push(`not understood: ${text}`));
  beforeEach(() => (ran.length = 0));

  it('runs the first command that takes the message, in the order of the groups', async () => {
    await router.route('PING').run(turn);
    await router.route('echo  a   b').run(turn);
    expect(ran).toEqual(['ping', '{"name":"echo","text":"a b"}']);
  });

  it('passes a message no command takes, spaces made one, to its not-understood handler', async () => {
    const route = router.route(' what\nnow ');
    expect(route.command).toEqual({ name: 'unknown', text: 'what now' });
    await route.run(turn);
    expect(ran).toEqual(['not understood: what now']);
  });

  it('routes a card verb to the group that answers it, with the data and the verb', async () => {
    expect((await router.action(turn, 'first', { a: 1 })).content).toBe('first {"a":1}');
    expect((await router.action(turn, 'second', {})).content).toBe('second');
  });

  it('refuses a command or a card action below its role before running it, naming the role', async () => {
    await expect(router.route('echo a').run(viewer)).rejects.toMatchObject({
      status: 403,
      code: 'role_required',
      message: 'This needs the Operator role; you are a Viewer of Partner A. Ask an admin of Partner A for access.',
    });
    await expect(router.action(viewer, 'first', {})).rejects.toMatchObject({ code: 'role_required' });
    expect(ran).toEqual([]);
    await router.route('ping').run(viewer);
    expect((await router.action(viewer, 'second', {})).content).toBe('second');
    expect(ran).toEqual(['ping']);
  });

  it('answers a verb no group knows with an expired card', async () => {
    expect(JSON.stringify((await router.action(turn, 'third', {})).content)).toContain('This card has expired: ask again.');
  });

  it('refuses two groups that answer the same verb', () => {
    expect(() => new BotRouter([groups[0]!, groups[0]!], async () => undefined)).toThrow('Two command groups answer the card action "first"');
  });
});
