// The audit log (hash-chained, SPEC §10): GET /audit.
import { http } from './http';
import type { Page, PageQuery } from './types';

export interface AuditEntry {
  seq: number;
  at: string;
  actor_username: string | null;
  /** A role code, or another actor kind the server records (e.g. "operator" for the command line). */
  actor_role: string | null;
  entity: string;
  entity_id: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Null for changes made outside a web request (command line). */
  request_id: string | null;
  client_addr: string;
  hash: string;
}

export interface AuditQuery extends PageQuery {
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
