// Redemption applications (兑现申请, SPEC §7; docs/redemption-api.md): the
// filing periods, the vouchers a provider may claim, the application's
// draft → submit → evaluate → review life, evidence files, and the pending
// work counts of the home pages. Money is integer fen.
import { API_BASE, http, upload, type RequestOptions } from './http';
import type { Page, PageQuery } from './types';

type Opts = Pick<RequestOptions, 'silent' | 'idempotencyKey'>;
type Silent = Pick<RequestOptions, 'silent'>;

export const REDEMPTION_STATUSES = [
  'draft',
  'submitted',
  'evaluated',
  'returned',
  'approved',
  'rejected',
  'withdrawn',
  'in_notice',
  'noticed',
  'paid',
] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

/** A half-year and its filing window (the window opens the day after the period ends). */
export interface RedemptionPeriod {
  period: string;
  opens_on: string;
  closes_on: string;
  open: boolean;
}

/** A live voucher of the provider that it may claim against in a county and period. */
export interface ClaimableVoucher {
  voucher_id: string;
  code: string;
  enterprise_name: string;
  contract_no: string;
  amount_fen: number;
  redeemed_fen: number;
  /** Claims of applications still open (submitted and later, not yet paid). */
  open_claims_fen: number;
  /** amount − redeemed − open claims: the most a new claim may be. */
  claimable_fen: number;
  status: string;
  status_name: string;
  service_start: string;
  service_end: string;
}

/** One voucher of an application as the provider fills it in. */
export interface RedemptionItemInput {
  voucher_id: string;
  /** 服务内容: the service delivered in the period. */
  service_desc: string;
  /** 收费金额: the fee charged in the period. */
  fee_fen: number;
  /** 本次抵扣/申请兑现金额: the voucher deduction given, claimed back. */
  claim_fen: number;
  /** 发票号: as typed, several separated by commas. */
  invoice_nos: string;
}

export interface RedemptionDraft {
  county_code: string;
  period: string;
  items: RedemptionItemInput[];
}

export type DeductionKind = 'none' | 'amount' | 'bp';

/** How an item's approved amount was reached (SPEC §7), kept with the item. */
export interface RedemptionTrace {
  claim_fen: number;
  deduction_kind: DeductionKind;
  deduction_bp: number;
  deduction_fen: number;
  adjustment_fen: number;
  /** claim − deduction − adjustment was below zero: 0 was taken. */
  clamped: boolean;
  approved_fen: number;
  /** The rule as the server words it. */
  rule?: string;
}

export interface RedemptionItem {
  voucher_id: string;
  voucher_code: string;
  enterprise_name: string;
  service_desc: string;
  fee_fen: number;
  claim_fen: number;
  invoice_nos: string;
  deduction_kind: DeductionKind;
  deduction_bp: number;
  deduction_fen: number;
  quality_note: string | null;
  adjustment_fen: number;
  adjustment_reason: string | null;
  approved_fen: number;
  paid_fen: number;
  clawed_back_fen: number;
  voucher_amount_fen: number;
  voucher_redeemed_fen: number;
  trace: RedemptionTrace | null;
}

export interface CriterionScore {
  name: string;
  weight: number;
  score: number;
}

export interface RedemptionEvaluation {
  scores: CriterionScore[];
  score_hundredths: number;
  note: string | null;
  evaluated_by: string;
  evaluated_at: string;
}

export interface RedemptionReview {
  /** In the contract, but the server does not send it: see reviewDecision() in the detail view. */
  decision?: 'approve' | 'reject' | 'return';
  note: string | null;
  reviewed_by: string;
  reviewed_at: string;
}

export interface RedemptionAttachment {
  sha256: string;
  filename: string;
  content_type: string;
  size: number;
  uploaded_by?: string;
  uploaded_at?: string;
}

/** A risk signal for officials (SPEC §8), e.g. claim_above_usual: never acts by itself. */
export interface RedemptionWarning {
  code: string;
  message: string;
  evidence?: Record<string, unknown> | null;
}

export interface RedemptionRow {
  id: string;
  /** Not in the contract's list row; used when the server sends it. */
  program_id?: string;
  provider_id: string;
  provider_name: string;
  county_code: string;
  county_name: string;
  period: string;
  status: RedemptionStatus;
  status_name: string;
  claim_fen: number;
  approved_fen: number;
  items_count: number;
  score_hundredths: number | null;
  submitted_at: string | null;
  updated_at: string;
}

