import { Bell, Checked, DocumentChecked, EditPen, Money, RefreshLeft } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '@/api/types';

// Redemption, public notice and payment (兑现, SPEC §7; docs/redemption-api.md).
// Providers file; the evaluator scores (待评价); county_it reviews (待审核)
// and runs the notices (公示管理); county_finance pays (集中兑付) and claws
// back (资金追回). The city and the auditor read. Enterprises and the system
// administrator have no part in it.

/** Officials who read applications, notices, batches and clawbacks of their scope. */
const OFFICIALS: readonly Role[] = ['county_it', 'county_finance', 'evaluator', 'city_it', 'city_finance', 'auditor'];
/** Notices, payouts and clawbacks: county officials and the city (docs/redemption-api.md), and the auditor. */
const COUNTY_AND_CITY: readonly Role[] = ['county_it', 'county_finance', 'city_it', 'city_finance', 'auditor'];

const routes: RouteRecordRaw[] = [
  {
    path: '/redemptions',
    name: 'redemptions',
    component: () => import('@/views/redemption/RedemptionListView.vue'),
    meta: { title: 'route.redemptions', roles: ['provider', ...OFFICIALS], menu: true, icon: Money, rank: 9.1 },
  },
  {
    path: '/redemptions/evaluate',
    name: 'evaluateRedemptions',
    component: () => import('@/views/redemption/RedemptionListView.vue'),
    props: { queue: 'submitted' },
    meta: { title: 'route.evaluateRedemptions', roles: ['evaluator'], menu: true, icon: EditPen, rank: 9.2 },
  },
  {
    path: '/review/redemptions',
    name: 'reviewRedemptions',
    component: () => import('@/views/redemption/RedemptionListView.vue'),
    props: { queue: 'evaluated' },
    meta: { title: 'route.reviewRedemptions', roles: ['county_it'], menu: true, icon: Checked, rank: 9.3 },
  },
  {
    path: '/redemptions/new',
    name: 'redemptionNew',
    component: () => import('@/views/redemption/RedemptionEditorView.vue'),
    meta: { title: 'route.redemptionNew', roles: ['provider'] },
  },
  {
    path: '/redemptions/:id/edit',
    name: 'redemptionEdit',
    component: () => import('@/views/redemption/RedemptionEditorView.vue'),
    props: true,
    meta: { title: 'route.redemptionEdit', roles: ['provider'] },
  },
  {
    path: '/redemptions/:id',
    name: 'redemptionDetail',
    component: () => import('@/views/redemption/RedemptionDetailView.vue'),
    props: true,
    meta: { title: 'route.redemptionDetail', roles: ['provider', ...OFFICIALS] },
  },
  {
    path: '/notices',
    name: 'notices',
    component: () => import('@/views/redemption/NoticeListView.vue'),
    meta: { title: 'route.notices', roles: COUNTY_AND_CITY, menu: true, icon: Bell, rank: 9.4 },
  },
  {
    path: '/notices/:id',
    name: 'noticeDetail',
    component: () => import('@/views/redemption/NoticeDetailView.vue'),
    props: true,
    meta: { title: 'route.noticeDetail', roles: COUNTY_AND_CITY },
  },
  {
    path: '/payouts',
    name: 'payouts',
    component: () => import('@/views/redemption/PayoutListView.vue'),
    meta: { title: 'route.payouts', roles: COUNTY_AND_CITY, menu: true, icon: DocumentChecked, rank: 9.5 },
  },
  {
    path: '/payouts/:id',
    name: 'payoutDetail',
    component: () => import('@/views/redemption/PayoutDetailView.vue'),
    props: true,
    meta: { title: 'route.payoutDetail', roles: COUNTY_AND_CITY },
  },
  {
    path: '/clawbacks',
    name: 'clawbacks',
    component: () => import('@/views/redemption/ClawbackListView.vue'),
    meta: { title: 'route.clawbacks', roles: COUNTY_AND_CITY, menu: true, icon: RefreshLeft, rank: 9.6 },
  },
];

export default routes;
