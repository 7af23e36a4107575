// What each role should see: the one table the browser tests read.
// A new page: add it to PAGES. A new role or a menu change: edit ROLES.

/** Pages of the side menu: its Chinese label, its path, and an element that shows the page is open. */
export const PAGES = {
  home: { title: '首页', path: '/', marker: '[data-test="home-welcome"]' },
  enterpriseProfile: { title: '企业资料', path: '/enterprise/profile', marker: '[data-test="enterprise-form"]' },
  providerProfile: { title: '服务商资料', path: '/provider/profile', marker: '[data-test="provider-form"]' },
  providerCatalog: { title: '目录产品', path: '/provider/catalog', marker: '[data-test="provider-catalog-page"]' },
  reviewEnterprises: { title: '企业审核', path: '/review/enterprises', marker: '[data-test="enterprise-review-page"]' },
  enterprises: { title: '企业名录', path: '/enterprises', marker: '[data-test="enterprises-page"]' },
  reviewProviders: { title: '服务商审核', path: '/review/providers', marker: '[data-test="provider-review-page"]' },
  providers: { title: '服务商名录', path: '/providers', marker: '[data-test="providers-page"]' },
  reviewCatalog: { title: '目录审核', path: '/review/catalog', marker: '[data-test="catalog-review-page"]' },
  catalogItems: { title: '目录产品查询', path: '/catalog-items', marker: '[data-test="catalog-items-page"]' },
  contracts: { title: '合同管理', path: '/contracts', marker: '[data-test="contracts-page"]' },
  vouchers: { title: '云服务券', path: '/vouchers', marker: '[data-test="vouchers-page"]' },
  budgets: { title: '预算资金', path: '/budgets', marker: '[data-test="budgets-page"]' },
  counties: { title: '区县与目标', path: '/counties', marker: '[data-test="counties-table"]' },
  awards: { title: '考核与奖补', path: '/awards', marker: '[data-test="awards-page"]' },
  programs: { title: '政策参数', path: '/programs', marker: '[data-test="program-card"] >> nth=0' },
  negativeList: { title: '负面清单管理', path: '/negative-list', marker: '[data-test="negative-list-page"]' },
  users: { title: '用户管理', path: '/system/users', marker: '[data-test="users-page"]' },
  audit: { title: '审计日志', path: '/audit', marker: '[data-test="audit-page"]' },
  redemptions: { title: '兑现申请', path: '/redemptions', marker: '[data-test="redemptions-page"]' },
  evaluateRedemptions: { title: '兑现评价', path: '/redemptions/evaluate', marker: '[data-test="evaluate-queue-page"]' },
  reviewRedemptions: { title: '兑现审核', path: '/review/redemptions', marker: '[data-test="review-queue-page"]' },
  notices: { title: '公示管理', path: '/notices', marker: '[data-test="notices-page"]' },
  payouts: { title: '集中兑付', path: '/payouts', marker: '[data-test="payouts-page"]' },
  clawbacks: { title: '资金追回', path: '/clawbacks', marker: '[data-test="clawbacks-page"]' },
};

/** What every official who reads but does not decide sees of the registrations. */
const READERS = ['enterprises', 'providers', 'catalogItems'];
/** Contracts and vouchers: every role sees those of its scope. */
const VOUCHERS = ['contracts', 'vouchers'];
/** The same and the budgets (finance, county_it and the city's readers; not enterprises, providers, evaluators). */
const BUDGETS = [...VOUCHERS, 'budgets'];
/** Redemption pages county officials, the city and the auditor read (notices, payouts, clawbacks: not the evaluator). */
const REDEMPTION = ['redemptions', 'notices', 'payouts', 'clawbacks'];

/**
 * Demo accounts (all share YQ_DEMO_PASSWORD) and what each role sees.
 * menu: PAGES keys, in menu order; every other page must answer 403.
 * county: the county name the header shows, when the role belongs to one.
 * manageUsers: the users page offers 新增用户 and the row actions.
 */
export const ROLES = [
  { role: 'enterprise', username: 'enterprise', name: '企业用户', menu: ['home', 'enterpriseProfile', ...VOUCHERS, 'counties', 'programs'] },
  {
    role: 'provider',
    username: 'provider',
    name: '云服务商',
    menu: ['home', 'providerProfile', 'providerCatalog', ...VOUCHERS, 'redemptions', 'counties', 'programs'],
  },
  {
    role: 'county_it',
    username: 'county_it',
    name: '县级经济和信息化部门',
    county: '任城区',
    menu: ['home', 'reviewEnterprises', 'providers', ...BUDGETS, 'redemptions', 'reviewRedemptions', 'notices', 'payouts', 'clawbacks', 'counties', 'programs', 'users'],
  },
  {
    role: 'county_finance',
    username: 'county_finance',
    name: '县级财政部门',
    county: '任城区',
    menu: ['home', 'enterprises', 'providers', ...BUDGETS, ...REDEMPTION, 'counties', 'programs', 'users'],
  },
  {
    role: 'evaluator',
    username: 'evaluator',
    name: '第三方评价机构',
    menu: ['home', 'enterprises', 'providers', ...VOUCHERS, 'redemptions', 'evaluateRedemptions', 'counties', 'programs'],
  },
  {
    role: 'city_it',
    username: 'city_it',
    name: '市经济和信息化委员会',
    menu: ['home', 'enterprises', 'reviewProviders', 'reviewCatalog', ...BUDGETS, ...REDEMPTION, 'counties', 'awards', 'programs', 'negativeList'],
  },
  {
    role: 'city_finance',
    username: 'city_finance',
    name: '市财政局',
    menu: ['home', ...READERS, ...BUDGETS, ...REDEMPTION, 'counties', 'awards', 'programs'],
  },
  {
    role: 'auditor',
    username: 'auditor',
    name: '审计/监察',
    menu: ['home', ...READERS, ...BUDGETS, ...REDEMPTION, 'counties', 'awards', 'programs', 'negativeList', 'users', 'audit'],
  },
  {
    role: 'admin',
    username: 'admin',
    name: '系统管理员',
    menu: ['home', ...READERS, ...BUDGETS, 'counties', 'awards', 'programs', 'negativeList', 'users', 'audit'],
    manageUsers: true,
  },
];
