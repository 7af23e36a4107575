// County budgets (SPEC §6): per county and year, funded by source, with what
// is reserved by vouchers, posted by redemptions, paid and still available.
import { http, type RequestOptions } from './http';
import type { Page } from './types';

type Silent = Pick<RequestOptions, 'silent'>;

/** Where money comes from: the county's own budget, city awards, provincial awards. */
export const FUND_SOURCES = ['county', 'city_award', 'province_award'] as const;
export type FundSource = (typeof FUND_SOURCES)[number];

export interface CountyBudget {
  county_code: string;
  county_name: string;
  target_2018: number;
  funded_fen: number;
  funded_by_source: Record<FundSource, number>;
  reserved_fen: number;
  posted_fen: number;
  /** Net of clawbacks; recovered_fen is what they returned to the pool. */
  paid_fen: number;
  recovered_fen: number;
  available_fen: number;
  waitlist_count: number;
  waitlist_fen: number;
  vouchers: number;
}

export interface BudgetOverview extends Page<CountyBudget> {
  year: number;
}

export interface Funding {
  amount_fen: number;
  source: FundSource;
  /** 拨款文号或凭证号: the same reference and amount again books nothing twice. */
  reference: string;
}

export function getBudgets(year: number): Promise<BudgetOverview> {
  return http.get('/budgets', { year });
}

/** Fund a county pool; answers the county's budget after funding (which may have served its waitlist). */
export function fundBudget(county: string, year: number, funding: Funding, opts?: Silent): Promise<CountyBudget> {
  return http.post(`/budgets/${encodeURIComponent(county)}/${year}/fund`, funding, opts);
}

/** One funding of a pool (拨入记录), as GET /budgets/fundings answers it. */
export interface FundingRecord {
  county_code: string;
  county_name: string;
  year: number;
  source: FundSource;
  source_name: string;
  amount_fen: number;
  reference: string;
  /** ISO 8601 (China time). */
  created_at: string;
  /** Display name of who recorded it; null when no audit row names it. */
  recorded_by: string | null;
  recorded_by_role: string | null;
}

/** The year's fundings: county roles get their own county; the city every county, or `county`. */
export function listFundings(year: number, county?: string, opts?: Silent): Promise<Page<FundingRecord> & { year: number }> {
  return http.get('/budgets/fundings', { year, county }, opts);
}
