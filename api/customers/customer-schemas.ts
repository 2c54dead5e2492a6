import { z } from 'zod';
import { backendAccountIdSchema } from '../backend/account-id';
import { NUMBER_STATUSES } from '../numbers/number-status';
import { pageView, pagingQuery } from '../shared/paging';
import { customerDriftSummaryView } from '../drift/drift-schemas';

export const MAX_CHANNELS_CAP = 10_000;

export const accountIdSchema = backendAccountIdSchema('Account ID');

// A DNS name such as contoso.onmicrosoft.com or contoso.com.
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const tenantNameSchema = z
  .string({ error: 'Office 365 Tenant Name is required' })
  .trim()
  .toLowerCase()
  .min(1, { error: 'Office 365 Tenant Name is required', abort: true })
  .regex(DOMAIN, 'Office 365 Tenant Name must be a domain such as contoso.onmicrosoft.com or contoso.com');

export const maxChannelsSchema = z
  .number({ error: `Max Channels must be a whole number from 1 to ${MAX_CHANNELS_CAP}` })
  .int(`Max Channels must be a whole number from 1 to ${MAX_CHANNELS_CAP}`)
  .min(1, `Max Channels must be a whole number from 1 to ${MAX_CHANNELS_CAP}`)
  .max(MAX_CHANNELS_CAP, `Max Channels must be a whole number from 1 to ${MAX_CHANNELS_CAP}`);

export const seatTypeSchema = z.enum(['bundled', 'unbundled'], {
  error: 'Seat type must be "bundled" or "unbundled"',
});

const nameSchema = z
  .string({ error: 'Name must be text' })
  .trim()
  .max(100, 'Name is at most 100 characters')
  // Control and invisible formatting characters (NUL, right-to-left override) would mislead whoever reads the name.
  .refine((name) => !/[\p{Cc}\p{Cf}]/u.test(name), 'Name cannot hold control or invisible formatting characters');

export const newCustomerSchema = z.strictObject({
  accountId: accountIdSchema,
  tenantName: tenantNameSchema,
  maxChannels: maxChannelsSchema,
  name: nameSchema.optional(),
  seatType: seatTypeSchema.optional(),
  syncAfterSave: z.boolean({ error: 'Sync after save must be true or false' }).default(false),
});
export type NewCustomer = z.infer<typeof newCustomerSchema>;

export const customerChangesSchema = z
  .strictObject({
    accountId: accountIdSchema.optional(),
    name: nameSchema.nullable().optional(),
    tenantName: tenantNameSchema.optional(),
    maxChannels: maxChannelsSchema.optional(),
    seatType: seatTypeSchema.nullable().optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'Send at least one of accountId, name, tenantName, maxChannels, seatType',
    // Only when every field was fine: an unknown field is the whole story.
    when: (payload) => payload.issues.length === 0,
  });
export type CustomerChanges = z.infer<typeof customerChangesSchema>;

export const CUSTOMER_SORTS = [
  'name',
  'accountId',
  'tenantName',
  'maxChannels',
  'numberCount',
  'createdAt',
] as const;

export const customerListQuery = z.object({
  search: z.string().trim().max(200, 'search is at most 200 characters').optional(),
  sort: z
    .enum([...CUSTOMER_SORTS, ...CUSTOMER_SORTS.map((s) => `-${s}` as const)], {
      error: `sort must be one of ${CUSTOMER_SORTS.join(', ')}, optionally with a leading - for descending`,
    })
    .default('name'),
  /** true: only the customers that need attention (drift, or failing syncs). */
  attention: z
    .enum(['true', 'false'], { error: 'attention must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  ...pagingQuery,
});
export type CustomerListQuery = z.infer<typeof customerListQuery>;

export const customerExportQuery = z.object({
  search: z.string().trim().max(200, 'search is at most 200 characters').optional(),
});

export const customerIdParams = z.object({ id: z.string() });

const lastSyncView = z
  .object({
    runId: z.string(),
    state: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .nullable();

export const customerView = z.object({
  id: z.string(),
  accountId: z.string(),
  tenantName: z.string(),
  name: z.string().nullable(),
  maxChannels: z.number().int(),
  seatType: seatTypeSchema.nullable(),
  canManage: z.boolean(),
  customerTenantId: z.string().nullable(),
  numberCount: z.number().int(),
  lastSync: lastSyncView,
  drift: customerDriftSummaryView,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CustomerView = z.infer<typeof customerView>;

export const customerDetailsView = customerView.extend({
  numberCounts: z.object(
    Object.fromEntries(NUMBER_STATUSES.map((status) => [status, z.number().int()])) as Record<
      (typeof NUMBER_STATUSES)[number],
      z.ZodNumber
    >,
  ),
  pendingRemovals: z.number().int(),
  /** The customer's side of co-management: consent and the last switch, by whom and when. */
  coManagement: z.object({
    consentGrantedAt: z.string().nullable(),
    consentGrantedBy: z.string().nullable(),
    changedAt: z.string().nullable(),
    changedBy: z.string().nullable(),
  }),
});
export type CustomerDetailsView = z.infer<typeof customerDetailsView>;

export const customerPageView = pageView(customerView);
