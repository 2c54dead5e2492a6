import type { Attachment } from 'botbuilder';
import { helpCard } from '../../../bot/cards/help-cards';
import { COMMAND_GROUPS } from '../../../bot/commands';
import { helpOf } from '../../../bot/commands/help-commands';
import { expectAdaptiveCard15 } from '../../support/bot-conversation';

const cards: [string, Attachment][] = [
  ['help', helpOf(COMMAND_GROUPS)],
  ['help of one command', helpCard([['help', 'this list']], ['A note.'])],
];

describe('the help card', () => {
  it.each(cards)('%s is an Adaptive Card 1.5 the adaptivecards parser takes without a warning', (_name, attachment) => expectAdaptiveCard15(attachment));

  it('is a fact a command, then the notes, subtle', () => {
    expect((helpCard([['help', 'this list'], ['ping', 'pong']], ['A note.']).content as { body: unknown[] }).body).toEqual([
      { type: 'TextBlock', text: 'Partner Portal: what you can ask', weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'FactSet', facts: [{ title: 'help', value: 'this list' }, { title: 'ping', value: 'pong' }] },
      { type: 'TextBlock', text: 'A note.', wrap: true, isSubtle: true },
    ]);
  });
});
