import { customerIdParams } from '../customers/customer-schemas';
import { defineRoute } from '../http/route-definition';
import type { DriftService } from './drift-service';
import { customerDriftView } from './drift-schemas';

export function driftRoutes(drift: DriftService) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/customers/{id}/drift',
      operationId: 'getCustomerDrift',
      summary:
        "How the customer's numbers differ between the portal, the backend and Teams after its last sync, and its failed syncs in a row (computedAt null: no sync has succeeded yet)",
      tag: 'drift',
      role: 'viewer',
      params: customerIdParams,
      response: { status: 200, description: 'The drift report', schema: customerDriftView },
      errors: [404],
      handle: async ({ caller, params }) => ({ body: await drift.report(caller, params.id) }),
    }),
  ];
}
