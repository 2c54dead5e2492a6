import { defineRoute } from '../http/route-definition';
import { syncRunView } from '../sync/sync-schemas';
import type { SyncTriggers } from '../sync/sync-triggers';
import type { CustomerService } from './customer-service';
import {
  customerChangesSchema,
  customerDetailsView,
  customerIdParams,
  customerListQuery,
  customerPageView,
  customerView,
  newCustomerSchema,
} from './customer-schemas';

export function customerRoutes(customers: CustomerService, triggers: SyncTriggers) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/customers',
      operationId: 'listCustomers',
      summary: "The partner's customers; search matches name, account id and tenant name",
      tag: 'customers',
      role: 'viewer',
      query: customerListQuery,
      response: { status: 200, description: 'A page of customers', schema: customerPageView },
      handle: async ({ caller, query }) => ({ body: await customers.list(caller, query) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/customers',
      operationId: 'createCustomer',
      summary: 'Create a customer',
      tag: 'customers',
      role: 'operator',
      body: newCustomerSchema,
      response: {
        status: 201,
        description: 'The new customer, with the sync run that "Sync after save" started (else null)',
        schema: customerView.extend({ syncRun: syncRunView.nullable() }),
      },
      errors: [409],
      handle: async ({ caller, body }) => ({ status: 201, body: await triggers.createCustomer(caller, body) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/customers/{id}',
      operationId: 'getCustomer',
      summary: 'Details of a customer, with number counts by status and the last sync',
      tag: 'customers',
      role: 'viewer',
      params: customerIdParams,
      response: { status: 200, description: 'The customer', schema: customerDetailsView },
      errors: [404],
      handle: async ({ caller, params }) => ({ body: await customers.details(caller, params.id) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/customers/{id}',
      operationId: 'updateCustomer',
      summary: 'Change the name, tenant name, max channels or seat type',
      tag: 'customers',
      role: 'operator',
      params: customerIdParams,
      body: customerChangesSchema,
      response: { status: 200, description: 'The changed customer', schema: customerView },
      errors: [404, 409],
      handle: async ({ caller, params, body }) => ({ body: await customers.update(caller, params.id, body) }),
    }),
  ];
}
