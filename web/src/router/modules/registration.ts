import { OfficeBuilding, Platform, Goods } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

// The signed-in enterprise's or provider's own registration and catalog.
const routes: RouteRecordRaw[] = [
  {
    path: '/enterprise/profile',
    name: 'enterpriseProfile',
    component: () => import('@/views/enterprise/EnterpriseProfileView.vue'),
    meta: { title: 'route.enterpriseProfile', roles: ['enterprise'], menu: true, icon: OfficeBuilding, rank: 2 },
  },
  {
    path: '/provider/profile',
    name: 'providerProfile',
    component: () => import('@/views/provider/ProviderProfileView.vue'),
    meta: { title: 'route.providerProfile', roles: ['provider'], menu: true, icon: Platform, rank: 2 },
  },
  {
    path: '/provider/catalog',
    name: 'providerCatalog',
    component: () => import('@/views/provider/ProviderCatalogView.vue'),
    meta: { title: 'route.providerCatalog', roles: ['provider'], menu: true, icon: Goods, rank: 3 },
  },
];

export default routes;
