import { customerIdParams } from '../customers/customer-schemas';
import { defineRoute } from '../http/route-definition';
import type { SyncService } from './sync-service';
import { syncRunListQuery, syncRunPageView, syncRunParams, syncRunView, syncStartQuery, syncStartView } from './sync-schemas';

export function syncRoutes(sync: SyncService) {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/customers/{id}/sync',
      operationId: 'startSync',
      summary: 'Start a sync of the customer with the backend (202 with the run); dryRun=true previews it',
      tag: 'sync',
      role: 'operator',
      params: customerIdParams,
      query: syncStartQuery,
      response: {
        status: 202,
        description:
          'The run just started, or (started: false, while a run is under way) the one run queued behind it (queuedAfter names the run under way), which starts when that one ends',
        schema: syncStartView,
      },
      errors: [404],
      handle: async ({ caller, params, query }) => {
        const { run, started, queuedAfter } = await sync.start(caller, params.id, { trigger: 'tab', dryRun: query.dryRun });
        return { status: 202, body: { ...run, started, queuedAfter } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/sync-runs/{runId}',
      operationId: 'getSyncRun',
      summary: 'A sync run: state, progress, counts by status, changes, errors',
      tag: 'sync',
      role: 'viewer',
      params: syncRunParams,
      response: { status: 200, description: 'The run', schema: syncRunView },
      errors: [404],
      handle: async ({ caller, params }) => ({ body: await sync.get(caller, params.runId) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/customers/{id}/sync-runs',
      operationId: 'listSyncRuns',
      summary: "The customer's sync runs, newest first",
      tag: 'sync',
      role: 'viewer',
      params: customerIdParams,
      query: syncRunListQuery,
      response: { status: 200, description: 'A page of runs', schema: syncRunPageView },
      errors: [404],
      handle: async ({ caller, params, query }) => ({ body: await sync.list(caller, params.id, query) }),
    }),
  ];
}
