// Column settings of one table (issue 11, defect 3): which columns show and
// the density, remembered per user and per table in localStorage, as the
// table toolbar of vue-pure-admin does. Key columns (`fixed`) cannot be
// hidden.
import { computed, reactive, watch } from 'vue';
import { useUserStore } from '@/stores/user';

export interface TableColumn {
  key: string;
  label: string;
  /** Shown unless the user turns it on (a less used column). */
  hiddenByDefault?: boolean;
  /** Always shown (name, status, amount, action). */
  fixed?: boolean;
}

export type Density = 'default' | 'small';

export interface TableColumns {
  columns: () => TableColumn[];
  hidden: Record<string, boolean>;
  density: { value: Density };
  show: (key: string) => boolean;
  reset: () => void;
}

interface Saved {
  hidden?: Record<string, boolean>;
  density?: Density;
}

export function storageKey(userId: string, tableId: string): string {
  return `yq.table.${userId || 'anon'}.${tableId}`;
}

export function useTableColumns(tableId: string, columns: () => TableColumn[]): TableColumns {
  const user = useUserStore();
  const key = computed(() => storageKey(user.me?.id ?? '', tableId));
  const hidden = reactive<Record<string, boolean>>({});
  const density = reactive<{ value: Density }>({ value: 'default' });

  function defaults(): void {
    for (const k of Object.keys(hidden)) delete hidden[k];
    for (const c of columns()) if (c.hiddenByDefault) hidden[c.key] = true;
    density.value = 'default';
  }

  function restore(): void {
    defaults();
    let saved: Saved = {};
    try {
      saved = JSON.parse(localStorage.getItem(key.value) ?? '{}') as Saved;
    } catch {
      saved = {};
    }
    if (saved.hidden) for (const [k, v] of Object.entries(saved.hidden)) hidden[k] = v;
    if (saved.density === 'small' || saved.density === 'default') density.value = saved.density;
  }

  restore();
  watch(key, restore);
  watch(
    [hidden, density],
    () => {
      try {
        localStorage.setItem(key.value, JSON.stringify({ hidden: { ...hidden }, density: density.value }));
      } catch {
        // Storage full or refused: the settings last for this page only.
      }
    },
    { deep: true },
  );

  function show(k: string): boolean {
    const c = columns().find((x) => x.key === k);
    return !!c && (c.fixed === true || !hidden[k]);
  }

  function reset(): void {
    defaults();
  }

  return { columns, hidden, density, show, reset };
}
