// Shared pieces of the dashboard charts: money on a chart is yuan as an
// exact decimal made from the fen text (12345 fen → 123.45, no float
// arithmetic on fen), and labelled with formatMoney; years to choose from;
// the read of a dashboard's answer.
import { ref, shallowRef, watch, type WatchSource } from 'vue';
import { fenToYuanText, formatMoney } from '@/utils/money';
import { currentYearInChina } from '@/utils/format';

/** Integer fen → yuan for a chart axis (display only; tables show formatMoney). */
export function chartYuan(fen: number): number {
  return Number(fenToYuanText(fen));
}

/** Tooltip for money series: each value as ¥12,345.67 (from yuan with two decimals). */
export function moneyTooltip(params: unknown): string {
  const list = Array.isArray(params) ? params : [params];
  const rows = list as { axisValueLabel?: string; marker?: string; seriesName?: string; value?: number }[];
  const head = rows[0]?.axisValueLabel ?? '';
  return [head, ...rows.map((r) => `${r.marker ?? ''}${r.seriesName ?? ''}：${formatMoney(Math.round((r.value ?? 0) * 100))}`)].join('<br/>');
}

/** 2018 (the plan's first year) to this year, newest first. */
export function yearChoices(): number[] {
  const out: number[] = [];
  for (let y = currentYearInChina(); y >= 2018; y--) out.push(y);
  return out;
}

/** Basis points → percent number for a chart axis: 7512 → 75.12. */
export function chartPercent(bp: number | null): number | null {
  return bp === null ? null : bp / 100;
}

/**
 * A dashboard's answer, read again whenever one of `sources` changes (the
 * year, the county): `data` is null and `failed` true when the read failed
 * (the HTTP client has shown the server's message).
 */
export function useDashboardRead<T>(read: () => Promise<T | null>, sources: WatchSource[]) {
  const data = shallowRef<T | null>(null);
  const failed = ref(false);
  const loading = ref(false);
  async function load(): Promise<void> {
    failed.value = false;
    loading.value = true;
    try {
      data.value = await read();
    } catch {
      failed.value = true;
      data.value = null;
    } finally {
      loading.value = false;
    }
  }
  watch(sources, load, { immediate: true });
  return { data, failed, loading, reload: load };
}
