// Names the current page's tab after its record once it is loaded (issue
// 11): two contracts open side by side read "合同 QL-001" and "合同
// QL-002", not "合同详情" twice. `label` returns undefined until the
// record is there.
import { watch } from 'vue';
import { useRoute } from 'vue-router';
import { useLayoutStore, type TabLabel } from '@/stores/layout';

export function useTabLabel(label: () => TabLabel | undefined): void {
  const route = useRoute();
  const layout = useLayoutStore();
  watch(
    () => [label(), route.path] as const,
    ([l, path]) => {
      if (l) layout.labelTab(path, l);
    },
    { immediate: true, deep: true },
  );
}
