import { Location } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/counties',
    name: 'counties',
    component: () => import('@/views/counties/CountiesView.vue'),
    meta: { title: 'route.counties', menu: true, icon: Location, rank: 10 },
  },
];

export default routes;
