// The administrator assigns a 第三方评价机构 the counties it works for; the
// evaluator then sees the enterprises of every assigned county and no other.
// Run: node tests/browser/run.mjs admin.
import { config, expect, login, logout, openMenu, pickOption, runIfMain, test } from './lib.mjs';

test('admin assigns the evaluator a county and the evaluator sees its enterprises', async ({ page }) => {
  await login(page, 'admin');
  await openMenu(page, '用户管理', '[data-test="users-table"]');
  const row = page.locator('[data-test="users-table"] .el-table__row', { hasText: 'evaluator' }).first();
  await row.waitFor();
  // Element Plus renders fixed columns twice; click the visible button.
  await page.locator('[data-test="user-counties"]:visible').first().click();
  const dialog = page.locator('[data-test="user-counties-dialog"]');
  await dialog.waitFor();
  await dialog.locator('.el-checkbox', { hasText: '曲阜市' }).click();
  await dialog.locator('[data-test="user-counties-save"]').click();
  await page.locator('.el-message--success').first().waitFor();
  await logout(page);

  await login(page, 'evaluator');
  await openMenu(page, '企业名录', '.el-table');
  await page.locator('.el-table__row', { hasText: '曲阜文旅数字科技有限公司' }).first().waitFor();
  const text = await page.locator('.el-table').first().innerText();
  expect(text.includes('兖州精工机械有限公司'), 'the 兖州区 enterprise (assigned by the demo) is listed');
  expect(!text.includes('邹城煤化新材料有限公司'), 'an enterprise of an unassigned county is not listed');
});

test('officials see the county dashboard charts on their home page', async ({ page }) => {
  await login(page, 'city_it');
  await page.locator('[data-test="home-dashboard"]').waitFor();
  await page.locator('[data-test="dash-completion-chart"] canvas').waitFor();
  await page.locator('[data-test="dash-budget-chart"] canvas').waitFor();
  await page.screenshot({ path: `${config.out}/home-dashboard.png`, fullPage: true });
  await logout(page);
  await login(page, 'enterprise');
  await page.locator('[data-test="home-dashboard-enterprise"]').waitFor();
  expect((await page.locator('[data-test="home-dashboard"]').count()) === 0, 'enterprises see no officials\' dashboard');
});

test('admin narrows the accounts by role and state, and reads each name whole', async ({ page }) => {
  await login(page, 'admin');
  await openMenu(page, '用户管理', '[data-test="users-table"] .el-table__row');
  const table = page.locator('[data-test="users-table"]');
  const all = await table.locator('.el-table__body-wrapper .el-table__row').count();
  const byRole = page.waitForResponse((r) => r.url().includes('/api/v1/users?') && r.url().includes('role=county_finance'));
  await pickOption(page, 'users-role', '县级财政部门');
  await byRole;
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-test="users-table"] .el-table__body-wrapper .el-table__row')];
    return rows.length > 0 && rows.every((r) => r.innerText.includes('县级财政部门'));
  });
  const some = await table.locator('.el-table__body-wrapper .el-table__row').count();
  expect(some < all, `the role narrows the list (${some} of ${all})`);
  expect(page.url().includes('role=county_finance'), 'the role is kept in the address');
  // the state: no demo account is locked
  const byState = page.waitForResponse((r) => r.url().includes('status=locked'));
  await pickOption(page, 'filter-status', '已锁定');
  await page.locator('[data-test="filter-submit"]').click();
  await byState;
  await table.locator('.el-table__empty-text').waitFor();
  await page.locator('[data-test="filter-reset"]').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-test="users-table"] .el-table__body-wrapper .el-table__row').length === n, all);
  // At 1366 px no username, name or role is cut off with an ellipsis (long ones wrap), and
  // the creation time stays on one line.
  const cut = await page.evaluate(() => {
    const head = [...document.querySelectorAll('[data-test="users-table"] .el-table__header th')].map((th) => th.innerText.trim());
    return [...document.querySelectorAll('[data-test="users-table"] .el-table__body-wrapper .el-table__row')].flatMap((r) =>
      ['用户名', '姓名/名称', '角色', '创建时间']
        .map((h) => [h, r.querySelectorAll('td')[head.indexOf(h)]?.querySelector('.cell')])
        .filter(([h, c]) => c && (c.scrollWidth > c.clientWidth + 1 || (h === '创建时间' && c.getClientRects()[0].height > 30)))
        .map(([, c]) => c.innerText));
  });
  await page.screenshot({ path: `${config.out}/users-filters.png`, fullPage: true });
  expect(cut.length === 0, `names shown whole at 1366 px: ${cut.join('，')}`);
});

await runIfMain(import.meta.url);
