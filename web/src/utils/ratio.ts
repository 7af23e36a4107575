// Ratios in the UI. The API speaks integer basis points (1% = 100 bp);
// people read and type percent. Conversion works on the digits, like money.ts.

/** Percent text → basis points: "30" → 3000, "12.5" → 1250; null when not a number with ≤ 2 decimals. */
export function percentToBp(text: string): number | null {
  const m = /^(\d{1,6})(?:\.(\d{0,2}))?$/.exec(text.trim().replace(/%$/, '').trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Basis points → percent text without the sign: 3000 → "30", 1250 → "12.5". */
export function bpToPercentText(bp: number): string {
  const sign = bp < 0 ? '-' : '';
  const abs = Math.abs(bp);
  const whole = Math.floor(abs / 100);
  const frac = String(abs % 100).padStart(2, '0').replace(/0+$/, '');
  return sign + (frac ? `${whole}.${frac}` : String(whole));
}

/** Basis points → "30%". */
export function formatBp(bp: number | null | undefined): string {
  return bp === null || bp === undefined ? '—' : `${bpToPercentText(bp)}%`;
}
