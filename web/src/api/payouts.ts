// Disbursement (集中兑付, SPEC §7 step 4) and clawbacks (追回): county_finance
// gathers applications whose notice closed into a batch, exports the bank
// file, and records the payment (the ledger posts and pays each approved
// amount); money paid in error is clawed back to the pool.
import { API_BASE, download, http, type RequestOptions } from './http';
import type { Page, PageQuery } from './types';

type Opts = Pick<RequestOptions, 'silent' | 'idempotencyKey'>;
type Silent = Pick<RequestOptions, 'silent'>;

export const PAYOUT_STATUSES = ['draft', 'paid'] as const;

/** One payee line: a voucher of an application in the batch, with its approved amount. */
export interface PayoutItem {
  redemption_id: string;
  period?: string;
  provider_name: string;
  bank_name: string;
  bank_account: string;
  voucher_id?: string;
  voucher_code: string;
  enterprise_name?: string;
  amount_fen: number;
  paid_fen?: number;
  clawed_back_fen?: number;
}

export interface PayoutRow {
  id: string;
  /** The batch number people quote: ZF-<county>-<yyyymm>-<seq>. */
  batch_no?: string;
  county_code: string;
  county_name?: string;
  status: string;
  status_name?: string;
  total_fen: number;
  /** List rows: how many applications the batch pays. */
  redemptions?: number;
  paid_on?: string | null;
  reference?: string | null;
  created_by?: string;
  created_at?: string;
  paid_by?: string | null;
  paid_at?: string | null;
}

export interface Payout extends PayoutRow {
  items: PayoutItem[];
}

/** The batches of the user's scope, newest first: q over the bank
 * reference, status, county, from/to on the day the batch was made. */
export interface PayoutQuery extends PageQuery {
  q?: string;
  status?: string;
  county?: string;
  from?: string;
  to?: string;
}

export interface Clawback {
  id: string;
  redemption_id: string;
  voucher_id: string;
  voucher_code?: string;
  provider_name?: string;
  enterprise_name?: string;
  county_code: string;
  county_name?: string;
  amount_fen: number;
  reason: string;
  evidence: string;
  created_by?: string;
  created_at: string;
}

export interface ClawbackInput {
  redemption_id: string;
  voucher_id: string;
  amount_fen: number;
  reason: string;
  evidence: string;
}

/** The clawbacks of the user's scope, newest first: q over the voucher
 * code and the reason, county, from/to on the day it was recorded. */
export interface ClawbackQuery extends PageQuery {
  q?: string;
  county?: string;
  from?: string;
  to?: string;
}

const id = (value: string) => encodeURIComponent(value);

export function createPayout(countyCode: string, redemptionIds: string[], opts?: Opts): Promise<Payout> {
  return http.post('/payouts', { county_code: countyCode, redemption_ids: redemptionIds }, opts);
}

export function listPayouts(query: PayoutQuery): Promise<Page<PayoutRow>> {
  return http.get('/payouts', { ...query });
}

export function getPayout(payoutId: string, opts?: Silent): Promise<Payout> {
  return http.get(`/payouts/${id(payoutId)}`, undefined, opts);
}

/** The bank file (xlsx: 收款单位, 开户银行, 银行账号, 金额, 券号). */
export function payoutBankFileUrl(payoutId: string): string {
  return `${API_BASE}/payouts/${id(payoutId)}/bank.xlsx`;
}

/** Download the bank file through the client, so that a refusal is shown as a message. */
export function downloadPayoutBankFile(payoutId: string, filename: string): Promise<void> {
  return download(`/payouts/${id(payoutId)}/bank.xlsx`, {}, filename);
}

/** Record the payment: the ledger posts and pays every item; applications → paid. */
export function markPayoutPaid(payoutId: string, paidOn: string, reference: string, opts?: Opts): Promise<Payout> {
  return http.post(`/payouts/${id(payoutId)}/paid`, { paid_on: paidOn, reference }, opts);
}

export function createClawback(input: ClawbackInput, opts?: Opts): Promise<Clawback> {
  return http.post('/clawbacks', input, opts);
}

export function listClawbacks(query: ClawbackQuery): Promise<Page<Clawback>> {
  return http.get('/clawbacks', { ...query });
}
