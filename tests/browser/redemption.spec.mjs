// The journey of "Redemption, notice and payment" (兑现, SPEC §7): a provider
// files a redemption application for the first half-year (a voucher,
// service, fee, an exact decimal claim, invoice numbers, an evidence file)
// and submits it in the filing window; the evaluator scores it on the
// program's criteria with the weighted total computed as typed and a 5%
// quality deduction; county_it lowers it by ¥100.00 with a reason and
// approves, seeing the calculation trace; county_it opens a public notice
// and sees its earliest close on the official calendar; a member of the
// public on a phone reads the notice, is told a 429 politely, and files an
// objection whose contact never shows publicly; county_it sees the contact,
// may not close yet, dismisses it; past the last day county_it closes the
// notice; county_finance builds a payout batch, exports the bank file and
// records the payment; then claws back ¥100.00 of it.
//
// Server time: the spec moves the server's clock through YQ_CLOCK_FILE
// (the server started with --clock-file; tests/run_all.py does so) and
// fixes the browser's clock to the same instants, so that "today" agrees on
// both sides. With Y the current year: the voucher is issued on Y-03-02
// (first half-year, inside the demo program that starts on 1 January), the
// application is filed on Y-07-01 (the filing window of YH1 opens the day
// after the half-year), and the notice closes the day after its last day.
// Every date stays inside Y, whose holidays the official calendar must hold.
// The last test gives the server its real clock back.
//
// A provider files one application per county and period, so the journey
// needs a fresh database (run_all.py makes one per run). The enterprise and
// its voucher are fresh on every run. Expected amounts come from the UI's
// own utils (money.ts, redemption.ts, subsidy.ts), not from the server.
// Run: node tests/browser/run.mjs redemption.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import {
  apiSession,
  config,
  confirmBox,
  expect,
  field,
  importWebTs,
  login,
  logout,
  openMenu,
  pickOption,
  restoreServerClock,
  runIfMain,
  setServerClock,
  shot,
  test,
  text,
  url,
} from './lib.mjs';

const uscc = await importWebTs('src/utils/uscc.ts');
const money = await importWebTs('src/utils/money.ts');
const calc = await importWebTs('src/utils/redemption.ts');
const subsidy = await importWebTs('src/utils/subsidy.ts');
const format = await importWebTs('src/utils/format.ts');

const run = `${Date.now().toString(36)}${randomInt(1296).toString(36)}`;
const COUNTY = { code: '370811', name: '任城区' };
const PROVIDER = { username: 'prov_app', name: '孔孟之乡软件有限公司' };
const ITEM = { name: '云 ERP 进销存 标准版', quantity: 12, unitFen: 860000 };
const ENTERPRISE = {
  username: `rq${run}`,
  password: 'Signup-pass-2026',
  uscc: freshUscc(),
  name: `济宁兑现测试${run}有限公司`,
};

/** The first half-year of this year, and the instants the journey runs at. */
const YEAR = format.currentYearInChina();
const PERIOD = `${YEAR}H1`;
const ISSUE_AT = `${YEAR}-03-02T10:00:00+08:00`;
const FILE_AT = `${YEAR}-07-01T09:30:00+08:00`;
const FILE_DAY = FILE_AT.slice(0, 10);

/** What the provider types, and what follows (integer fen, from the UI's own arithmetic). */
const SERVICE = '云 ERP 进销存标准版：1—6 月运行维护与数据备份';
const FEE = { text: '41152.23', fen: 4115223 };
const CLAIM = { text: '12345.67', fen: 1234567 };
const INVOICES = `3700261130 ${run.slice(0, 4)}, 3700261131 ${run.slice(0, 4)}`;
const DEDUCTION_PERCENT = '5';
const DEDUCTION_FEN = calc.deductionFen(CLAIM.fen, 'bp', 0, 500);
const ADJUSTMENT = { text: '100', fen: 10000 };
const APPROVED_FEN = calc.approvedFen(CLAIM.fen, DEDUCTION_FEN, ADJUSTMENT.fen).approvedFen;
const CLAWBACK = { text: '100', fen: 10000 };
const OBJECTOR = { name: '王先生', contact: `1391234${String(randomInt(1e4)).padStart(4, '0')}`, text: '该企业上半年实际未使用云 ERP 服务，申请兑现金额存疑，请核实。' };

/** What the tests learn on the way (each test has its own browser context). */
const done = {
  ready: false,
  voucherId: '',
  code: '',
  voucherFen: 0,
  program: null,
  redemptionId: '',
  noticeId: '',
  closeDay: '',
  closeAt: '',
  objectionId: '',
  payoutId: '',
};

