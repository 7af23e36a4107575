// Issue 11, acceptance re-check (ui11): what an outside tester found first.
// - 券号核验 (the page a scanned QR code opens): a check that could not be
//   made (500, no network, 429) said 未找到该云服务券 — a genuine voucher
//   looked forged. It now says 暂时无法核验 with 重试; 404 still says 未找到.
// - 公示公告 (public list): a failed read showed 暂无公示.
// - 企业资料 / 服务商资料: a failed read left an empty card; the enterprise
//   home's 我的云服务券 said "no contract yet". Both now say the read failed,
//   with 重试.
// - On a phone (390 px) the pager under every list ran off the left edge:
//   共 N 条, the page size and the first pages could not be reached.
// - On a phone the review drawers (720 px) ran off the left edge: title,
//   company name and the first column of facts were cut.
// - English mode: "Hosted by：…" — a Chinese colon after English labels.
// - A review drawer (企业, 服务商, 目录) whose record could not be read
//   closed at once, leaving only a toast; it now stays open with 重试.
// - A drawer closed mid-read and another opened: the first read's end
//   cleared the second's spinner, showing a blank drawer.
// Run: node tests/browser/run.mjs ui11.
import { apiSession, expect, login, runIfMain, shot, test, url } from './lib.mjs';

const FAIL_500 = { status: 500, contentType: 'application/json', body: '{"error":{"code":"internal","message":"服务器内部错误"}}' };
const FAIL_429 = { status: 429, contentType: 'application/json', body: '{"error":{"code":"rate_limited","message":"核验过于频繁，请稍后再试"}}' };

/** Make the GET requests matching `re` fail as `how` ('500', '429' or 'abort') until `unroute`. */
async function breakGets(page, re, how) {
  await page.route(re, (r) => {
    if (r.request().method() !== 'GET') return r.continue();
    if (how === 'abort') return r.abort();
    return r.fulfill(how === '429' ? FAIL_429 : FAIL_500);
  });
}

test('verification that cannot be made says 暂时无法核验 with 重试, never 未找到 (500, 429, no network)', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const api = await apiSession('enterprise');
  const code = (await api('GET', '/vouchers?page_size=1')).json.items[0].code;
  const re = /\/api\/v1\/public\/vouchers\//;
  for (const how of ['500', '429', 'abort']) {
    await breakGets(page, re, how);
    await page.goto(url(`/verify/${encodeURIComponent(code)}`));
    const box = page.locator('[data-test="verify-unavailable"]');
    await box.waitFor();
    const body = await page.locator('[data-test="verify-page"]').innerText();
    expect(!body.includes('未找到'), `${how}: a failed check reads as 未找到: ${body.slice(0, 200)}`);
    expect(!(await page.locator('[data-test="verify-not-found"]').isVisible()), `${how}: the not-found result is shown`);
    if (how === '500') await shot(page, 'ui11-verify-unavailable');
    await page.unroute(re);
    await page.locator('[data-test="verify-retry"]').click();
    await page.locator('[data-test="verify-genuine"]').waitFor();
    expect((await page.locator('[data-test="verify-code"]').innerText()).trim() === code, `${how}: 重试 shows the voucher`);
  }
  // an unknown code (404) is still 未找到
  await page.goto(url('/verify/YQ2026-370811-999999-X'));
  await page.locator('[data-test="verify-not-found"]').waitFor();
  expect((await page.locator('[data-test="verify-not-found"]').innerText()).includes('未找到'), 'an unknown code says 未找到');
  expect((await page.locator('[data-test="verify-retry"]').count()) === 0, 'no 重试 for an unknown code');
});

test('公示公告 that cannot be read says so with 重试, not 暂无公示', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const re = /\/api\/v1\/public\/notices/;
  for (const how of ['500', 'abort']) {
    await breakGets(page, re, how);
    await page.goto(url('/public/notices'));
    await page.locator('[data-test="list-error"]').waitFor();
    const body = await page.locator('[data-test="public-notices-page"]').innerText();
    expect(!body.includes('暂无公示'), `${how}: a failed read reads as 暂无公示`);
    await page.unroute(re);
    await page.locator('[data-test="list-retry"]').click();
    await page.locator('[data-test="public-notice-card"]').first().waitFor();
  }
});

