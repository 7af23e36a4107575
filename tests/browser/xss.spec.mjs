// Issue 9, deliver 5: no stored XSS through any text a user can write.
// Through the API (what a hostile enterprise, provider, official or member
// of the public could send), script payloads go into every writable text
// field the UI shows: party names, contacts, addresses, qualifications,
// catalog item names, descriptions and specifications, contract numbers
// and line descriptions, file names of uploads, rejection reasons, display
// names of accounts, objections, an application's service description,
// the evaluator's note and quality note, the reviewer's reason. Then every page that shows them is opened
// as the roles that see them, table cells holding a payload are hovered
// (overflow tooltips), and each page must: never set window.__xss, open no
// dialog, log no CSP violation, request no injected image (/x), and show the
// payload literally (so the check is not vacuous).
// Run: node tests/browser/run.mjs xss (moves server time: YQ_CLOCK_FILE).
import { randomInt } from 'node:crypto';
import { config, expect, importWebTs, login, restoreServerClock, runIfMain, setServerClock, test, url } from './lib.mjs';

const uscc = await importWebTs('src/utils/uscc.ts');
const run = `${Date.now().toString(36)}${randomInt(1296).toString(36)}`;
const AT = '2019-09-10T10:00:00+08:00';

// Short enough for 32-character fields; each sets window.__xss if it runs.
const IMG = '<img src=x onerror=__xss=1>';
const SCRIPT = '<script>__xss=1</script>';
const SVG = '"><svg onload=__xss=1>';
const JS_URL = 'javascript:__xss=1';
const PAYLOADS = [IMG, SCRIPT, SVG, JS_URL];

const ENT = { username: `xe${run}`, password: 'Xss-Signup-2019', name: `济宁${IMG}企业${run}` };
const ENT3 = { username: `xs${run}`, password: 'Xss-Signup-2019', name: `邹城${SCRIPT}${run}` };
const PROV2 = { username: `xq${run}`, password: 'Xss-Signup-2019', name: `${IMG}软件${run}` };
const ITEM2 = { name: `${IMG}数据库${run}`, description: SVG, specification: SCRIPT };
const PROV = { username: `xp${run}`, password: 'Xss-Signup-2019', name: `${SCRIPT}云${run}` };
const ITEM = { name: `${SVG}云主机${run}`, description: `${IMG}说明${SCRIPT}`, specification: JS_URL };
const USER = { username: `xu${run}`, display_name: `${IMG}审计` };
const REJECT_REASON = `材料不全${SCRIPT}${IMG}`;
const CONTRACT_NO = `HT${run}${SVG}`.slice(0, 40);
const LINE = `${IMG}实施服务`;
const FILE_NAME = `${IMG}.pdf`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const done = { setup: false, pages: 0, shown: 0 };

function freshUscc() {
  let body = '';
  for (let i = 0; i < 8; i++) body += uscc.USCC_ALPHABET[randomInt(uscc.USCC_ALPHABET.length)];
  return uscc.makeUscc('91', '370811', body);
}
const phone = () => `139${String(randomInt(1e8)).padStart(8, '0')}`;

/** A signed-in API session with JSON calls and multipart uploads; throws on a non-2xx answer. */
async function session(username, password = config.password, signup = null) {
  const cookies = new Map();
  async function call(method, p, body, form = null) {
    const headers = { Accept: 'application/json', Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (method !== 'GET') headers['X-CSRF-Token'] = cookies.get('yq_csrf') ?? '';
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(url(`/api/v1${p}`), { method, headers, body: form ?? (body === undefined ? undefined : JSON.stringify(body)) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${text.slice(0, 200)}`);
    return text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  }
  if (signup) await call('POST', '/auth/signup', { consent: true, ...signup });
  else await call('POST', '/auth/login', { username, password });
  call.upload = (p, name, bytes, type) => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), name);
    return call('POST', p, undefined, form);
  };
  return call;
}

async function signedUp(who, role) {
  return session(who.username, who.password, { role, username: who.username, password: who.password, uscc: freshUscc(), name: who.name, ...(role === 'enterprise' ? { county_code: '370811' } : {}) });
}

/** Watch a page for any sign that injected markup ran or was parsed. */
function watch(page) {
  const seen = [];
  page.on('dialog', async (d) => {
    seen.push(`dialog: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) seen.push(`CSP: ${m.text().slice(0, 200)}`);
  });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (/\/x$/.test(u.pathname) || u.protocol === 'javascript:') seen.push(`injected request: ${r.url()}`);
  });
  return seen;
}

