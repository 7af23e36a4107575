// Whether the screen is a phone's (≤ 768 px, the public pages' breakpoint),
// kept up to date as the window turns or resizes: for components whose
// layout is a prop rather than CSS (e.g. el-descriptions' column count).
import { onBeforeUnmount, ref, type Ref } from 'vue';

export const NARROW_QUERY = '(max-width: 768px)';

export function useNarrow(): Ref<boolean> {
  const query = window.matchMedia(NARROW_QUERY);
  const narrow = ref(query.matches);
  const update = (e: MediaQueryListEvent) => {
    narrow.value = e.matches;
  };
  query.addEventListener('change', update);
  onBeforeUnmount(() => query.removeEventListener('change', update));
  return narrow;
}
