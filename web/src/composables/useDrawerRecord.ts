// The record a drawer shows: read whenever the drawer's id changes. A read
// that fails is kept as a ReadFailure (RecordFailed shows it, with 重试)
// instead of closing the drawer; an answer of a read that another has since
// replaced is dropped, and its end leaves the newer read's spinner alone.
import { ref, watch, type Ref } from 'vue';
import { readFailure, type ReadFailure } from '@/api/http';

export function useDrawerRecord<T>(id: () => string | null, read: (id: string) => Promise<T>) {
  const record = ref(null) as Ref<T | null>;
  const failed = ref<ReadFailure | null>(null);
  const loading = ref(false);

  // Only the latest read may settle the drawer: an earlier one (another
  // id, or the same id before 重试) neither shows its answer nor ends the
  // spinner of the read that replaced it.
  let latest = 0;

  async function load(): Promise<void> {
    const mine = ++latest;
    const wanted = id();
    record.value = null;
    failed.value = null;
    if (!wanted) {
      loading.value = false;
      return;
    }
    loading.value = true;
    try {
      const got = await read(wanted);
      if (mine === latest) record.value = got;
    } catch (err) {
      if (mine === latest) failed.value = readFailure(err);
    } finally {
      if (mine === latest) loading.value = false;
    }
  }

  watch(id, load);
  return { record, failed, loading, load };
}
