import type { Activity } from 'botbuilder';
import { followUpCollection } from '../../../api/follow-ups/follow-up-document';
import { createLogger } from '../../../api/logging/logger';
import { customerSplits } from '../../../bot/commands/co-management-commands';
import { conversationWith, RecordingPortalBot } from '../../support/bot-conversation';
import { allowCoManagement, CONTOSO, type ActivationBrowser } from '../../support/co-management';
import { createCustomer, PARTNER_B, startTestApp, type TestApp } from '../../support/test-app';

/** Synced numbers of Contoso (a Teams callflow in the backend), free in Contoso's Teams tenant. */
const LEE_NUMBER = '+12125550105';
const MEGAN_NUMBER = '+12125550106';
const SPARE_NUMBER = '+12125550107';
/** Added to the portal, never synced. */
const PENDING_NUMBER = '+12125550108';

describe('co-management commands: users and assign', () => {
  let t: TestApp;
  let bot: RecordingPortalBot;
  let browser: ActivationBrowser;
  let contosoId: string;
  beforeAll(async () => {
    t = await startTestApp({
      backend: {
        accounts: [
          {
            id: 'contoso-01',
            name: 'Contoso',
            teams: { max_channels: 10, tenant_name: CONTOSO.tenantName },
            teamsCallflows: [[LEE_NUMBER, MEGAN_NUMBER, SPARE_NUMBER]],
          },
        ],
      },
    });
    bot = new RecordingPortalBot(t.app.services, createLogger('silent'), '', { operationUpdateMs: 25 });
    contosoId = await createCustomer(t, { accountId: 'contoso-01', name: 'Contoso Ltd', tenantName: CONTOSO.tenantName });
    await createCustomer(t, { accountId: 'fabrikam-01', name: 'Fabrikam Inc', tenantName: 'fabrikam.com' });
    await createCustomer(t, { accountId: 'fabrikam-02', name: 'Fabrikam West', tenantName: 'fabrikamwest.com' });
    const added = await t.request('POST', `/api/v1/customers/${contosoId}/numbers`, {
      body: { numbers: [LEE_NUMBER, MEGAN_NUMBER, SPARE_NUMBER].join('\n') },
    });
    expect(added.body.summary.added).toBe(3);
    expect((await t.request('POST', `/api/v1/customers/${contosoId}/sync`)).status).toBe(202);
    await t.app.services.sync.idle();
    const numbers = await t.app.services.numbers.list(t.callerA, contosoId, { page: 1, pageSize: 50 });
    expect(numbers.items.map((n) => [n.e164, n.status])).toEqual([
      [LEE_NUMBER, 'synced'],
      [MEGAN_NUMBER, 'synced'],
      [SPARE_NUMBER, 'synced'],
    ]);
    await t.request('POST', `/api/v1/customers/${contosoId}/numbers`, { body: { numbers: PENDING_NUMBER } });
    browser = await allowCoManagement(t, contosoId);
  });
  afterAll(async () => {
    await bot.idle();
    await t.close();
  });

  const conversation = conversationWith(() => bot);
  const { send, say, cardText, actionsOf } = conversation;

  /** Presses a card's button (Action.Execute) on the message `messageId`; answers the card that replaces it. */
  const press = (verb: string, data: Record<string, unknown>, messageId = 'card-message', tenantId?: string) =>
    conversation.press(verb, data, { replyToId: messageId, ...(tenantId ? { tenantId } : {}) });

  /** "assign ..." answered with the confirmation card: its text and its Confirm and Cancel data. */
  async function assignCard(text: string) {
    const [reply] = await say(text);
    expect(reply!.attachments).toHaveLength(1);
    const actions = actionsOf(reply!);
    const confirm = actions.find((a) => a.verb === 'assignNumber')!;
    const cancel = actions.find((a) => a.verb === 'cancelAssignNumber')!;
    return { card: cardText(reply!), confirm: confirm.data, cancel: cancel.data, submit: confirm.fallback.data };
  }

  /** The last update of a followed message, once the bot follows nothing any more. */
  async function finalUpdate(messageId: string) {
    await bot.idle();
    const updates = bot.updates.filter((u) => u.id === messageId);
    expect(updates.length).toBeGreaterThan(0);
    return JSON.stringify(updates[updates.length - 1]!.attachments![0]!.content);
  }

  const assignStarts = () => t.graph.callCount(/numberAssignments\/assignNumber/);

  describe('users', () => {
    it("lists the customer's Teams users with sign-in name, Teams voice, number and voice routing policy", async () => {
      const [reply] = await say('users contoso');
      const card = cardText(reply!);
      expect(card).toContain('Teams users of Contoso Ltd: 9');
      expect(card).toContain('Alex Wilber');
      expect(card).toContain('AlexW@contoso.onmicrosoft.com · Teams voice on · +12125550100 · policy: US-East');
      expect(card).toContain('MeganB@contoso.onmicrosoft.com · Teams voice off · no number');
      expect(card).toContain('Pradeep Gupta (disabled)');
    });

    it('filters by the text after the customer, the longest customer match first', async () => {
      for (const text of ['users contoso lee', 'users Contoso Ltd lee', 'users contoso-01 LEE']) {
        const [reply] = await say(text);
        const card = cardText(reply!);
        expect(card).toContain('Teams users of Contoso Ltd matching');
        expect(card).toContain(': 1"');
        expect(card).toContain('LeeG@contoso.onmicrosoft.com');
        expect(card).not.toContain('Alex Wilber');
      }
      const [none] = await say('users contoso zzz');
      expect(cardText(none!)).toContain('None.');
    });

    it('pages with "page N"', async () => {
      const [second] = await say('users contoso page 2');
      expect(cardText(second!)).toContain('None.');
    });

    it('answers the service\'s refusal when the customer has not allowed co-management', async () => {
      const [reply] = await say('users fabrikam-01');
      expect(reply!.text).toBe(
        'Fabrikam Inc has not allowed co-management. Send its administrator the activation link (Details, Send activation link).',
      );
    });

    it('asks which customer when several match, keeping the search text for the one picked', async () => {
      const [ambiguous] = await say('users fabrikam grady');
      const actions = actionsOf(ambiguous!);
      expect(actions.map((a) => a.title)).toEqual(['Fabrikam Inc', 'Fabrikam West']);
      const inc = actions[0]!;
      expect(inc.data.command).toEqual({ name: 'users', customer: 'fabrikam', search: 'grady' });
      expect(await press(inc.verb, inc.data)).toContain('Fabrikam Inc has not allowed co-management');
    });

    it('suggests customers when none matches', async () => {
      const [reply] = await say('users contosso lee');
      expect(reply!.text).toMatch(/No customer matches "contosso lee"\. Did you mean "Contoso Ltd"/);
    });
  });

  describe('assign', () => {
    it('assigns nothing until confirmed, then follows Microsoft to done, once however often it is confirmed', async () => {
      const { card, confirm } = await assignCard('assign +1 212 555 0105 to Lee Gu at contoso');
      expect(card).toContain(`Assign ${LEE_NUMBER} to Lee Gu?`);
      expect(card).toContain('LeeG@contoso.onmicrosoft.com');
      expect(card).toContain('Contoso Ltd (contoso-01)');
      expect(Object.keys(confirm)).toEqual(['requestId']);
      const before = assignStarts();
      expect(t.graph.numberAssignment(CONTOSO.tenantId, LEE_NUMBER)?.assignmentStatus).toBe('unassigned');

      bot.updates.length = 0;
      const pressed = await press('assignNumber', confirm, 'lee-card');
      expect(pressed).toContain(`Assigning ${LEE_NUMBER} to Lee Gu: pending at Microsoft`);
      // Pressed again, or the invoke replayed: the same assignment, not another.
      const again = await press('assignNumber', confirm, 'lee-card');
      expect(again).toMatch(new RegExp(`Assigning \\${LEE_NUMBER} to Lee Gu: (pending at Microsoft|done)`));
      const late = await press('cancelAssignNumber', confirm, 'lee-card');
      expect(late).not.toContain('Cancelled');

      expect(await finalUpdate('lee-card')).toContain(`Assigning ${LEE_NUMBER} to Lee Gu: done`);
      // Followed from a stored follow-up (any instance could have finished it), one per assignment however often pressed.
      const followed = await followUpCollection.of(t.database.db).find({ kind: 'bot.assignment-card', 'subject.activityId': 'lee-card' }).toArray();
      expect(followed).toHaveLength(1);
      expect(followed[0]).toMatchObject({
        state: 'done',
        subject: { customerId: contosoId, customer: { name: 'Contoso Ltd', accountId: 'contoso-01' }, reference: { channelId: 'msteams' } },
      });
      expect(typeof followed[0]!.subject.operationId).toBe('string');
      expect(assignStarts() - before).toBe(1);
      await t.app.services.coManagement.idle();
      expect(t.graph.numberAssignment(CONTOSO.tenantId, LEE_NUMBER)).toMatchObject({
        assignmentStatus: 'userAssigned',
        assignmentTargetId: CONTOSO.lee,
      });
      const audit = await t.app.services.audit.list(t.callerA, undefined, { page: 1, pageSize: 200 });
      expect(audit.items.filter((e) => e.action === 'teams.number_assign_started')).toHaveLength(1);
      expect(await press('assignNumber', confirm, 'lee-card')).toContain(`Assigning ${LEE_NUMBER} to Lee Gu: done`);
    });

    it("updates the message to failed with Microsoft's reason", async () => {
      const { confirm } = await assignCard(`assign ${MEGAN_NUMBER} to megan at contoso ltd`);
      bot.updates.length = 0;
      expect(await press('assignNumber', confirm, 'megan-card')).toContain('pending at Microsoft');
      const last = await finalUpdate('megan-card');
      expect(last).toContain(`Assigning ${MEGAN_NUMBER} to Megan Bowen: failed`);
      expect(last).toContain('MeganB@contoso.onmicrosoft.com does not have a Teams Phone license');
      expect(t.graph.numberAssignment(CONTOSO.tenantId, MEGAN_NUMBER)?.assignmentStatus ?? 'unassigned').toBe('unassigned');
    });

    it('replaces the card on Cancel, assigning nothing, and Confirm after Cancel stays cancelled', async () => {
      const { confirm, cancel } = await assignCard(`assign ${SPARE_NUMBER} to Lynne at contoso`);
      const before = assignStarts();
      expect(await press('cancelAssignNumber', cancel)).toContain('Cancelled: nothing was assigned.');
      expect(await press('assignNumber', confirm)).toContain('Cancelled: nothing was assigned.');
      expect(assignStarts()).toBe(before);
    });

    it('takes the Action.Submit fallback the same way', async () => {
      const { submit } = await assignCard(`assign ${SPARE_NUMBER} to Lynne at contoso`);
      expect(submit).toEqual({ requestId: expect.any(String), verb: 'assignNumber' });
      const [reply] = await send({ type: 'message', value: { ...submit, verb: 'cancelAssignNumber' } } as Partial<Activity>);
      expect(cardText(reply!)).toContain('Cancelled: nothing was assigned.');
    });

    it("never lets another partner's user press a card", async () => {
      const { confirm } = await assignCard(`assign ${SPARE_NUMBER} to Lynne at contoso`);
      const before = assignStarts();
      expect(await press('assignNumber', confirm, 'card-message', PARTNER_B.tenantId)).toContain('expired');
      expect(await press('assignNumber', { requestId: 'made-up' })).toContain('expired');
      expect(assignStarts()).toBe(before);
    });

    it('checks the role again at Confirm: an assignment card sent to an Operator assigns nothing once they are a Viewer', async () => {
      const operator = { from: { id: 'teams-assign-operator', aadObjectId: 'assign-operator', name: 'Olive Operator' } };
      const setRole = (role: 'viewer' | 'operator') =>
        t.app.services.members.setRole(t.callerA, 'assign-operator', { role, name: 'Olive Operator' });
      await setRole('operator');
      const [reply] = await say(`assign ${SPARE_NUMBER} to Lynne at contoso`, undefined, operator);
      const confirm = actionsOf(reply!).find((a) => a.verb === 'assignNumber')!.data;
      await setRole('viewer');
      const before = assignStarts();
      const refused = await conversation.press('assignNumber', confirm, { replyToId: 'operator-card', extra: operator });
      expect(refused).toContain('This needs the Operator role; you are a Viewer of Partner A. Ask an admin of Partner A for access.');
      expect(assignStarts()).toBe(before);
      expect(t.graph.numberAssignment(CONTOSO.tenantId, SPARE_NUMBER)?.assignmentStatus ?? 'unassigned').toBe('unassigned');
      // The refused press decided nothing: the card's Cancel still answers as a Cancel.
      const cancel = actionsOf(reply!).find((a) => a.verb === 'cancelAssignNumber')!.data;
      expect(await conversation.press('cancelAssignNumber', cancel, { replyToId: 'operator-card', extra: operator })).toContain(
        'Cancelled: nothing was assigned.',
      );
    });

    it("answers the service's validation errors as sentences", async () => {
      // Taken: Lee holds it since the first test.
      const taken = await assignCard(`assign ${LEE_NUMBER} to Lee Gu at contoso`);
      expect(await press('assignNumber', taken.confirm)).toContain(`${LEE_NUMBER} cannot be assigned: Lee Gu already has it.`);
      const foreign = await assignCard('assign +1 212 555 0199 to Lee Gu at contoso');
      expect(await press('assignNumber', foreign.confirm)).toContain("+12125550199 is not one of Contoso Ltd's numbers in the portal.");
      const pending = await assignCard(`assign ${PENDING_NUMBER} to Lee Gu at contoso`);
      expect(await press('assignNumber', pending.confirm)).toContain('Only synced numbers can be assigned');
      const [invalid] = await say('assign 12345 to Lee Gu at contoso');
      expect(invalid!.text).toMatch(/^"12345" is not a phone number I can assign/);
      const [two] = await say(`assign ${SPARE_NUMBER}, ${MEGAN_NUMBER} to Lee Gu at contoso`);
      expect(two!.text).toBe('Name one number to assign, not 2.');
    });

    it('needs exactly one user: none, or several named', async () => {
      const [none] = await say(`assign ${SPARE_NUMBER} to zzz at contoso`);
      expect(none!.text).toBe('No Teams user of Contoso Ltd matches "zzz".');
      const [several] = await say(`assign ${SPARE_NUMBER} to an at contoso`);
      expect(several!.text).toMatch(/^\d+ users of Contoso Ltd match "an": /);
      expect(several!.text).toContain('Megan Bowen (MeganB@contoso.onmicrosoft.com)');
      expect(several!.text).toContain('Adele Vance (AdeleV@contoso.onmicrosoft.com)');
      expect(several!.attachments ?? []).toHaveLength(0);
    });

    it('resolves the customer like the other commands', async () => {
      const [ambiguous] = await say(`assign ${SPARE_NUMBER} to Lee Gu at fabrikam`);
      expect(cardText(ambiguous!)).toContain('Several customers match \\"fabrikam\\"');
      const first = actionsOf(ambiguous!)[0]!;
      expect(await press(first.verb, first.data)).toContain('Fabrikam Inc has not allowed co-management.');
      const [unknown] = await say(`assign ${SPARE_NUMBER} to Lee Gu at contosso`);
      expect(unknown!.text).toMatch(/No customer matches "contosso"/);
    });

    it("answers the service's refusal when the customer has not allowed co-management", async () => {
      const [reply] = await say(`assign ${SPARE_NUMBER} to Grady at fabrikam-01`);
      expect(reply!.text).toContain('Fabrikam Inc has not allowed co-management.');
      expect(reply!.attachments ?? []).toHaveLength(0);
    });

    // Last: co-management stays off for Contoso afterwards.
    it('refuses at Confirm when the customer switched co-management off after the card was shown', async () => {
      const { confirm } = await assignCard(`assign ${SPARE_NUMBER} to Lynne at contoso`);
      const before = assignStarts();
      expect((await browser.setAllowed(false)).status).toBe(200);
      const pressed = await press('assignNumber', confirm);
      expect(pressed).toMatch(/Contoso Ltd switched co-management off on \d{4}-\d{2}-\d{2}/);
      expect(assignStarts()).toBe(before);
      expect(t.graph.numberAssignment(CONTOSO.tenantId, SPARE_NUMBER)?.assignmentTargetId ?? null).toBeNull();
      const [users] = await say('users contoso');
      expect(users!.text).toMatch(/Contoso Ltd switched co-management off/);
    });
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