test('企业资料, 服务商资料 and the enterprise home’s 我的云服务券 that cannot be read say so with 重试', async ({ page }) => {
  const cases = [
    { user: 'enterprise', path: '/enterprise/profile', re: /\/api\/v1\/enterprises\/mine/, retry: '[data-test="record-retry"]', shown: '[data-test="enterprise-form"]' },
    { user: 'provider', path: '/provider/profile', re: /\/api\/v1\/providers\/mine/, retry: '[data-test="record-retry"]', shown: '[data-test="provider-form"]' },
    { user: 'enterprise', path: '/', re: /\/api\/v1\/(vouchers|contracts)\?/, retry: '[data-test="home-vouchers"] [data-test="list-retry"]', shown: '[data-test="home-voucher"]' },
  ];
  for (const c of cases) {
    await login(page, c.user);
    for (const how of ['500', 'abort']) {
      await breakGets(page, c.re, how);
      await page.goto(url(c.path));
      const retry = page.locator(c.retry).first();
      await retry.waitFor({ timeout: 10000 }).catch(() => {});
      expect(await retry.isVisible(), `${c.user} ${c.path} (${how}): no 重试 where the read failed`);
      const body = await page.locator('.yq-layout__main').innerText();
      expect(!/没有合同|暂无/.test(body), `${c.user} ${c.path} (${how}): a failed read reads as no data`);
      if (how === '500') await shot(page, `ui11-failed-${c.user}${c.path.replace(/\//g, '-')}`);
      await page.unroute(c.re);
      await retry.click();
      await page.locator(c.shown).first().waitFor();
    }
    await page.context().clearCookies();
  }
});

/** The parts of the pager that do not lie wholly inside the window. */
export const pagerOutside = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('.yq-pager .el-pagination > *')]
      .filter((e) => e.getBoundingClientRect().width > 0)
      .filter((e) => {
        const b = e.getBoundingClientRect();
        return b.left < -0.5 || b.right > window.innerWidth + 0.5;
      })
      .map((e) => `${(e.textContent || e.className).trim().slice(0, 20)} [${Math.round(e.getBoundingClientRect().left)}, ${Math.round(e.getBoundingClientRect().right)}]`),
  );

test('on a phone (390 px) the whole pager is on screen: 共 N 条, page size, every page button', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, 'auditor');
  for (const p of ['/audit', '/system/users', '/contracts']) {
    await page.goto(url(p));
    const pager = page.locator('.yq-pager .el-pagination').first();
    await pager.waitFor();
    await page.waitForLoadState('networkidle');
    await pager.scrollIntoViewIfNeeded();
    const outside = await pagerOutside(page);
    expect(outside.length === 0, `${p}: pager parts off screen at 390 px: ${outside.join(' | ')}`);
    const total = page.locator('.yq-pager .el-pagination__total');
    expect(await total.isVisible(), `${p}: 共 N 条 is not shown`);
  }
  await shot(page, 'ui11-phone-pager');
});

test('English mode: labels and values are joined by ": ", not the Chinese "：" (footer, enterprise home)', async ({ page }) => {
  await page.goto(url('/login'));
  await page.evaluate(() => localStorage.setItem('yq_locale', 'en'));
  await page.goto(url('/public/catalog'));
  const footer = page.locator('[data-test="site-footer"]');
  await footer.locator('[data-test="site-host-org"]').waitFor();
  for (const t of ['site-host-org', 'site-operator-org', 'site-contact', 'site-gov-code']) {
    const shown = (await footer.locator(`[data-test="${t}"]`).innerText()).trim();
    expect(/^[A-Za-z ]+: /.test(shown), `${t} in English reads "${shown}"`);
  }
  await login(page, 'enterprise');
  const voucher = page.locator('[data-test="home-voucher"]').first();
  await voucher.waitFor();
  const line = (await voucher.innerText()).split('\n')[0];
  expect(!/[A-Za-z]：/.test(line), `the enterprise home in English: "${line}"`);
  await shot(page, 'ui11-english-home');
});

/** Cells of an open drawer (and the drawer itself) that do not lie wholly inside the window. */
const drawerOutside = (page) =>
  page.evaluate(() => {
    const drawer = [...document.querySelectorAll('.el-drawer')].find((d) => d.getBoundingClientRect().width > 0);
    if (!drawer) return ['no open drawer'];
    return [drawer, ...drawer.querySelectorAll('.el-descriptions__label, .el-descriptions__content, .el-drawer__title')]
      .filter((e) => e.getBoundingClientRect().width > 0)
      .filter((e) => {
        const b = e.getBoundingClientRect();
        return b.left < -0.5 || b.right > window.innerWidth + 0.5;
      })
      .map((e) => `${(e.textContent || '').trim().slice(0, 16)} [${Math.round(e.getBoundingClientRect().left)}, ${Math.round(e.getBoundingClientRect().right)}]`);
  });

