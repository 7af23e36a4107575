// Issue 11, checked again page by page (ui5): what the first pass left out.
// Signed-in pages on a phone (390×844): the menu is not a 220 px column
// beside the page but opens over it from the fold button and closes when a
// page is chosen; the header keeps search, account, language and sign-out
// within the screen; no page scrolls sideways.
// Run: node tests/browser/run.mjs ui5.
import { apiSession, expect, login, runIfMain, shot, test, url } from './lib.mjs';
import { PAGES, ROLES } from './roles.mjs';

/** How far the page (or the layout's main area) scrolls sideways, in px. */
const sideways = (page) =>
  page.evaluate(() => {
    const m = document.querySelector('.yq-layout__main');
    return Math.max(document.documentElement.scrollWidth - window.innerWidth, m ? m.scrollWidth - m.clientWidth : 0);
  });

/** Whether an element lies inside the window horizontally. */
const within = async (locator, width) => {
  const box = await locator.boundingBox();
  return box !== null && box.x >= 0 && box.x + box.width <= width + 0.5;
};

test('signed-in pages at 390 px: the menu opens over the page and closes on a choice; nothing scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const role = ROLES.find((r) => r.role === 'county_it');
  await login(page, role.username);
  expect(!(await page.locator('[data-test="side-menu"]').isVisible()), 'on a phone the side menu is a column beside the page, not hidden behind the menu button');
  for (const t of ['global-search', 'account-trigger', 'lang-switch', 'logout']) {
    expect(await within(page.locator(`[data-test="${t}"]`), 390), `the header's ${t} lies outside the 390 px screen`);
  }
  for (const key of role.menu) {
    const p = PAGES[key];
    await page.goto(url(p.path));
    await page.locator(p.marker).first().waitFor();
    await page.waitForTimeout(300);
    const dx = await sideways(page);
    expect(dx <= 0, `${p.title} (${p.path}) scrolls ${dx} px sideways at 390 px`);
  }
  await shot(page, 'ui5-phone-county_it-last');
  await page.locator('[data-test="menu-toggle"]').click();
  const menu = page.locator('[data-test="side-menu"]');
  await menu.waitFor();
  expect(await within(menu, 390), 'the opened menu does not fit the screen');
  await shot(page, 'ui5-phone-menu-open');
  await menu.locator('.el-menu-item', { hasText: '合同管理' }).click();
  await page.locator('[data-test="contracts-page"]').waitFor();
  await menu.waitFor({ state: 'hidden' });
  await page.locator('[data-test="menu-toggle"]').click();
  await menu.waitFor();
  await page.locator('[data-test="menu-backdrop"]').click({ position: { x: 350, y: 400 } });
  await menu.waitFor({ state: 'hidden' });
});