/** Every payload text on the page (text and form values), literally. */
async function payloadsShown(page) {
  return page.evaluate((payloads) => {
    const values = [...document.querySelectorAll('input, textarea')].map((e) => e.value);
    const all = `${document.body.innerText}\n${values.join('\n')}`;
    return payloads.filter((p) => all.includes(p));
  }, PAYLOADS);
}

/** Open `path` as the page's user and check it (see check). */
async function visit(page, seen, path, marker, mustShow, expand = false) {
  await page.goto(url(path));
  await page.locator(marker).first().waitFor();
  if (expand) {
    const icons = page.locator('.el-table__expand-icon');
    await icons.first().waitFor();
    const n = Math.min(await icons.count(), 12);
    for (let i = 0; i < n; i++) await icons.nth(i).click();
  }
  await check(page, seen, path, mustShow);
}

/** Hover the cells that hold a payload (overflow tooltips), then: nothing
 * ran, nothing was reported, and `mustShow` is on the page as text. */
async function check(page, seen, label, mustShow) {
  if (mustShow) await page.getByText(mustShow).first().waitFor().catch(() => {});
  await page.waitForLoadState('networkidle').catch(() => {});
  const cells = page.locator('.el-table__row .cell').filter({ hasText: /<img|<script|<svg|javascript:/ });
  const n = Math.min(await cells.count(), 6);
  for (let i = 0; i < n; i++) {
    await cells.nth(i).hover({ timeout: 3000 }).catch(() => {});
    await page.waitForTimeout(150);
  }
  const ran = await page.evaluate(() => window.__xss);
  expect(ran === undefined, `${label}: an injected script ran (window.__xss = ${ran})`);
  expect(seen.length === 0, `${label}: ${seen[0]}`);
  const shown = await payloadsShown(page);
  expect(mustShow === null || (await page.evaluate((s) => document.body.innerText.includes(s) || [...document.querySelectorAll('input, textarea')].some((e) => e.value.includes(s)), mustShow)),
    `${label}: the payload ${JSON.stringify(mustShow)} is not shown literally`);
  done.pages += 1;
  done.shown += shown.length;
}

/** Open the review drawer of the row holding `name` and check it. */
async function drawer(page, seen, label, name, mustShow) {
  await page.locator('.el-table__row', { hasText: name }).first().locator('button').first().click();
  await page.locator('.el-drawer').first().waitFor();
  await check(page, seen, label, mustShow);
}

