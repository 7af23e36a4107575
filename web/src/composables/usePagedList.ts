// One paged list: rows, total, page and page size, the loading / error
// state, and the load / search (back to page 1) pair every list view needs.
// `fetch` gets the page query and returns one page; errors have been shown
// by the client as a message, and the list keeps them as `error` so that
// the view shows "could not be loaded" with 重试 instead of "no data"
// (issue 11, defect 2).
//
// With `filters` (a reactive object of strings), the filters, the page and
// the page size live in the route's query too (issue 11, defect 4): a
// reload or a shared link reproduces the view. A link to the same list with
// other filters (a home page's 待办) is followed while the list is open.
import { computed, reactive, ref, watch, type ComputedRef, type Ref } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import type { Page, PageQuery } from '@/api/types';

export type ListState = 'loading' | 'error' | 'empty' | 'ready';

export interface PagedList<T> {
  rows: Ref<T[]>;
  total: Ref<number>;
  loading: Ref<boolean>;
  /** The last load failed: what is shown is not the data. */
  error: Ref<boolean>;
  /** loading (first load) / error / empty / ready. */
  state: ComputedRef<ListState>;
  paging: { page: number; pageSize: number };
  /** Load the current page. */
  load: () => Promise<void>;
  /** Back to page 1 and load (after a filter changed). */
  search: () => Promise<void>;
}

export interface PagedListOptions {
  /** Filters kept in the URL's query (keys as sent to the server). */
  filters?: Record<string, string>;
}

function text(v: LocationQuery[string] | undefined): string {
  if (Array.isArray(v)) return v[0] ?? '';
  return v ?? '';
}

export function usePagedList<T>(
  fetch: (page: PageQuery) => Promise<Page<T>>,
  pageSize = 20,
  options: PagedListOptions = {},
): PagedList<T> {
  const rows = ref([]) as Ref<T[]>;
  const total = ref(0);
  const loading = ref(false);
  const error = ref(false);
  const loaded = ref(false);
  const paging = reactive({ page: 1, pageSize });
  const filters = options.filters;
  const route = filters ? useRoute() : null;
  const router = filters ? useRouter() : null;
  const routeName = route?.name;
  // A filter absent from the URL has its initial value (e.g. 待审核 on a
  // review list); one the user cleared is kept as `key=`.
  const defaults: Record<string, string> = { ...(filters ?? {}) };
  let generation = 0;

  /** Filters and paging from the URL; true when something changed. */
  function fromQuery(q: LocationQuery): boolean {
    if (!filters) return false;
    let changed = false;
    for (const key of Object.keys(filters)) {
      const v = key in q ? text(q[key]) : defaults[key];
      if (filters[key] !== v) {
        filters[key] = v;
        changed = true;
      }
    }
    const page = Number(text(q.page)) || 1;
    const size = Number(text(q.size)) || pageSize;
    if (paging.page !== page || paging.pageSize !== size) changed = true;
    paging.page = page > 0 ? page : 1;
    paging.pageSize = size > 0 && size <= 200 ? size : pageSize;
    return changed;
  }

  function toQuery(): Record<string, string> {
    const q: Record<string, string> = {};
    if (!filters || !route) return q;
    // Keep what others put in the query (a tab, a drawer's record).
    for (const [k, v] of Object.entries(route.query)) {
      if (!(k in filters) && k !== 'page' && k !== 'size') q[k] = text(v);
    }
    for (const [k, v] of Object.entries(filters)) if (v !== defaults[k]) q[k] = v;
    if (paging.page > 1) q.page = String(paging.page);
    if (paging.pageSize !== pageSize) q.size = String(paging.pageSize);
    return q;
  }

  function sameQuery(a: Record<string, string>, b: LocationQuery): boolean {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!(k in a) !== !(k in b) || (a[k] ?? '') !== text(b[k])) return false;
    return true;
  }

  if (route) {
    fromQuery(route.query);
    // Back / forward, or a link to the same list with other filters.
    watch(
      () => route.query,
      (q) => {
        if (route.name !== routeName) return;
        if (sameQuery(toQuery(), q)) return;
        if (fromQuery(q)) void load();
      },
    );
  }

  async function load(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    if (route && router && route.name === routeName) {
      const q = toQuery();
      if (!sameQuery(q, route.query)) void router.replace({ query: q }).catch(() => undefined);
    }
    try {
      const answer = await fetch({ page: paging.page, page_size: paging.pageSize });
      // A slower, older answer must not overwrite a newer one.
      if (mine !== generation) return;
      rows.value = answer.items;
      total.value = answer.total;
      error.value = false;
      loaded.value = true;
    } catch {
      // The client has shown the message; the list says it failed.
      if (mine !== generation) return;
      rows.value = [];
      total.value = 0;
      error.value = true;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function search(): Promise<void> {
    paging.page = 1;
    return load();
  }

  const state = computed<ListState>(() => {
    if (error.value && !loading.value) return 'error';
    if (!loaded.value) return loading.value ? 'loading' : error.value ? 'error' : 'loading';
    return rows.value.length === 0 ? 'empty' : 'ready';
  });

  return { rows, total, loading, error, state, paging, load, search };
}
