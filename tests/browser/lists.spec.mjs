// Issue 11 at 1366×768 (menu expanded): lists a county or city office can
// work with. A list's filters and page live in the URL (a reload or a shared
// link gives the same view); a failed load says so and offers 重试 instead of
// "no data"; the header's global search finds a voucher by its code and a
// company by part of its name and opens the record; the key columns (name,
// status, amount, action) are visible without horizontal scroll; column
// settings are remembered after a reload.
// Run: node tests/browser/run.mjs lists.
import { apiSession, expect, field, login, pickOption, runIfMain, shot, test, text, url } from './lib.mjs';

/** The list is on screen and has finished loading. */
async function settled(page, table) {
  await page.locator(`[data-test="${table}"]`).waitFor();
  await page.locator(`[data-test="${table}"] .el-loading-mask`).waitFor({ state: 'hidden' }).catch(() => {});
}

async function rowTexts(page, table) {
  return (await page.locator(`[data-test="${table}"] .el-table__body tr`).allInnerTexts()).map((s) => s.trim());
}

test('a list’s keyword, status and page survive a reload', async ({ page }) => {
  await login(page, 'city_finance');
  await page.goto(url('/contracts'));
  await settled(page, 'contracts-table');
  const all = await rowTexts(page, 'contracts-table');
  expect(all.length >= 4, `expected the demo contracts, got ${all.length}`);

  await field(page, 'filter-q').fill('KM-DEMO');
  await page.locator('[data-test="filter-status"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^\s*已撤销\s*$/ }).first().click();
  await page.locator('[data-test="filter-submit"]').click();
  await page.waitForURL((u) => u.searchParams.get('q') === 'KM-DEMO' && u.searchParams.get('status') === 'cancelled');
  await settled(page, 'contracts-table');
  const narrowed = await rowTexts(page, 'contracts-table');
  expect(narrowed.length === 1 && narrowed[0].includes('KM-DEMO') && narrowed[0].includes('已撤销'), `filtered rows: ${JSON.stringify(narrowed)}`);

  await page.reload();
  await settled(page, 'contracts-table');
  expect((await field(page, 'filter-q').inputValue()) === 'KM-DEMO', 'the keyword is back after the reload');
  expect((await text(page.locator('[data-test="filter-status"]'))).includes('已撤销'), 'the status is back after the reload');
  expect(JSON.stringify(await rowTexts(page, 'contracts-table')) === JSON.stringify(narrowed), 'the same rows after the reload');

  // The page number too: 企业名录 at 10 a page, page 2.
  await page.goto(url('/enterprises?size=10'));
  await settled(page, 'enterprises-table');
  const first = await rowTexts(page, 'enterprises-table');
  expect(first.length === 10, `10 rows on page 1, got ${first.length}`);
  await page.locator('.yq-pager .btn-next').click();
  await page.waitForURL((u) => u.searchParams.get('page') === '2');
  await settled(page, 'enterprises-table');
  const second = await rowTexts(page, 'enterprises-table');
  await page.reload();
  await settled(page, 'enterprises-table');
  expect((await text(page.locator('.yq-pager .el-pager li.is-active'))) === '2', 'page 2 after the reload');
  expect(JSON.stringify(await rowTexts(page, 'enterprises-table')) === JSON.stringify(second), 'the rows of page 2 after the reload');
  await shot(page, 'lists-enterprises-page-2');
});

test('兑现申请: a home page link’s state, the keyword, county and page survive a reload', async ({ page }) => {
  await login(page, 'city_finance');
  // A 待办 link opens the list with ?status=: it filters, and stays in the URL.
  await page.goto(url('/redemptions?status=submitted'));
  await settled(page, 'redemptions-table');
  let rows = await rowTexts(page, 'redemptions-table');
  expect(rows.length === 1 && rows[0].includes('齐鲁云计算服务有限公司'), `submitted rows: ${JSON.stringify(rows)}`);
  expect(new URL(page.url()).searchParams.get('status') === 'submitted', `the status stays in the URL: ${page.url()}`);

  await page.goto(url('/redemptions'));
  await settled(page, 'redemptions-table');
  expect((await rowTexts(page, 'redemptions-table')).length === 3, 'the three demo applications');
  await field(page, 'filter-q').fill('齐鲁云计算');
  await pickOption(page, 'filter-county', '任城区');
  await page.locator('[data-test="filter-submit"]').click();
  await page.waitForURL((u) => u.searchParams.get('q') === '齐鲁云计算' && u.searchParams.get('county') === '370811');
  await settled(page, 'redemptions-table');
  rows = await rowTexts(page, 'redemptions-table');
  expect(rows.length === 1 && rows[0].includes('齐鲁云计算服务有限公司') && rows[0].includes('任城区'), `filtered rows: ${JSON.stringify(rows)}`);
  await page.reload();
  await settled(page, 'redemptions-table');
  expect((await field(page, 'filter-q').inputValue()) === '齐鲁云计算', 'the keyword is back after the reload');
  expect((await text(page.locator('[data-test="filter-county"]'))).includes('任城区'), 'the county is back after the reload');
  expect(JSON.stringify(await rowTexts(page, 'redemptions-table')) === JSON.stringify(rows), 'the same rows after the reload');

  // The page: one a page, page 2.
  await page.goto(url('/redemptions?size=1'));
  await settled(page, 'redemptions-table');
  await page.locator('.yq-pager .btn-next').click();
  await page.waitForURL((u) => u.searchParams.get('page') === '2');
  await settled(page, 'redemptions-table');
  const second = await rowTexts(page, 'redemptions-table');
  await page.reload();
  await settled(page, 'redemptions-table');
  expect((await text(page.locator('.yq-pager .el-pager li.is-active'))) === '2', 'page 2 after the reload');
  expect(JSON.stringify(await rowTexts(page, 'redemptions-table')) === JSON.stringify(second), 'the row of page 2 after the reload');
});

test('公示管理: the home page’s ?status=open, the keyword and the page survive a reload', async ({ page }) => {
  await login(page, 'city_finance');
  await page.goto(url('/notices?status=open'));
  await settled(page, 'notices-table');
  let rows = await rowTexts(page, 'notices-table');
  expect(rows.length === 1 && rows[0].includes('公示中'), `open notices: ${JSON.stringify(rows)}`);
  expect((await text(page.locator('[data-test="filter-status"]'))).includes('公示中'), 'the link’s status is shown in the filter');

  await page.goto(url('/notices'));
  await settled(page, 'notices-table');
  expect((await rowTexts(page, 'notices-table')).length === 2, 'the two demo notices');
  // 齐鲁云计算's application of the demo was paid: its notice is closed.
  await field(page, 'filter-q').fill('齐鲁云计算');
  await page.locator('[data-test="filter-submit"]').click();
  await page.waitForURL((u) => u.searchParams.get('q') === '齐鲁云计算');
  await settled(page, 'notices-table');
  rows = await rowTexts(page, 'notices-table');
  expect(rows.length === 1 && !rows[0].includes('公示中'), `notices of 齐鲁云计算: ${JSON.stringify(rows)}`);
  await page.reload();
  await settled(page, 'notices-table');
  expect((await field(page, 'filter-q').inputValue()) === '齐鲁云计算', 'the keyword is back after the reload');
  expect(JSON.stringify(await rowTexts(page, 'notices-table')) === JSON.stringify(rows), 'the same rows after the reload');

  await page.goto(url('/notices?size=1'));
  await settled(page, 'notices-table');
  await page.locator('.yq-pager .btn-next').click();
  await page.waitForURL((u) => u.searchParams.get('page') === '2');
  await settled(page, 'notices-table');
  const second = await rowTexts(page, 'notices-table');
  await page.reload();
  await settled(page, 'notices-table');
  expect((await text(page.locator('.yq-pager .el-pager li.is-active'))) === '2', 'page 2 after the reload');
  expect(JSON.stringify(await rowTexts(page, 'notices-table')) === JSON.stringify(second), 'the row of page 2 after the reload');
});

test('集中兑付 and 资金追回: the status, keyword and county survive a reload', async ({ page }) => {
  await login(page, 'city_finance');
  await page.goto(url('/payouts'));
  await settled(page, 'payouts-table');
  const all = await rowTexts(page, 'payouts-table');
  expect(all.length >= 1 && all.every((r) => r.includes('已兑付')), `the demo's paid batch: ${JSON.stringify(all)}`);
  await pickOption(page, 'filter-status', '待兑付');
  await pickOption(page, 'filter-county', '任城区');
  await page.locator('[data-test="filter-submit"]').click();
  await page.waitForURL((u) => u.searchParams.get('status') === 'draft' && u.searchParams.get('county') === '370811');
  await settled(page, 'payouts-table');
  expect((await rowTexts(page, 'payouts-table')).every((r) => !r.includes('已兑付')), 'no paid batch under 待兑付');
  await page.reload();
  await settled(page, 'payouts-table');
  expect((await text(page.locator('[data-test="filter-status"]'))).includes('待兑付'), 'the status is back after the reload');
  expect((await text(page.locator('[data-test="filter-county"]'))).includes('任城区'), 'the county is back after the reload');
  expect((await rowTexts(page, 'payouts-table')).every((r) => !r.includes('已兑付')), 'still no paid batch after the reload');
  await page.goto(url('/payouts?q=' + encodeURIComponent('任财付')));
  await settled(page, 'payouts-table');
  expect((await field(page, 'filter-q').inputValue()) === '任财付', 'a link’s keyword is in the filter');
  expect((await rowTexts(page, 'payouts-table')).length >= 1, 'the batch paid under 任财付…');

  await page.goto(url('/clawbacks'));
  await page.locator('[data-test="clawbacks-page"]').waitFor();
  await field(page, 'filter-q').fill('没有这样的原因');
  await page.locator('[data-test="filter-submit"]').click();
  await page.waitForURL((u) => u.searchParams.get('q') === '没有这样的原因');
  await page.reload();
  await page.locator('[data-test="clawbacks-page"]').waitFor();
  expect((await field(page, 'filter-q').inputValue()) === '没有这样的原因', 'the clawbacks keyword is back after the reload');
});

test('a failed load says so and 重试 loads the list', async ({ page }) => {
  await login(page, 'city_finance');
  let fail = true;
  await page.route(/\/api\/v1\/vouchers(\?|$)/, (route) =>
    fail
      ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: '服务器内部错误' } }) })
      : route.continue(),
  );
  await page.goto(url('/vouchers'));
  const error = page.locator('[data-test="list-error"]');
  await error.waitFor();
  expect((await text(error)).includes('数据加载失败'), `error state: ${await text(error)}`);
  expect(!(await page.locator('[data-test="vouchers-table"]').isVisible()), 'no table (no "暂无…") while the load failed');
  expect((await page.locator('.yq-pager').count()) === 0, 'no "共 0 条" pager while the load failed');
  await shot(page, 'lists-vouchers-error');
  fail = false;
  await page.locator('[data-test="list-retry"]').click();
  await settled(page, 'vouchers-table');
  expect(!(await error.isVisible()), 'the error state is gone after 重试');
  const rows = await rowTexts(page, 'vouchers-table');
  expect(rows.length >= 2 && rows.every((r) => /YQ\d{4}-/.test(r)), `vouchers after 重试: ${JSON.stringify(rows)}`);
});

