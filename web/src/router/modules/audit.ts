import { Tickets } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/audit',
    name: 'audit',
    component: () => import('@/views/audit/AuditView.vue'),
    meta: { title: 'route.audit', roles: ['auditor', 'admin'], menu: true, icon: Tickets, rank: 90 },
  },
];

export default routes;
