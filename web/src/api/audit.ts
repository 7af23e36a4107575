// The audit log (hash-chained, SPEC §10): GET /audit, POST /audit/verify.
import { http } from './http';
import type { Page, PageQuery } from './types';

export interface AuditEntry {
  seq: number;
  at: string;
  actor_username: string | null;
  /** A role code, or another actor kind the server records (e.g. "operator" for the command line). */
  actor_role: string | null;
  entity: string;
  /** Chinese name of the entity type (from the server, for exports and fallbacks). */
  entity_name: string | null;
  entity_id: string;
  /** The record's business code: contract number, voucher code, USCC, username, batch id… */
  entity_code: string | null;
  /** The record's name: company, person, product, county… */
  entity_label: string | null;
  action: string;
  /** Chinese name of the action. */
  action_name: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Null for changes made outside a web request (command line). */
  request_id: string | null;
  client_addr: string;
  hash: string;
}

export interface AuditQuery extends PageQuery {
  /** A record's business code or id, exactly. */
  q?: string;
  entity?: string;
  actor?: string;
  /** First day, YYYY-MM-DD. */
  from?: string;
  /** Last day, YYYY-MM-DD. */
  to?: string;
}

export function listAudit(query: AuditQuery): Promise<Page<AuditEntry>> {
  return http.get('/audit', { ...query });
}

/** The answer of POST /audit/verify: the same check as `yunquan audit verify`. */
export interface AuditVerification {
  ok: boolean;
  checked: number;
  head_seq: number;
  head_hash: string | null;
  /** First entry that does not match (null when the chain is intact). */
  bad_seq: number | null;
  /** Why, in Chinese (null when intact). */
  reason: string | null;
}

export function verifyAudit(): Promise<AuditVerification> {
  return http.post('/audit/verify', {}, { silent: true });
}

/** The types of record the log names, in the order the filter lists them. */
export const AUDIT_ENTITIES = [
  'contract', 'voucher', 'enterprise', 'provider', 'catalog_item', 'redemption', 'notice',
  'objection', 'payout', 'clawback', 'budget', 'waitlist', 'program', 'negative_list', 'user',
  'session', 'login', 'county', 'county_target', 'county_score', 'award_allocation',
  'award_recipient', 'enterprise_import',
] as const;