test('the global search finds a voucher by its code and a company by part of its name', async ({ page }) => {
  const api = await apiSession('city_finance');
  const voucher = (await api('GET', '/vouchers?county=370812')).json.items[0];
  await login(page, 'city_finance');
  const box = field(page, 'global-search-input');
  await box.fill(voucher.code);
  const hit = page.locator('[data-test="global-search-group-voucher"] [data-test="global-search-result"]', { hasText: voucher.code });
  await hit.waitFor();
  await shot(page, 'lists-global-search-voucher');
  await hit.click();
  await page.waitForURL((u) => u.pathname === `/vouchers/${voucher.id}`);
  await page.getByText(voucher.code).first().waitFor();

  await box.fill('精工');
  const company = page.locator('[data-test="global-search-group-enterprise"] [data-test="global-search-result"]', { hasText: '兖州精工机械有限公司' });
  await company.waitFor();
  expect((await text(company)).includes('91370812MA3C01014K'), 'the company is shown with its USCC');
  await company.click();
  await page.waitForURL((u) => u.pathname === '/enterprises' && u.searchParams.get('q') === '91370812MA3C01014K');
  await settled(page, 'enterprises-table');
  const rows = await rowTexts(page, 'enterprises-table');
  expect(rows.length === 1 && rows[0].includes('兖州精工机械有限公司'), `enterprise list opened on the company: ${JSON.stringify(rows)}`);
});