function freshUscc(county = COUNTY.code) {
  let body = '';
  for (let i = 0; i < 8; i++) body += uscc.USCC_ALPHABET[randomInt(uscc.USCC_ALPHABET.length)];
  return uscc.makeUscc('91', county, body);
}

/** Move the server to `iso` and fix the page's clock there too. */
async function at(page, iso) {
  setServerClock(iso);
  await page.clock.setFixedTime(new Date(iso));
}

/** Sign up a fresh enterprise, complete and submit its profile, and have the county approve it. */
async function approvedEnterprise() {
  const ent = await apiSession(ENTERPRISE.username, ENTERPRISE.password, {
    role: 'enterprise',
    username: ENTERPRISE.username,
    password: ENTERPRISE.password,
    uscc: ENTERPRISE.uscc,
    name: ENTERPRISE.name,
    county_code: COUNTY.code,
  });
  const { json: mine } = await ent('GET', '/enterprises/mine');
  await ent('PATCH', `/enterprises/${mine.id}`, {
    legal_rep: '孙兑现',
    address: '济宁市任城区古槐路 18 号',
    phone: `137${String(randomInt(1e8)).padStart(8, '0')}`,
    email: `${ENTERPRISE.username}@qiye.example.cn`,
    independent_legal_person: true,
    industry: 'C',
    employees: 45,
  });
  await ent('POST', `/enterprises/${mine.id}/submit`, {});
  await (await apiSession('county_it'))('POST', `/enterprises/${mine.id}/approve`, {});
  return { id: mine.id, session: ent };
}

/** Make sure the county's pool of `year` can issue `fen` at once (nobody waiting, enough available). */
async function budgetCovers(year, fen) {
  const finance = await apiSession('county_finance');
  const { json } = await finance('GET', `/budgets?year=${year}`);
  const row = json.items.find((r) => r.county_code === COUNTY.code);
  const need = BigInt(row.waitlist_fen) + fen - BigInt(row.available_fen);
  if (row.waitlist_count > 0 || need > 0n) {
    const amount = Number(need > 0n ? need : fen);
    await finance('POST', `/budgets/${COUNTY.code}/${year}/fund`, { amount_fen: amount, source: 'county', reference: `browser-redemption-${run}` });
  }
}

/** The application as the server has it now (read as county_it). */
async function application() {
  const it = await apiSession('county_it');
  return (await it('GET', `/redemptions/${done.redemptionId}`)).json;
}

const needs = (what) => expect(done[what], `depends on an earlier test (${what})`);

// --- the arithmetic the screens preview ---------------------------------------

test('redemption.ts: deduction rounded half up, approved never below zero, weighted score in hundredths', async () => {
  expect(calc.deductionFen(333, 'bp', 0, 500) === 17, '5% of 333 fen = 16.65 → 17');
  expect(calc.deductionFen(330, 'bp', 0, 500) === 17, '5% of 330 fen = 16.5 → 17');
  expect(calc.deductionFen(329, 'bp', 0, 500) === 16, '5% of 329 fen = 16.45 → 16');
  expect(DEDUCTION_FEN === 61728, `5% of ${CLAIM.fen} fen is ${DEDUCTION_FEN}`);
  expect(APPROVED_FEN === 1162839, `approved ${APPROVED_FEN}`);
  const clamped = calc.approvedFen(10000, 6000, 5000);
  expect(clamped.approvedFen === 0 && clamped.clamped, 'claim − deduction − adjustment below zero is zero');
  expect(calc.weightedHundredths([{ weight: 30, score: 90 }, { weight: 30, score: 80 }, { weight: 20, score: 100 }, { weight: 20, score: 70 }]) === 8500, 'weighted 85.00');
  expect(calc.formatScore(8765) === '87.65' && calc.formatScore(8500) === '85.00', 'score text');
  expect(money.yuanToFen(CLAIM.text) === CLAIM.fen && money.yuanToFen('0.29') === 29 && money.yuanToFen('1.005') === null, 'yuan → fen on the digits');
  expect(calc.nextDay(`${YEAR}-12-31`) === `${YEAR + 1}-01-01`, 'next day');
});

// --- the journey ---------------------------------------------------------------

