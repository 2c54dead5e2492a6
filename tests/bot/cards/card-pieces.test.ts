import { paragraph } from '../../../bot/cards/adaptive-card';
import { confirmCard, executeAction, expiredCard, noneCard, noteCard, pagedListCard, resultCard } from '../../../bot/cards/card-pieces';
import { expectAdaptiveCard15 } from '../../support/bot-conversation';

const bodyOf = (attachment: { content?: unknown }) => (attachment.content as { body: unknown[] }).body;

describe('card pieces', () => {
  it.each([
    ['note', noteCard('Done.')],
    ['expired', expiredCard()],
    ['none', noneCard('Things')],
    ['confirm', confirmCard([paragraph('Sure?')], { requestId: 'q1' }, { verb: 'doIt', style: 'destructive' }, { verb: 'dont' })],
  ])('%s is an Adaptive Card 1.5 the adaptivecards parser takes without a warning', (_name, attachment) => expectAdaptiveCard15(attachment));

  it('leaves out the parts of a result that are false, 0 or missing', () => {
    expect(bodyOf(resultCard('Title', false, 0, undefined, null, '', paragraph('kept')))).toEqual([
      { type: 'TextBlock', text: 'Title', weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: 'kept', wrap: true },
    ]);
  });

  it('makes a button that runs on the server, with a Submit fallback carrying the same data and the verb', () => {
    expect(executeAction('Go', 'go', { id: 1 }, 'positive')).toEqual({
      type: 'Action.Execute',
      title: 'Go',
      verb: 'go',
      data: { id: 1 },
      style: 'positive',
      fallback: { type: 'Action.Submit', title: 'Go', data: { id: 1, verb: 'go' } },
    });
    expect(executeAction('Go', 'go', {})).not.toHaveProperty('style');
  });

  it('asks to confirm with Confirm, then Cancel, both carrying the data', () => {
    const card = confirmCard([paragraph('Sure?')], { requestId: 'q1' }, { verb: 'doIt', style: 'destructive' }, { verb: 'dont' });
    const actions = (card.content as { actions: { title: string; verb: string; data: unknown; style?: string }[] }).actions;
    expect(actions.map((a) => [a.title, a.verb, a.style])).toEqual([
      ['Confirm', 'doIt', 'destructive'],
      ['Cancel', 'dont', undefined],
    ]);
    expect(actions.map((a) => a.data)).toEqual([{ requestId: 'q1' }, { requestId: 'q1' }]);
  });

  it('lists a page with its total and the next page\'s command, or "None."', () => {
    const page = pagedListCard('Things', { items: ['a', 'b'], total: 5, page: 1, pageSize: 2 }, (x) => [x, x.toUpperCase()], (next) => `things page ${next}`);
    expect(JSON.stringify(bodyOf(page))).toContain('"Things: 5"');
    expect(JSON.stringify(bodyOf(page))).toContain('1-2 of 5 (page 1 of 3): say \\"things page 2\\" for more.');
    const last = pagedListCard('Things', { items: ['e'], total: 5, page: 3, pageSize: 2 }, (x) => [x, x], () => 'never');
    expect(JSON.stringify(bodyOf(last))).toContain('5-5 of 5 (page 3 of 3).');
    const one = pagedListCard('Things', { items: ['a'], total: 1, page: 1, pageSize: 2 }, (x) => [x, x], () => 'never');
    expect(bodyOf(one)).toHaveLength(2);
    expect(bodyOf(pagedListCard('Things', { items: [], total: 0, page: 1, pageSize: 2 }, (x: string) => [x, x], () => ''))).toEqual(bodyOf(noneCard('Things')));
  });
});