test('a county reviewer’s search opens an approved company in its review list', async ({ page }) => {
  await login(page, 'county_it');
  await field(page, 'global-search-input').fill('示范制造');
  const company = page.locator('[data-test="global-search-result"]', { hasText: '济宁示范制造有限公司' });
  await company.waitFor();
  await company.click();
  await page.waitForURL((u) => u.pathname === '/review/enterprises' && u.searchParams.get('q') === '91370811MA3C01006A');
  await settled(page, 'enterprises-table');
  const rows = await rowTexts(page, 'enterprises-table');
  expect(rows.length === 1 && rows[0].includes('济宁示范制造有限公司') && rows[0].includes('已通过'), `review list on the company: ${JSON.stringify(rows)}`);
});

test('an enterprise’s global search finds nothing of another company', async ({ page }) => {
  await login(page, 'enterprise');
  await field(page, 'global-search-input').fill('精工');
  await page.locator('[data-test="global-search-none"]').waitFor();
  expect((await page.locator('[data-test="global-search-result"]').count()) === 0, 'no result of another company');
});

/** The status column's header lies inside the table's visible area and nothing scrolls sideways. */
async function keyColumnsVisible(page, table, headers) {
  await settled(page, table);
  const t = page.locator(`[data-test="${table}"]`);
  const box = await t.boundingBox();
  const wrap = t.locator('.el-table__body-wrapper .el-scrollbar__wrap').first();
  const [sw, cw] = await wrap.evaluate((e) => [e.scrollWidth, e.clientWidth]);
  expect(sw <= cw + 1, `${table}: scrolls sideways (${sw} > ${cw})`);
  for (const h of headers) {
    const cell = t.locator('.el-table__header th', { hasText: new RegExp(`^\\s*${h}\\s*$`) }).first();
    const b = await cell.boundingBox();
    expect(b, `${table}: no column ${h}`);
    expect(b.x >= box.x - 1 && b.x + b.width <= box.x + box.width + 1, `${table}: column ${h} outside the table's visible area`);
    expect(b.x + b.width <= 1366, `${table}: column ${h} off screen`);
  }
}

