import { botWorld } from '../../support/bot-conversation';

describe('customer commands', () => {
  const { say, cardText } = botWorld();

  it('lists the customers matching a text, never another partner\'s', async () => {
    const [reply] = await say('customers contoso');
    expect(cardText(reply!)).toContain('Contoso Ltd');
    expect(cardText(reply!)).not.toContain('Partner B');
    const [all] = await say('customers');
    expect(cardText(all!)).toContain('(3)');
  });

  it('shows the details of the customer the words name, forgiving case and spacing', async () => {
    for (const words of ['contoso', 'CONTOSO LTD', 'contosoltd']) {
      const [reply] = await say(`details ${words}`);
      expect(cardText(reply!)).toContain('contoso.onmicrosoft.com');
    }
  });
});
