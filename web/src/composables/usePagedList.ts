// One paged list: rows, total, page and page size, loading flag, and the
// load / search (back to page 1) pair every list view needs. `fetch` gets
// the page query and returns one page; errors have been shown by the client.
import { reactive, ref, type Ref } from 'vue';
import type { Page, PageQuery } from '@/api/types';

export interface PagedList<T> {
  rows: Ref<T[]>;
  total: Ref<number>;
  loading: Ref<boolean>;
  paging: { page: number; pageSize: number };
  /** Load the current page. */
  load: () => Promise<void>;
  /** Back to page 1 and load (after a filter changed). */
  search: () => Promise<void>;
}

export function usePagedList<T>(fetch: (page: PageQuery) => Promise<Page<T>>, pageSize = 20): PagedList<T> {
  const rows = ref([]) as Ref<T[]>;
  const total = ref(0);
  const loading = ref(false);
  const paging = reactive({ page: 1, pageSize });
  let generation = 0;

  async function load(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    try {
      const answer = await fetch({ page: paging.page, page_size: paging.pageSize });
      // A slower, older answer must not overwrite a newer one.
      if (mine !== generation) return;
      rows.value = answer.items;
      total.value = answer.total;
    } catch {
      // The client has shown the message; keep what is on screen.
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function search(): Promise<void> {
    paging.page = 1;
    return load();
  }

  return { rows, total, loading, paging, load, search };
}
