// The journey of "Programs, registration and the service catalog": an
// enterprise signs up and submits its profile; the county reviewer approves
// it with 批量通过; the provider submits a catalog item and the city
// publishes it; signed out, anyone finds it in the public catalog.
// Names are unique per run (the USCC comes from the UI's own uscc.ts).
// Run: node tests/browser/run.mjs registration.
import path from 'node:path';
import { randomInt } from 'node:crypto';
import {
  apiSession,
  config,
  confirmBox,
  expect,
  importWebTs,
  login,
  logout,
  openMenu,
  pickOption,
  runIfMain,
  test,
  url,
} from './lib.mjs';

const uscc = await importWebTs('src/utils/uscc.ts');
const money = await importWebTs('src/utils/money.ts');

/** A fresh valid USCC registered in 任城区 (370811): random organisation body, computed check characters. */
function freshUscc() {
  let body = '';
  for (let i = 0; i < 8; i++) body += uscc.USCC_ALPHABET[randomInt(uscc.USCC_ALPHABET.length)];
  return uscc.makeUscc('91', '370811', body);
}

/** A licence PNG (1×1), recognised by the server by its bytes. */
const LICENCE_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

/** The business licence and the consent the sign-up form requires. */
async function licenceAndConsent(page) {
  await page.locator('input[data-test="signup-licence"]').setInputFiles({ name: '营业执照.png', mimeType: 'image/png', buffer: LICENCE_PNG });
  await page.locator('[data-test="signup-consent"]').click();
}

const run = `${Date.now().toString(36)}${randomInt(1296).toString(36)}`;
const ENTERPRISE = {
  username: `qy${run}`,
  password: 'Signup-pass-2026',
  uscc: freshUscc(),
  name: `济宁上云测试企业${run}有限公司`,
};
const ITEM = {
  name: `云数据库 MySQL 版 ${run}`,
  listPrice: '1200',
  discountPrice: '999.5',
  shown: '¥999.50',
};
const PROVIDER_NAME = '齐鲁云计算服务有限公司';

/** Steps of the journey that later tests need (each test has its own browser context). */
const done = { signedUp: false, approved: false, published: false };

/** Screenshot to YQ_OUT, once the toasts are gone and the page is scrolled back to its top. */
async function shot(page, name) {
  await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 6000 }).catch(() => {});
  await page.evaluate(() => document.querySelector('.yq-layout__main')?.scrollTo(0, 0));
  await page.screenshot({ path: path.join(config.out, `${name}.png`), fullPage: true });
}
/** The text box of an Element Plus input (el-input puts data-test on the <input> itself, others on a wrapper). */
const field = (scope, test) =>
  scope.locator(`input[data-test="${test}"], textarea[data-test="${test}"], [data-test="${test}"] input, [data-test="${test}"] textarea`).first();
const fill = (page, test, value) => field(page, test).fill(value);
const statusOf = (page) => page.locator('[data-test="party-status"] [data-test="status-tag"]').getAttribute('data-status');

test('uscc.ts and money.ts: GB 32100 check characters, yuan ↔ fen without floats', async () => {
  for (const code of ['91350100M000100Y43', '91110000600037341L', ENTERPRISE.uscc]) {
    expect(uscc.checkUscc(code).ok, `${code} should be valid`);
  }
  expect(uscc.checkUscc('91350100m000100y43').ok, 'lower case is upper-cased');
  const bad = uscc.checkUscc('91350100M000100Y44');
  expect(!bad.ok && bad.problem.kind === 'check', 'wrong 18th character is found');
  const badOrg = uscc.checkUscc('91350100M000100X43');
  expect(!badOrg.ok && badOrg.problem.kind === 'org_check', 'wrong organisation check is found');
  expect(!uscc.checkUscc('91350100M00010OY43').ok, 'O is not in the alphabet');
  expect(ENTERPRISE.uscc.slice(2, 8) === '370811', `fresh USCC ${ENTERPRISE.uscc} is in 370811`);

  expect(money.yuanToFen('0.29') === 29, '0.29 yuan is 29 fen');
  expect(money.yuanToFen('¥12,345.6') === 1234560, '¥12,345.6 is 1234560 fen');
  expect(money.yuanToFen('1.234') === null && money.yuanToFen('-1') === null, 'bad amounts are refused');
  expect(money.formatMoney(1234567) === '¥12,345.67', 'formatMoney groups thousands');
  expect(money.formatMoney(5) === '¥0.05', 'formatMoney pads fen');
  expect(money.fenToYuanText(99950) === '999.50', 'fenToYuanText for inputs');
});

