// The reference catalog (附件2) as cascader options: category → subcategory
// → service (value: the service id). Loaded once per page load.
import { computed, ref } from 'vue';
import type { CascaderOption } from 'element-plus';
import { referenceCatalog, type ReferenceService } from '@/api/catalog';

type CascaderNode = CascaderOption & { value: string | number; label: string; children?: CascaderNode[] };

const services = ref<ReferenceService[]>([]);
let loading: Promise<void> | null = null;

function ensureLoaded(): Promise<void> {
  if (!loading) {
    loading = referenceCatalog()
      .then((page) => {
        services.value = page.items;
      })
      .catch(() => {
        loading = null; // try again next time; the client has shown the message
      });
  }
  return loading;
}

/** Category / subcategory / service tree; category and subcategory values are their names. */
function buildTree(list: ReferenceService[]): CascaderNode[] {
  const categories: CascaderNode[] = [];
  for (const s of list) {
    let cat = categories.find((c) => c.value === s.category);
    if (!cat) {
      cat = { value: s.category, label: s.category, children: [] };
      categories.push(cat);
    }
    let sub = cat.children!.find((c) => c.value === s.subcategory);
    if (!sub) {
      sub = { value: s.subcategory, label: s.subcategory, children: [] };
      cat.children!.push(sub);
    }
    sub.children!.push({ value: s.id, label: s.service });
  }
  return categories;
}

export function useReferenceCatalog() {
  void ensureLoaded();
  const tree = computed(() => buildTree(services.value));
  const categories = computed(() => tree.value.map((c) => String(c.value)));

  /** The cascader path [category, subcategory, id] of a service id, or []. */
  function pathOf(serviceId: number | null | undefined): (string | number)[] {
    const s = services.value.find((x) => x.id === serviceId);
    return s ? [s.category, s.subcategory, s.id] : [];
  }

  return { services, tree, categories, pathOf, ready: ensureLoaded };
}
