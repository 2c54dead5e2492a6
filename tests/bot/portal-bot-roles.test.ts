import { botWorld } from '../support/bot-conversation';

/** The bot's users by role: the Teams user's aadObjectId is the member's oid. */
const as = (oid: string, name: string) => ({ from: { id: `teams-${oid}`, aadObjectId: oid, name } });
const VIEWER = as('bot-viewer', 'Vic Viewer');
const OPERATOR = as('bot-operator', 'Olive Operator');
const REFUSAL = 'This needs the Operator role; you are a Viewer of Partner A. Ask an admin of Partner A for access.';

describe('the bot keeps to the roles of the partner', () => {
  const { world, say, press, cardText, actionsOf } = botWorld();
  const setRole = (oid: string, role: 'viewer' | 'operator') => world.t.app.services.members.setRole(world.t.callerA, oid, { role, name: oid });

  beforeAll(async () => {
    await setRole('bot-viewer', 'viewer');
    await setRole('bot-operator', 'operator');
  });

  const sayAs = (who: typeof VIEWER, text: string) => say(text, undefined, who);
  const numbersOfContoso = async () =>
    (await world.t.database.numbers.find({ e164: { $in: ['+12125550100', '+12125550101', '+12125550199'] }, removal: { $exists: false } }).toArray()).map((n) => n.e164).sort();

  it('refuses a Viewer the commands above the role with the same words as the API, and writes nothing', async () => {
    for (const command of ['add numbers contoso +1 212 555 0199', 'remove numbers contoso +12125550100', 'sync contoso']) {
      const replies = await sayAs(VIEWER, command);
      expect(replies.map((reply) => [reply.text, reply.attachments?.length ?? 0])).toEqual([[REFUSAL, 0]]);
    }
    expect(await numbersOfContoso()).toEqual(['+12125550100', '+12125550101']);
    expect(await world.t.database.syncRuns.countDocuments({})).toBe(0);
    // What a Viewer may do still works.
    const [numbers] = await sayAs(VIEWER, 'numbers contoso');
    expect(cardText(numbers!)).toContain('+12125550100');
  });

  it('checks the role again when a removal is confirmed: a card sent to an Operator does nothing once they are a Viewer', async () => {
    const [reply] = await sayAs(OPERATOR, 'remove numbers contoso +12125550100');
    const confirm = actionsOf(reply!).find((action) => action.verb === 'removeNumbers')!.data;
    await setRole('bot-operator', 'viewer');
    try {
      const refused = await press('removeNumbers', confirm, { replyToId: 'card-1', extra: OPERATOR });
      expect(refused).toContain(REFUSAL);
      expect(await numbersOfContoso()).toEqual(['+12125550100', '+12125550101']);
    } finally {
      await setRole('bot-operator', 'operator');
    }
    // Operator again: the same card's Confirm now removes (the refused press decided nothing).
    const pressed = await press('removeNumbers', confirm, { replyToId: 'card-1', extra: OPERATOR });
    expect(pressed).toContain('Removed');
    expect(await numbersOfContoso()).toEqual(['+12125550101']);
  });

  it('answers a user who is not a member, while the partner admits no new members, with "Ask an admin"', async () => {
    await world.t.app.services.partners.setNewMembersRule(world.t.partnerA._id, 'none');
    try {
      const stranger = as('bot-stranger', 'Sam Stranger');
      const [reply] = await sayAs(stranger, 'customers');
      expect(reply!.text).toBe('Ask an admin of Partner A for access.');
      expect(await press('pickCustomer', {}, { replyToId: 'x', extra: stranger })).toContain('Ask an admin of Partner A for access.');
      expect(await world.t.database.members.countDocuments({ oid: 'bot-stranger' })).toBe(0);
    } finally {
      await world.t.app.services.partners.setNewMembersRule(world.t.partnerA._id, 'viewer');
    }
  });

  it('shows a Viewer a help card without the commands they cannot run', async () => {
    const [reply] = await sayAs(VIEWER, 'help');
    const text = cardText(reply!);
    expect(text).toContain('numbers <customer>');
    expect(text).not.toContain('remove numbers <customer>');
    expect(text).toContain('You are a Viewer of Partner A');
  });
});
