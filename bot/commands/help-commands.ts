import type { Attachment } from 'botbuilder';
import { helpCard } from '../cards/help-cards';
import type { CommandGroup, Turn } from '../command-group';

/** The help card of the groups the bot runs: a line per command, then the groups' notes. */
export function helpOf(groups: readonly CommandGroup[]): Attachment {
  return helpCard(
    groups.flatMap((group) => group.commands.flatMap((command) => (command.help ? [command.help] : []))),
    groups.flatMap((group) => group.notes ?? []),
  );
}

/** What the bot answers a message no command takes. */
export async function notUnderstood(turn: Turn, text: string): Promise<void> {
  await turn.context.sendActivity({ text: `I did not understand "${text}". Here is what I can do:`, attachments: [helpOf(turn.commands.groups)] });
}

/** "help" (or "?", or nothing): what the partner can ask. */
export const helpCommands: CommandGroup = {
  commands: [
    {
      name: 'help',
      help: ['help', 'this list'],
      match: (said) => (said.word === '' || said.word === 'help' || said.word === '?' ? { name: 'help' } : undefined),
      async run(turn) {
        await turn.context.sendActivity({ attachments: [helpOf(turn.commands.groups)] });
      },
    },
  ],
};
