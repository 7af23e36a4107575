// Vouchers (云服务券, SPEC §5): lists, one voucher with its calculation
// trace, its QR code, the public verification by code, and the waitlist.
import { API_BASE, http, type RequestOptions } from './http';
import type { Page, PageQuery } from './types';

type Silent = Pick<RequestOptions, 'silent'>;

export const VOUCHER_STATUSES = ['issued', 'partially_redeemed', 'redeemed', 'terminated', 'expired'] as const;

/** How the amount was computed, kept with the voucher (SPEC §2). */
export interface VoucherTrace {
  base_fen: number;
  issue_date: string;
  issue_year?: number;
  ratio_bp: number;
  ratio_source: string;
  program_id?: string;
  program_version: number;
  /** The cap that applied (with the certificate bonus when certified). */
  cap_fen: number;
  /** The program's cap without bonus. */
  base_cap_fen: number;
  cert_bonus_bp: number;
  certified: boolean;
  /** The certificate when certified, else why not (text). */
  certificate: { no: string; valid_from: string; valid_until: string } | string | null;
  /** ⌊base × ratio / 10000⌋. */
  subsidy_fen: number;
  capped: boolean;
  amount_fen: number;
  partial_last?: boolean;
  served_from_waitlist?: boolean;
  waitlist_position?: number;
}

export interface VoucherRow {
  id: string;
  code: string;
  program_id: string;
  program_name: string;
  contract_id: string;
  enterprise_id: string;
  enterprise_name: string;
  provider_id: string;
  provider_name: string;
  county_code: string;
  county_name: string;
  issue_year: number;
  issued_at: string;
  amount_fen: number;
  redeemed_fen: number;
  /** Paid, then recovered (追回): back in the county pool, not claimable again. */
  clawed_back_fen: number;
  remaining_fen: number;
  status: string;
  status_name: string;
  service_end: string;
  closed_at: string | null;
  close_reason: string | null;
}

export interface Voucher extends VoucherRow {
  trace: VoucherTrace | null;
}

/** What anyone sees of a voucher by its code: the holder's name is masked. */
export interface PublicVoucher {
  genuine: boolean;
  code: string;
  amount_fen: number;
  redeemed_fen: number;
  remaining_fen: number;
  status: string;
  status_name: string;
  issue_year: number;
  issued_at: string;
  holder: string;
  program_name: string;
  county_name: string;
  provider_name?: string;
}

export interface VoucherQuery extends PageQuery {
  status?: string;
  county?: string;
  /** 券号, enterprise name or USCC (a part is enough). */
  q?: string;
  /** Issue date range, YYYY-MM-DD, both ends included. */
  from?: string;
  to?: string;
}

/** One application waiting for money (先到先补), with its place in the county's queue. */
export interface WaitlistEntry {
  id: string;
  contract_id: string;
  program_id: string;
  enterprise_id: string;
  enterprise_name: string;
  county_code: string;
  year: number;
  amount_fen: number;
  confirmed_at: string;
  position: number;
  place: number;
  status: string;
  status_name: string;
}

export interface WaitlistQuery extends PageQuery {
  county?: string;
  year?: number;
  /** Enterprise name or USCC, or contract number. */
  q?: string;
  /** waiting (the default), served, cancelled, lapsed. */
  status?: string;
}

const id = (value: string) => encodeURIComponent(value);

export function listVouchers(query: VoucherQuery): Promise<Page<VoucherRow>> {
  return http.get('/vouchers', { ...query });
}

export function getVoucher(voucherId: string, opts?: Silent): Promise<Voucher> {
  return http.get(`/vouchers/${id(voucherId)}`, undefined, opts);
}

/** The voucher's QR code (SVG, needs the session): it encodes <public url>/verify/<code>?t=<token>. */
export function voucherQrUrl(voucherId: string): string {
  return `${API_BASE}/vouchers/${id(voucherId)}/qr.svg`;
}

/** Verify a code without signing in; 404 (ApiError) when there is no such
 * voucher, 429 when this address typed too many codes (the QR link's
 * `token` is never limited). */
export function verifyVoucher(code: string, opts?: Silent, token?: string): Promise<PublicVoucher> {
  return http.get(`/public/vouchers/${id(code)}`, token ? { token } : undefined, opts);
}

export function listWaitlist(query: WaitlistQuery): Promise<Page<WaitlistEntry>> {
  return http.get('/waitlist', { ...query });
}
