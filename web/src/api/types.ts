// Wire types shared by the API modules: what /api/v1 sends and receives.

/** Role codes, SPEC §1. */
export const ROLES = [
  'enterprise',
  'provider',
  'county_it',
  'county_finance',
  'evaluator',
  'city_it',
  'city_finance',
  'auditor',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

/** The enterprise or provider an enterprise/provider account belongs to (null for officials). */
export interface PartyRef {
  kind: 'enterprise' | 'provider';
  id: string;
  name: string;
  /** 统一社会信用代码 (null while a draft has none). */
  uscc: string | null;
  status: string;
  status_name: string;
}

export interface User {
  id: string;
  username: string;
  role: Role;
  display_name: string;
  county_code: string | null;
  county_name: string | null;
  locked: boolean;
  /** Sent by /auth/me; absent from some other answers. */
  party?: PartyRef | null;
}

/** A list answer: one page of items and the total across all pages. */
export interface Page<T> {
  items: T[];
  total: number;
}

/** Query of every list request: page starts at 1, page_size ≤ 200. */
export interface PageQuery {
  page: number;
  page_size: number;
}

export const MAX_PAGE_SIZE = 200;
