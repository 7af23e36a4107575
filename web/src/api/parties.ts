// Enterprises and providers (SPEC §3): profiles, submit, review.
import { API_BASE, download, http, upload, type RequestOptions } from './http';
import type { Page, PageQuery } from './types';

type Silent = Pick<RequestOptions, 'silent'>;

/** A reviewer warning (risk signal, SPEC §8): shown, never acting by itself. */
export interface PartyWarning {
  code: string;
  message: string;
  other_id?: string;
}

/** Fields both kinds of registration share. */
interface PartyBase {
  id: string;
  uscc: string;
  name: string;
  status: string;
  status_name: string;
  submitted_at: string | null;
  updated_at: string;
}

export interface Certificate {
  no: string;
  issuer: string;
  valid_from: string;
  valid_until: string;
}

export interface EnterpriseRow extends PartyBase {
  county_code: string;
  county_name: string;
  industry: string | null;
  key_industry_tags: string[];
  priority_flags: string[];
}

export interface Enterprise extends EnterpriseRow {
  phone: string | null;
  email: string | null;
  address: string | null;
  legal_rep: string | null;
  employees: number | null;
  independent_legal_person: boolean | null;
  certificate: Certificate | null;
  reject_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  created_at: string;
  /** Sent to reviewers only. */
  warnings?: PartyWarning[];
  /** The business licence, to the party itself and its reviewers, once uploaded. */
  licence?: Licence;
}

/** A business licence (营业执照) uploaded with a registration (no content). */
export interface Licence {
  filename: string;
  content_type: string;
  size: number;
  uploaded_by: string;
  uploaded_at: string;
}

export interface EnterpriseEdit {
  uscc?: string;
  name?: string;
  legal_rep?: string;
  address?: string;
  county_code?: string;
  phone?: string;
  email?: string;
  independent_legal_person?: boolean;
  industry?: string;
  key_industry_tags?: string[];
  priority_flags?: string[];
  employees?: number;
  certificate?: Certificate | null;
}

export interface EnterpriseQuery extends PageQuery {
  status?: string;
  industry?: string;
  tag?: string;
  flag?: string;
  warnings?: boolean;
  q?: string;
  county?: string;
  /** Registration date range, YYYY-MM-DD, both ends included. */
  from?: string;
  to?: string;
}

export interface ProviderRow extends PartyBase {
  kind: string | null;
}

export interface Provider extends ProviderRow {
  phone: string | null;
  email: string | null;
  address: string | null;
  qualifications: string | null;
  contact_name: string | null;
  bank_name: string | null;
  bank_account: string | null;
  reject_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  created_at: string;
  warnings?: PartyWarning[];
  licence?: Licence;
}

export interface ProviderEdit {
  uscc?: string;
  name?: string;
  kind?: string;
  qualifications?: string;
  contact_name?: string;
  phone?: string;
  email?: string;
  address?: string;
  bank_name?: string;
  bank_account?: string;
}

export interface ProviderQuery extends PageQuery {
  status?: string;
  kind?: string;
  q?: string;
  /** Registration date range, YYYY-MM-DD, both ends included. */
  from?: string;
  to?: string;
}

/** Answer of a batch approval: what went through and what did not, with why. */
export interface BatchApproveResult {
  approved: string[];
  failed: { id: string; code: string; message: string }[];
}

const id = (value: string) => encodeURIComponent(value);

// --- enterprises --------------------------------------------------------

export function listEnterprises(query: EnterpriseQuery): Promise<Page<EnterpriseRow>> {
  return http.get('/enterprises', { ...query, warnings: query.warnings ? true : undefined });
}

export function myEnterprise(): Promise<Enterprise> {
  return http.get('/enterprises/mine');
}

/** An approved enterprise as a provider sees it when drafting a contract for it. */
export interface EnterpriseRef {
  id: string;
  uscc: string;
  name: string;
  county_code: string;
  county_name: string;
}

