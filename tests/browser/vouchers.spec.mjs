// The journey of "Contracts, vouchers and budgets": a provider finds an
// approved enterprise by its USCC and drafts a contract (a catalog line and
// a free-text line, with the live subsidy estimate) and attaches a scan; the
// enterprise confirms it and sees its voucher with the right amount, trace,
// QR code and printable sheet; signed out, the public verification page
// shows it from the QR link's address; county finance funds its budget; in
// a county whose budget is short, confirming queues the application and
// says how many are ahead.
//
// The enterprise is fresh on every run (signed up, filled in and approved
// through the API), so the run can repeat against the same server. The
// expected amount is computed with the UI's own utils/subsidy.ts from the
// ratio the server says is in force today, not hard-coded.
// Run: node tests/browser/run.mjs vouchers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { apiSession, config, confirmBox, expect, field, importWebTs, login, logout, openMenu, runIfMain, shot, test, text, url } from './lib.mjs';

const uscc = await importWebTs('src/utils/uscc.ts');
const money = await importWebTs('src/utils/money.ts');
const ratio = await importWebTs('src/utils/ratio.ts');
const subsidy = await importWebTs('src/utils/subsidy.ts');
const format = await importWebTs('src/utils/format.ts');

const run = `${Date.now().toString(36)}${randomInt(1296).toString(36)}`;
const COUNTY = { code: '370811', name: '任城区' };
const PROVIDER = { username: 'prov_app', name: '孔孟之乡软件有限公司' };
const ITEM = { name: '云 ERP 进销存 标准版', quantity: 12, price: '8600', unitFen: 860000 };
const FREE = { description: '上云实施与培训服务', unit: '项', price: '3000', fen: 300000 };
const ENTERPRISE = {
  username: `vq${run}`,
  password: 'Signup-pass-2026',
  uscc: freshUscc(),
  name: `济宁云券测试${run}有限公司`,
};
const CONTRACT_NO = `KM-T-${run}`;
/** A county whose demo budget is short and has a queue (邹城市: ¥1,000 and one application waiting). */
const SHORT = { code: '370883', name: '邹城市' };
const QUEUED = {
  username: `vw${run}`,
  password: 'Signup-pass-2026',
  uscc: freshUscc(SHORT.code),
  name: `邹城候补测试${run}有限公司`,
};
const BASE_FEN = BigInt(ITEM.quantity * ITEM.unitFen);

/** What the tests learn on the way (each test has its own browser context). */
const done = { enterpriseId: '', contractId: '', voucherId: '', code: '', expectedFen: 0n, program: null, ratioBp: 0 };

function freshUscc(county = COUNTY.code) {
  let body = '';
  for (let i = 0; i < 8; i++) body += uscc.USCC_ALPHABET[randomInt(uscc.USCC_ALPHABET.length)];
  return uscc.makeUscc('91', county, body);
}

// --- the API, for the setup a user would have done on other pages ---------

/** Sign up a fresh enterprise, complete and submit its profile, and have its county's reviewer approve it. */
async function approvedEnterprise(who = ENTERPRISE, county = COUNTY.code, reviewer = apiSession('county_it')) {
  const ent = await apiSession(who.username, who.password, {
    role: 'enterprise',
    username: who.username,
    password: who.password,
    uscc: who.uscc,
    name: who.name,
    county_code: county,
  });
  const { json: mine } = await ent('GET', '/enterprises/mine');
  await ent('PATCH', `/enterprises/${mine.id}`, {
    legal_rep: '赵云券',
    address: '济宁市太白楼路 6 号',
    phone: `138${String(randomInt(1e8)).padStart(8, '0')}`,
    email: `${who.username}@qiye.example.cn`,
    independent_legal_person: true,
    industry: 'C',
    employees: 60,
  });
  await ent('POST', `/enterprises/${mine.id}/submit`, {});
  await (await reviewer)('POST', `/enterprises/${mine.id}/approve`, {});
  return mine.id;
}

