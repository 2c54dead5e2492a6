import { botWorld } from '../../support/bot-conversation';

describe('help commands', () => {
  const { say, cardText } = botWorld();

  it('answers help with the help card: every command, and how the words of "users" and "assign" are split', async () => {
    const [reply] = await say('help');
    expect(reply!.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = cardText(reply!);
    for (const line of [
      'numbers <customer> [status]',
      'users <customer> [text] [page N]',
      'assign <number> to <user> at <customer>',
      'the longest start of the words that names a customer is the customer',
    ]) {
      expect(card).toContain(line);
    }
  });

  it('says it did not understand, with the help card', async () => {
    const [reply] = await say('make me a sandwich');
    expect(reply!.text).toContain('I did not understand');
    expect(cardText(reply!)).toContain('customers [text]');
  });
});
