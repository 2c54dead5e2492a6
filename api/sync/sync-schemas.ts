import { actorView } from '../auth/caller';
import { z } from 'zod';
import { pageView, pagingQuery } from '../shared/paging';

export const syncStartQuery = z.object({
  dryRun: z
    .enum(['true', 'false'], { error: 'dryRun must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
});

export const syncRunParams = z.object({ runId: z.string() });
export const syncRunListQuery = z.object({ ...pagingQuery });

const statusCounts = z.object({
  pending: z.number().int(),
  synced: z.number().int(),
  backend_fatal: z.number().int(),
  not_in_backend: z.number().int(),
});

export const syncRunView = z.object({
  id: z.string(),
  customerId: z.string(),
  trigger: z.string(),
  actor: actorView,
  dryRun: z.boolean(),
  state: z.enum(['queued', 'running', 'succeeded', 'failed']),
  phase: z.string(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  counts: statusCounts,
  changes: z.object({
    account: z
      .object({
        from: z.object({ maxChannels: z.number().nullable(), tenantName: z.string().nullable() }),
        to: z.object({ maxChannels: z.number(), tenantName: z.string() }),
      })
      .nullable(),
    toRoute: z.array(z.string()),
    toImport: z.array(z.string()),
    toRemove: z.array(z.object({ e164: z.string(), mode: z.enum(['delete', 'retain']) })),
    toRelease: z.array(z.string()),
    statusChanges: z.array(z.object({ e164: z.string(), from: z.string(), to: z.string() })),
  }),
  changeCounts: z.object({
    routed: z.number().int(),
    imported: z.number().int(),
    removed: z.number().int(),
    released: z.number().int(),
    statusChanges: z.number().int(),
  }),
  attention: z.array(z.object({ e164: z.string(), status: z.string(), statusText: z.string(), detail: z.string().optional() })),
  errors: z.array(z.object({ message: z.string(), e164: z.string().optional() })),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type SyncRunView = z.infer<typeof syncRunView>;

export const syncRunPageView = pageView(syncRunView);

export const syncStartView = syncRunView.extend({
  /** False when a run of this customer was already under way: this is then the run queued behind it, which starts when it ends. */
  started: z.boolean(),
  /** The run under way that this one waits for (started: false), or null. */
  queuedAfter: z.string().nullable(),
});
export type SyncStartView = z.infer<typeof syncStartView>;
