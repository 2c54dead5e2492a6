import { actorView } from '../auth/caller';
import { z } from 'zod';
import { pageView, pagingQuery } from '../shared/paging';
import { NUMBER_STATUSES } from './number-status';

const pastedText = z.string({ error: 'numbers must be text or a list of texts' });

export const addNumbersBody = z.strictObject({
  numbers: z.union([pastedText, z.array(pastedText).max(100_000, 'at most 100,000 entries')], {
    error: 'numbers must be the pasted text, or a list of numbers',
  }),
});
export type AddNumbersBody = z.infer<typeof addNumbersBody>;

export const removalModeSchema = z.enum(['delete', 'retain'], {
  error: 'mode must be "delete" (release the number from the backend) or "retain" (keep it there)',
});

export const removeNumbersBody = z.strictObject({
  numbers: z
    .array(z.string({ error: 'each number must be text' }), { error: 'numbers must be a list of numbers' })
    .min(1, 'list at least one number to remove')
    .max(100_000, 'at most 100,000 numbers'),
  mode: removalModeSchema,
});
export type RemoveNumbersBody = z.infer<typeof removeNumbersBody>;

export const numberStatusSchema = z.enum(NUMBER_STATUSES as [string, ...string[]], {
  error: `status must be one of ${NUMBER_STATUSES.join(', ')}`,
});

export const numberListQuery = z.object({
  status: numberStatusSchema.optional(),
  search: z.string().trim().max(50, 'search is at most 50 characters').optional(),
  ...pagingQuery,
});
export type NumberListQuery = z.infer<typeof numberListQuery>;

export const numberExportQuery = z.object({ status: numberStatusSchema.optional() });


export const numberView = z.object({
  e164: z.string(),
  status: numberStatusSchema,
  statusText: z.string(),
  addedAt: z.string(),
  addedBy: actorView,
  syncedAt: z.string().nullable(),
});
export type NumberView = z.infer<typeof numberView>;

export const numberPageView = pageView(numberView);

export const ADD_OUTCOMES = ['added', 'already-present', 'owned-elsewhere', 'invalid'] as const;
export type AddOutcome = (typeof ADD_OUTCOMES)[number];

export const addResultView = z.object({
  input: z.string(),
  e164: z.string().optional(),
  outcome: z.enum(ADD_OUTCOMES),
  reason: z.string().optional(),
});
export type AddResult = z.infer<typeof addResultView>;

export const addNumbersView = z.object({
  results: z.array(addResultView),
  summary: z.object(Object.fromEntries(ADD_OUTCOMES.map((o) => [o, z.number().int()])) as Record<AddOutcome, z.ZodNumber>),
});

export const REMOVE_OUTCOMES = ['removed', 'not-found', 'invalid'] as const;
export type RemoveOutcome = (typeof REMOVE_OUTCOMES)[number];

export const removeResultView = z.object({
  input: z.string(),
  e164: z.string().optional(),
  outcome: z.enum(REMOVE_OUTCOMES),
  reason: z.string().optional(),
});
export type RemoveResult = z.infer<typeof removeResultView>;

export const removeNumbersView = z.object({
  mode: removalModeSchema,
  results: z.array(removeResultView),
  summary: z.object(
    Object.fromEntries(REMOVE_OUTCOMES.map((o) => [o, z.number().int()])) as Record<RemoveOutcome, z.ZodNumber>,
  ),
});
