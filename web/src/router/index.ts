// The router. Public pages (no session) are in router/public.ts, inside
// PublicLayout. Pages signed-in users see are children of the layout and are
// collected from router/modules/*.ts: each route declares meta.title (an
// i18n key) and meta.roles (absent = any signed-in user). The guard sends
// visitors without a session to /login and a role that may not open a route
// to /403; the side menu lists the routes the user's role may open.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import AppLayout from '@/layout/AppLayout.vue';
import { useUserStore } from '@/stores/user';
import { canAccess } from './access';
import { loginFor } from './login';
import { publicRoutes } from './public';
import { layoutRoutes } from './routes';

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/login/LoginView.vue'),
    meta: { title: 'route.login', public: true },
  },
  ...publicRoutes,
  {
    path: '/',
    component: AppLayout,
    // vue-router ranks paths, so the catch-all (404) never shadows a page.
    children: layoutRoutes,
  },
];

const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

/** A redirect target taken from the query, kept inside this site. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

router.beforeEach(async (to) => {
  const user = useUserStore();
  if (!user.loaded) await user.fetchMe();

  if (to.meta.public) {
    // A signed-in user has nothing to do on the login and sign-up pages.
    if (to.name === 'login' && user.me) return safeRedirect(to.query.redirect);
    if (to.name === 'signup' && user.me) return '/';
    return true;
  }
  if (!user.me) return loginFor(to.fullPath, user.expired);
  if (!canAccess(to.meta.roles, user.me.role)) return { name: 'forbidden', replace: true };
  return true;
});

export default router;
