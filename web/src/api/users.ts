// User accounts: list, create, lock/unlock, reset password (/users).
import { http, type RequestOptions } from './http';
import type { Page, PageQuery, Role, User } from './types';

export interface UserRow extends User {
  created_at: string;
  /** Evaluators only: the counties they work for (their own first). */
  counties?: string[];
}

export interface UserQuery extends PageQuery {
  q?: string;
  role?: string;
  county?: string;
  /** active | locked */
  status?: string;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  display_name: string;
  county_code?: string;
}

/** Roles whose accounts belong to one county (a county must be chosen). */
export const COUNTY_SCOPED_ROLES: readonly Role[] = ['county_it', 'county_finance', 'evaluator'];

export function listUsers(query: UserQuery): Promise<Page<UserRow>> {
  return http.get('/users', { ...query });
}

/** Create an account. 422 answers carry `field`; pass silent to place them next to the field. */
export function createUser(user: NewUser, opts?: Pick<RequestOptions, 'silent'>): Promise<{ user: User }> {
  return http.post('/users', user, opts);
}

export function setUserLocked(id: string, locked: boolean): Promise<{ user: User }> {
  return http.post(`/users/${encodeURIComponent(id)}/lock`, { locked });
}

/** Assign an evaluator's counties (its own county always stays). */
export function setUserCounties(id: string, countyCodes: string[]): Promise<{ counties: string[] }> {
  return http.post(`/users/${encodeURIComponent(id)}/counties`, { county_codes: countyCodes });
}

export function resetUserPassword(id: string, password: string): Promise<unknown> {
  return http.post(`/users/${encodeURIComponent(id)}/password`, { password });
}
