// Redemption (兑现, SPEC §7) arithmetic in the browser, for previews only:
// the server computes the real figures. Integer fen and basis points, with
// BigInt where a product could pass 2^53. Import-free, so that the browser
// tests compute their expectations with the very same functions.
//   approved = claim − quality deduction − review adjustment, never below 0;
//   a percentage deduction is claim × bp / 10000 rounded half up to the fen;
//   the evaluation total is Σ weight × score in hundredths of a point.

export type DeductionKind = 'none' | 'amount' | 'bp';

/** The quality deduction in fen: an amount as given, or a share rounded half up; never above the claim. */
export function deductionFen(claimFen: number, kind: DeductionKind, amountFen: number, bp: number): number {
  if (claimFen <= 0) return 0;
  let fen = 0;
  if (kind === 'amount') fen = amountFen;
  else if (kind === 'bp') fen = Number((BigInt(claimFen) * BigInt(bp) + 5000n) / 10000n);
  return Math.max(0, Math.min(fen, claimFen));
}

export interface ApprovedCalc {
  approvedFen: number;
  /** claim − deduction − adjustment was below zero and 0 was taken. */
  clamped: boolean;
}

/** claim − deduction − adjustment, never below zero. */
export function approvedFen(claimFen: number, deductionFen: number, adjustmentFen: number): ApprovedCalc {
  const raw = claimFen - deductionFen - adjustmentFen;
  return raw < 0 ? { approvedFen: 0, clamped: true } : { approvedFen: raw, clamped: false };
}

export interface WeightedScore {
  weight: number;
  score: number | null | undefined;
}

/** Σ weight × score, in hundredths of a point (8765 = 87.65); null while a score is missing. */
export function weightedHundredths(criteria: readonly WeightedScore[]): number | null {
  let total = 0;
  for (const c of criteria) {
    if (c.score === null || c.score === undefined || !Number.isInteger(c.score)) return null;
    total += c.weight * c.score;
  }
  return total;
}

/** Hundredths of a point as "87.65". */
export function formatScore(hundredths: number | null | undefined): string {
  if (hundredths === null || hundredths === undefined || !Number.isInteger(hundredths)) return '—';
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** "2026H1" → { year: 2026, half: 1 }; null for anything else. */
export function parsePeriod(text: string): { year: number; half: 1 | 2 } | null {
  const m = /^(\d{4})H([12])$/.exec(text);
  return m ? { year: Number(m[1]), half: m[2] === '1' ? 1 : 2 } : null;
}

/** First and last day (YYYY-MM-DD) of a period such as "2026H1". */
export function periodDays(text: string): { first: string; last: string } | null {
  const p = parsePeriod(text);
  if (!p) return null;
  return p.half === 1 ? { first: `${p.year}-01-01`, last: `${p.year}-06-30` } : { first: `${p.year}-07-01`, last: `${p.year}-12-31` };
}

/** The period containing a date (YYYY-MM-DD): "2026-08-03" → "2026H2". */
export function periodOf(date: string): string {
  return `${date.slice(0, 4)}H${Number(date.slice(5, 7)) <= 6 ? 1 : 2}`;
}

/** The `n` periods up to and including the one containing `date`, newest first. */
export function recentPeriods(date: string, n: number): string[] {
  const out: string[] = [];
  let year = Number(date.slice(0, 4));
  let half = Number(date.slice(5, 7)) <= 6 ? 1 : 2;
  for (let i = 0; i < n; i++) {
    out.push(`${year}H${half}`);
    if (half === 2) half = 1;
    else {
      half = 2;
      year -= 1;
    }
  }
  return out;
}

/** The day after a date (YYYY-MM-DD), on the civil calendar. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