test('setup: a fresh enterprise holds a voucher issued in the first half-year (server clock moved)', async () => {
  expect(config.clockFile, 'this journey moves server time: start the server with --clock-file FILE and set YQ_CLOCK_FILE=FILE');
  setServerClock(ISSUE_AT);
  const issueDay = ISSUE_AT.slice(0, 10);
  const { id: enterpriseId, session: ent } = await approvedEnterprise();

  const provider = await apiSession(PROVIDER.username);
  const { json: programs } = await provider('GET', '/programs');
  done.program = programs.items.find((p) => p.parameters.window_starts_on <= issueDay && issueDay <= p.parameters.window_ends_on);
  expect(done.program, `a program is in force on ${issueDay}`);
  const { json: r } = await provider('GET', `/programs/${done.program.id}/ratio?date=${issueDay}`);
  const est = subsidy.estimateSubsidy(BigInt(ITEM.quantity * ITEM.unitFen), r.ratio_bp, done.program.parameters.cap_fen, done.program.parameters.cert_bonus_bp);
  await budgetCovers(YEAR, est.amountFen);

  const me = (await provider('GET', '/auth/me')).json.user;
  const { json: items } = await provider('GET', `/public/catalog?provider=${me.party.id}&q=${encodeURIComponent(ITEM.name)}`);
  const item = items.items.find((i) => i.name === ITEM.name);
  expect(item, `${PROVIDER.name} publishes ${ITEM.name}`);
  const { json: contract } = await provider('POST', '/contracts', {
    enterprise_id: enterpriseId,
    contract_no: `KM-R-${run}`,
    signed_on: `${YEAR}-03-01`,
    service_start: `${YEAR}-03-01`,
    service_end: `${YEAR + 1}-02-28`,
    lines: [{ catalog_item_id: item.id, quantity: ITEM.quantity, unit_price_fen: ITEM.unitFen }],
  });
  const { json: confirmed } = await ent('POST', `/contracts/${contract.id}/confirm`, {});
  expect(confirmed.voucher, `confirming issued a voucher: ${JSON.stringify(confirmed).slice(0, 300)}`);
  expect(BigInt(confirmed.voucher.amount_fen) === est.amountFen, `voucher amount ${confirmed.voucher.amount_fen}, expected ${est.amountFen}`);
  expect(BigInt(CLAIM.fen) <= est.amountFen, 'the claim fits in the voucher');
  done.voucherId = confirmed.voucher.id;
  done.code = confirmed.voucher.code;
  done.voucherFen = Number(est.amountFen);
  done.ready = true;
});

