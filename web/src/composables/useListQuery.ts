// A filtered, paged list (issue 11): its filters (kept in the URL by
// usePagedList, so that a reload or a link gives the same view), the page,
// and reset back to the filters it started with. Its filter bar is
// ListFilters.vue, described by a FilterBar.
import { reactive } from 'vue';
import type { Page, PageQuery } from '@/api/types';
import type { QueryValue } from '@/api/http';
import { usePagedList, type PagedList } from '@/composables/usePagedList';

export interface ListQuery<F extends Record<string, string>, T> extends PagedList<T> {
  filters: F;
  /** The filters as they started, then page 1. */
  reset: () => Promise<void>;
}

export interface FilterOption {
  value: string;
  label: string;
}

/** The fields of a list's filter bar; a field left out is not shown. */
export interface FilterBar {
  /** The keyword's placeholder (what q searches). */
  keyword?: string;
  keywordWidth?: number;
  statuses?: FilterOption[];
  statusPlaceholder?: string;
  /** The county choice (users who see several counties). */
  county?: boolean;
  /** The date range's label. */
  dates?: string;
  /** The list's export: its API path, file name, and query when not the filters. */
  exportPath?: string;
  exportName?: string;
  exportQuery?: Record<string, QueryValue>;
}

/** Status choices from the codes and their names. */
export function statusOptions(codes: readonly string[], name: (code: string) => string): FilterOption[] {
  return codes.map((c) => ({ value: c, label: name(c) }));
}

export function useListQuery<F extends Record<string, string>, T>(
  initial: F,
  fetch: (query: PageQuery & F) => Promise<Page<T>>,
  pageSize = 20,
): ListQuery<F, T> {
  const filters = reactive({ ...initial }) as F;
  const list = usePagedList<T>((page) => fetch({ ...page, ...filters }), pageSize, { filters });
  function reset(): Promise<void> {
    Object.assign(filters, initial);
    return list.search();
  }
  return { ...list, filters, reset };
}
