// Dashboards (SPEC §12, docs/reports.md): one read per role. Every figure is
// the report endpoints' figure (completion report, budgets, redemptions and
// payouts); money is integer fen.
import type { CompletionReport, CompletionRow } from './awards';
import { http } from './http';

/** One month of a year ("YYYY-MM"), in the reader's scope. */
export interface DashboardMonth {
  month: string;
  /** Contracts for catalog services confirmed in the month, still in force. */
  contracts: number;
  /** Enterprises that came on the cloud in the month (not on the provider's board). */
  new_on_cloud?: number;
  vouchers: number;
  voucher_amount_fen: number;
  claims: number;
  claim_fen: number;
  /** Paid less clawed back, by the payment date of its batch. */
  paid_fen: number;
}

/** One half-year redemption period ("2019H1"). */
export interface DashboardPeriod {
  period: string;
  /** Vouchers issued from the year's pool in the half-year. */
  issued_fen: number;
  claimed_fen: number;
  approved_fen: number;
  paid_fen: number;
}

export interface BudgetUse {
  funded_fen: number;
  reserved_fen: number;
  posted_fen: number;
  available_fen: number;
}

/** A county's row of the completion report with its budget use. */
export interface DashboardCounty extends CompletionRow {
  budget: BudgetUse;
}

export interface RankRow {
  rank: number;
  county_code: string;
  county_name: string;
  target: number | null;
  new_on_cloud: number;
  completion_bp: number | null;
}

export interface CityDashboard {
  year: number;
  counties: DashboardCounty[];
  ranking: RankRow[];
  periods: DashboardPeriod[];
  months: DashboardMonth[];
  /** The completion report's totals. */
  totals: CompletionReport['totals'];
}

export interface CountyDashboard {
  year: number;
  county_code: string;
  county_name: string;
  county: DashboardCounty;
  periods: DashboardPeriod[];
  months: DashboardMonth[];
}

export interface ProviderDashboard {
  year: number;
  periods: DashboardPeriod[];
  months: DashboardMonth[];
  totals: Record<string, number>;
}

export interface EnterpriseVoucherUse {
  id: string;
  code: string;
  county_name: string;
  issue_year: number;
  amount_fen: number;
  claimed_fen: number;
  paid_fen: number;
  remaining_fen: number;
  status: string;
  service_end: string;
}

export interface EnterpriseDashboard {
  vouchers: EnterpriseVoucherUse[];
  totals: { vouchers: number; amount_fen: number; claimed_fen: number; paid_fen: number; remaining_fen: number };
}

export function getCityDashboard(year: number): Promise<CityDashboard> {
  return http.get('/reports/dashboard/city', { year });
}

export function getCountyDashboard(year: number, countyCode?: string): Promise<CountyDashboard> {
  return http.get('/reports/dashboard/county', { year, county_code: countyCode });
}

export function getProviderDashboard(year: number): Promise<ProviderDashboard> {
  return http.get('/reports/dashboard/provider', { year });
}

export function getEnterpriseDashboard(): Promise<EnterpriseDashboard> {
  return http.get('/reports/dashboard/enterprise');
}