test('provider: files the first half-year in its window — picks the voucher, claims an exact decimal, uploads evidence, submits', async ({ page }) => {
  needs('ready');
  await at(page, FILE_AT);
  await login(page, PROVIDER.username);
  await openMenu(page, '兑现申请', '[data-test="redemptions-page"]');
  await page.locator('[data-test="redemption-new"]').click();
  await page.locator('[data-test="redemption-editor"]').waitFor();

  // County and period: the open period is chosen, with its filing window.
  await pickOption(page, 'redemption-county', COUNTY.name);
  const windowInfo = page.locator('[data-test="filing-window"]');
  await windowInfo.waitFor();
  expect((await windowInfo.getAttribute('data-state')) === 'open', `the window of ${PERIOD} is open on ${FILE_DAY}: ${await text(windowInfo)}`);
  expect((await text(windowInfo)).includes(FILE_DAY), `the window opens on ${FILE_DAY}: ${await text(windowInfo)}`);

  // The fresh voucher is claimable, with all of its amount left.
  const row = page.locator('[data-test="claimable-table"] .el-table__body .el-table__row', { hasText: done.code });
  await row.waitFor();
  expect((await text(row.locator('[data-test="line-remaining"]'))) === money.formatMoney(done.voucherFen), 'the whole voucher is claimable');
  await row.locator('[data-test="line-include"]').click();
  await field(row, 'line-service').fill(SERVICE);
  await field(row, 'line-fee').fill(FEE.text);
  await field(row, 'line-invoice').fill(INVOICES);

  // More than is left on the voucher is refused in the browser, under the line.
  await field(row, 'line-claim').fill(money.fenToYuanText(done.voucherFen + 1));
  await page.locator('[data-test="redemption-save"]').click();
  const lineError = row.locator('[data-test="line-error"]');
  await lineError.waitFor();
  expect((await text(lineError)).includes(money.formatMoney(done.voucherFen)), `the limit is quoted: ${await text(lineError)}`);
  await field(row, 'line-claim').fill(CLAIM.text);
  await page.locator('[data-test="editor-total"]', { hasText: money.formatMoney(CLAIM.fen) }).waitFor();

  // Save the draft; then the evidence can be uploaded.
  await page.locator('[data-test="redemption-save"]').click();
  await page.waitForURL((u) => /^\/redemptions\/[^/]+\/edit$/.test(u.pathname));
  done.redemptionId = new URL(page.url()).pathname.split('/')[2];
  const pdf = Buffer.from(`%PDF-1.4\n% 发票与服务记录 ${run}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
  await page.locator('[data-test="evidence-input"]').setInputFiles({ name: `发票-${run}.pdf`, mimeType: 'application/pdf', buffer: pdf });
  await page.locator('[data-test="evidence-table"] .el-table__row', { hasText: `发票-${run}.pdf` }).waitFor();
  await shot(page, 'redemption-editor');

  await page.locator('[data-test="redemption-submit"]').click();
  await confirmBox(page);
  await page.waitForURL((u) => u.pathname === `/redemptions/${done.redemptionId}`);
  await page.locator('[data-test="redemption-status"][data-status="submitted"]').waitFor();
  expect((await text(page.locator('[data-test="redemption-claim"]'))) === money.formatMoney(CLAIM.fen), 'the detail shows the claim');
  await page.locator('[data-test="redemption-withdraw"]').waitFor(); // still withdrawable before evaluation
  await shot(page, 'redemption-submitted');

  // The server has exactly what was typed, in fen.
  const app = await application();
  expect(app.status === 'submitted' && app.period === PERIOD && app.county_code === COUNTY.code, `submitted for ${PERIOD}`);
  expect(app.claim_fen === CLAIM.fen && app.items.length === 1, `claim ${app.claim_fen}`);
  const it = app.items[0];
  expect(it.voucher_id === done.voucherId && it.fee_fen === FEE.fen && it.claim_fen === CLAIM.fen, `item ${JSON.stringify(it).slice(0, 200)}`);
  expect(it.service_desc === SERVICE && String(it.invoice_nos).includes('3700261130'), 'service and invoices kept');
  expect(app.attachments.some((a) => a.filename === `发票-${run}.pdf`), 'the evidence is attached');
  await logout(page);
});

test('evaluator: scores each criterion with the weighted total computed live and deducts 5% for a quality problem', async ({ page }) => {
  needs('redemptionId');
  await at(page, FILE_AT);
  const criteria = done.program.parameters.evaluation_criteria ?? [];
  expect(criteria.length > 0, 'the program has evaluation criteria');
  const scores = criteria.map((_, i) => [90, 80, 100, 70][i % 4]);
  const expected = calc.weightedHundredths(criteria.map((c, i) => ({ weight: c.weight, score: scores[i] })));

  await login(page, 'evaluator');
  const card = page.locator('[data-test="pending-to_evaluate"]');
  await card.waitFor();
  expect(Number(await card.getAttribute('data-count')) >= 1, 'home counts the application to evaluate');
  await card.click();
  await page.locator('[data-test="evaluate-queue-page"]').waitFor();
  const row = page.locator('[data-test="redemptions-table"] .el-table__row', { hasText: money.formatMoney(CLAIM.fen) }).filter({ hasText: PROVIDER.name });
  await row.first().locator('[data-test="row-evaluate"]').click();
  await page.waitForURL((u) => u.pathname === `/redemptions/${done.redemptionId}`);
  const form = page.locator('[data-test="evaluation-form"]');
  await form.waitFor();
  await page.locator('[data-test="redemption-warnings"]').waitFor(); // risk signals are shown to officials

  // One input per criterion; the total follows as typed.
  const inputs = form.locator('[data-test="score-input"] input');
  await inputs.nth(criteria.length - 1).waitFor();
  expect((await inputs.count()) === criteria.length, `${criteria.length} criteria`);
  for (let i = 0; i < criteria.length; i++) {
    await inputs.nth(i).fill(String(scores[i]));
    await inputs.nth(i).press('Tab');
  }
  await form.locator('[data-test="evaluation-total"]', { hasText: calc.formatScore(expected) }).waitFor();

  // A 5% deduction on the voucher: the preview rounds half up to the fen.
  const item = form.locator('[data-test="evaluation-item"]', { hasText: done.code });
  await item.locator('[data-test="deduction-bp"]').click();
  await field(item, 'deduction-percent-input').fill(DEDUCTION_PERCENT);
  await page.locator('[data-test="evaluation-submit"]').click(); // a deduction without a reason is refused
  await item.locator('[data-test="item-error"]').waitFor();
  // Typed on two lines: the server keeps texts on one line (it refuses control characters), so the line break is sent as a space.
  await field(item, 'quality-note').fill('3 月有 2 天服务中断，\n未按合同约定及时恢复');
  await item.locator('[data-test="rtrace-approved"]', { hasText: money.formatMoney(CLAIM.fen - DEDUCTION_FEN) }).waitFor();
  expect((await text(item.locator('[data-test="rtrace-deduction"]'))).includes(money.formatMoney(DEDUCTION_FEN)), 'the deduction in fen');
  await shot(page, 'redemption-evaluate');

  await page.locator('[data-test="evaluation-submit"]').click();
  await confirmBox(page);
  await page.locator('[data-test="redemption-status"][data-status="evaluated"]').waitFor();
  expect((await text(page.locator('[data-test="evaluation-result-total"]'))) === calc.formatScore(expected), 'the stored total');

  const app = await application();
  expect(app.score_hundredths === expected, `score ${app.score_hundredths}, expected ${expected}`);
  expect(app.items[0].deduction_kind === 'bp' && app.items[0].deduction_bp === 500 && app.items[0].deduction_fen === DEDUCTION_FEN, `deduction ${app.items[0].deduction_fen}`);
  expect(app.items[0].quality_note === '3 月有 2 天服务中断， 未按合同约定及时恢复', `quality note kept on one line: ${JSON.stringify(app.items[0].quality_note)}`);
  await logout(page);
});

test('county_it: lowers the voucher by ¥100.00 with a reason, reads the trace and approves', async ({ page }) => {
  needs('redemptionId');
  await at(page, FILE_AT);
  await login(page, 'county_it');
  const card = page.locator('[data-test="pending-to_review"]');
  await card.waitFor();
  expect(Number(await card.getAttribute('data-count')) >= 1, 'home counts the application to review');
  await card.click();
  await page.locator('[data-test="review-queue-page"]').waitFor();
  await page.goto(url(`/redemptions/${done.redemptionId}`));
  const form = page.locator('[data-test="review-form"]');
  await form.waitFor();

  const item = form.locator('[data-test="review-item"]', { hasText: done.code });
  await field(item, 'adjustment-input').fill(ADJUSTMENT.text);
  await page.locator('[data-test="review-approve"]').click(); // an adjustment needs a reason
  await item.locator('[data-test="item-error"]').waitFor();
  await field(item, 'adjustment-reason').fill('发票 3700261131 所列 1 月份服务不在本兑现周期内，相应调减');
  const trace = item.locator('[data-test="redemption-trace"]');
  await trace.locator('[data-test="rtrace-approved"]', { hasText: money.formatMoney(APPROVED_FEN) }).waitFor();
  expect((await text(trace.locator('[data-test="rtrace-claim"]'))) === money.formatMoney(CLAIM.fen), 'trace: claim');
  expect((await text(trace.locator('[data-test="rtrace-deduction"]'))).includes(money.formatMoney(DEDUCTION_FEN)), 'trace: quality deduction');
  expect((await text(trace.locator('[data-test="rtrace-adjustment"]'))).includes(money.formatMoney(ADJUSTMENT.fen)), 'trace: adjustment');
  expect((await text(page.locator('[data-test="review-total"]'))) === money.formatMoney(APPROVED_FEN), 'the total approved');
  await shot(page, 'redemption-review');

  await page.locator('[data-test="review-approve"]').click();
  await confirmBox(page);
  await page.locator('[data-test="redemption-status"][data-status="approved"]').waitFor();
  expect((await text(page.locator('[data-test="redemption-approved"]'))) === money.formatMoney(APPROVED_FEN), 'approved on the page');

  const app = await application();
  expect(app.approved_fen === APPROVED_FEN, `approved ${app.approved_fen}, expected ${APPROVED_FEN}`);
  const t = app.items[0].trace;
  expect(t && t.claim_fen === CLAIM.fen && t.deduction_fen === DEDUCTION_FEN && t.adjustment_fen === ADJUSTMENT.fen && t.approved_fen === APPROVED_FEN && !t.clamped, `trace ${JSON.stringify(t)}`);
  await logout(page);
});

test('county_it: opens a public notice and sees its earliest close on the official calendar; it may not close yet', async ({ page }) => {
  needs('redemptionId');
  await at(page, FILE_AT);
  const n = Math.max(5, done.program.parameters.notice_working_days ?? 5);
  const { json: days } = await (await apiSession('county_it'))('GET', `/calendar/workdays?from=${FILE_DAY}&n=${n}`);
  done.closeDay = days.until;
  done.closeAt = `${calc.nextDay(done.closeDay)}T00:00:00+08:00`;

  await login(page, 'county_it');
  await openMenu(page, '公示管理', '[data-test="notices-page"]');
  await page.locator('[data-test="notice-new"]').click();
  const row = page.locator('[data-test="notice-candidates"] .el-table__body .el-table__row', { hasText: money.formatMoney(APPROVED_FEN) }).filter({ hasText: PROVIDER.name });
  await row.first().waitFor();
  await row.first().locator('.el-checkbox').click();
  await page.locator(`[data-test="notice-close-preview"][data-close-day="${done.closeDay}"]`).waitFor();
  expect((await text(page.locator('[data-test="notice-chosen"]'))).includes(money.formatMoney(APPROVED_FEN)), 'the chosen total');
  await page.locator('[data-test="notice-create-submit"]').click();

  await page.waitForURL((u) => /^\/notices\/[^/]+$/.test(u.pathname));
  done.noticeId = new URL(page.url()).pathname.split('/')[2];
  await page.locator('[data-test="notice-status"][data-status="open"]').waitFor();
  expect((await text(page.locator('[data-test="notice-opens-on"]'))) === FILE_DAY, 'opens today');
  expect((await text(page.locator('[data-test="notice-close-day"]'))) === done.closeDay, `last day ${done.closeDay}`);
  expect((await text(page.locator('[data-test="notice-earliest-close"]'))) === `${calc.nextDay(done.closeDay)} 00:00:00`, 'may close at midnight after the last day');
  expect((await text(page.locator('[data-test="notice-items"]'))).includes(done.code), 'the voucher is on the notice');
  expect(await page.locator('[data-test="notice-close"]').isDisabled(), 'too early to close');
  expect((await text(page.locator('[data-test="notice-close-blocked"]'))).includes('最短公示期未满'), 'the reason is given');
  await shot(page, 'notice-detail');

  const app = await application();
  expect(app.status === 'in_notice', `the application is in notice (${app.status})`);
  await logout(page);
});

test('public, on a phone: reads the notice, is told politely when it files too often, files an objection whose contact is never shown', async ({ page }) => {
  needs('noticeId');
  await at(page, FILE_AT);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url('/public/notices'));
  await page.locator(`[data-test="public-notice-card"][data-id="${done.noticeId}"]`).click();
  await page.waitForURL((u) => u.pathname === `/public/notices/${done.noticeId}`);
  const notice = page.locator('[data-test="public-notice-page"]');
  const mine = notice.locator('[data-test="public-notice-item"]', { hasText: done.code });
  await mine.waitFor();
  expect((await text(mine)).includes(PROVIDER.name) && (await text(mine)).includes(ENTERPRISE.name), 'provider and enterprise are named');
  expect((await text(mine.locator('[data-test="public-item-amount"]'))) === money.formatMoney(APPROVED_FEN), 'the approved amount');
  expect((await text(notice.locator('[data-test="public-opens-on"]'))) === FILE_DAY, 'opening day');
  expect((await text(notice.locator('[data-test="public-close-day"]'))) === done.closeDay, 'last day');
  await notice.locator('[data-test="objection-privacy"]', { hasText: '不会' }).waitFor();

  await field(page, 'objection-name').fill(OBJECTOR.name);
  await field(page, 'objection-contact').fill(OBJECTOR.contact);
  await pickOption(page, 'objection-voucher', `${done.code}（${ENTERPRISE.name}）`);
  await field(page, 'objection-text').fill(OBJECTOR.text);

  // Too many objections from one address: the server answers 429; the page says so plainly (simulated once).
  const objections = '**/api/v1/public/notices/*/objections';
  await page.route(objections, (route) =>
    route.fulfill({ status: 429, contentType: 'application/json', body: JSON.stringify({ error: { code: 'rate_limited', message: '同一地址提交异议过于频繁，请稍后再试' } }) }),
  );
  await page.locator('[data-test="objection-submit"]').click();
  await page.locator('[data-test="objection-outcome"][data-kind="busy"]', { hasText: '提交过于频繁' }).waitFor();
  await page.unroute(objections);

  await page.locator('[data-test="objection-submit"]').click();
  await page.locator('[data-test="objection-outcome"][data-kind="filed"]').waitFor();
  await notice.locator('[data-test="public-objection"][data-status="open"]').first().waitFor();
  // numbered for people, not by the objection's internal id
  const no = (await notice.locator('[data-test="public-objection-no"]').first().innerText()).trim();
  expect(/^第 \d+ 条异议$/.test(no), `objection heading "${no}"`);
  expect(!(await notice.innerText()).includes(OBJECTOR.contact), 'the contact is not on the public page');
  expect(!(await notice.innerText()).includes(OBJECTOR.name), 'the objector is not named on the public page');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide <= 391, `nothing overflows the phone screen sideways (page is ${wide}px wide)`);
  await page.screenshot({ path: path.join(config.out, 'public-notice-phone.png'), fullPage: true });

  // Printed (on A4 paper): the notice without the form and the site's bar.
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  await page.locator('[data-test="objection-section"]').waitFor({ state: 'hidden' });
  expect(!(await page.locator('[data-test="public-nav"]').isVisible()), 'the site bar is not printed');
  await page.locator('[data-test="public-notice-items"]').waitFor();
  await page.screenshot({ path: path.join(config.out, 'public-notice-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  const pub = await (await fetch(url(`/api/v1/public/notices/${done.noticeId}`))).json();
  expect(pub.objections.length >= 1, 'the public answer lists the objection');
  expect(!JSON.stringify(pub).includes(OBJECTOR.contact) && !JSON.stringify(pub).includes(OBJECTOR.name), 'no contact, no name in the public answer');
});

test('county_it: sees the objection with its contact, cannot close while it is open, dismisses it with a public resolution', async ({ page }) => {
  needs('noticeId');
  await at(page, FILE_AT);
  await login(page, 'county_it');
  const pending = page.locator('[data-test="pending-objections_open"]');
  await pending.waitFor();
  expect(Number(await pending.getAttribute('data-count')) >= 1, 'home counts the open objection');
  await page.goto(url(`/notices/${done.noticeId}`));
  const row = page.locator('[data-test="objections-table"] .el-table__row', { hasText: OBJECTOR.contact });
  await row.waitFor();
  expect((await text(row)).includes(OBJECTOR.name) && (await text(row)).includes(done.code), 'officials see who objects and about which voucher');
  expect(await page.locator('[data-test="notice-close"]').isDisabled(), 'the notice cannot close yet');

  // The server decides too: closing now is refused.
  const it = await apiSession('county_it');
  const refused = await it('POST', `/notices/${done.noticeId}/close`, {}).then(() => null, (e) => e.message);
  expect(refused && refused.includes('409'), `closing early is refused with 409: ${refused}`);

  const resolution = '经核查企业登录日志和服务记录，1—6 月服务正常提供，异议不成立。';
  await row.locator('[data-test="objection-resolve"]').click();
  await page.locator('[data-test="resolve-dismiss"]').click();
  await field(page, 'resolve-reason').fill(resolution);
  await page.locator('[data-test="resolve-submit"]').click();
  await page.locator('[data-test="objections-table"] .el-table__row', { hasText: OBJECTOR.contact }).locator('[data-test="status-tag"][data-status="dismissed"]').waitFor();

  // The resolution is public; the contact is not.
  await page.goto(url(`/public/notices/${done.noticeId}`));
  await page.locator('[data-test="public-objection"][data-status="dismissed"] [data-test="public-objection-resolution"]', { hasText: resolution }).waitFor();
  expect(!(await text(page.locator('[data-test="public-notice-page"]'))).includes(OBJECTOR.contact), 'still no contact in public');
});

test('county_it: past the last day of the notice, closes it; the application is due for payment', async ({ page }) => {
  needs('closeAt');
  const after = `${calc.nextDay(done.closeDay)}T09:00:00+08:00`;
  await at(page, after);
  await login(page, 'county_it');
  await page.goto(url(`/notices/${done.noticeId}`));
  const close = page.locator('[data-test="notice-close"]');
  await close.waitFor();
  expect(!(await close.isDisabled()), 'the notice may close now');
  await close.click();
  await confirmBox(page);
  await page.locator('[data-test="notice-status"][data-status="closed"]').waitFor();
  const app = await application();
  expect(app.status === 'noticed', `the application is noticed (${app.status})`);
  await logout(page);
});

test('county_finance: builds a payout batch, exports the bank file, records the payment; the voucher is partly redeemed', async ({ page }) => {
  needs('closeAt');
  const after = `${calc.nextDay(done.closeDay)}T10:00:00+08:00`;
  await at(page, after);
  await login(page, 'county_finance');
  const card = page.locator('[data-test="pending-to_pay"]');
  await card.waitFor();
  expect(Number(await card.getAttribute('data-count')) >= 1, 'home counts the application to pay');
  await card.click();
  await page.locator('[data-test="payouts-page"]').waitFor();

  // The builder opens with every noticed application chosen: keep ours only.
  const rows = page.locator('[data-test="payout-candidates"] .el-table__body .el-table__row');
  await rows.first().waitFor();
  for (let i = 0; i < (await rows.count()); i++) {
    const r = rows.nth(i);
    const ours = (await text(r)).includes(money.formatMoney(APPROVED_FEN)) && (await text(r)).includes(PROVIDER.name);
    if (!ours) await r.locator('.el-checkbox').click();
  }
  await page.locator('[data-test="payout-chosen"]', { hasText: money.formatMoney(APPROVED_FEN) }).waitFor();
  await page.locator('[data-test="payout-create-submit"]').click();

  await page.waitForURL((u) => /^\/payouts\/[^/]+$/.test(u.pathname));
  done.payoutId = new URL(page.url()).pathname.split('/')[2];
  await page.locator('[data-test="payout-status"][data-status="draft"]').waitFor();
  expect((await text(page.locator('[data-test="payout-total"]'))) === money.formatMoney(APPROVED_FEN), 'the batch total');
  const payee = page.locator('[data-test="payout-items"] .el-table__body .el-table__row', { hasText: done.code });
  expect((await text(payee)).includes(PROVIDER.name) && /\d{10,}/.test(await text(payee)), 'payee with its bank account');

  // 导出银行文件: an xlsx workbook.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="payout-bank-file"]').click()]);
  expect(download.suggestedFilename().endsWith('.xlsx'), `file name ${download.suggestedFilename()}`);
  expect(readFileSync(await download.path()).subarray(0, 2).toString('latin1') === 'PK', 'the bank file is an xlsx (zip) file');

  // 登记兑付, confirmed once more.
  const reference = `YH${run}`.toUpperCase();
  await page.locator('[data-test="payout-pay"]').click();
  await field(page, 'payout-reference-input').fill(reference);
  await page.locator('[data-test="payout-pay-submit"]').click();
  await confirmBox(page);
  await page.locator('[data-test="payout-status"][data-status="paid"]').waitFor();
  expect((await text(page.locator('[data-test="payout-reference"]'))) === reference, 'the reference is kept');
  expect((await text(page.locator('[data-test="payout-paid-on"]'))) === calc.nextDay(done.closeDay), 'paid today');
  await shot(page, 'payout-paid');

  const app = await application();
  expect(app.status === 'paid' && app.items[0].paid_fen === APPROVED_FEN, `paid ${app.items[0].paid_fen}`);
  const { json: v } = await (await apiSession('county_finance'))('GET', `/vouchers/${done.voucherId}`);
  expect(v.redeemed_fen === APPROVED_FEN && v.status === 'partially_redeemed', `voucher ${v.status}, redeemed ${v.redeemed_fen}`);
  await logout(page);
});

test('county_finance: claws back ¥100.00 of the paid voucher; the voucher’s redeemed figure goes down', async ({ page }) => {
  needs('payoutId');
  const after = `${calc.nextDay(done.closeDay)}T11:00:00+08:00`;
  await at(page, after);
  await login(page, 'county_finance');
  await page.goto(url(`/redemptions/${done.redemptionId}`));
  await page.locator('[data-test="redemption-status"][data-status="paid"]').waitFor();
  await page.locator('[data-test="item-clawback"]').click();
  await field(page, 'clawback-amount').fill(money.fenToYuanText(APPROVED_FEN + 1));
  await page.locator('[data-test="clawback-submit"]').click();
  await page.locator('.el-form-item__error', { hasText: '不能超过' }).waitFor(); // more than was paid
  await field(page, 'clawback-amount').fill(CLAWBACK.text);
  await field(page, 'clawback-reason').fill('审计发现 1 月份服务费用重复计入，追回多兑付部分');
  await field(page, 'clawback-evidence').fill(`济审企〔${YEAR}〕${run.slice(0, 3)}号`);
  await page.locator('[data-test="clawback-submit"]').click();
  await confirmBox(page);
  await page.locator('[data-test="item-clawed-back"]', { hasText: money.formatMoney(CLAWBACK.fen) }).waitFor();

  await openMenu(page, '资金追回', '[data-test="clawbacks-page"]');
  await page.locator('[data-test="clawbacks-table"] .el-table__row', { hasText: done.code }).locator('[data-test="clawback-row-amount"]', { hasText: money.formatMoney(CLAWBACK.fen) }).waitFor();
  await shot(page, 'clawbacks');

  const { json: v } = await (await apiSession('county_finance'))('GET', `/vouchers/${done.voucherId}`);
  expect(v.redeemed_fen === APPROVED_FEN - CLAWBACK.fen, `redeemed ${v.redeemed_fen} after the clawback`);

  // The budget page shows what came back, under 已拨付, for the pool's year (?year= opens it).
  const poolYear = /^YQ(\d{4})-/.exec(done.code)[1];
  await page.goto(url(`/budgets?year=${poolYear}`));
  const row = page.locator('[data-test="budgets-table"] .el-table__body-wrapper .el-table__row').first();
  await row.locator('[data-test="budget-recovered"]', { hasText: `已追回 ${money.formatMoney(CLAWBACK.fen)}` }).waitFor();
});

test('the server gets its real clock back', async () => {
  restoreServerClock();
});

// A run stopped half-way must not leave the server in another month.
process.on('exit', restoreServerClock);

await runIfMain(import.meta.url);
