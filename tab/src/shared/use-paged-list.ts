import { useEffect, useState, type DependencyList } from 'react';
import type { Page } from '../api/portal-api';
import { useApiQuery, type ApiQuery } from './use-api-query';
import { useDebounced } from './use-debounced';

/** What a list view asks the API for: a page, and the search when there is one. */
export interface PageQuery {
  search?: string;
  page: number;
  pageSize: number;
}

export interface PagedListOptions {
  pageSize: number;
  /** The filter besides the search ('' when none is chosen): another filter starts at page 1. */
  filter?: string;
  /** What else the list is read again for (the API, the customer, a reload key). */
  deps: DependencyList;
  /** False: nothing is read (a co-management view once co-management is off). */
  enabled?: boolean;
  /** Sees a failure first; true when it handled it, so the view shows no error. */
  report?(error: unknown): boolean;
}

export interface PagedList<P extends Page<unknown>> extends ApiQuery<P> {
  /** The search as typed, and as sent (trimmed, once typing paused). */
  search: string;
  setSearch(search: string): void;
  debouncedSearch: string;
  /** The page shown, from 1. */
  page: number;
  setPage(page: number): void;
  pageSize: number;
  /** A filter or a search narrows the list. */
  filtered: boolean;
  /** Stands for one page of one filter and search: a selection belongs to it. */
  listKey: string;
}

/**
 * A list the API answers a page at a time, searched and maybe filtered: the
 * search is sent once typing pauses, the page belongs to one filter and
 * search (another starts at page 1), and a page emptied by a change (a
 * removal) gives way to the new last page.
 */
export function usePagedList<P extends Page<unknown>>(
  load: (query: PageQuery) => Promise<P>,
  { pageSize, filter = '', deps, enabled, report }: PagedListOptions,
): PagedList<P> {
  const [search, setSearch] = useState('');
  const debouncedSearch = useDebounced(search.trim(), 250);
  const queryKey = `${filter}|${debouncedSearch}`;
  const [paging, setPaging] = useState({ key: queryKey, page: 1 });
  if (paging.key !== queryKey) setPaging({ key: queryKey, page: 1 });
  const page = paging.key === queryKey ? paging.page : 1;

  const query = useApiQuery(
    () => load({ ...(debouncedSearch ? { search: debouncedSearch } : {}), page, pageSize }),
    [...deps, filter, debouncedSearch, page],
    { ...(enabled === undefined ? {} : { enabled }), ...(report ? { report } : {}) },
  );

  const { data } = query;
  useEffect(() => {
    if (data && data.items.length === 0 && data.total > 0 && data.page > 1) {
      setPaging({ key: queryKey, page: Math.ceil(data.total / pageSize) });
    }
  }, [data, queryKey, pageSize]);

  return {
    ...query,
    search,
    setSearch,
    debouncedSearch,
    page,
    setPage: (next) => setPaging({ key: queryKey, page: next }),
    pageSize,
    filtered: filter !== '' || debouncedSearch !== '',
    listKey: `${queryKey}|${page}`,
  };
}