/** Make sure the county's pool of this year can issue `fen` at once (nobody waiting, enough available). */
async function budgetCovers(year, fen) {
  const finance = await apiSession('county_finance');
  const { json } = await finance('GET', `/budgets?year=${year}`);
  const row = json.items.find((r) => r.county_code === COUNTY.code);
  const need = BigInt(row.waitlist_fen) + fen - BigInt(row.available_fen);
  if (row.waitlist_count > 0 || need > 0n) {
    const amount = Number(need > 0n ? need : fen);
    await finance('POST', `/budgets/${COUNTY.code}/${year}/fund`, { amount_fen: amount, source: 'county', reference: `browser-topup-${run}` });
  }
}

// --- the journey -------------------------------------------------------------

test('money.ts and subsidy.ts: 大写金额 and the voucher amount on integer fen', async () => {
  expect(money.fenToChineseUpper(3096000) === '叁万零玖佰陆拾元整', `3096000 → ${money.fenToChineseUpper(3096000)}`);
  expect(money.fenToChineseUpper(1640902) === '壹万陆仟肆佰零玖元零贰分', `1640902 → ${money.fenToChineseUpper(1640902)}`);
  expect(money.fenToChineseUpper(10700053) === '壹拾万柒仟元伍角叁分', `10700053 → ${money.fenToChineseUpper(10700053)}`);
  expect(money.fenToChineseUpper(10000000100) === '壹亿零壹元整', `10000000100 → ${money.fenToChineseUpper(10000000100)}`);
  expect(money.fenToChineseUpper(100050000) === '壹佰万零伍佰元整', `100050000 → ${money.fenToChineseUpper(100050000)}`);
  expect(money.fenToChineseUpper(50) === '伍角整', `50 → ${money.fenToChineseUpper(50)}`);
  expect(money.fenToChineseUpper(0) === '零元整', `0 → ${money.fenToChineseUpper(0)}`);
  expect(money.formatMoney(12345678901234567n) === '¥123,456,789,012,345.67', 'formatMoney takes bigint');

  // 30% of ¥103,200.00, under the ¥50,000 cap; ¥200,000.01 × 30% = ¥60,000.00 is capped at ¥50,000 / within ¥60,000.
  const a = subsidy.estimateSubsidy(10320000n, 3000, 5000000, 2000);
  expect(a.amountFen === 3096000n && !a.capped, `30% of ¥103,200.00 is ${a.amountFen}`);
  const b = subsidy.estimateSubsidy(20000001n, 3000, 5000000, 2000);
  expect(b.subsidyFen === 6000000n && b.amountFen === 5000000n && b.capped, 'capped at the plain cap');
  expect(b.certifiedCapFen === 6000000n && b.certifiedAmountFen === 6000000n && !b.certifiedCapped, '+20% with a certificate');
  expect(subsidy.applyBp(33n, 2500) === 8n, 'floor of 8.25 fen is 8');
});

