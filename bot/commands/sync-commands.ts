import type { CustomerView } from '../../api/customers/customer-schemas';
import { syncRunCard } from '../cards/sync-cards';
import type { CommandGroup, Follow, Turn } from '../command-group';
import { customerCommand } from './customer-resolution';

/** How often a sync message is brought up to date while the run goes on. */
const SYNC_UPDATE_MS = 1500;

type SyncCommand = { name: 'sync'; customer: string; preview: boolean };

/** A sync's message: progress, then the outcome. */
function syncFollow(turn: Turn, customer: CustomerView, runId: string, alreadyRunning: boolean): Follow {
  return {
    everyMs: SYNC_UPDATE_MS,
    poll: async () => {
      const run = await turn.services.sync.get(turn.caller, runId);
      return { card: syncRunCard(customer, run, alreadyRunning), final: run.state === 'succeeded' || run.state === 'failed' };
    },
  };
}

/** "sync <customer> [preview]": starts a sync, then keeps its message up to date to the outcome. */
export const syncCommands: CommandGroup = {
  commands: [
    customerCommand<SyncCommand>({
      name: 'sync',
      role: 'operator',
      help: ['sync <customer> [preview]', 'syncs with the backend and shows the outcome; "preview" shows what a sync would change'],
      match({ word, rest, args }) {
        if (word !== 'sync' || !args) return undefined;
        const preview = rest.length > 1 && /^(preview|dry-?run)$/i.test(rest[rest.length - 1]!);
        return { name: 'sync', customer: preview ? rest.slice(0, -1).join(' ') : args, preview };
      },
      async answer(turn, command, customer) {
        const { run, started } = await turn.services.sync.start(turn.caller, customer.id, { trigger: 'bot', dryRun: command.preview });
        return { card: syncRunCard(customer, run, !started), follow: syncFollow(turn, customer, run.id, !started) };
      },
    }),
  ],
};
