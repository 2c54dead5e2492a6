import { z } from 'zod';

export const MAX_PAGE_SIZE = 200;
/** Keeps skip (page x pageSize) far below MongoDB's 32-bit limit. */
export const MAX_PAGE = 1_000_000;

/** `page` (from 1) and `pageSize` query parameters, shared by every list route. */
export const pagingQuery = {
  page: z.coerce
    .number()
    .int('page must be a whole number')
    .min(1, 'page starts at 1')
    .max(MAX_PAGE, `page is at most ${MAX_PAGE}`)
    .default(1),
  pageSize: z.coerce
    .number()
    .int('pageSize must be a whole number')
    .min(1, 'pageSize must be at least 1')
    .max(MAX_PAGE_SIZE, `pageSize must be at most ${MAX_PAGE_SIZE}`)
    .default(25),
};

export interface Paging {
  page: number;
  pageSize: number;
}

export interface Page<T> extends Paging {
  items: T[];
  total: number;
}

export function skipOf({ page, pageSize }: Paging): number {
  return (page - 1) * pageSize;
}

/** Search text matched as plain text: every regular-expression character escaped. */
export function plainTextPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The answer of every list route: a page of items and the total. */
export function pageView<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
