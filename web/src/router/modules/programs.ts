import { Setting, WarningFilled } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/programs',
    name: 'programs',
    component: () => import('@/views/programs/ProgramsView.vue'),
    // Every signed-in role reads the parameters; only city_it edits them.
    meta: { title: 'route.programs', menu: true, icon: Setting, rank: 12 },
  },
  {
    path: '/negative-list',
    name: 'negativeList',
    component: () => import('@/views/negative/NegativeListView.vue'),
    meta: { title: 'route.negativeList', roles: ['city_it', 'auditor', 'admin'], menu: true, icon: WarningFilled, rank: 14 },
  },
];

export default routes;
