import { z } from 'zod';
import { DRIFT_KINDS } from './drift-document';

const driftKind = z.enum(DRIFT_KINDS);

export const driftCountsView = z.object(
  Object.fromEntries(DRIFT_KINDS.map((kind) => [kind, z.number().int()])) as Record<(typeof DRIFT_KINDS)[number], z.ZodNumber>,
);

export const customerDriftView = z.object({
  customerId: z.string(),
  /** Null: no sync has succeeded yet, so nothing was compared. */
  computedAt: z.string().nullable(),
  runId: z.string().nullable(),
  counts: driftCountsView,
  /** Numbers that drifted (one drifting two ways counts once); the items list may be shorter (capped). */
  total: z.number().int(),
  items: z.array(z.object({ e164: z.string(), kind: driftKind, detail: z.string() })),
  itemsTruncated: z.boolean(),
  /** Null before the first computation; checked false says why Teams was not compared. */
  teams: z.object({ checked: z.boolean(), reason: z.string().nullable() }).nullable(),
  consecutiveFailures: z.number().int(),
  lastFailure: z.object({ runId: z.string(), message: z.string(), at: z.string() }).nullable(),
  needsAttention: z.boolean(),
  fingerprint: z.string().nullable(),
});
export type CustomerDriftView = z.infer<typeof customerDriftView>;

/** What the customers table shows of a customer's drift; null before any sync ended. */
export const customerDriftSummaryView = z
  .object({
    total: z.number().int(),
    consecutiveFailures: z.number().int(),
    needsAttention: z.boolean(),
    computedAt: z.string().nullable(),
  })
  .nullable();
