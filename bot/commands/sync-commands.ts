import { z } from 'zod';
import type { CustomerView } from '../../api/customers/customer-schemas';
import { syncRunCard } from '../cards/sync-cards';
import type { CardFollow, CommandGroup, FollowedCard } from '../command-group';
import { customerCommand } from './customer-resolution';

/** How often a sync message is brought up to date while the run goes on (unless the bot's options say). */
const SYNC_UPDATE_MS = 1500;

type SyncCommand = { name: 'sync'; customer: string; preview: boolean };

/** What a sync's card follows, as stored (another instance reads it back): the run, and the customer as the card names it. */
const syncSubject = z.object({
  runId: z.string(),
  customerId: z.string(),
  customer: z.object({ name: z.string().nullable(), accountId: z.string() }),
  alreadyRunning: z.boolean(),
});

/** A sync's message: progress, then the outcome. */
export const syncCardFollow: FollowedCard = {
  kind: 'bot.sync-card',
  everyMs: (options) => options.syncUpdateMs ?? SYNC_UPDATE_MS,
  async look({ services, caller, subject }) {
    const { runId, customer, alreadyRunning } = syncSubject.parse(subject);
    // A run whose instance stopped reads as failed (interrupted) once its lease ran out: the card ends either way.
    const run = await services.sync.get(caller, runId);
    return { card: syncRunCard(customer, run, alreadyRunning), final: run.state === 'succeeded' || run.state === 'failed' };
  },
};

function syncFollow(customer: CustomerView, runId: string, alreadyRunning: boolean): CardFollow {
  const subject: z.infer<typeof syncSubject> = {
    runId,
    customerId: customer.id,
    customer: { name: customer.name ?? null, accountId: customer.accountId },
    alreadyRunning,
  };
  return { kind: syncCardFollow.kind, subject };
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
        return { card: syncRunCard(customer, run, !started), follow: syncFollow(customer, run.id, !started) };
      },
    }),
  ],
  followedCards: [syncCardFollow],
};