test('key columns are visible without horizontal scroll at 1366×768', async ({ page }) => {
  await login(page, 'city_finance');
  await page.goto(url('/contracts'));
  await keyColumnsVisible(page, 'contracts-table', ['合同编号', '合同总额', '状态']);
  await page.goto(url('/vouchers'));
  await keyColumnsVisible(page, 'vouchers-table', ['券号', '券面金额', '状态']);
  await page.goto(url('/enterprises'));
  await keyColumnsVisible(page, 'enterprises-table', ['企业名称', '状态', '操作']);
  await shot(page, 'lists-enterprises-1366');
  await page.goto(url('/providers'));
  await keyColumnsVisible(page, 'providers-table', ['服务商名称', '状态', '操作']);
});

/** Every table on the page fits its card: no sideways scroll, so no column hides under the fixed 操作. */
async function noSidewaysScroll(page, what) {
  await page.locator('.el-table').first().waitFor();
  await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden' }).catch(() => {});
  const wide = await page.locator('.el-table__body-wrapper .el-scrollbar__wrap').evaluateAll((els) =>
    els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => `${e.scrollWidth}>${e.clientWidth}`),
  );
  expect(wide.length === 0, `${what}: a table scrolls sideways (${wide.join(', ')})`);
}

test('every list of the city, the admin and the provider fits 1366 px', async ({ page }) => {
  await login(page, 'city_finance');
  for (const p of ['/catalog-items', '/redemptions', '/notices', '/payouts', '/clawbacks', '/budgets']) {
    await page.goto(url(p));
    await noSidewaysScroll(page, p);
  }
  await page.context().clearCookies();
  await login(page, 'admin');
  await page.goto(url('/system/users'));
  await keyColumnsVisible(page, 'users-table', ['用户名', '状态', '创建时间', '操作']);
  await page.goto(url('/negative-list'));
  await noSidewaysScroll(page, '/negative-list');
  await page.context().clearCookies();
  await login(page, 'provider');
  await page.goto(url('/provider/catalog'));
  await keyColumnsVisible(page, 'items-table', ['产品名称', '状态', '操作']);
  await shot(page, 'lists-provider-catalog-1366');
});

