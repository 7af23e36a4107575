// Shared pieces of the dashboard charts: money on a chart is yuan as an
// exact decimal made from the fen text (12345 fen → 123.45, no float
// arithmetic on fen), and labelled with formatMoney; years to choose from.
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