test('public pages: catalog, providers and negative list without signing in; login links to sign-up', async ({ page }) => {
  await page.goto(url('/login'));
  await page.locator('[data-test="login-catalog-link"]').click();
  await page.locator('[data-test="public-catalog-page"]').waitFor();
  await page.locator('[data-test="catalog-item-name"]').first().waitFor();

  await page.locator('[data-test="public-nav-providers"]').click();
  await page.locator('[data-test="providers-table"] [data-test="provider-link"]', { hasText: PROVIDER_NAME }).click();
  await page.locator('[data-test="provider-name"]', { hasText: PROVIDER_NAME }).waitFor();
  const text = await page.locator('[data-test="public-provider-page"]').innerText();
  expect(!/1390537\d{4}|@|1608001109200012345/.test(text), 'the public provider page shows no phone, e-mail or bank account');

  await page.locator('[data-test="public-nav-negative-list"]').click();
  await page.locator('[data-test="negative-table"] .el-table__row').first().waitFor();

  await page.locator('[data-test="public-signup"]').click();
  await page.locator('[data-test="signup-form"]').waitFor();
});

test('sign-up: the USCC is checked in the browser and server refusals land on their field', async ({ page }) => {
  await page.goto(url('/signup'));
  await fill(page, 'signup-uscc', '91350100M000100Y44');
  await field(page, 'signup-name').focus();
  await page.locator('.el-form-item__error', { hasText: '校验位（第18位）不正确' }).waitFor();

  // A taken username: the server answers 409 with field "username" (a message
  // that does not confirm the account exists: 用户名不可用).
  await fill(page, 'signup-username', 'enterprise');
  await fill(page, 'signup-password', ENTERPRISE.password);
  await fill(page, 'signup-confirm', ENTERPRISE.password);
  await fill(page, 'signup-uscc', freshUscc());
  await fill(page, 'signup-name', `重名测试${run}`);
  await pickOption(page, 'signup-county', '任城区');
  await licenceAndConsent(page);
  await page.locator('[data-test="signup-submit"]').click();
  const error = field(page, 'signup-username').locator('xpath=ancestor::div[contains(@class,"el-form-item")][1]').locator('.el-form-item__error');
  await error.waitFor();
  const message = (await error.innerText()).trim();
  expect(message.includes('用户名不可用'), `username error is "${message}"`);
  expect(new URL(page.url()).pathname === '/signup', 'stayed on /signup');
});

