import { customerIdParams } from '../customers/customer-schemas';
import { defineRoute } from '../http/route-definition';
import { customerScheduleChange, customerScheduleView, defaultScheduleView, type ScheduleService } from './schedule-service';
import { syncScheduleSchema } from './sync-schedule';

export function scheduleRoutes(schedules: ScheduleService) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/customers/{id}/schedule',
      operationId: 'getCustomerSchedule',
      summary: "The customer's scheduled sync (its own or the partner default), when it next runs, and what its last slot did",
      tag: 'sync',
      role: 'viewer',
      params: customerIdParams,
      response: { status: 200, description: 'The schedule', schema: customerScheduleView },
      errors: [404],
      handle: async ({ caller, params }) => ({ body: await schedules.forCustomer(caller, params.id) }),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/customers/{id}/schedule',
      operationId: 'setCustomerSchedule',
      summary: 'Sets when the customer is synced on its own: off, hourly, daily at a time in a time zone, a cron expression, or default (the partner default)',
      tag: 'sync',
      role: 'operator',
      params: customerIdParams,
      body: customerScheduleChange,
      response: { status: 200, description: 'The schedule now', schema: customerScheduleView },
      errors: [400, 404],
      handle: async ({ caller, params, body }) => ({ body: await schedules.setForCustomer(caller, params.id, body) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/schedule',
      operationId: 'getDefaultSchedule',
      summary: "The partner's default schedule, which customers without one of their own follow",
      tag: 'sync',
      role: 'viewer',
      response: { status: 200, description: 'The default schedule', schema: defaultScheduleView },
      handle: async ({ caller }) => ({ body: await schedules.partnerDefault(caller) }),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/schedule',
      operationId: 'setDefaultSchedule',
      summary: "Sets the partner's default schedule",
      tag: 'sync',
      role: 'admin',
      body: syncScheduleSchema,
      response: { status: 200, description: 'The default schedule now', schema: defaultScheduleView },
      errors: [400],
      handle: async ({ caller, body }) => ({ body: await schedules.setPartnerDefault(caller, body) }),
    }),
  ];
}
