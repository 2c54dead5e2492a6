import type { Attachment } from 'botbuilder';
import { helpCard } from '../cards/help-cards';
import type { Caller } from '../../api/auth/caller';
import { article, hasRole, ROLE_NAMES } from '../../api/members/member-role';
import type { CommandGroup, Turn } from '../command-group';

/**
 * The help card of the groups the bot runs, for the caller: a line per command
 * their role may run, then the groups' notes and what their role is.
 */
export function helpOf(groups: readonly CommandGroup[], caller: Caller): Attachment {
  const below = caller.role !== 'admin' && groups.some((group) => group.commands.some((command) => !hasRole(caller.role, command.role)));
  return helpCard(
    groups.flatMap((group) => group.commands.flatMap((command) => (command.help && hasRole(caller.role, command.role) ? [command.help] : []))),
    [
      ...groups.flatMap((group) => group.notes ?? []),
      `You are ${article(caller.role)} ${ROLE_NAMES[caller.role]} of ${caller.partnerName}${
        below ? `: ask an admin of ${caller.partnerName} to do more.` : '.'
      }`,
    ],
  );
}

/** What the bot answers a message no command takes. */
export async function notUnderstood(turn: Turn, text: string): Promise<void> {
  await turn.context.sendActivity({ text: `I did not understand "${text}". Here is what I can do:`, attachments: [helpOf(turn.commands.groups, turn.caller)] });
}

/** "help" (or "?", or nothing): what the partner can ask. */
export const helpCommands: CommandGroup = {
  commands: [
    {
      name: 'help',
      role: 'viewer',
      help: ['help', 'this list'],
      match: (said) => (said.word === '' || said.word === 'help' || said.word === '?' ? { name: 'help' } : undefined),
      async run(turn) {
        await turn.context.sendActivity({ attachments: [helpOf(turn.commands.groups, turn.caller)] });
      },
    },
  ],
};
