import { z } from 'zod';
import type { CustomerView } from '../../api/customers/customer-schemas';
import { syncRunCard } from '../cards/sync-cards';
import type { CardFollow, CommandGroup, FollowedCard } from '../command-group';
import { customerCommand } from './customer-resolution';

/** How often a sync message is brought up to date while the run goes on (unless the bot's options say). */
const SYNC_UPDATE_MS = 1500;

type SyncCommand = { name: 'sync'; customer: string; preview: boolean };

/**
 * What a sync's card follows, as stored (another instance reads it back): the
 * run (the one queued behind the sync under way, when `queued`), and the
 * customer as the card names it. Follow-ups stored before queued runs existed
 * carry `alreadyRunning` instead, and follow the run under way.
 */
const syncSubject = z.object({
  runId: z.string(),
  customerId: z.string(),
  customer: z.object({ name: z.string().nullable(), accountId: z.string() }),
  queued: z.boolean().optional(),
  alreadyRunning: z.boolean().optional(),
});

/** A sync's message: progress (or the wait for the sync under way), then the outcome. */
export const syncCardFollow: FollowedCard = {
  kind: 'bot.sync-card',
  everyMs: (options) => options.syncUpdateMs ?? SYNC_UPDATE_MS,
  async look({ services, caller, subject }) {
    const { runId, customer, queued = false } = syncSubject.parse(subject);
    // A run whose instance stopped reads as failed (interrupted) once its lease ran out: the card ends either way.
    // A queued run is started by this read once the run it waits for has stopped that way.
    const run = await services.sync.get(caller, runId);
    return { card: syncRunCard(customer, run, queued), final: run.state === 'succeeded' || run.state === 'failed' };
  },
};

function syncFollow(customer: CustomerView, runId: string, queued: boolean): CardFollow {
  const subject: z.infer<typeof syncSubject> = {
    runId,
    customerId: customer.id,
    customer: { name: customer.name ?? null, accountId: customer.accountId },
    queued,
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
        const { run, queuedAfter } = await turn.services.sync.start(turn.caller, customer.id, { trigger: 'bot', dryRun: command.preview });
        const queued = queuedAfter !== null;
        return { card: syncRunCard(customer, run, queued), follow: syncFollow(customer, run.id, queued) };
      },
    }),
  ],
  followedCards: [syncCardFollow],
};
