// The audit log (hash-chained, SPEC §10): GET /audit.
import { http } from './http';
import type { Page, PageQuery, Role } from './types';

export interface AuditEntry {
  seq: number;
  at: string;
  actor_username: string | null;
  actor_role: Role | null;
  entity: string;
  entity_id: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string;
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
