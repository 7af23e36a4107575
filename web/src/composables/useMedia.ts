// Whether a media query matches, kept up to date as the window turns or
// resizes: for layouts that are a prop or a class rather than CSS alone
// (el-descriptions' column count, the public bar's collapse, which depends
// on the language too).
import { onBeforeUnmount, ref, type Ref } from 'vue';

export function useMedia(media: string): Ref<boolean> {
  const query = window.matchMedia(media);
  const matches = ref(query.matches);
  const update = (e: MediaQueryListEvent) => {
    matches.value = e.matches;
  };
  query.addEventListener('change', update);
  onBeforeUnmount(() => query.removeEventListener('change', update));
  return matches;
}

/** A phone's screen (≤ 768 px, the public pages' breakpoint). */
export function useNarrow(): Ref<boolean> {
  return useMedia('(max-width: 768px)');
}
