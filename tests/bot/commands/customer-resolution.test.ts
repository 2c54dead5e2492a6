import { botWorld } from '../../support/bot-conversation';

describe('customer resolution', () => {
  const { say, press, cardText, actionsOf } = botWorld();

  it('asks which customer when several match, and takes an exact account id', async () => {
    const [ambiguous] = await say('details fabrikam');
    expect(cardText(ambiguous!)).toContain('Several customers match');
    const [exact] = await say('details fabrikam-02');
    expect(cardText(exact!)).toContain('fabrikamwest.com');
  });

  it('suggests the closest names when nothing matches', async () => {
    const [reply] = await say('details contosso');
    expect(reply!.text).toMatch(/No customer matches "contosso"\. Did you mean "Contoso Ltd"/);
  });

  it('never finds another partner\'s customer', async () => {
    const [reply] = await say('details hidden-b');
    expect(reply!.text).toContain('No customer matches');
  });

  it('lets the partner pick one of several matching customers on a card, then answers for that one', async () => {
    const [ambiguous] = await say('numbers fabrikam');
    const actions = actionsOf(ambiguous!);
    expect(actions.map((a) => a.title)).toEqual(['Fabrikam Inc', 'Fabrikam West']);
    const west = actions.find((a) => a.title === 'Fabrikam West')!;
    expect(await press(west.verb, west.data)).toContain('Numbers of Fabrikam West');
  });

  it('answers a pick card that names no command of ours with an expired card', async () => {
    const [ambiguous] = await say('details fabrikam');
    const inc = actionsOf(ambiguous!)[0]!;
    expect(await press(inc.verb, { ...inc.data, command: { name: 'customers', customer: 'fabrikam' } })).toContain('expired');
    expect(await press(inc.verb, { command: inc.data.command })).toContain('expired');
  });
});