test('registration: an enterprise signs up, fills its profile and submits it', async ({ page }) => {
  await page.goto(url('/public/catalog'));
  await page.locator('[data-test="public-signup"]').click();
  await page.locator('[data-test="signup-form"]').waitFor();
  await page.locator('[data-test="signup-role-enterprise"]').click();
  await fill(page, 'signup-username', ENTERPRISE.username);
  await fill(page, 'signup-password', ENTERPRISE.password);
  await fill(page, 'signup-confirm', ENTERPRISE.password);
  await fill(page, 'signup-uscc', ENTERPRISE.uscc.toLowerCase());
  await fill(page, 'signup-name', ENTERPRISE.name);
  await pickOption(page, 'signup-county', '任城区');
  await licenceAndConsent(page);
  await page.locator('[data-test="signup-submit"]').click();

  // Signed in by the server, on to the profile.
  await page.waitForURL((u) => u.pathname === '/enterprise/profile');
  await page.locator('[data-test="enterprise-form"]').waitFor();
  expect((await statusOf(page)) === 'draft', 'a new enterprise is a draft');
  const shownUscc = await field(page, 'ent-uscc').inputValue();
  expect(shownUscc === ENTERPRISE.uscc, `USCC on the profile is ${shownUscc}, expected ${ENTERPRISE.uscc}`);
  // The licence uploaded at sign-up is on the enterprise's own profile, as
  // the reviewer sees it: previewed, and a link that downloads the file.
  const own = page.locator('[data-test="profile-licence"]');
  const ownLink = own.locator('[data-test="drawer-licence-link"]', { hasText: '营业执照.png' });
  await ownLink.waitFor();
  const ownPreview = own.locator('[data-test="drawer-licence-preview"]');
  await ownPreview.waitFor();
  await page.waitForFunction((img) => img.complete, await ownPreview.elementHandle());
  expect(await ownPreview.evaluate((img) => img.naturalWidth === 1), 'the licence image loads on the own profile');
  const file = await page.request.get(url(await ownLink.getAttribute('href')));
  expect(file.status() === 200 && (await file.body()).equals(LICENCE_PNG), `the licence downloads from the profile (${file.status()})`);

  // Submitting an incomplete profile is refused in the browser: it says so and
  // brings the first field marked in red into view (the button is at the bottom).
  await page.locator('[data-test="profile-submit"]').click();
  await page.locator('.el-message--warning', { hasText: '请按标红的提示修改后再保存' }).waitFor();
  const firstWrong = page.locator('.el-form-item.is-error').first();
  await firstWrong.locator('.el-form-item__error').waitFor();
  await page.waitForFunction((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; },
    await firstWrong.elementHandle());
  await page.locator('.el-form-item__error', { hasText: '请填写法定代表人' }).waitFor();

  await fill(page, 'ent-legal-rep', '王建民');
  await fill(page, 'ent-address', '济宁市任城区运河路 18 号');
  await fill(page, 'ent-phone', `139${String(randomInt(1e8)).padStart(8, '0')}`);
  await fill(page, 'ent-email', `it-${run}@qiye.example.cn`);
  await page.locator('[data-test="ent-independent-yes"]').click();
  await fill(page, 'ent-employees', '85');
  await field(page, 'ent-employees').press('Tab');
  await pickOption(page, 'ent-industry', 'C 制造业');
  await page.locator('[data-test="ent-tags"] .el-checkbox', { hasText: '高端装备' }).click();
  await page.locator('[data-test="ent-flags"] .el-checkbox', { hasText: '专精特新' }).click();

  await page.locator('[data-test="profile-save"]').click();
  await page.locator('.el-message--success', { hasText: '资料已保存' }).waitFor();

  await page.locator('[data-test="profile-submit"]').click();
  await confirmBox(page);
  await page.locator('[data-test="party-status"] [data-status="submitted"]').waitFor();
  const disabled = await field(page, 'ent-legal-rep').isDisabled();
  expect(disabled, 'a submitted profile is read-only');
  expect((await page.locator('[data-test="profile-submit"]').count()) === 0, 'no submit button once submitted');
  await shot(page, 'registration-profile');
  done.signedUp = true;
});