test('the budget page says its data could not be loaded, not that there is no waitlist', async ({ page }) => {
  await login(page, 'city_finance');
  let fail = true;
  await page.route(/\/api\/v1\/budgets(\?|$)/, (route) =>
    fail ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal","message":"服务器内部错误"}}' }) : route.continue(),
  );
  await page.goto(url('/budgets'));
  await page.locator('[data-test="list-error"]').waitFor();
  expect((await page.locator('[data-test="waitlist-card"]').count()) === 0, 'no waitlist card while the budgets failed');
  expect(!(await page.locator('[data-test="budgets-table"]').isVisible()), 'no empty budgets table');
  fail = false;
  await page.locator('[data-test="list-retry"]').click();
  await settled(page, 'budgets-table');
  await page.locator('[data-test="waitlist-card"]').waitFor();
});

test('column settings are remembered after a reload', async ({ page }) => {
  await login(page, 'city_finance');
  await page.goto(url('/vouchers'));
  await settled(page, 'vouchers-table');
  const header = page.locator('[data-test="vouchers-table"] .el-table__header th', { hasText: /^\s*剩余可用\s*$/ });
  expect((await header.count()) === 1, 'the 剩余可用 column is shown by default');
  await page.locator('[data-test="table-columns"]').click();
  await page.locator('[data-test="column-toggle-remaining"]').click();
  await header.first().waitFor({ state: 'detached' });
  await page.locator('[data-test="table-density"]').click();
  await page.locator('[data-test="density-small"]').click();
  await page.reload();
  await settled(page, 'vouchers-table');
  expect((await header.count()) === 0, 'the hidden column stays hidden after the reload');
  expect((await page.locator('[data-test="vouchers-table"].el-table--small').count()) === 1, 'compact density after the reload');
  // Another table keeps its own settings.
  await page.goto(url('/contracts'));
  await settled(page, 'contracts-table');
  expect((await page.locator('[data-test="contracts-table"].el-table--small').count()) === 0, 'contracts keep the default density');
  await page.goto(url('/vouchers'));
  await settled(page, 'vouchers-table');
  await page.locator('[data-test="table-columns"]').click();
  await page.locator('[data-test="table-columns-reset"]').click();
  await header.first().waitFor();
});


test('负面清单 and 候补队列 are searched: keyword, status and day kept in the URL; the waitlist by company and status', async ({ page }) => {
  const api = await apiSession('admin');
  const entry = (await api('GET', '/negative-list?page_size=1')).json.items[0];
  expect(entry, 'the demo has a negative list entry');
  await login(page, 'admin');
  await page.goto(url('/negative-list'));
  await settled(page, 'negative-table');
  const rows = () => page.locator('[data-test="negative-table"] .el-table__body .el-table__row');
  await field(page, 'filter-q').fill(entry.name.slice(0, 3));
  await page.locator('[data-test="filter-submit"]').click();
  await page.waitForURL((u) => u.searchParams.get('q') === entry.name.slice(0, 3));
  await rows().filter({ hasText: entry.uscc }).waitFor();
  await pickOption(page, 'filter-status', '已移出');
  await page.locator('[data-test="filter-submit"]').click();
  await page.waitForURL((u) => u.searchParams.get('status') === 'lifted');
  await page.waitForFunction(() => document.querySelectorAll('[data-test="negative-table"] .el-table__body .el-table__row').length === 0);
  await page.reload();
  await settled(page, 'negative-table');
  expect((await field(page, 'filter-q').inputValue()) === entry.name.slice(0, 3), 'the keyword is back after the reload');
  expect((await text(page.locator('[data-test="filter-status"]'))).includes('已移出'), 'the status is back after the reload');
  await page.locator('[data-test="filter-reset"]').click();
  await rows().filter({ hasText: entry.uscc }).waitFor();

  await page.context().clearCookies();
  const fin = await apiSession('city_finance');
  const queued = (await fin('GET', '/waitlist?page_size=1')).json.items[0];
  expect(queued, 'the demo has a waiting application');
  await login(page, 'city_finance');
  await page.goto(url('/budgets'));
  await page.locator('[data-test="waitlist-card"]').waitFor();
  await pickOption(page, 'waitlist-county', queued.county_name ?? '邹城市');
  const queue = page.locator('[data-test="waitlist-table"] .el-table__body .el-table__row');
  await queue.filter({ hasText: queued.enterprise_name }).waitFor();
  await field(page, 'waitlist-q').fill('没有这样的企业');
  await field(page, 'waitlist-q').press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-test="waitlist-table"] .el-table__body .el-table__row').length === 0);
  await field(page, 'waitlist-q').fill(queued.enterprise_name.slice(0, 4));
  await field(page, 'waitlist-q').press('Enter');
  await queue.filter({ hasText: queued.enterprise_name }).waitFor();
  await pickOption(page, 'waitlist-status', '已补发');
  await page.waitForFunction(() => document.querySelectorAll('[data-test="waitlist-table"] .el-table__body .el-table__row').length === 0);
});

