// The administrator assigns a 第三方评价机构 the counties it works for; the
// evaluator then sees the enterprises of every assigned county and no other.
// Run: node tests/browser/run.mjs admin.
import { config, expect, login, logout, openMenu, runIfMain, test } from './lib.mjs';

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

await runIfMain(import.meta.url);
