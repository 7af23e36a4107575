// Where a visitor without a session is sent: the login page, which comes
// back to the page asked for after signing in (?redirect) and, when a
// session of this tab ended by itself, says 登录已过期 (?expired=1).
import type { RouteLocationRaw } from 'vue-router';

export function loginFor(fullPath: string, expired: boolean): RouteLocationRaw {
  const query: Record<string, string> = {};
  if (fullPath !== '/') query.redirect = fullPath;
  if (expired) query.expired = '1';
  return { name: 'login', query };
}
