// A catalog item's validity (有效期) in the contract editor: the catalog
// picker offers only the provider's items valid on the chosen signing date,
// and a line whose item is not valid on a newly chosen date is cleared and
// says why (the server would refuse it, naming the line).
// Run: node tests/browser/run.mjs catalog_validity.
import { randomInt } from 'node:crypto';
import { apiSession, expect, field, login, openMenu, runIfMain, shot, test, text } from './lib.mjs';

const run = `${Date.now().toString(36)}${randomInt(1296).toString(36)}`;
const ITEM = `有效期测试产品${run}`;
const ALWAYS = '计算型云服务器 8核16G'; // a demo item of "provider", valid 2018–2030

/** Type a signing date and wait for the catalog valid on it. */
async function setSignedOn(page, day) {
  const loaded = page.waitForResponse((r) => r.url().includes('/public/catalog') && r.url().includes(`valid_on=${day}`));
  const input = field(page, 'contract-signed-on');
  await input.fill(day);
  await input.press('Enter');
  await loaded;
}

async function offered(page) {
  const rows = page.locator('[data-test="contract-lines"] .el-table__body .el-table__row');
  await rows.nth(0).locator('[data-test="line-item"]').click();
  const options = page.locator('.el-select-dropdown__item:visible');
  await options.first().or(page.locator('.el-select-dropdown__empty:visible')).first().waitFor();
  const names = await options.allInnerTexts();
  await page.keyboard.press('Escape');
  return names;
}

test('contract editor: the catalog picker offers the items valid on the signing date', async ({ page }) => {
  const provider = await apiSession('provider');
  const { json: item } = await provider('POST', '/catalog-items', {
    reference_service_id: 1, name: ITEM, description: '只在 2019 年上半年有效的测试产品。', specification: '标准版',
    unit: '月', list_price_fen: 50000, discount_price_fen: 45000, valid_from: '2019-01-01', valid_until: '2019-06-30',
  });
  await (await apiSession('city_it'))('POST', `/catalog-items/${item.id}/publish`, {});

  await login(page, 'provider');
  await openMenu(page, '合同管理', '[data-test="contracts-page"]');
  await page.locator('[data-test="contract-new"]').click();
  await page.locator('[data-test="contract-editor"]').waitFor();

  await setSignedOn(page, '2019-06-30');
  let names = await offered(page);
  expect(names.some((n) => n.includes(ITEM)) && names.some((n) => n.includes(ALWAYS)), `signed 2019-06-30, both are offered: ${names}`);
  const row = page.locator('[data-test="contract-lines"] .el-table__body .el-table__row').nth(0);
  await row.locator('[data-test="line-item"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: ITEM }).first().click();
  await page.locator('[data-test="contract-base"]', { hasText: '450.00' }).waitFor();

  // The day after the item's validity: it is no longer offered, and the line says why.
  await setSignedOn(page, '2019-07-01');
  const error = row.locator('[data-test="line-error"]');
  await error.waitFor();
  const message = await text(error);
  expect(message.includes(ITEM) && message.includes('2019-01-01') && message.includes('2019-06-30') && message.includes('2019-07-01'),
    `the line says why it was cleared: ${message}`);
  expect(!(await text(row)).includes(item.id), 'no raw id is shown');
  await shot(page, 'contract-editor-item-not-valid');
  names = await offered(page);
  expect(!names.some((n) => n.includes(ITEM)) && names.some((n) => n.includes(ALWAYS)), `signed 2019-07-01, only the valid item is offered: ${names}`);
});

await runIfMain(import.meta.url);
