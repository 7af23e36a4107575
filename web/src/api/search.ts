// The header's global search (issue 11): 券号, contract number, USCC or a
// part of a company's name, within the caller's scope.
import { http } from './http';

export type SearchKind = 'voucher' | 'contract' | 'enterprise' | 'provider';

export interface SearchItem {
  id: string;
  /** The code a person knows: 券号, 合同编号 or 统一社会信用代码. */
  code: string;
  /** The company's name. */
  title: string;
  status: string;
  provider_name?: string;
  county_name?: string;
}

export interface SearchGroup {
  kind: SearchKind;
  label: string;
  items: SearchItem[];
  more: boolean;
}

export function searchRecords(q: string): Promise<{ q: string; groups: SearchGroup[] }> {
  return http.get('/search', { q }, { silent: true });
}
