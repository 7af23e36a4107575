// Targets per county and year, the completion report, assessment scores
// and the city awards (考核与奖补, SPEC §9; docs/reports.md).
import { http } from './http';
import type { Page } from './types';

export interface CountyTarget {
  county_code: string;
  county_name: string;
  target: number | null;
  enterprise_count: number | null;
  version: number | null;
  reason: string | null;
  set_by: string | null;
  set_at: string | null;
}

export interface CompletionRow {
  county_code: string;
  county_name: string;
  target: number | null;
  enterprise_count: number | null;
  new_on_cloud: number;
  on_cloud_total: number;
  /** 完成率 in basis points (7500 = 75.00%); null without a target. */
  completion_bp: number | null;
  share_bp: number | null;
  vouchers: number;
  voucher_amount_fen: number;
  reserved_fen: number;
  paid_h1_fen: number;
  paid_h2_fen: number;
  paid_fen: number;
  waitlist_count: number;
}

export interface CompletionReport extends Page<CompletionRow> {
  year: number;
  totals: Omit<CompletionRow, 'county_code' | 'county_name'> & { plan_2020: number };
}

export interface CountyScore {
  county_code: string;
  county_name: string;
  score_hundredths: number | null;
  note: string | null;
  set_by: string | null;
  set_at: string | null;
}

export const MEASURES = ['completion', 'penetration', 'disbursed', 'performance'] as const;
export type Measure = (typeof MEASURES)[number];
export type Weights = Record<Measure, number>;

export interface AllocationRow {
  county_code: string;
  county_name: string;
  measures: {
    new_on_cloud: number;
    target: number | null;
    completion_bp: number | null;
    share_bp: number | null;
    paid_fen: number;
    score_hundredths: number | null;
  };
  normalised: Weights;
  score: number;
  share_fen: number;
}

export interface Allocation {
  id: string;
  year: number;
  pool_fen: number;
  w_completion: number;
  w_penetration: number;
  w_disbursed: number;
  w_performance: number;
  reference: string;
  status: 'draft' | 'posted';
  created_by: string;
  posted_by: string | null;
  posted_at: string | null;
}

export interface AllocationPreview extends Allocation {
  items: AllocationRow[];
  allocatable: boolean;
  note?: string;
  already_posted?: boolean;
}

export const RECIPIENT_KINDS = ['benchmark_enterprise', 'experience_centre'] as const;

export interface Recipient {
  id: string;
  kind: (typeof RECIPIENT_KINDS)[number];
  year: number;
  county_code: string;
  county_name: string;
  name: string;
  uscc: string | null;
  reason: string;
  amount_fen: number;
  status: 'recorded' | 'paid';
  recorded_by: string;
  paid_by: string | null;
  payment_reference: string | null;
  already_paid?: boolean;
}

export function getTargets(year: number): Promise<Page<CountyTarget> & { year: number }> {
  return http.get('/targets', { year });
}

export function putTargets(
  year: number,
  reason: string,
  items: { county_code: string; target: number; enterprise_count: number | null }[],
): Promise<Page<CountyTarget>> {
  return http.put(`/targets/${year}`, { reason, items });
}

export function getCompletion(year: number): Promise<CompletionReport> {
  return http.get('/reports/completion', { year });
}

export function getAssessment(year: number): Promise<Page<CountyScore>> {
  return http.get('/assessment', { year });
}

export function putAssessment(
  year: number,
  items: { county_code: string; score_hundredths: number; note?: string }[],
): Promise<Page<CountyScore>> {
  return http.put(`/assessment/${year}`, { items });
}

export function listAllocations(year: number): Promise<Page<Allocation>> {
  return http.get('/awards/allocations', { year });
}

export function createAllocation(body: { year: number; pool_fen: number; weights: Weights; reference: string }): Promise<AllocationPreview> {
  return http.post('/awards/allocations', body);
}

export function getAllocation(id: string): Promise<AllocationPreview> {
  return http.get(`/awards/allocations/${encodeURIComponent(id)}`);
}

export function postAllocation(id: string): Promise<AllocationPreview> {
  return http.post(`/awards/allocations/${encodeURIComponent(id)}/post`);
}

export function listRecipients(year: number): Promise<Page<Recipient>> {
  return http.get('/awards/recipients', { year });
}

export function createRecipient(body: {
  kind: string;
  year: number;
  county_code: string;
  name: string;
  uscc?: string;
  amount_fen: number;
  reason: string;
}): Promise<Recipient> {
  return http.post('/awards/recipients', body);
}

export function payRecipient(id: string, reference: string): Promise<Recipient> {
  return http.post(`/awards/recipients/${encodeURIComponent(id)}/pay`, { reference });
}

/** Basis points as a percentage with two decimals; '—' for none. */
export function percent(bp: number | null | undefined): string {
  return bp === null || bp === undefined ? '—' : `${(bp / 100).toFixed(2)}%`;
}
