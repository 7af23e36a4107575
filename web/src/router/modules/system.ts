import { User } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/system/users',
    name: 'users',
    component: () => import('@/views/system/UsersView.vue'),
    // County officials get a read-only list of their own county's users.
    meta: {
      title: 'route.users',
      roles: ['admin', 'auditor', 'county_it', 'county_finance'],
      menu: true,
      icon: User,
      rank: 80,
    },
  },
];

export default routes;
