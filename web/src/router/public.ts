// Pages anyone may open without signing in (SPEC §1 "公众"): the published
// catalog, the provider directory, the negative list, the public notices of
// redemptions (公示, where objections are filed), voucher verification
// (券号核验, where a voucher's QR code leads), and sign-up. They sit
// in PublicLayout (a top bar, no side menu) and declare meta.public.
import type { RouteRecordRaw } from 'vue-router';
import PublicLayout from '@/layout/PublicLayout.vue';

export const publicRoutes: RouteRecordRaw[] = [
  {
    path: '/public',
    component: PublicLayout,
    redirect: '/public/catalog',
    children: [
      {
        path: 'catalog',
        name: 'publicCatalog',
        component: () => import('@/views/public/PublicCatalogView.vue'),
        meta: { title: 'route.publicCatalog', public: true },
      },
      {
        path: 'providers',
        name: 'publicProviders',
        component: () => import('@/views/public/PublicProvidersView.vue'),
        meta: { title: 'route.publicProviders', public: true },
      },
      {
        path: 'providers/:id',
        name: 'publicProvider',
        component: () => import('@/views/public/PublicProviderView.vue'),
        meta: { title: 'route.publicProvider', public: true },
        props: true,
      },
      {
        path: 'negative-list',
        name: 'publicNegativeList',
        component: () => import('@/views/public/PublicNegativeListView.vue'),
        meta: { title: 'route.publicNegativeList', public: true },
      },
      {
        path: 'notices',
        name: 'publicNotices',
        component: () => import('@/views/public/PublicNoticesView.vue'),
        meta: { title: 'route.publicNotices', public: true },
      },
      {
        path: 'notices/:id',
        name: 'publicNotice',
        component: () => import('@/views/public/PublicNoticeView.vue'),
        meta: { title: 'route.publicNotice', public: true },
        props: true,
      },
    ],
  },
  {
    // The QR code on a printed voucher leads to /verify/<code>.
    path: '/verify',
    component: PublicLayout,
    children: [
      {
        path: ':code?',
        name: 'verify',
        component: () => import('@/views/public/VerifyView.vue'),
        meta: { title: 'route.verify', public: true },
        props: true,
      },
    ],
  },
  {
    path: '/signup',
    component: PublicLayout,
    children: [
      {
        path: '',
        name: 'signup',
        component: () => import('@/views/signup/SignupView.vue'),
        meta: { title: 'route.signup', public: true },
      },
    ],
  },
];