test('on a phone (390 px) the review drawers fit the screen: title, company name and every fact readable', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, 'county_it');
  for (const [path, table, drawer] of [
    ['/review/enterprises', 'enterprises-table', 'enterprise-drawer'],
    ['/providers', 'providers-table', 'provider-drawer'],
  ]) {
    await page.goto(url(path));
    const open = page.locator(`[data-test="${table}"] [data-test="row-open"]`).first();
    await open.waitFor();
    await open.click();
    await page.locator(`[data-test="${drawer}"] .el-descriptions`).first().waitFor();
    await page.waitForTimeout(400); // the drawer slides in
    const outside = await drawerOutside(page);
    expect(outside.length === 0, `${path}: the drawer runs off the 390 px screen: ${outside.slice(0, 4).join(' | ')}`);
    await shot(page, `ui11-phone-${drawer}`);
    await page.keyboard.press('Escape');
    await page.locator(`[data-test="${drawer}"]`).first().waitFor({ state: 'hidden' }).catch(() => {});
  }
});

test('a review drawer whose record cannot be read stays open and says so, with 重试 (500, no network)', async ({ page }) => {
  const cases = [
    { user: 'county_it', path: '/review/enterprises', table: 'enterprises-table', open: 'row-open', drawer: 'enterprise-drawer', re: /\/api\/v1\/enterprises\/[^/?]+$/, shown: '.el-descriptions' },
    { user: 'county_it', path: '/providers', table: 'providers-table', open: 'row-open', drawer: 'provider-drawer', re: /\/api\/v1\/providers\/[^/?]+$/, shown: '.el-descriptions' },
    { user: 'auditor', path: '/catalog-items', table: 'catalog-review-table', open: 'row-review', drawer: 'catalog-review-drawer', re: /\/api\/v1\/catalog-items\/[^/?]+$/, shown: '[data-test="compare-table"]' },
  ];
  for (const c of cases) {
    await login(page, c.user);
    await page.goto(url(c.path));
    const open = page.locator(`[data-test="${c.table}"] [data-test="${c.open}"]`).first();
    await open.waitFor();
    const inDrawer = (sel) => page.locator(`[data-test="${c.drawer}"] ${sel}`).first();
    for (const how of ['500', 'abort']) {
      await breakGets(page, c.re, how);
      await open.click();
      const retry = inDrawer('[data-test="record-retry"]');
      await retry.waitFor({ timeout: 10000 }).catch(() => {});
      expect(await retry.isVisible(), `${c.drawer} (${how}): the drawer closed or showed no 重试 where the read failed`);
      if (how === '500') await shot(page, `ui11-drawer-failed-${c.drawer}`);
      await page.unroute(c.re);
      await retry.click();
      await inDrawer(c.shown).waitFor();
      expect(!(await inDrawer('[data-test="drawer-failed"]').isVisible()), `${c.drawer} (${how}): 重试 left the failure shown`);
      await page.keyboard.press('Escape');
      await page.locator(`[data-test="${c.drawer}"]`).first().waitFor({ state: 'hidden' }).catch(() => {});
    }
    await page.context().clearCookies();
  }
});

test('a review drawer switched to another record mid-read keeps its spinner until that record is in', async ({ page }) => {
  // The reads are held and let go in order: the first (a drawer since
  // closed) ends while the second is still out. Its end used to clear the
  // spinner, leaving the second drawer blank until its answer came.
  await login(page, 'county_it');
  await page.goto(url('/review/enterprises'));
  const opens = page.locator('[data-test="enterprises-table"] [data-test="row-open"]');
  await opens.nth(1).waitFor();
  const re = /\/api\/v1\/enterprises\/[^/?]+$/;
  const held = [];
  await page.route(re, (r) => (r.request().method() === 'GET' ? held.push(r) : r.continue()));
  const heldCount = async (n) => {
    for (let i = 0; i < 100 && held.length < n; i++) await page.waitForTimeout(100);
    expect(held.length === n, `expected ${n} held reads, got ${held.length}`);
  };
  const drawer = page.locator('[data-test="enterprise-drawer"]').first();
  await opens.nth(0).click();
  await heldCount(1);
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' }).catch(() => {});
  await opens.nth(1).click();
  await heldCount(2);
  await held[0].continue();
  await page.waitForTimeout(800);
  const mask = page.locator('[data-test="enterprise-drawer"] .el-loading-mask').first();
  expect(await mask.isVisible(), 'the spinner went when the closed drawer’s read ended, the open one’s still out');
  expect(!(await page.locator('[data-test="enterprise-drawer"] [data-test="drawer-failed"]').first().isVisible()),
    'the open drawer shows a failure');
  await held[1].continue();
  await page.locator('[data-test="enterprise-drawer"] [data-test="drawer-name"]').first().waitFor();
  await page.unroute(re);
});

await runIfMain(import.meta.url);
