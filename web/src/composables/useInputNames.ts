// Accessible names for inputs that Element Plus draws without a label of
// their own (the second box of a date range, the pager's page jump and
// page size): each selector under `root` gets aria-label = its text, again
// whenever Element Plus redraws them and when the language changes.
import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';

export function useInputNames(root: Ref<HTMLElement | null>, names: Array<[selector: string, label: () => string]>): void {
  const { locale } = useI18n();
  let observer: MutationObserver | null = null;
  function apply(): void {
    const el = root.value;
    if (!el) return;
    for (const [selector, label] of names) {
      el.querySelectorAll(selector).forEach((input) => {
        const name = label();
        if (input.getAttribute('aria-label') !== name) input.setAttribute('aria-label', name);
      });
    }
  }
  onMounted(() => {
    apply();
    if (root.value) {
      observer = new MutationObserver(apply);
      observer.observe(root.value, { childList: true, subtree: true });
    }
  });
  onBeforeUnmount(() => observer?.disconnect());
  watch(locale, () => setTimeout(apply));
}
