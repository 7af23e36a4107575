// Sign-in and session: /auth/login, /auth/logout, /auth/me.
import { http } from './http';
import type { User } from './types';

/** Sign in; the server sets the yq_session and yq_csrf cookies. Errors are silent: the login page shows them. */
export function login(username: string, password: string): Promise<{ user: User }> {
  return http.post('/auth/login', { username, password }, { silent: true });
}

export function logout(): Promise<unknown> {
  return http.post('/auth/logout', {}, { silent: true });
}

/** The signed-in user; rejects with status 401 when there is no session. */
export function fetchMe(): Promise<{ user: User }> {
  return http.get('/auth/me', undefined, { silent: true });
}

export interface SignupRequest {
  role: 'enterprise' | 'provider';
  username: string;
  password: string;
  uscc: string;
  name: string;
  /** Required for enterprises. */
  county_code?: string;
  /** Consent to the user agreement and privacy notice (required true). */
  consent: boolean;
  /** The version of the texts shown (GET /public/agreements). */
  consent_version?: string;
}

/**
 * Register an enterprise or provider; the server signs the new account in
 * (sets the cookies). Silent: the sign-up page puts 409/403/422 messages on
 * the field named by `error.field`.
 */
export function signup(body: SignupRequest): Promise<{ user: User; enterprise?: { id: string }; provider?: { id: string } }> {
  return http.post('/auth/signup', body, { silent: true });
}

/**
 * Change one's own password; the server keeps this session and ends the
 * account's others. Silent: the dialog puts 422 messages on the field named
 * (current_password, new_password).
 */
export function changePassword(currentPassword: string, newPassword: string): Promise<unknown> {
  return http.post('/auth/password', { current_password: currentPassword, new_password: newPassword }, { silent: true });
}
