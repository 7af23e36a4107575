// 信用负面清单 (SPEC §8): the public list, and city_it's list with evidence
// and lifted entries.
import { http, type RequestOptions } from './http';
import type { Page, PageQuery } from './types';

export interface PublicNegativeEntry {
  id: string;
  uscc: string;
  name: string | null;
  reason: string;
  added_at: string;
}

export interface NegativeEntry extends PublicNegativeEntry {
  evidence: string;
  added_by: string;
  /** The official's name (null when the account is gone or was the command line). */
  added_by_name: string | null;
  lifted_at: string | null;
  lifted_by: string | null;
  lifted_by_name: string | null;
  lift_reason: string | null;
}

export interface NewNegativeEntry {
  uscc: string;
  reason: string;
  evidence: string;
}

export function publicNegativeList(query: PageQuery): Promise<Page<PublicNegativeEntry>> {
  return http.get('/public/negative-list', { ...query });
}

/** Officials' filters: q (name or USCC), status (active / lifted), from/to (day listed). */
export interface NegativeQuery extends PageQuery {
  q?: string;
  status?: string;
  from?: string;
  to?: string;
}

export function listNegativeEntries(query: NegativeQuery): Promise<Page<NegativeEntry>> {
  return http.get('/negative-list', { ...query });
}

export function addNegativeEntry(entry: NewNegativeEntry, opts?: Pick<RequestOptions, 'silent'>): Promise<NegativeEntry> {
  return http.post('/negative-list', entry, opts);
}

export function liftNegativeEntry(entryId: string, reason: string): Promise<NegativeEntry> {
  return http.post(`/negative-list/${encodeURIComponent(entryId)}/lift`, { reason });
}
