// What each role should see: the one table the browser tests read.
// A new page: add it to PAGES. A new role or a menu change: edit ROLES.

/** Pages of the side menu: its Chinese label, its path, and an element that shows the page is open. */
export const PAGES = {
  home: { title: '首页', path: '/', marker: '[data-test="home-welcome"]' },
  counties: { title: '区县与目标', path: '/counties', marker: '[data-test="counties-table"]' },
  users: { title: '用户管理', path: '/system/users', marker: '[data-test="users-page"]' },
  audit: { title: '审计日志', path: '/audit', marker: '[data-test="audit-page"]' },
};

/**
 * Demo accounts (all share YQ_DEMO_PASSWORD) and what each role sees.
 * menu: PAGES keys, in menu order; every other page must answer 403.
 * county: the county name the header shows, when the role belongs to one.
 * manageUsers: the users page offers 新增用户 and the row actions.
 */
export const ROLES = [
  { role: 'enterprise', username: 'enterprise', name: '企业用户', menu: ['home', 'counties'] },
  { role: 'provider', username: 'provider', name: '云服务商', menu: ['home', 'counties'] },
  {
    role: 'county_it',
    username: 'county_it',
    name: '县级经济和信息化部门',
    county: '任城区',
    menu: ['home', 'counties', 'users'],
  },
  {
    role: 'county_finance',
    username: 'county_finance',
    name: '县级财政部门',
    county: '任城区',
    menu: ['home', 'counties', 'users'],
  },
  { role: 'evaluator', username: 'evaluator', name: '第三方评价机构', menu: ['home', 'counties'] },
  { role: 'city_it', username: 'city_it', name: '市经济和信息化委员会', menu: ['home', 'counties'] },
  { role: 'city_finance', username: 'city_finance', name: '市财政局', menu: ['home', 'counties'] },
  { role: 'auditor', username: 'auditor', name: '审计/监察', menu: ['home', 'counties', 'users', 'audit'] },
  {
    role: 'admin',
    username: 'admin',
    name: '系统管理员',
    menu: ['home', 'counties', 'users', 'audit'],
    manageUsers: true,
  },
];
