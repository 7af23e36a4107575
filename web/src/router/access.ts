// Who may see which route. The UI only hides: the server checks every request.
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '@/api/types';

/** True when `role` may open a route declaring `roles` (absent = any signed-in user). */
export function canAccess(roles: readonly Role[] | undefined, role: Role | null): boolean {
  if (!role) return false;
  return !roles || roles.includes(role);
}

/** The routes of `routes` that the side menu lists for `role`, in menu order. */
export function menuRoutes(routes: readonly RouteRecordRaw[], role: Role | null): RouteRecordRaw[] {
  return routes
    .filter((r) => r.meta?.menu && canAccess(r.meta.roles, role))
    .sort((a, b) => (a.meta?.rank ?? 0) - (b.meta?.rank ?? 0));
}
