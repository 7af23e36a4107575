import { Checked, DocumentChecked, Finished, OfficeBuilding, Platform, Goods } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

// Review of registrations and catalog items, and the read-only lists of the
// same records for the officials who may read but not decide.
const routes: RouteRecordRaw[] = [
  {
    path: '/review/enterprises',
    name: 'reviewEnterprises',
    component: () => import('@/views/review/EnterpriseListView.vue'),
    props: { review: true },
    meta: { title: 'route.reviewEnterprises', roles: ['county_it'], menu: true, icon: Checked, rank: 4 },
  },
  {
    path: '/enterprises',
    name: 'enterprises',
    component: () => import('@/views/review/EnterpriseListView.vue'),
    props: { review: false },
    meta: {
      title: 'route.enterprises',
      roles: ['county_finance', 'evaluator', 'city_it', 'city_finance', 'auditor', 'admin'],
      menu: true,
      icon: OfficeBuilding,
      rank: 4,
    },
  },
  {
    path: '/review/providers',
    name: 'reviewProviders',
    component: () => import('@/views/review/ProviderListView.vue'),
    props: { review: true },
    meta: { title: 'route.reviewProviders', roles: ['city_it'], menu: true, icon: DocumentChecked, rank: 5 },
  },
  {
    path: '/providers',
    name: 'providers',
    component: () => import('@/views/review/ProviderListView.vue'),
    props: { review: false },
    meta: {
      title: 'route.providers',
      roles: ['county_it', 'county_finance', 'evaluator', 'city_finance', 'auditor', 'admin'],
      menu: true,
      icon: Platform,
      rank: 5,
    },
  },
  {
    path: '/review/catalog',
    name: 'reviewCatalog',
    component: () => import('@/views/catalog/CatalogReviewView.vue'),
    props: { review: true },
    meta: { title: 'route.reviewCatalog', roles: ['city_it'], menu: true, icon: Finished, rank: 6 },
  },
  {
    path: '/catalog-items',
    name: 'catalogItems',
    component: () => import('@/views/catalog/CatalogReviewView.vue'),
    props: { review: false },
    meta: { title: 'route.catalogItems', roles: ['city_finance', 'auditor', 'admin'], menu: true, icon: Goods, rank: 6 },
  },
];

export default routes;