export interface Redemption extends RedemptionRow {
  items: RedemptionItem[];
  evaluation: RedemptionEvaluation | null;
  review: RedemptionReview | null;
  attachments: RedemptionAttachment[];
  /** The filing window of the application's period (shape as GET /redemptions/periods). */
  window: Partial<RedemptionPeriod> | null;
  /** Officials only. */
  warnings?: RedemptionWarning[];
}

export interface RedemptionQuery extends PageQuery {
  /** Provider name or USCC. */
  q?: string;
  status?: string;
  period?: string;
  county?: string;
  /** Submission days YYYY-MM-DD, China time. */
  from?: string;
  to?: string;
}

/** Optional texts are left out when blank: the server refuses "" (请填写…). */
export interface EvaluationInput {
  scores: { name: string; score: number }[];
  note?: string;
  items: {
    voucher_id: string;
    deduction: { kind: DeductionKind; amount_fen?: number; bp?: number };
    quality_note?: string;
  }[];
}

export interface ReviewInput {
  decision: 'approve' | 'reject' | 'return';
  /** Required to reject or return; optional (left out when blank) to approve. */
  reason?: string;
  items: { voucher_id: string; adjustment_fen: number; reason: string }[];
}

/**
 * GET /work/pending: what waits for the signed-in role. The server sends the
 * keys of the role only (absent keys are 0), e.g. county_it: to_review,
 * approved, in_notice.
 */
export interface PendingWork {
  to_evaluate?: number;
  to_review?: number;
  /** Approved applications not yet in a notice (待公示). */
  approved?: number;
  in_notice?: number;
  objections_open?: number;
  to_pay?: number;
  returned?: number;
  drafts?: number;
}

const id = (value: string) => encodeURIComponent(value);

export function listPeriods(opts?: Silent): Promise<{ items: RedemptionPeriod[] }> {
  return http.get('/redemptions/periods', undefined, opts);
}

export function listClaimable(countyCode: string, period: string, opts?: Silent): Promise<{ items: ClaimableVoucher[] }> {
  return http.get('/redemptions/claimable', { county_code: countyCode, period }, opts);
}

export function createRedemption(draft: RedemptionDraft, opts?: Opts): Promise<Redemption> {
  return http.post('/redemptions', draft, opts);
}

/** Replace the items of a draft or returned application. */
export function updateRedemption(redemptionId: string, items: RedemptionItemInput[], opts?: Opts): Promise<Redemption> {
  return http.patch(`/redemptions/${id(redemptionId)}`, { items }, opts);
}

export function submitRedemption(redemptionId: string, opts?: Opts): Promise<Redemption> {
  return http.post(`/redemptions/${id(redemptionId)}/submit`, {}, opts);
}

export function withdrawRedemption(redemptionId: string, opts?: Opts): Promise<Redemption> {
  return http.post(`/redemptions/${id(redemptionId)}/withdraw`, {}, opts);
}

export function uploadRedemptionFile(redemptionId: string, file: File, opts?: Opts): Promise<RedemptionAttachment> {
  const form = new FormData();
  form.append('file', file);
  return upload(`/redemptions/${id(redemptionId)}/attachments`, form, opts);
}

/** Where the browser downloads an evidence file (the session cookie goes along). */
export function redemptionFileUrl(redemptionId: string, sha256: string): string {
  return `${API_BASE}/redemptions/${id(redemptionId)}/attachments/${id(sha256)}`;
}

export function evaluateRedemption(redemptionId: string, input: EvaluationInput, opts?: Opts): Promise<Redemption> {
  return http.post(`/redemptions/${id(redemptionId)}/evaluate`, input, opts);
}

export function reviewRedemption(redemptionId: string, input: ReviewInput, opts?: Opts): Promise<Redemption> {
  return http.post(`/redemptions/${id(redemptionId)}/review`, input, opts);
}

export function listRedemptions(query: RedemptionQuery): Promise<Page<RedemptionRow>> {
  return http.get('/redemptions', { ...query });
}

export function getRedemption(redemptionId: string, opts?: Silent): Promise<Redemption> {
  return http.get(`/redemptions/${id(redemptionId)}`, undefined, opts);
}

export function pendingWork(opts?: Silent): Promise<PendingWork> {
  return http.get('/work/pending', undefined, opts);
}
