import type { Attachment } from 'botbuilder';
import { helpCard } from '../../../bot/cards/help-cards';
import { COMMAND_GROUPS } from '../../../bot/commands';
import { helpOf } from '../../../bot/commands/help-commands';
import { expectAdaptiveCard15 } from '../../support/bot-conversation';
import { ObjectId } from 'mongodb';
import type { Caller } from '../../../api/auth/caller';
import type { MemberRole } from '../../../api/members/member-role';

const caller = (role: MemberRole): Caller => ({ partnerId: new ObjectId(), partnerName: 'Partner A', tenantId: 't', userId: 'u', role });

const cards: [string, Attachment][] = [
  ['help', helpOf(COMMAND_GROUPS, caller('admin'))],
  ['help for a viewer', helpOf(COMMAND_GROUPS, caller('viewer'))],
  ['help of one command', helpCard([['help', 'this list']], ['A note.'])],
];

describe('the help card', () => {
  it.each(cards)('%s is an Adaptive Card 1.5 the adaptivecards parser takes without a warning', (_name, attachment) => expectAdaptiveCard15(attachment));

  it('lists only the commands the role may run, and says the role', () => {
    const text = (role: MemberRole) => JSON.stringify(helpOf(COMMAND_GROUPS, caller(role)).content);
    expect(text('viewer')).not.toMatch(/add numbers|remove numbers|sync <customer>|assign <number>/);
    expect(text('viewer')).toMatch(/numbers <customer>/);
    expect(text('viewer')).toContain('You are a Viewer of Partner A: ask an admin of Partner A to do more.');
    expect(text('operator')).toMatch(/remove numbers <customer>/);
    expect(text('operator')).toContain('You are an Operator of Partner A.');
  });

  it('is a fact a command, then the notes, subtle', () => {
    expect((helpCard([['help', 'this list'], ['ping', 'pong']], ['A note.']).content as { body: unknown[] }).body).toEqual([
      { type: 'TextBlock', text: 'Partner Portal: what you can ask', weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'FactSet', facts: [{ title: 'help', value: 'this list' }, { title: 'ping', value: 'pong' }] },
      { type: 'TextBlock', text: 'A note.', wrap: true, isSubtle: true },
    ]);
  });
});
