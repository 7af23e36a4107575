import { HomeFilled } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '',
    name: 'home',
    component: () => import('@/views/home/HomeView.vue'),
    meta: { title: 'route.home', menu: true, icon: HomeFilled, rank: 0 },
  },
];

export default routes;