test('registration: county_it finds the enterprise in the queue and approves it with 批量通过', async ({ page }) => {
  expect(done.signedUp, 'depends on the sign-up test');
  await login(page, 'county_it');
  await openMenu(page, '企业审核', '[data-test="enterprise-review-page"]');

  await fill(page, 'filter-q', ENTERPRISE.uscc);
  await page.locator('[data-test="filter-submit"]').click();
  const row = page.locator('[data-test="enterprises-table"] .el-table__row', { hasText: ENTERPRISE.name });
  await row.waitFor();
  // the filtered answer may still be on its way: wait for it, then count
  const one = await page
    .waitForFunction(() => document.querySelectorAll('[data-test="enterprises-table"] .el-table__body .el-table__row').length === 1, null, { timeout: 10_000 })
    .then(() => true, () => false);
  expect(one, 'one row for the USCC');

  // The detail drawer shows every field and the warnings.
  await row.locator('[data-test="row-open"]').click();
  const drawer = page.locator('[data-test="enterprise-drawer"]');
  await drawer.locator('[data-test="drawer-uscc"]', { hasText: ENTERPRISE.uscc }).waitFor();
  await drawer.locator('[data-test="warnings"]').waitFor();
  const details = await drawer.innerText();
  expect(details.includes('王建民') && details.includes('制造业') && details.includes('专精特新'), 'drawer shows the profile');
  // the business licence uploaded with the sign-up, previewed and linked
  await drawer.locator('[data-test="drawer-licence-link"]', { hasText: '营业执照.png' }).waitFor();
  const preview = drawer.locator('[data-test="drawer-licence-preview"]');
  await preview.waitFor();
  expect(await preview.evaluate((img) => img.complete && img.naturalWidth === 1), 'the licence image loads for the reviewer');
  await drawer.locator('[data-test="drawer-approve"]').waitFor();
  await shot(page, 'registration-review-drawer');
  await page.keyboard.press('Escape');
  await drawer.locator('.el-drawer').waitFor({ state: 'hidden' });

  await row.locator('.el-table-column--selection .el-checkbox').click();
  await shot(page, 'registration-queue');
  await page.locator('[data-test="batch-approve"]').click();
  await confirmBox(page);
  const result = page.locator('[data-test="batch-result"]');
  await result.locator('[data-test="batch-approved"] li', { hasText: ENTERPRISE.name }).waitFor();
  await shot(page, 'registration-batch-result');
  await result.locator('[data-test="batch-result-close"]').click();

  // Gone from the queue of submitted registrations.
  await page.locator('[data-test="enterprises-table"] .el-table__empty-text', { hasText: '暂无符合条件的企业' }).waitFor();
  await logout(page);

  // The enterprise sees itself approved.
  await login(page, ENTERPRISE.username, ENTERPRISE.password);
  await page.locator('[data-test="home-party"] [data-status="approved"]').waitFor();
  done.approved = true;
});

test('registration: a rejected enterprise corrects and resubmits; county_it sees 重新提交 and approves it', async ({ page }) => {
  // Set up through the API what the enterprise and the reviewer did on other pages.
  const again = { username: `cx${run}`, password: 'Signup-pass-2026', uscc: freshUscc(), name: `济宁重新提交测试企业${run}有限公司` };
  const ent = await apiSession(again.username, again.password, { role: 'enterprise', ...again, county_code: '370811' });
  const id = (await ent('GET', '/enterprises/mine')).json.id;
  await ent('PATCH', `/enterprises/${id}`, {
    legal_rep: '李明', address: '济宁市任城区建设路 6 号', phone: `138${String(randomInt(1e8)).padStart(8, '0')}`,
    email: `cx-${run}@qiye.example.cn`, independent_legal_person: true, industry: 'C', employees: 40,
  });
  await ent('POST', `/enterprises/${id}/submit`);
  await (await apiSession('county_it'))('POST', `/enterprises/${id}/reject`, { reason: '注册地址与营业执照不一致' });
  await ent('PATCH', `/enterprises/${id}`, { address: '济宁市任城区建设路 8 号' });
  const resubmitted = (await ent('POST', `/enterprises/${id}/submit`)).json;
  expect(resubmitted.status === 'resubmitted', `a corrected rejection is resubmitted, got ${resubmitted.status}`);

  await login(page, 'county_it');
  await openMenu(page, '企业审核', '[data-test="enterprise-review-page"]');
  // the review queue (待审核) holds resubmissions too
  await fill(page, 'filter-q', again.uscc);
  await page.locator('[data-test="filter-submit"]').click();
  const row = page.locator('[data-test="enterprises-table"] .el-table__row', { hasText: again.name });
  await row.locator('[data-status="resubmitted"]', { hasText: '重新提交' }).waitFor();
  await row.locator('[data-test="row-detail"]', { hasText: '审核' }).click();
  const drawer = page.locator('[data-test="enterprise-drawer"]');
  await drawer.locator('[data-test="drawer-uscc"]', { hasText: again.uscc }).waitFor();
  await drawer.locator('[data-test="drawer-approve"]').click();
  await confirmBox(page);
  await page.locator('.el-message--success', { hasText: '已审核通过' }).waitFor();
  const after = (await ent('GET', '/enterprises/mine')).json;
  expect(after.status === 'approved', `approved from the drawer, got ${after.status}`);
});