/** Every console error and uncaught error of the page, none excused. */
function collectErrors(page) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} ${m.location()?.url ?? ''}`.trim());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('public pages at 360 and 414 px: one column, complete, and not one console error (not even a 401)', async ({ page }) => {
  const errors = collectErrors(page);
  const signedIn = await apiSession('provider');
  const providerId = (await signedIn('GET', '/public/providers?page_size=1')).json.items[0].id;
  const code = (await signedIn('GET', '/vouchers?page_size=1')).json.items[0].code;
  const pages = ['/public/catalog', '/public/providers', `/public/providers/${providerId}`, '/public/negative-list', '/public/notices', '/verify', `/verify/${code}`, '/signup', '/login'];
  for (const width of [360, 414]) {
    await page.setViewportSize({ width, height: 800 });
    for (const p of pages) {
      errors.length = 0;
      await page.goto(url(p));
      await page.waitForLoadState('networkidle');
      const dx = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(dx <= 0, `${p} at ${width} px scrolls ${dx} px sideways`);
      expect(errors.length === 0, `${p} at ${width} px: console error: ${errors[0]}`);
    }
    await page.goto(url(`/verify/${code}`));
    const remaining = page.getByText('剩余可用').first();
    await remaining.waitFor();
    expect(await within(remaining, width), `剩余可用 is clipped at ${width} px`);
    await shot(page, `ui5-verify-${width}`);
  }
});

/** Make every data read (not sign-in) answer 500, or fail as a lost network. */
async function breakReads(page, how) {
  await page.route(/\/api\/v1\/(?!auth\/)/, (r) => {
    if (r.request().method() !== 'GET') return r.continue();
    if (how === 'abort') return r.abort();
    return r.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal","message":"服务器内部错误"}}' });
  });
}

test('a record, the home dashboard, 区县与目标, 政策参数 and 考核与奖补 that cannot be read say so with 重试 (500 and no network), and 重试 shows them', async ({ page }) => {
  const api = await apiSession('city_finance');
  const contract = (await api('GET', '/contracts?page_size=1')).json.items[0];
  const voucher = (await api('GET', '/vouchers?page_size=1')).json.items[0];
  await login(page, 'city_finance');
  const views = [
    { path: `/contracts/${contract.id}`, retry: '[data-test="record-retry"]', shown: '[data-test="contract-title"]' },
    { path: `/vouchers/${voucher.id}`, retry: '[data-test="record-retry"]', shown: `text=${voucher.code}` },
    { path: '/', retry: '[data-test="dashboard-retry"]', shown: '[data-test="home-dashboard"] canvas' },
    { path: '/counties', retry: '[data-test="list-retry"]', shown: '[data-test="counties-table"]' },
    { path: '/programs', retry: '[data-test="list-retry"]', shown: '[data-test="program-card"]' },
    { path: '/awards', retry: '[data-test="list-retry"]', shown: '[data-test="scores-table"]' },
  ];
  for (const how of ['500', 'abort']) {
    for (const v of views) {
      await breakReads(page, how);
      await page.goto(url(v.path));
      const retry = page.locator(v.retry).first();
      await retry.waitFor({ timeout: 10000 }).catch(() => {});
      expect(await retry.isVisible(), `${v.path} (${how}): no 重试 where the read failed`);
      const body = await page.locator('.yq-layout__main').innerText();
      expect(!/暂无数据|不存在|共 0 条/.test(body), `${v.path} (${how}): a failed read reads as no data: ${body.slice(0, 120)}`);
      if (how === '500') await shot(page, `ui5-error${v.path.replace(/\/[^/]*$/, '').replace(/\//g, '-') || '-home'}`);
      await page.unroute(/\/api\/v1\/(?!auth\/)/);
      await retry.click();
      await page.locator(v.shown).first().waitFor();
    }
  }
});

/** Visible inputs with no name of their own: no <label for>, no aria-label(ledby), not inside a label. */
const unnamedInputs = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden]):not([type=file]), textarea')]
      .filter((e) => e.offsetParent !== null)
      .filter((e) => !(e.id && document.querySelector(`label[for="${CSS.escape(e.id)}"]`)) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby') && !e.closest('label'))
      .map((e) => `${e.placeholder || e.className} in ${e.closest('[data-test]')?.getAttribute('data-test') ?? '?'}`),
  );

test('labels tied to inputs: public pages and the lists (date ranges, pager, searches) name every field', async ({ page }) => {
  const check = async (paths) => {
    for (const p of paths) {
      await page.goto(url(p));
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      const unnamed = await unnamedInputs(page);
      expect(unnamed.length === 0, `${p}: fields without a label: ${unnamed.join('; ')}`);
    }
  };
  await check(['/login', '/signup', '/public/catalog', '/public/providers', '/public/negative-list', '/public/notices', '/verify']);
  await login(page, 'city_it');
  await check(['/enterprises', '/contracts', '/vouchers', '/budgets', '/redemptions', '/notices', '/payouts', '/clawbacks', '/counties', '/negative-list']);
  await page.locator('[data-test="logout"]').click();
  await page.waitForURL((u) => u.pathname === '/login');
  await login(page, 'admin');
  // /audit's own date range is left to the audit filters' rework (ui4).
  await check(['/system/users']);
});

// Every page of every role at 390×844 (no console error, nothing scrolls
// sideways): pages.spec.mjs, one visit per page for both checks.

await runIfMain(import.meta.url);
