import { defineRoute } from '../http/route-definition';
import { syncRunView } from '../sync/sync-schemas';
import type { SyncTriggers } from '../sync/sync-triggers';
import type { CustomerService } from './customer-service';
import type { CustomerImport } from './customer-import';
import { CSV_LIMITS } from '../csv/csv-file';
import { importPreviewView, importQuery, importStartedView } from '../imports/import-answers';
import {
  customerChangesSchema,
  customerDetailsView,
  customerIdParams,
  customerExportQuery,
  customerListQuery,
  customerPageView,
  customerView,
  newCustomerSchema,
} from './customer-schemas';

export function customerRoutes(customers: CustomerService, triggers: SyncTriggers, imports: CustomerImport) {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/customers/import',
      operationId: 'importCustomers',
      summary:
        'Create customers from a CSV file (columns as the New customer form labels them, any case: Account ID, Office 365 Tenant Name, Max Channels, Name, Seat type); dryRun=true answers what it would do and writes nothing',
      tag: 'customers',
      role: 'operator',
      query: importQuery,
      upload: {
        description: `A CSV file of at most 10 MB and ${CSV_LIMITS.maxRows.toLocaleString('en-US')} rows: as the body (text/csv) or the multipart field "file"`,
        maxBytes: CSV_LIMITS.maxBytes,
      },
      response: { status: 202, description: 'The job creating the customers (Location: the job); its rows hold each outcome', schema: importStartedView },
      alsoResponds: [
        { status: 200, description: 'dryRun=true: the outcome counts and the first failing rows; nothing written', schema: importPreviewView },
      ],
      // 409: the partner has no reseller account; 502/503: a dry run could not check Account IDs on the backend.
      errors: [409, 502, 503],
      handle: async ({ caller, query, file }) => {
        if (query.dryRun) return { status: 200, body: await imports.preview(caller, file) };
        const started = await imports.start(caller, file);
        return { status: 202, body: started, location: `/api/v1/jobs/${started.job.id}` };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/customers/export',
      operationId: 'exportCustomers',
      summary: 'The customers table (search= as the list) as a CSV file, in name order; its columns import back',
      tag: 'customers',
      role: 'viewer',
      query: customerExportQuery,
      downloads: 'text/csv',
      response: { status: 200, description: 'The customers as CSV (Content-Disposition: attachment), streamed' },
      handle: async ({ caller, query }) => ({
        download: { contentType: 'text/csv; charset=utf-8', ...customers.exportCsv(caller, query.search) },
      }),
    }),
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
      // 404: the Account ID is no account under the partner's reseller account on the backend.
      errors: [404, 409, 502, 503],
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
      summary: 'Change the Account ID (another account under the partner\'s reseller), name, tenant name, max channels or seat type',
      tag: 'customers',
      role: 'operator',
      params: customerIdParams,
      body: customerChangesSchema,
      response: { status: 200, description: 'The changed customer', schema: customerView },
      errors: [404, 409, 502, 503],
      handle: async ({ caller, params, body }) => ({ body: await customers.update(caller, params.id, body) }),
    }),
  ];
}