test('catalog: the provider submits an item and city_it publishes it in 目录审核', async ({ page }) => {
  await login(page, 'provider');
  await openMenu(page, '目录产品', '[data-test="provider-catalog-page"]');
  await page.locator('[data-test="item-create"]').click();
  const dialog = page.locator('[data-test="catalog-item-dialog"]');
  await dialog.locator('[data-test="catalog-item-form"]').waitFor();

  await dialog.locator('[data-test="item-service"]').click();
  for (const level of ['平台系统服务', '数据库平台', '关系型数据库']) {
    await page.locator('.el-cascader-menu:visible .el-cascader-node', { hasText: level }).first().click();
  }
  await fill(page, 'item-name', ITEM.name);
  await fill(page, 'item-description', '托管的 MySQL 8.0 关系型数据库，含自动备份与监控告警。');
  await fill(page, 'item-specification', '4 核 8 GiB / 200 GiB SSD / 主备高可用');
  await pickOption(page, 'item-unit', '月');
  await fill(page, 'item-list-price', ITEM.listPrice);
  // A discounted price above the list price is refused in the browser.
  await fill(page, 'item-discount-price', '1300');
  await field(dialog, 'item-list-price').focus();
  await dialog.locator('.el-form-item__error', { hasText: '优惠价格不能高于标准价格' }).waitFor();
  await fill(page, 'item-discount-price', ITEM.discountPrice);
  const range = dialog.locator('[data-test="item-validity"] input');
  await range.nth(0).fill('2026-01-01');
  await range.nth(1).fill('2028-12-31');
  await range.nth(1).press('Enter');
  await dialog.locator('[data-test="item-save"]').click();
  await dialog.waitFor({ state: 'hidden' });

  const mine = page.locator('[data-test="items-table"] .el-table__row', { hasText: ITEM.name });
  await mine.locator('[data-status="pending"]').waitFor();
  expect((await mine.innerText()).includes(ITEM.shown), `the provider's list shows ${ITEM.shown}`);
  await logout(page);

  await login(page, 'city_it');
  await openMenu(page, '目录审核', '[data-test="catalog-review-page"]');
  await fill(page, 'filter-q', ITEM.name);
  await page.locator('[data-test="filter-submit"]').click();
  const row = page.locator('[data-test="catalog-review-table"] .el-table__row', { hasText: ITEM.name });
  await row.locator('[data-test="row-review"]').click();
  const drawer = page.locator('[data-test="catalog-review-drawer"]');
  await drawer.locator('[data-test="compare-table"]').waitFor();
  const compare = await drawer.locator('[data-test="compare-table"]').innerText();
  expect(compare.includes('关系型数据库') && compare.includes(ITEM.shown), 'the pending version is shown with its price');
  await shot(page, 'catalog-review');
  await drawer.locator('[data-test="drawer-publish"]').click();
  await confirmBox(page);
  await page.locator('.el-message--success', { hasText: '已发布' }).waitFor();
  await drawer.locator('[data-test="status-tag"][data-status="published"]').first().waitFor();
  done.published = true;
});

test('catalog: signed out, the published item is in the public catalog', async ({ page }) => {
  expect(done.published, 'depends on the catalog review test');
  await page.goto(url('/public/catalog'));
  await page.locator('[data-test="public-catalog-page"]').waitFor();
  await fill(page, 'catalog-search', ITEM.name);
  await page.locator('[data-test="catalog-search-submit"]').click();
  const row = page.locator('[data-test="catalog-table"] .el-table__row', { hasText: ITEM.name });
  await row.waitFor();
  const text = await row.innerText();
  expect(text.includes(ITEM.shown), `public price shows ${ITEM.shown}: ${text}`);
  expect(text.includes(PROVIDER_NAME) && text.includes('平台系统服务'), 'row names the provider and the service');
  await shot(page, 'public-catalog');

  // The price range filter (yuan in, fen to the API) keeps it in and then out.
  await fill(page, 'catalog-price-min', '999.5');
  await fill(page, 'catalog-price-max', '999.50');
  await page.locator('[data-test="catalog-search-submit"]').click();
  await row.waitFor();
  await fill(page, 'catalog-price-min', '999.51');
  await fill(page, 'catalog-price-max', '');
  await page.locator('[data-test="catalog-search-submit"]').click();
  await page.locator('[data-test="catalog-table"] .el-table__empty-text', { hasText: '暂无符合条件的目录产品' }).waitFor();
});

await runIfMain(import.meta.url);
