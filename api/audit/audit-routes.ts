import type { CustomerService } from '../customers/customer-service';
import { defineRoute } from '../http/route-definition';
import { auditListQuery, auditPageView, type AuditLog } from './audit-log';

export function auditRoutes(audit: AuditLog, customers: CustomerService) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/audit',
      operationId: 'listAudit',
      summary: "Who changed what, newest first; customerId narrows to one customer",
      tag: 'audit',
      role: 'viewer',
      query: auditListQuery,
      response: { status: 200, description: 'A page of audit entries', schema: auditPageView },
      errors: [404],
      handle: async ({ caller, query }) => {
        const customer = query.customerId ? await customers.require(caller, query.customerId) : undefined;
        return { body: await audit.list(caller, customer?._id, { page: query.page, pageSize: query.pageSize }, query.kind) };
      },
    }),
  ];
}