// The three lists that had their own filter forms now use the shared bar:
// a filter survives a reload and still filters.
test('服务商名录: a keyword and a type survive a reload and still filter', async ({ page }) => {
  const api = await apiSession('admin');
  const all = (await api('GET', '/providers?page_size=50')).json.items;
  const target = all.find((p) => p.kind) ?? all[0];
  expect(target, 'the demo has providers');
  const word = target.name.slice(0, 2);
  await login(page, 'county_it');
  await page.goto(url('/providers'));
  await settled(page, 'providers-table');
  await field(page, 'filter-q').fill(word);
  await page.locator('[data-test="filter-submit"]').click();
  await page.waitForURL((u) => new URL(u).searchParams.get('q') === word);
  await page.reload();
  await settled(page, 'providers-table');
  expect((await field(page, 'filter-q').inputValue()) === word, 'the keyword is back in its field after the reload');
  const rows = await rowTexts(page, 'providers-table');
  expect(rows.length > 0 && rows.every((r) => r.includes(word)), `every row matches ${word} after the reload: ${rows.slice(0, 3).join(' | ')}`);
  const others = all.filter((p) => !p.name.includes(word) && !p.uscc.includes(word));
  if (others.length) expect(!rows.some((r) => r.includes(others[0].name)), `${others[0].name} is filtered out`);
});

test('目录审核: 仅待审核 off and a keyword survive a reload and still filter', async ({ page }) => {
  const api = await apiSession('admin');
  const items = (await api('GET', '/catalog-items?page_size=50')).json.items;
  expect(items.length > 1, 'the demo has catalog items');
  const word = items[0].name.slice(0, 3);
  await login(page, 'city_it');
  await page.goto(url('/review/catalog'));
  await settled(page, 'catalog-review-table');
  await page.locator('[data-test="filter-pending"]').click();
  await page.waitForURL((u) => new URL(u).searchParams.get('pending') === '');
  await field(page, 'filter-q').fill(word);
  await page.locator('[data-test="filter-submit"]').click();
  await page.waitForURL((u) => new URL(u).searchParams.get('q') === word);
  await page.reload();
  await settled(page, 'catalog-review-table');
  expect(!(await page.locator('[data-test="filter-pending"]').getAttribute('class')).includes('is-checked'), '仅待审核 stays off after the reload');
  expect((await field(page, 'filter-q').inputValue()) === word, 'the keyword is back after the reload');
  const rows = await rowTexts(page, 'catalog-review-table');
  expect(rows.length > 0 && rows.every((r) => r.includes(word)), `every row matches ${word}: ${rows.slice(0, 3).join(' | ')}`);
  const other = items.find((i) => !i.name.includes(word));
  if (other) expect(!rows.some((r) => r.includes(other.name)), `${other.name} is filtered out`);
});

test('审计日志: a type picked in the bar survives a reload and still filters', async ({ page }) => {
  await login(page, 'auditor');
  await page.goto(url('/audit'));
  await settled(page, 'audit-table');
  await pickOption(page, 'audit-entity', '合同');
  await page.waitForURL((u) => new URL(u).searchParams.get('entity') === 'contract');
  await page.reload();
  await settled(page, 'audit-table');
  const names = page.locator('[data-test="audit-table"] [data-test="audit-entity-name"]');
  await names.first().waitFor();
  const shown = (await names.allInnerTexts()).map((s) => s.trim());
  expect(shown.length > 0 && shown.every((s) => s === '合同'), `only contracts after the reload: ${shown.join(',')}`);
  expect((await page.locator('[data-test="audit-entity"]').innerText()).includes('合同'), 'the select still shows 合同');
  await page.locator('[data-test="filter-reset"]').click();
  await page.waitForURL((u) => !new URL(u).searchParams.has('entity'));
});

await runIfMain(import.meta.url);