/** Providers: find an approved enterprise by its USCC (404 when there is none). */
export function lookupEnterprise(uscc: string, opts?: Silent): Promise<EnterpriseRef> {
  return http.get('/enterprises/lookup', { uscc }, opts);
}

export function getEnterprise(enterpriseId: string): Promise<Enterprise> {
  return http.get(`/enterprises/${id(enterpriseId)}`);
}

export function updateEnterprise(enterpriseId: string, edit: EnterpriseEdit, opts?: Silent): Promise<Enterprise> {
  return http.patch(`/enterprises/${id(enterpriseId)}`, edit, opts);
}

export function submitEnterprise(enterpriseId: string, opts?: Silent): Promise<Enterprise> {
  return http.post(`/enterprises/${id(enterpriseId)}/submit`, {}, opts);
}

export function approveEnterprise(enterpriseId: string): Promise<Enterprise> {
  return http.post(`/enterprises/${id(enterpriseId)}/approve`);
}

export function rejectEnterprise(enterpriseId: string, reason: string): Promise<Enterprise> {
  return http.post(`/enterprises/${id(enterpriseId)}/reject`, { reason });
}

export function batchApproveEnterprises(ids: string[]): Promise<BatchApproveResult> {
  return http.post('/enterprises/batch-approve', { ids });
}

// --- providers ----------------------------------------------------------

export function listProviders(query: ProviderQuery): Promise<Page<ProviderRow>> {
  return http.get('/providers', { ...query });
}

export function myProvider(): Promise<Provider> {
  return http.get('/providers/mine');
}

export function getProvider(providerId: string): Promise<Provider> {
  return http.get(`/providers/${id(providerId)}`);
}

export function updateProvider(providerId: string, edit: ProviderEdit, opts?: Silent): Promise<Provider> {
  return http.patch(`/providers/${id(providerId)}`, edit, opts);
}

export function submitProvider(providerId: string, opts?: Silent): Promise<Provider> {
  return http.post(`/providers/${id(providerId)}/submit`, {}, opts);
}

export function approveProvider(providerId: string): Promise<Provider> {
  return http.post(`/providers/${id(providerId)}/approve`);
}

export function rejectProvider(providerId: string, reason: string): Promise<Provider> {
  return http.post(`/providers/${id(providerId)}/reject`, { reason });
}

/** One problem of an import file: its line, the column (Chinese header, '' for the whole line). */
export interface ImportError {
  line: number;
  column: string;
  field: string;
  code: string;
  message: string;
}

/** The check (and, when committed, the result) of an enterprise import (issue 10). */
export interface ImportResult {
  county_code: string;
  county_name: string;
  encoding: string;
  rows: number;
  errors: ImportError[];
  committed: boolean;
}

/**
 * Check an enterprise CSV (UTF-8 or GBK) without writing (`dryRun`), or
 * import it: all rows or none (422 import_has_errors when any row fails).
 */
export function importEnterprises(file: File, dryRun: boolean, opts?: Silent): Promise<ImportResult> {
  const form = new FormData();
  form.append('file', file, file.name);
  return upload(`/enterprises/import${dryRun ? '?dry_run=1' : ''}`, form, opts);
}

/** Download the import template (UTF-8 CSV with the column headers). */
export function downloadImportTemplate(filename: string): Promise<void> {
  return download('/enterprises/import/template.csv', {}, filename);
}

/** Upload the business licence of the signed-in party (PDF/JPEG/PNG, ≤ 10 MB). */
export function uploadLicence(kind: 'enterprise' | 'provider', partyId: string, file: File, opts?: Silent): Promise<Licence> {
  const form = new FormData();
  form.append('file', file, file.name);
  return upload(`/${kind === 'enterprise' ? 'enterprises' : 'providers'}/${id(partyId)}/licence`, form, opts);
}

/** Where the browser opens a party's licence (the session cookie goes along). */
export function licenceUrl(kind: 'enterprise' | 'provider', partyId: string): string {
  return `${API_BASE}/${kind === 'enterprise' ? 'enterprises' : 'providers'}/${id(partyId)}/licence`;
}
