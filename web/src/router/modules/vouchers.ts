import { Coin, Document, Ticket } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

// Contracts, vouchers and budgets (SPEC §5, §6). Every signed-in role reads
// the contracts and vouchers of its scope (the server scopes them); only the
// parties draft; budgets are for finance, county_it and the city's readers.
const routes: RouteRecordRaw[] = [
  {
    path: '/contracts',
    name: 'contracts',
    component: () => import('@/views/contracts/ContractListView.vue'),
    meta: { title: 'route.contracts', menu: true, icon: Document, rank: 7 },
  },
  {
    path: '/contracts/new',
    name: 'contractNew',
    component: () => import('@/views/contracts/ContractEditorView.vue'),
    meta: { title: 'route.contractNew', roles: ['enterprise', 'provider'] },
  },
  {
    path: '/contracts/:id',
    name: 'contractDetail',
    component: () => import('@/views/contracts/ContractDetailView.vue'),
    props: true,
    meta: { title: 'route.contractDetail' },
  },
  {
    path: '/vouchers',
    name: 'vouchers',
    component: () => import('@/views/vouchers/VoucherListView.vue'),
    meta: { title: 'route.vouchers', menu: true, icon: Ticket, rank: 8 },
  },
  {
    path: '/vouchers/:id',
    name: 'voucherDetail',
    component: () => import('@/views/vouchers/VoucherView.vue'),
    props: true,
    meta: { title: 'route.voucherDetail' },
  },
  {
    path: '/budgets',
    name: 'budgets',
    component: () => import('@/views/budgets/BudgetView.vue'),
    meta: {
      title: 'route.budgets',
      roles: ['county_it', 'county_finance', 'city_it', 'city_finance', 'auditor', 'admin'],
      menu: true,
      icon: Coin,
      rank: 9,
    },
  },
];

export default routes;
