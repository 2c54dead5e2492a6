import type { Attachment } from 'botbuilder';
import { expiredCard } from './cards/card-pieces';
import { requireRole } from '../api/members/member-role';
import type { CardActionDefinition, Command, CommandCatalog, CommandGroup, Parsed, Turn } from './command-group';
import { readSaid } from './commands/command-words';

/** What a message asks: the command as read, and its handler. */
export interface Route {
  command: Parsed;
  run(turn: Turn): Promise<void>;
}

/**
 * Maps text commands and card action verbs to the handlers of the command
 * groups. A message no command takes goes to `notUnderstood`; a verb no group
 * knows answers that the card has expired.
 */
export class BotRouter implements CommandCatalog {
  private readonly commands: readonly Command[];
  private readonly actions = new Map<string, CardActionDefinition>();

  constructor(
    readonly groups: readonly CommandGroup[],
    private readonly notUnderstood: (turn: Turn, text: string) => Promise<void>,
  ) {
    this.commands = groups.flatMap((group) => group.commands);
    for (const group of groups) {
      for (const [verb, action] of Object.entries(group.actions ?? {})) {
        if (this.actions.has(verb)) throw new Error(`Two command groups answer the card action "${verb}"`);
        this.actions.set(verb, action);
      }
    }
  }

  named(name: string): Command | undefined {
    return this.commands.find((command) => command.name === name);
  }

  /** The first command that takes the message, refused below its role when run; otherwise "unknown". */
  route(message: string): Route {
    const said = readSaid(message);
    for (const command of this.commands) {
      const parsed = command.match(said);
      if (parsed) {
        return {
          command: parsed,
          run: async (turn) => {
            requireRole(turn.caller, command.role);
            return command.run(turn, parsed);
          },
        };
      }
    }
    return { command: { name: 'unknown', text: said.text } as Parsed, run: (turn) => this.notUnderstood(turn, said.text) };
  }

  /** The message read as a command: its name and what the words said ("unknown" when no command takes it). */
  parse(message: string): Parsed {
    return this.route(message).command;
  }

  /** What a card's button answers: the card that replaces it. */
  async action(turn: Turn, verb: string, data: Record<string, unknown>): Promise<Attachment> {
    const action = this.actions.get(verb);
    if (!action) return expiredCard();
    requireRole(turn.caller, action.role);
    return action.run(turn, data, verb);
  }
}
