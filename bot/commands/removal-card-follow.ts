import { z } from 'zod';
import type { CustomerView } from '../../api/customers/customer-schemas';
import { removeResultCard, type RemovalOutcome } from '../cards/number-cards';
import type { CardFollow, FollowedCard } from '../command-group';

/** How often a removal's message is brought up to date while its clean-up sync goes on (unless the bot's options say). */
const REMOVAL_UPDATE_MS = 1500;

/**
 * What a removal's card follows, as stored (another instance reads it back):
 * the removal's outcome, its clean-up sync (the run queued behind the sync
 * under way, when `queuedAfter`), and the customer as the card names it.
 */
const removalSubject = z.object({
  customerId: z.string(),
  customer: z.object({ name: z.string().nullable(), accountId: z.string() }),
  outcome: z.object({
    mode: z.string(),
    results: z.array(z.object({ input: z.string(), e164: z.string().optional(), outcome: z.string(), reason: z.string().optional() })),
    syncRun: z.object({ id: z.string(), queuedAfter: z.string().nullable().optional() }),
  }),
});

/** A removal's message: the outcome, then where its clean-up sync is, to that sync's end. */
export const removalCardFollow: FollowedCard = {
  kind: 'bot.removal-card',
  everyMs: (options) => options.syncUpdateMs ?? REMOVAL_UPDATE_MS,
  async look({ services, caller, subject }) {
    const { customer, outcome } = removalSubject.parse(subject);
    const run = await services.sync.get(caller, outcome.syncRun.id);
    return { card: removeResultCard(customer, outcome, run), final: run.state === 'succeeded' || run.state === 'failed' };
  },
};

/** The follow-up of a removal whose clean-up sync started or was queued; none without one. */
export function removalFollow(customer: CustomerView, outcome: RemovalOutcome): CardFollow | undefined {
  const syncRun = outcome.syncRun;
  if (!syncRun) return undefined;
  const subject: z.infer<typeof removalSubject> = {
    customerId: customer.id,
    customer: { name: customer.name ?? null, accountId: customer.accountId },
    outcome: {
      mode: outcome.mode,
      results: outcome.results.map(({ input, e164, outcome: what, reason }) => ({
        input,
        outcome: what,
        ...(e164 === undefined ? {} : { e164 }),
        ...(reason === undefined ? {} : { reason }),
      })),
      syncRun: { id: syncRun.id, queuedAfter: syncRun.queuedAfter ?? null },
    },
  };
  return { kind: removalCardFollow.kind, subject };
}
