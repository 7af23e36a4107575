// Contracts (SPEC §5): drafting by one side, confirmation by the other (which
// issues the voucher, queues it on the waitlist, or says why not), cancel,
// terminate, and attachments stored by SHA-256. Money is integer fen.
import { API_BASE, http, upload, type RequestOptions } from './http';
import type { Page, PageQuery } from './types';

type Silent = Pick<RequestOptions, 'silent'>;

/** Contract states. */
export const CONTRACT_STATUSES = ['draft', 'confirmed', 'cancelled', 'terminated'] as const;

/** One line as drafted: a published catalog item, or free text (not subsidised). */
export type ContractLineInput =
  | { catalog_item_id: string; quantity: number; unit_price_fen: number }
  | { description: string; unit: string; quantity: number; unit_price_fen: number };

export interface ContractDraft {
  /** When the provider drafts. */
  enterprise_id?: string;
  /** When the enterprise drafts. */
  provider_id?: string;
  program_id?: string;
  contract_no: string;
  signed_on: string;
  service_start: string;
  service_end: string;
  lines: ContractLineInput[];
}

/** A stored line: catalog lines name the exact version they were signed on. */
export interface ContractLine {
  line_no: number;
  catalog_item_id: string | null;
  catalog_version: number | null;
  description: string;
  unit: string;
  quantity: number;
  unit_price_fen: number;
  amount_fen: number;
}

export interface ContractAttachment {
  sha256: string;
  filename: string;
  content_type: string;
  size: number;
  uploaded_by: string;
  /** In an upload's answer: the same file was attached before (under `filename`). */
  already_attached?: boolean;
}

/** A row of GET /contracts. */
export interface ContractRow {
  id: string;
  contract_no: string;
  program_id: string;
  enterprise_id: string;
  enterprise_name: string;
  provider_id: string;
  provider_name: string;
  county_code: string;
  signed_on: string;
  service_start: string;
  service_end: string;
  total_fen: number;
  base_fen: number;
  status: string;
  status_name: string;
  drafted_by_role: 'enterprise' | 'provider';
  confirmed_at: string | null;
  created_at: string;
}

/** The voucher of a confirmed contract, in short. */
export interface ContractVoucher {
  id: string;
  code: string;
  amount_fen: number;
  status: string;
}

/** The contract's place on the county's waitlist (position is the global queue number). */
export interface ContractWaitlist {
  id: string;
  amount_fen: number;
  position: number;
  status: string;
  /** Sent by some answers only: how many applications wait before it. */
  ahead?: number;
}

export interface Contract extends ContractRow {
  county_name: string;
  drafted_by: string;
  confirmed_by: string | null;
  closed_at: string | null;
  closed_by: string | null;
  close_reason: string | null;
  updated_at: string;
  lines: ContractLine[];
  attachments: ContractAttachment[];
  voucher: ContractVoucher | null;
  waitlist: ContractWaitlist | null;
  /** Risk signals (SPEC §8), only in officials' view; they never act by themselves. */
  warnings?: { code: string; message: string }[];
}

/**
 * What confirming did (自动生成): exactly one of voucher (201), waitlist
 * with `ahead` (202), or voucher_refusal (200) is set.
 */
export interface ConfirmResult {
  contract: Contract;
  voucher: (ContractVoucher & { trace?: Record<string, unknown> }) | null;
  waitlist: (ContractWaitlist & { ahead: number; county_code: string; year: number }) | null;
  voucher_refusal: { code: string; message: string } | null;
}

export interface ContractQuery extends PageQuery {
  status?: string;
  /** Contract number, enterprise name or USCC, provider name (a part is enough). */
  q?: string;
  county?: string;
  /** Signing date range, YYYY-MM-DD, both ends included. */
  from?: string;
  to?: string;
}

const id = (value: string) => encodeURIComponent(value);

export function listContracts(query: ContractQuery): Promise<Page<ContractRow>> {
  return http.get('/contracts', { ...query });
}

export function getContract(contractId: string, opts?: Silent): Promise<Contract> {
  return http.get(`/contracts/${id(contractId)}`, undefined, opts);
}

export function createContract(draft: ContractDraft, opts?: Silent): Promise<Contract> {
  return http.post('/contracts', draft, opts);
}

export function confirmContract(contractId: string): Promise<ConfirmResult> {
  return http.post(`/contracts/${id(contractId)}/confirm`);
}

export function cancelContract(contractId: string): Promise<Contract> {
  return http.post(`/contracts/${id(contractId)}/cancel`);
}

export function terminateContract(contractId: string, reason: string): Promise<Contract> {
  return http.post(`/contracts/${id(contractId)}/terminate`, { reason });
}

export function uploadAttachment(contractId: string, file: File, opts?: Silent): Promise<ContractAttachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  return upload(`/contracts/${id(contractId)}/attachments`, form, opts);
}

/** Where the browser downloads an attachment (the session cookie goes along). */
export function attachmentUrl(contractId: string, sha256: string): string {
  return `${API_BASE}/contracts/${id(contractId)}/attachments/${id(sha256)}`;
}
