// The record a drawer shows: read whenever the drawer's id changes. A read
// that fails is kept as a ReadFailure (RecordFailed shows it, with 重试)
// instead of closing the drawer; an answer for an id the drawer has since
// left is dropped.
import { ref, watch, type Ref } from 'vue';
import { readFailure, type ReadFailure } from '@/api/http';

export function useDrawerRecord<T>(id: () => string | null, read: (id: string) => Promise<T>) {
  const record = ref(null) as Ref<T | null>;
  const failed = ref<ReadFailure | null>(null);
  const loading = ref(false);

  async function load(): Promise<void> {
    const wanted = id();
    record.value = null;
    failed.value = null;
    if (!wanted) return;
    loading.value = true;
    try {
      const got = await read(wanted);
      if (id() === wanted) record.value = got;
    } catch (err) {
      if (id() === wanted) failed.value = readFailure(err);
    } finally {
      loading.value = false;
    }
  }

  watch(id, load);
  return { record, failed, loading, load };
}
