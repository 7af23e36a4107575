import { Trophy } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

// 考核与奖补 (SPEC §9): city_it enters scores and records benchmark
// enterprises and experience centres; city_finance sets, previews and posts
// the award pool and pays the awards; the auditor and admin read.
const routes: RouteRecordRaw[] = [
  {
    path: '/awards',
    name: 'awards',
    component: () => import('@/views/awards/AwardsView.vue'),
    meta: { title: 'route.awards', roles: ['city_it', 'city_finance', 'auditor', 'admin'], menu: true, icon: Trophy, rank: 10.5 },
  },
];

export default routes;