test('xss setup: payloads in every writable text field, through the API', async () => {
  expect(config.clockFile, 'this spec moves server time: start the server with --clock-file FILE and set YQ_CLOCK_FILE=FILE');
  // Programs and contract dates of 2019. Failed logins and sign-ups the
  // other specs left at today's date would look years ahead of a 2019
  // clock: the administrator (signed in before the move) clears them.
  const admin = await session('admin');
  setServerClock(AT);
  await admin('POST', '/login-throttles/clear', { client_addr: '127.0.0.1' });

  const ent = await signedUp(ENT, 'enterprise');
  const e = await ent('GET', '/enterprises/mine');
  await ent('PATCH', `/enterprises/${e.id}`, {
    legal_rep: SVG, address: `济宁市${IMG}${SCRIPT}路 1 号`, phone: phone(), email: `${ENT.username}@qiye.example.cn`,
    independent_legal_person: true, industry: 'C', employees: 12,
  });
  await ent('POST', `/enterprises/${e.id}/submit`, {});
  const it = await session('county_it');
  await it('POST', `/enterprises/${e.id}/approve`, {});
  done.enterpriseId = e.id;


  // left submitted, for the review queues and their drawers
  const ent3 = await signedUp(ENT3, 'enterprise');
  const e3 = await ent3('GET', '/enterprises/mine');
  await ent3('PATCH', `/enterprises/${e3.id}`, { legal_rep: IMG, address: `济宁市${SVG}`, phone: phone(), email: `${ENT3.username}@qiye.example.cn`, independent_legal_person: true, industry: 'C', employees: 3 });
  await ent3('POST', `/enterprises/${e3.id}/submit`, {});
  done.ent3Id = e3.id;
  const prov2 = await signedUp(PROV2, 'provider');
  const p2 = (await prov2('GET', '/auth/me')).user.party.id;
  await prov2('PATCH', `/providers/${p2}`, {
    kind: 'platform', qualifications: SVG, contact_name: SCRIPT, phone: phone(), email: `${PROV2.username}@cloud.example.cn`,
    address: IMG, bank_name: '中国银行', bank_account: `6222${String(randomInt(1e12)).padStart(12, '0')}`,
  });
  await prov2('POST', `/providers/${p2}/submit`, {});

  const prov = await signedUp(PROV, 'provider');
  const me = await prov('GET', '/auth/me');
  const pid = me.user.party.id;
  await prov('PATCH', `/providers/${pid}`, {
    kind: 'platform', qualifications: `ISO 27001${SCRIPT}${JS_URL}`, contact_name: IMG, phone: phone(),
    email: `${PROV.username}@cloud.example.cn`, address: `济宁高新区${SVG}`, bank_name: `银行${IMG}`, bank_account: `6222${String(randomInt(1e12)).padStart(12, '0')}`,
  });
  await prov('POST', `/providers/${pid}/submit`, {});
  const city = await session('city_it');
  await city('POST', `/providers/${pid}/approve`, {});
  done.providerId = pid;

  const item = await prov('POST', '/catalog-items', {
    reference_service_id: 1, unit: '月', list_price_fen: 50000, discount_price_fen: 45000,
    valid_from: '2019-01-01', valid_until: '2030-12-31', ...ITEM,
  });
  await city('POST', `/catalog-items/${item.id}/publish`, {});
  await prov('POST', '/catalog-items', {
    reference_service_id: 1, unit: '月', list_price_fen: 60000, discount_price_fen: 55000,
    valid_from: '2019-01-01', valid_until: '2030-12-31', ...ITEM2,
  });
  done.itemId = item.id;

  const contract = await prov('POST', '/contracts', {
    enterprise_id: e.id, contract_no: CONTRACT_NO, signed_on: '2019-09-01', service_start: '2019-09-10', service_end: '2020-09-09',
    lines: [{ catalog_item_id: item.id, quantity: 12, unit_price_fen: 45000 }, { description: LINE, unit: '项', quantity: 1, unit_price_fen: 1000 }],
  });
  await prov.upload(`/contracts/${contract.id}/attachments`, FILE_NAME, PDF, 'application/pdf');
  done.contractId = contract.id;

  await admin('POST', '/users', { username: USER.username, password: 'Xss-Official-2019', role: 'auditor', display_name: USER.display_name });

  // An objection from the public, when a notice is open.
  const anon = async (method, p, body) => {
    const res = await fetch(url(`/api/v1${p}`), { method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    return res.ok ? res.json() : null;
  };
  const notices = await anon('GET', '/public/notices');
  const open = notices?.items?.find((n) => n.status === 'open');
  if (open && (await anon('POST', `/public/notices/${open.id}/objections`, { name: IMG, contact: '13800000000', text: `异议${SCRIPT}${SVG}` }))) done.noticeId = open.id;
  done.setup = true;
});

const needsSetup = () => expect(done.setup, 'depends on the setup test');

test('xss: county_it review queue, drawer, contracts and notice show the payloads as text', async ({ page }) => {
  needsSetup();
  const seen = watch(page);
  await login(page, 'county_it');
  await visit(page, seen, '/review/enterprises', '[data-test="enterprise-review-page"]', ENT3.name);
  await drawer(page, seen, 'enterprise review drawer', ENT3.name, `济宁市${SVG}`);
  await (await session('county_it'))('POST', `/enterprises/${done.ent3Id}/reject`, { reason: REJECT_REASON });
  done.rejected = true;
  await visit(page, seen, '/contracts', '[data-test="contracts-page"]', ENT.name);
  await visit(page, seen, `/contracts/${done.contractId}`, '[data-test="contract-detail"], .el-descriptions', LINE);
  if (done.noticeId) await visit(page, seen, `/notices/${done.noticeId}`, '[data-test="notice-detail"], .el-descriptions, .el-table', `异议${SCRIPT}${SVG}`);
});

test('xss: the enterprises see their profile, reason, contract and file name as text', async ({ page }) => {
  needsSetup();
  const seen = watch(page);
  expect(done.rejected, 'depends on the county_it test (rejection)');
  await login(page, ENT3.username, ENT3.password);
  await visit(page, seen, '/enterprise/profile', '[data-test="enterprise-form"]', REJECT_REASON);
  await page.context().clearCookies();
  await login(page, ENT.username, ENT.password);
  await visit(page, seen, '/', '[data-test="home-welcome"]', ENT.name);
  await visit(page, seen, '/enterprise/profile', '[data-test="enterprise-form"]', SVG);
  await visit(page, seen, '/contracts', '[data-test="contracts-page"]', PROV.name);
  await visit(page, seen, `/contracts/${done.contractId}`, '[data-test="contract-detail"], .el-descriptions', FILE_NAME);
});

test('xss: the provider and the city see provider, catalog item and contract texts as text', async ({ page }) => {
  needsSetup();
  const seen = watch(page);
  await login(page, PROV.username, PROV.password);
  await visit(page, seen, '/provider/profile', '[data-test="provider-form"]', IMG);
  await visit(page, seen, '/provider/catalog', '[data-test="provider-catalog-page"]', ITEM.name);
  await visit(page, seen, `/contracts/${done.contractId}`, '[data-test="contract-detail"], .el-descriptions', CONTRACT_NO);
  await page.context().clearCookies();
  await login(page, 'city_it');
  await visit(page, seen, '/review/providers', '[data-test="provider-review-page"]', PROV2.name);
  await drawer(page, seen, 'provider review drawer', PROV2.name, SCRIPT);
  await visit(page, seen, '/review/catalog', '[data-test="catalog-review-page"]', ITEM2.name);
  await drawer(page, seen, 'catalog review drawer', ITEM2.name, ITEM2.specification);
});

test('xss: the administrator and the auditor see display names, the audit log and the directories as text', async ({ page }) => {
  needsSetup();
  const seen = watch(page);
  await login(page, 'admin');
  await visit(page, seen, '/system/users', '[data-test="users-page"]', USER.display_name);
  await page.context().clearCookies();
  await login(page, 'auditor');
  await visit(page, seen, '/audit', '[data-test="audit-page"]', IMG, true);
  // the directories of those who read but do not decide
  await visit(page, seen, '/enterprises', '[data-test="enterprises-page"]', ENT3.name);
  await visit(page, seen, '/providers', '[data-test="providers-page"]', PROV.name);
  await visit(page, seen, '/catalog-items', '[data-test="catalog-items-page"]', ITEM.name);
  await visit(page, seen, '/contracts', '[data-test="contracts-page"]', CONTRACT_NO);
});

const CRITERIA = ['服务交付与合同相符', '服务质量与稳定性', '企业满意度', '票据与证明材料'];
const SERVICE = `${IMG}下半年服务`;
const QUALITY = `${SVG}宕机`;
const REVIEW_REASON = `核减${SCRIPT}`;

test('xss: an application, its evaluation and its review show the payloads as text', async ({ page }) => {
  needsSetup();
  // Confirmation times never run backwards, and the demo confirmed its
  // contracts today: the voucher is issued today, under the program in
  // force today, and filed for in the next filing window (server clock
  // moved forward).
  restoreServerClock();
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // 中国标准时间
  const year = Number(today.slice(0, 4));
  const firstHalf = today.slice(5, 7) <= '06';
  const period = `${year}${firstHalf ? 'H1' : 'H2'}`;
  const fileAt = firstHalf ? `${year}-07-10T10:00:00+08:00` : `${year + 1}-01-10T10:00:00+08:00`;
  const p0 = await session(PROV.username, PROV.password);
  const program = (await p0('GET', '/programs')).items.find((x) => x.parameters.window_starts_on <= today && today <= x.parameters.window_ends_on);
  expect(program, `a program is in force on ${today}`);
  await (await session('county_finance'))('POST', `/budgets/370811/${year}/fund`, { amount_fen: 100_000_000, source: 'county', reference: `xss-${run}` });
  const ent = await session(ENT.username, ENT.password);
  const c2 = await p0('POST', '/contracts', {
    enterprise_id: done.enterpriseId, program_id: program.id, contract_no: `HT2${run}`, signed_on: today, service_start: today, service_end: `${year + 1}${today.slice(4)}`,
    lines: [{ catalog_item_id: done.itemId, quantity: 12, unit_price_fen: 45000 }] });
  const confirmed = await ent('POST', `/contracts/${c2.id}/confirm`, {});
  expect(confirmed.voucher, `the contract gave no voucher: ${JSON.stringify(confirmed.voucher_refusal ?? confirmed.waitlist)}`);
  done.voucherId = confirmed.voucher.id;
  setServerClock(fileAt);
  const prov = await session(PROV.username, PROV.password);
  const app = await prov('POST', '/redemptions', { county_code: '370811', period, items: [{
    voucher_id: done.voucherId, service_desc: SERVICE, fee_fen: 40000, claim_fen: 10000, invoice_nos: `${SVG}`.slice(0, 20) }] });
  await prov.upload(`/redemptions/${app.id}/attachments`, '<svg onload=__xss=1>.pdf', PDF, 'application/pdf');
  await prov('POST', `/redemptions/${app.id}/submit`, {});
  await (await session('evaluator'))('POST', `/redemptions/${app.id}/evaluate`, {
    scores: CRITERIA.map((name) => ({ name, score: 90 })), note: `评价${IMG}`,
    items: [{ voucher_id: done.voucherId, quality_note: QUALITY, deduction: { kind: 'bp', bp: 100 } }] });
  await (await session('county_it'))('POST', `/redemptions/${app.id}/review`, {
    decision: 'approve', items: [{ voucher_id: done.voucherId, adjustment_fen: 100, reason: REVIEW_REASON }] });
  const seen = watch(page);
  await login(page, PROV.username, PROV.password);
  await visit(page, seen, '/redemptions', '[data-test="redemptions-page"]', null);
  await visit(page, seen, `/redemptions/${app.id}`, '[data-test="redemption-detail"]', SERVICE);
  await check(page, seen, 'application detail (file name)', '<svg onload=__xss=1>.pdf');
  await page.context().clearCookies();
  await login(page, 'evaluator');
  await visit(page, seen, `/redemptions/${app.id}`, '[data-test="redemption-detail"]', QUALITY, true);
  await page.context().clearCookies();
  await login(page, 'county_it');
  await visit(page, seen, `/redemptions/${app.id}`, '[data-test="redemption-detail"]', REVIEW_REASON, true);
  await check(page, seen, 'application detail (evaluation note)', `评价${IMG}`);
});

test('xss: the public catalog, provider pages and notices show the payloads as text', async ({ page }) => {
  needsSetup();
  const seen = watch(page);
  await visit(page, seen, `/public/catalog?q=${encodeURIComponent(run)}`, '.el-table', ITEM.name);
  await visit(page, seen, '/public/providers', '.el-table', PROV.name);
  await visit(page, seen, `/public/providers/${done.providerId}`, '.el-descriptions, .el-table', PROV.name);
  if (done.noticeId) await visit(page, seen, `/public/notices/${done.noticeId}`, '.el-table', null);
  restoreServerClock();
  process.stdout.write(`# xss: ${done.pages} page visits, ${PAYLOADS.length} payload kinds, ${done.shown} payload texts seen literally, none ran\n`);
});

await runIfMain(import.meta.url);