test('contract: the provider drafts for an approved enterprise, with the live subsidy estimate and an attachment', async ({ page }) => {
  done.enterpriseId = await approvedEnterprise();

  // The expectation: the program in force today and its ratio, as the server says.
  const today = format.todayInChina();
  const provider = await apiSession(PROVIDER.username);
  const { json: programs } = await provider('GET', '/programs');
  done.program = programs.items.find((p) => p.parameters.window_starts_on <= today && today <= p.parameters.window_ends_on);
  expect(done.program, `a program is in force on ${today}`);
  const { json: r } = await provider('GET', `/programs/${done.program.id}/ratio?date=${today}`);
  done.ratioBp = r.ratio_bp;
  const est = subsidy.estimateSubsidy(BASE_FEN, r.ratio_bp, done.program.parameters.cap_fen, done.program.parameters.cert_bonus_bp);
  done.expectedFen = est.amountFen; // the fresh enterprise holds no certificate
  await budgetCovers(Number(today.slice(0, 4)), done.expectedFen);

  await login(page, PROVIDER.username);
  await openMenu(page, '合同管理', '[data-test="contracts-page"]');
  await page.locator('[data-test="contract-new"]').click();
  await page.locator('[data-test="contract-editor"]').waitFor();

  // The provider finds the enterprise by its USCC (approved enterprises only); an unknown one is refused with the server's reason.
  await field(page, 'contract-enterprise-ref').fill(freshUscc());
  await page.locator('[data-test="contract-enterprise-lookup"]').click();
  await page.locator('[data-test="contract-enterprise-note"]', { hasText: '没有该统一社会信用代码的已审核企业' }).waitFor();
  await field(page, 'contract-enterprise-ref').fill(ENTERPRISE.uscc.toLowerCase());
  await page.locator('[data-test="contract-enterprise-lookup"]').click();
  const chosen = await text(page.locator('[data-test="contract-enterprise-chosen"]'));
  expect(chosen.includes(ENTERPRISE.name) && chosen.includes(COUNTY.name), `the enterprise is found: ${chosen}`);

  await field(page, 'contract-no').fill(CONTRACT_NO);
  const range = page.locator('[data-test="contract-period"] input');
  await range.nth(0).fill(today);
  await range.nth(1).fill(`${Number(today.slice(0, 4)) + 1}${today.slice(4)}`);
  await range.nth(1).press('Enter');

  // Line 1: the catalog item, 12 × ¥8,600.00.
  const rows = page.locator('[data-test="contract-lines"] .el-table__body .el-table__row');
  await rows.nth(0).locator('[data-test="line-item"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: ITEM.name }).first().click();
  await field(rows.nth(0), 'line-quantity').fill(String(ITEM.quantity));
  await field(rows.nth(0), 'line-quantity').press('Tab');
  await field(rows.nth(0), 'line-price').fill(ITEM.price);
  const lineOne = money.formatMoney(ITEM.quantity * ITEM.unitFen);
  await rows.nth(0).locator('[data-test="line-amount"]', { hasText: lineOne }).waitFor();

  // Line 2: free text, not subsidised.
  await page.locator('[data-test="add-free-line"]').click();
  await field(rows.nth(1), 'line-description').fill(FREE.description);
  await field(rows.nth(1), 'line-unit').fill(FREE.unit);
  await field(rows.nth(1), 'line-price').fill(FREE.price);

  const total = money.formatMoney(ITEM.quantity * ITEM.unitFen + FREE.fen);
  const base = money.formatMoney(BASE_FEN);
  await page.locator('[data-test="contract-total"]', { hasText: total }).waitFor();
  expect((await text(page.locator('[data-test="contract-base"]'))) === base, `base is ${base}`);
  const estimate = page.locator('[data-test="subsidy-estimate"]');
  await estimate.locator('[data-test="estimate-amount"]', { hasText: money.formatMoney(done.expectedFen) }).waitFor();
  expect((await text(estimate.locator('[data-test="estimate-base"]'))) === base, 'the estimate counts catalog lines only');
  expect((await text(estimate.locator('[data-test="estimate-ratio"]'))) === ratio.formatBp(r.ratio_bp), 'the estimate uses today’s ratio');
  expect((await text(estimate.locator('[data-test="estimate-cap"]'))).includes(money.formatMoney(est.certifiedCapFen)), 'both caps are shown');
  await shot(page, 'contract-editor');

  await page.locator('[data-test="contract-submit"]').click();
  await page.waitForURL((u) => /^\/contracts\/[0-9A-Z]{26}$/.test(u.pathname));
  done.contractId = new URL(page.url()).pathname.split('/').pop();
  await page.locator('[data-test="contract-status"][data-status="draft"]').waitFor();
  expect((await page.locator('[data-test="contract-confirm"]').count()) === 0, 'the drafter cannot confirm its own draft');
  expect((await text(page.locator('[data-test="contract-facts"]'))).includes(ENTERPRISE.name), 'the draft names the enterprise');

  // A scan of the contract, stored by SHA-256 and downloadable.
  const pdf = Buffer.from(`%PDF-1.4\n% ${CONTRACT_NO}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
  await page.locator('[data-test="attachment-input"]').setInputFiles({ name: `合同扫描件-${run}.pdf`, mimeType: 'application/pdf', buffer: pdf });
  const att = page.locator('[data-test="attachments-table"] .el-table__row', { hasText: `合同扫描件-${run}.pdf` });
  await att.waitFor();
  const href = await att.locator('[data-test="attachment-download"]').getAttribute('href');
  const got = await page.request.get(url(href));
  expect(got.ok() && Buffer.compare(await got.body(), pdf) === 0, `the attachment downloads as uploaded (${got.status()})`);
  await logout(page);
});

test('voucher: the enterprise confirms and sees its voucher with the right amount, trace, QR code and print view', async ({ page }) => {
  expect(done.contractId, 'depends on the drafting test');
  await login(page, ENTERPRISE.username, ENTERPRISE.password);

  // Home says a draft waits for it and leads there.
  await page.locator('[data-test="home-to-confirm"]', { hasText: CONTRACT_NO }).waitFor();
  await page.locator('[data-test="home-to-confirm-link"]').first().click();
  await page.waitForURL((u) => u.pathname === `/contracts/${done.contractId}`);
  await page.locator('[data-test="contract-confirm"]').click();
  await confirmBox(page);

  const expected = money.formatMoney(done.expectedFen);
  const outcome = page.locator('[data-test="confirm-outcome"]');
  await outcome.waitFor();
  const kind = await outcome.getAttribute('data-outcome');
  expect(kind === 'voucher', `confirming issued a voucher, not "${kind}": ${await text(outcome)}`);
  expect((await text(outcome)).includes(expected), `the outcome says ${expected}: ${await text(outcome)}`);
  await page.locator('[data-test="contract-status"][data-status="confirmed"]').waitFor();
  await page.locator('[data-test="outcome-voucher-link"]').click();

  await page.waitForURL((u) => /^\/vouchers\/[0-9A-Z]{26}$/.test(u.pathname));
  done.voucherId = new URL(page.url()).pathname.split('/').pop();
  await page.locator('[data-test="voucher-amount"]', { hasText: expected }).waitFor();
  done.code = await text(page.locator('[data-test="voucher-code"]'));
  expect(new RegExp(`^YQ\\d{4}-${COUNTY.code}-\\d{6}-[0-9A-Z]$`).test(done.code), `code ${done.code}`);
  const upper = `人民币${money.fenToChineseUpper(done.expectedFen)}`;
  expect((await text(page.locator('[data-test="voucher-amount-upper"]'))) === upper, `upper case is ${upper}`);
  expect((await text(page.locator('[data-test="voucher-holder"]'))) === ENTERPRISE.name, 'holder');
  expect((await text(page.locator('[data-test="voucher-provider"]'))) === PROVIDER.name, 'provider');
  expect((await text(page.locator('[data-test="voucher-remaining"]'))) === expected, 'nothing redeemed yet');
  await page.locator('[data-test="voucher-status"][data-status="issued"]').waitFor();

  // The trace, as a table people read.
  const trace = page.locator('[data-test="voucher-trace"]');
  expect((await text(trace.locator('[data-test="trace-base"]'))) === money.formatMoney(BASE_FEN), 'trace base: catalog lines only');
  expect((await text(trace.locator('[data-test="trace-ratio"]'))) === ratio.formatBp(done.ratioBp), 'trace ratio');
  expect((await text(trace.locator('[data-test="trace-amount"]'))) === expected, 'trace result');
  expect((await text(trace.locator('[data-test="trace-capped"]'))) === '否', 'not capped');
  expect((await text(trace.locator('[data-test="trace-certificate"]'))).includes('未提供'), 'no certificate');

  // The QR image loads (the session cookie goes along).
  const qr = page.locator('[data-test="voucher-qr"]');
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await qr.elementHandle());
  await shot(page, 'voucher');

  // The print view: only the A5 sheet, with the amount in words and the QR code.
  await page.emulateMedia({ media: 'print' });
  const sheet = page.locator('[data-test="voucher-print-sheet"]');
  await sheet.waitFor({ state: 'visible' });
  expect(!(await page.locator('[data-test="side-menu"]').isVisible()), 'the menu is not printed');
  expect((await text(sheet.locator('[data-test="print-code"]'))) === done.code, 'sheet code');
  expect((await text(sheet.locator('[data-test="print-amount"]'))) === expected, 'sheet amount');
  expect((await text(sheet.locator('[data-test="print-amount-upper"]'))) === upper, 'sheet amount in words');
  await page.screenshot({ path: path.join(config.out, 'voucher-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await sheet.waitFor({ state: 'hidden' });

  // The API agrees, and the QR code is served as SVG.
  const ent = await apiSession(ENTERPRISE.username, ENTERPRISE.password);
  const { json: v } = await ent('GET', `/vouchers/${done.voucherId}`);
  expect(v.code === done.code && BigInt(v.amount_fen) === done.expectedFen, `API voucher ${v.code} ${v.amount_fen}`);
  const { res } = await ent('GET', `/vouchers/${done.voucherId}/qr.svg`);
  expect((res.headers.get('content-type') ?? '').startsWith('image/svg+xml'), 'QR code is an SVG');

  // Home now shows the voucher and what happens next.
  await page.locator('[data-test="side-menu"] .el-menu-item', { hasText: '首页' }).click();
  const home = page.locator('[data-test="home-voucher"]', { hasText: done.code });
  await home.waitFor();
  expect((await text(home.locator('[data-test="home-voucher-amount"]'))) === expected, 'home shows the amount');
  expect((await text(home.locator('[data-test="home-next-step"]'))).includes('券已发放'), 'home says what happens next');
  await logout(page);
});

test('verify: signed out, the QR link shows the genuine voucher with the masked holder; the 券号核验 box leads there', async ({ page }) => {
  expect(done.code, 'depends on the voucher test');
  // The QR code encodes <public url>/verify/<code>; open that address signed out.
  await page.goto(url(`/verify/${done.code}`));
  await page.locator('[data-test="verify-genuine"]').waitFor();
  const expected = money.formatMoney(done.expectedFen);
  expect((await text(page.locator('[data-test="verify-code"]'))) === done.code, 'code');
  expect((await text(page.locator('[data-test="verify-amount"]'))) === expected, `amount ${expected}`);
  expect((await text(page.locator('[data-test="verify-county"]'))) === COUNTY.name, 'county');
  expect((await text(page.locator('[data-test="verify-program"]'))) === done.program.name, 'program');
  await page.locator('[data-test="verify-status"][data-status="issued"]').waitFor();
  const holder = await text(page.locator('[data-test="verify-holder"]'));
  expect(
    holder !== ENTERPRISE.name && holder.includes('*') && holder.startsWith(ENTERPRISE.name.slice(0, 2)) && holder.endsWith('有限公司'),
    `the holder is masked: ${holder}`,
  );
  expect(!(await page.locator('[data-test="verify-page"]').innerText()).includes(ENTERPRISE.name), 'the full name is nowhere on the page');
  await shot(page, 'public-verify');

  // From any public page: the box in the top bar (lower case is fine).
  await page.goto(url('/public/catalog'));
  await field(page, 'verify-box').fill(done.code.toLowerCase());
  await field(page, 'verify-box').press('Enter');
  await page.waitForURL((u) => u.pathname === `/verify/${done.code}`);
  await page.locator('[data-test="verify-genuine"]').waitFor();

  // A mistyped code (wrong check character) is not found, with the server's reason.
  const last = done.code.slice(-1);
  const wrong = done.code.slice(0, -1) + (last === 'A' ? 'B' : 'A');
  await field(page, 'verify-input').fill(wrong);
  await page.locator('[data-test="verify-submit"]').click();
  await page.locator('[data-test="verify-not-found"]').waitFor();
});

test('budgets: county_finance funds its county, sees the server refuse a reused reference, and reads the waitlist', async ({ page }) => {
  await login(page, 'county_finance');
  await openMenu(page, '预算资金', '[data-test="budgets-page"]');
  const rows = page.locator('[data-test="budgets-table"] .el-table__body .el-table__row');
  await rows.first().waitFor();
  expect((await rows.count()) === 1 && (await text(rows.first())).includes(COUNTY.name), 'a county official sees its own county');
  const available = async () => money.yuanToFen(await text(rows.first().locator('[data-test="budget-available"]')));
  const before = await available();

  const reference = `济财企指-${run}`;
  await field(page, 'fund-amount').fill('1000');
  await field(page, 'fund-reference').fill(reference);
  await page.locator('[data-test="fund-submit"]').click();
  await confirmBox(page);
  await page.locator('.el-message--success', { hasText: '已向任城区拨入 ¥1,000.00' }).waitFor();
  await page.waitForFunction(
    async ([sel, want]) => document.querySelector(sel)?.textContent?.trim() === want,
    ['[data-test="budgets-table"] [data-test="budget-available"]', money.formatMoney(before + 100000)],
  );

  // The same reference with another amount: the server refuses, under the reference field.
  await field(page, 'fund-amount').fill('2000');
  await field(page, 'fund-reference').fill(reference);
  await page.locator('[data-test="fund-submit"]').click();
  await confirmBox(page);
  const error = field(page, 'fund-reference').locator('xpath=ancestor::div[contains(@class,"el-form-item")][1]').locator('.el-form-item__error');
  await error.waitFor();
  expect((await text(error)).includes('凭证号'), `reference error: ${await text(error)}`);
  expect((await available()) === before + 100000, 'the refused funding booked nothing');

  await page.locator('[data-test="waitlist-card"] [data-test="waitlist-table"]').waitFor();
  expect((await page.locator('[data-test="waitlist-county"]').count()) === 0, 'a county official has no county to choose');
  await shot(page, 'budgets');
  await logout(page);
});

test('budgets: city_finance sees every county and a county’s waitlist in order', async ({ page }) => {
  const finance = await apiSession('city_finance');
  const year = format.currentYearInChina();
  const { json } = await finance('GET', `/budgets?year=${year}`);
  await login(page, 'city_finance');
  await openMenu(page, '预算资金', '[data-test="budgets-page"]');
  const rows = page.locator('[data-test="budgets-table"] .el-table__body .el-table__row');
  await rows.nth(json.items.length - 1).waitFor();
  expect((await rows.count()) === json.items.length, `one row per county (${json.items.length})`);
  await page.locator('[data-test="fund-source-county"]').waitFor({ state: 'detached' });
  await page.locator('[data-test="fund-source-city_award"]').waitFor();

  const queued = json.items.find((r) => r.waitlist_count > 0);
  if (queued) {
    const { json: wl } = await finance('GET', `/waitlist?county=${queued.county_code}&year=${year}`);
    await rows.filter({ hasText: queued.county_name }).locator('[data-test="budget-waitlist-link"]').click();
    const first = page.locator('[data-test="waitlist-table"] .el-table__body .el-table__row').first();
    await first.filter({ hasText: wl.items[0].enterprise_name }).waitFor();
    expect((await text(first.locator('[data-test="waitlist-place"]'))) === '1', 'the head of the queue is place 1');
  }
  await shot(page, 'budgets-city');

  // 导出 Excel: the server's workbook of the same list.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="budgets-page"] [data-test="export-xlsx"]').first().click()]);
  expect(/^\d{4}年预算资金-\d{4}-\d{2}-\d{2}\.xlsx$/.test(download.suggestedFilename()), `file name ${download.suggestedFilename()}`);
  const file = await download.path();
  const head = readFileSync(file).subarray(0, 2).toString('latin1');
  expect(head === 'PK', 'the download is an xlsx (zip) file');
});

test('waitlist: when the county cannot cover the voucher, confirming queues it and says how many are ahead', async ({ page }) => {
  expect(done.program, 'depends on the drafting test');
  // 邹城市 has no reviewer among the demo accounts: the admin makes one.
  const admin = await apiSession('admin');
  const reviewer = { username: `zc_it_${run}`, password: 'County-pass-2026' };
  await admin('POST', '/users', { ...reviewer, role: 'county_it', display_name: `邹城市经信局审核${run}`, county_code: SHORT.code });
  const enterpriseId = await approvedEnterprise(QUEUED, SHORT.code, apiSession(reviewer.username, reviewer.password));

  const provider = await apiSession(PROVIDER.username);
  const { json: items } = await provider('GET', `/public/catalog?provider=${(await provider('GET', '/auth/me')).json.user.party.id}&q=${encodeURIComponent(ITEM.name)}`);
  const item = items.items.find((i) => i.name === ITEM.name);
  const today = format.todayInChina();
  const { json: contract } = await provider('POST', '/contracts', {
    enterprise_id: enterpriseId,
    contract_no: `${CONTRACT_NO}-W`,
    signed_on: today,
    service_start: today,
    service_end: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
    lines: [{ catalog_item_id: item.id, quantity: ITEM.quantity, unit_price_fen: ITEM.unitFen }],
  });

  // Who is ahead, and whether the pool could cover the voucher (it may not overtake the queue either way).
  const city = await apiSession('city_finance');
  const year = Number(today.slice(0, 4));
  const { json: budgets } = await city('GET', `/budgets?year=${year}`);
  const pool = budgets.items.find((r) => r.county_code === SHORT.code);
  const mustWait = pool.waitlist_count > 0 || BigInt(pool.available_fen) < done.expectedFen;
  expect(mustWait, `${SHORT.name} can cover the voucher now (available ${pool.available_fen}, ${pool.waitlist_count} waiting): nothing to queue`);

  await login(page, QUEUED.username, QUEUED.password);
  await page.goto(url(`/contracts/${contract.id}`));
  await page.locator('[data-test="contract-confirm"]').click();
  await confirmBox(page);
  const outcome = page.locator('[data-test="confirm-outcome"]');
  await outcome.waitFor();
  expect((await outcome.getAttribute('data-outcome')) === 'waitlist', `queued, not: ${await text(outcome)}`);
  const ahead = await text(outcome.locator('[data-test="outcome-ahead"]'));
  expect(ahead.includes(`前面还有 ${pool.waitlist_count} 家`) && ahead.includes(money.formatMoney(done.expectedFen)), `ahead: ${ahead}`);
  await shot(page, 'contract-waitlisted');

  // Home says it is waiting.
  await page.locator('[data-test="side-menu"] .el-menu-item', { hasText: '首页' }).click();
  await page.locator('[data-test="home-waiting"]').waitFor();
  await logout(page);

  // The city sees it at the end of 邹城市's queue.
  await login(page, 'city_finance');
  await openMenu(page, '预算资金', '[data-test="budgets-page"]');
  await page.locator('[data-test="budgets-table"] .el-table__row', { hasText: SHORT.name }).locator('[data-test="budget-waitlist-link"]').click();
  const mine = page.locator('[data-test="waitlist-table"] .el-table__row', { hasText: QUEUED.name });
  await mine.waitFor();
  expect((await text(mine.locator('[data-test="waitlist-place"]'))) === String(pool.waitlist_count + 1), 'its place is after those ahead');
});

test('contracts: county_it finds the confirmed contract of its county, may terminate it, and sees no other county', async ({ page }) => {
  expect(done.contractId, 'depends on the drafting test');
  await login(page, 'county_it');
  await openMenu(page, '合同管理', '[data-test="contracts-page"]');
  await page.locator('[data-test="filter-status"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '已确认' }).first().click();
  await page.locator('[data-test="filter-submit"]').click();
  const row = page.locator('[data-test="contracts-table"] .el-table__row', { hasText: CONTRACT_NO });
  await row.waitFor();
  const counties = await page.locator('[data-test="contracts-table"] .el-table__body .el-table__row').allInnerTexts();
  expect(counties.every((r) => r.includes(COUNTY.name) && r.includes('已确认')), 'only confirmed contracts of 任城区');
  await row.locator('[data-test="contract-link"]').click();
  await page.locator('[data-test="contract-voucher"]', { hasText: done.code }).waitFor();
  await page.locator('[data-test="contract-terminate"]').waitFor();
  expect((await page.locator('[data-test="contract-confirm"], [data-test="contract-cancel"], [data-test="attachment-upload"]').count()) === 0, 'officials neither confirm, cancel nor upload');
  await shot(page, 'contract-detail');
});

await runIfMain(import.meta.url);
