// Issue 11: records are told apart by their business numbers. Two contracts
// open in two tabs read "合同 <合同编号>" each (not "合同详情" twice); a
// payout batch and a notice are shown by 批次号 ZF-… and 公示编号 GS-… in
// their lists, details, tabs and the public notice, never by an internal
// id, and the list keyword finds them.
// Run: node tests/browser/run.mjs records.
import { apiSession, expect, field, login, runIfMain, test, text, url } from './lib.mjs';

const tabTitles = async (page) => (await page.locator('[data-test="page-tab"]').allInnerTexts()).map((s) => s.trim());
const waitTab = (page, title) =>
  page.waitForFunction((t) => [...document.querySelectorAll('[data-test="page-tab"]')].some((e) => e.textContent.trim() === t), title);

test('two contracts open in two tabs, each titled by its number', async ({ page }) => {
  const api = await apiSession('city_finance');
  const [a, b] = (await api('GET', '/contracts?page_size=2')).json.items;
  expect(a && b && a.contract_no !== b.contract_no, 'the demo has two contracts');
  await login(page, 'city_finance');
  await page.goto(url(`/contracts/${a.id}`));
  await page.locator('[data-test="contract-title"]').waitFor();
  await waitTab(page, `合同 ${a.contract_no}`);
  await page.goto(url(`/contracts/${b.id}`));
  await page.locator('[data-test="contract-title"]', { hasText: b.contract_no }).waitFor();
  await waitTab(page, `合同 ${b.contract_no}`);
  const titles = await tabTitles(page);
  expect(titles.includes(`合同 ${a.contract_no}`) && titles.includes(`合同 ${b.contract_no}`), `tabs: ${titles.join('|')}`);
  expect(!titles.includes('合同详情'), `no tab is just 合同详情: ${titles.join('|')}`);
  expect(new Set(titles).size === titles.length, `tab titles are distinct: ${titles.join('|')}`);
  // The labels are kept across a reload.
  await page.reload();
  await waitTab(page, `合同 ${a.contract_no}`);
  const active = await text(page.locator('[data-test="page-tab"].is-active'));
  expect(active === `合同 ${b.contract_no}`, `the current tab after a reload is "${active}"`);
});

test('payout batches and notices are shown by their business numbers, and found by them', async ({ page }) => {
  const api = await apiSession('county_finance');
  const batch = (await api('GET', '/payouts?page_size=1')).json.items[0];
  const notices = (await api('GET', '/notices?page_size=10')).json.items;
  expect(batch && /^ZF-\d{6}-\d{6}-\d{3}$/.test(batch.batch_no), `the demo's batch has a number: ${batch?.batch_no}`);
  expect(notices.length >= 2 && notices.every((n) => /^GS-\d{4}-\d{4}$/.test(n.notice_no)), 'the demo notices have numbers');
  await login(page, 'county_finance');

  await page.goto(url('/payouts'));
  const link = page.locator('[data-test="payout-link"]', { hasText: batch.batch_no });
  await link.waitFor();
  expect(!(await text(page.locator('[data-test="payouts-table"]'))).includes(batch.id), 'the list shows no internal id');
  await field(page, 'filter-q').fill(batch.batch_no.slice(-10));
  await page.locator('[data-test="filter-submit"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-test="payouts-table"] .el-table__body .el-table__row').length === 1);
  await link.click();
  await page.locator('[data-test="payout-no"]', { hasText: batch.batch_no }).waitFor();
  expect(!(await text(page.locator('[data-test="payout-facts"]'))).includes(batch.id), 'the batch page shows no internal id');
  await waitTab(page, `兑付 ${batch.batch_no}`);

  const [n1, n2] = notices;
  await page.goto(url('/notices'));
  await page.locator('[data-test="notice-link"]', { hasText: n2.notice_no }).waitFor();
  await field(page, 'filter-q').fill(n1.notice_no);
  await page.locator('[data-test="filter-submit"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-test="notices-table"] .el-table__body .el-table__row').length === 1);
  await page.locator('[data-test="notice-link"]', { hasText: n1.notice_no }).click();
  await page.locator('[data-test="notice-no"]', { hasText: n1.notice_no }).waitFor();
  await waitTab(page, `公示 ${n1.notice_no}`);

  // The public notice page carries the number too.
  await page.goto(url(`/public/notices/${n1.id}`));
  await page.locator('[data-test="public-notice-no"]', { hasText: n1.notice_no }).waitFor();
  await page.goto(url('/public/notices'));
  await page.locator(`[data-test="public-notice-card"][data-id="${n2.id}"] [data-test="public-notice-no"]`, { hasText: n2.notice_no }).waitFor();
});

await runIfMain(import.meta.url);
