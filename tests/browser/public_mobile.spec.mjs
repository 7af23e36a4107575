// Public pages on a phone (issue 11, defect 1): at 390×844 (and 360 px for
// the verification page a scanned voucher opens) every public page loads
// with no console error and no sideways page scroll; the top bar collapses
// into a menu that opens and navigates; the verification result shows in
// full; the footer shows the site's facts as the operator configured them
// (GET /api/v1/public/site; tests/run_all.py starts the server with sample
// values); sign-up shows the consent and refuses to go on without it.
// Run: node tests/browser/run.mjs public_mobile.
import { apiSession, expect, field, login, pickOption, runIfMain, shot, test, url } from './lib.mjs';

const PHONE = { width: 390, height: 844 };

/** Collects console errors and uncaught errors of the page. */
function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => {
    // Signed out, the app asks /auth/me once and is told 401: expected.
    if (m.type() === 'error' && !(m.location().url ?? '').endsWith('/api/v1/auth/me')) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** The page is no wider than the screen. */
async function noSideScroll(page, what) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  expect(scroll <= inner, `${what}: the page scrolls sideways (scrollWidth ${scroll} > innerWidth ${inner})`);
}

/** An element lies wholly inside the screen's width. */
async function inside(page, locator, what) {
  const box = await locator.boundingBox();
  const width = page.viewportSize().width;
  expect(box && box.x >= 0 && box.x + box.width <= width + 0.5, `${what} is cut off: ${JSON.stringify(box)} in ${width} px`);
}

async function demoVoucher() {
  const call = await apiSession('enterprise');
  const { json } = await call('GET', '/vouchers?page_size=1');
  expect(json.items.length > 0, 'the demo enterprise has a voucher');
  const { json: v } = await call('GET', `/vouchers/${json.items[0].id}`);
  return v;
}

async function publicIds() {
  const res = async (p) => (await fetch(url(`/api/v1${p}`))).json();
  const providers = await res('/public/providers?page_size=1');
  const notices = await res('/public/notices?page_size=1');
  return { provider: providers.items[0]?.id, notice: notices.items[0]?.id };
}

test('public pages at 390 px: one column, no sideways scroll, no console error', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize(PHONE);
  const v = await demoVoucher();
  const ids = await publicIds();
  const pages = [
    ['/public/catalog', 'public-catalog-page', 'catalog'],
    ['/public/providers', null, 'providers'],
    ...(ids.provider ? [[`/public/providers/${ids.provider}`, null, 'provider']] : []),
    ['/public/negative-list', null, 'negative-list'],
    ['/public/notices', null, 'notices'],
    ...(ids.notice ? [[`/public/notices/${ids.notice}`, null, 'notice']] : []),
    [`/verify/${encodeURIComponent(v.code)}?t=${encodeURIComponent(v.verify_token)}`, 'verify-genuine', 'verify'],
    ['/signup', 'signup-form', 'signup'],
    ['/login', 'login-card', 'login'],
  ];
  for (const [path, marker, name] of pages) {
    await page.goto(url(path));
    if (marker) await page.locator(`[data-test="${marker}"]`).waitFor();
    await page.waitForLoadState('networkidle');
    await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden' }).catch(() => {});
    await noSideScroll(page, path);
    // lists are cards on a phone: the key fields of a row in view, no table
    const cards = { catalog: 'catalog-cards', providers: 'providers-cards', 'negative-list': 'negative-cards' }[name];
    if (cards) {
      const card = page.locator(`[data-test="${cards}"] [data-test="public-card"]`).first();
      await card.waitFor();
      await inside(page, card, `${path}: a card`);
      expect((await page.locator('.yq-public__main .el-table').count()) === 0, `${path}: no table on a phone`);
    }
    if (name === 'catalog') {
      await inside(page, page.locator('[data-test="catalog-item-price"]').first(), 'the price of a catalog item');
    }
    await shot(page, `public-mobile-${name}`);
    expect(errors.length === 0, `${path}: console error: ${errors[0]}`);
  }
});

test('public menu at 390 px: the bar collapses, the menu opens and navigates', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize(PHONE);
  await page.goto(url('/public/catalog'));
  await page.locator('[data-test="public-catalog-page"]').waitFor();
  expect(!(await page.locator('[data-test="public-nav"]').isVisible()), 'the desktop sections are hidden on a phone');
  await inside(page, page.locator('[data-test="public-login"]'), '登录');
  const button = page.locator('[data-test="public-menu-button"]');
  await inside(page, button, 'the menu button');
  await button.click();
  const menu = page.locator('.el-drawer', { has: page.locator('[data-test="public-menu-providers"]') });
  await menu.waitFor();
  for (const t of ['menu-verify-box', 'menu-language', 'menu-login', 'menu-signup', 'public-menu-negative-list', 'public-menu-verify']) {
    await menu.locator(`[data-test="${t}"]`).waitFor();
  }
  await shot(page, 'public-mobile-menu');
  await menu.locator('[data-test="public-menu-providers"]').click();
  await page.waitForURL((u) => u.pathname === '/public/providers');
  await menu.waitFor({ state: 'hidden' });
  // the menu's 券号核验 box leads to the verification page
  const v = await demoVoucher();
  await button.click();
  await field(page, 'menu-verify-box').fill(v.code.toLowerCase());
  await field(page, 'menu-verify-box').press('Enter');
  await page.waitForURL((u) => u.pathname === `/verify/${encodeURIComponent(v.code)}`);
  await page.locator('[data-test="verify-genuine"]').waitFor();
  await menu.waitFor({ state: 'hidden' });
  // the language switch in the menu
  await button.click();
  await pickOption(page, 'menu-language', 'English');
  await page.locator('[data-test="public-menu-catalog"]', { hasText: 'Service catalog' }).waitFor();
  await pickOption(page, 'menu-language', '中文');
  await page.locator('[data-test="public-menu-catalog"]', { hasText: '服务目录' }).waitFor();
  expect(errors.length === 0, `console error: ${errors[0]}`);
});

test('verification at 360 px: the whole result is visible', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 360, height: 780 });
  const v = await demoVoucher();
  await page.goto(url(`/verify/${encodeURIComponent(v.code)}?t=${encodeURIComponent(v.verify_token)}`));
  await page.locator('[data-test="verify-genuine"]').waitFor();
  await noSideScroll(page, 'verify at 360 px');
  const facts = page.locator('[data-test="verify-facts"]');
  await inside(page, facts, 'the facts of the voucher');
  for (const t of ['verify-code', 'verify-status', 'verify-amount', 'verify-remaining', 'verify-holder', 'verify-program', 'verify-county']) {
    await inside(page, page.locator(`[data-test="${t}"]`), t);
  }
  const label = facts.locator('.el-descriptions__label', { hasText: '剩余可用' });
  await inside(page, label, '剩余可用');
  const clipped = await facts.evaluate((el) =>
    [...el.querySelectorAll('.el-descriptions__label, .el-descriptions__content')]
      .filter((c) => c.scrollWidth > c.clientWidth + 1)
      .map((c) => c.textContent.trim()),
  );
  expect(clipped.length === 0, `cells cut off: ${clipped.join(' | ')}`);
  expect((await page.locator('[data-test="verify-code"]').innerText()).trim() === v.code, 'the code is shown');
  await shot(page, 'public-mobile-verify-360');
  expect(errors.length === 0, `console error: ${errors[0]}`);
});

test('footer: the site facts as the operator configured them', async ({ page }) => {
  const site = await (await fetch(url('/api/v1/public/site'))).json();
  expect(site.host_org && site.icp && site.gov_code,
    'the server has no site facts: start it with --site-host-org, --site-icp, --site-gov-code (tests/run_all.py does)');
  await page.setViewportSize(PHONE);
  await page.goto(url('/public/catalog'));
  const footer = page.locator('[data-test="site-footer"]');
  await footer.locator('[data-test="site-host-org"]').waitFor();
  const checks = { 'site-host-org': site.host_org, 'site-operator-org': site.operator_org, 'site-contact': site.contact, 'site-icp': site.icp, 'site-gov-code': site.gov_code };
  for (const [t, value] of Object.entries(checks)) {
    const n = await footer.locator(`[data-test="${t}"]`).count();
    if (!value) {
      expect(n === 0, `${t} is shown although it is not configured`);
      continue;
    }
    const shown = (await footer.locator(`[data-test="${t}"]`).innerText()).trim();
    expect(shown.includes(value), `${t} shows "${shown}", configured "${value}"`);
  }
  expect((await footer.locator('[data-test="site-icp"]').getAttribute('href')) === 'https://beian.miit.gov.cn/', 'the ICP number links to the MIIT register');
  await inside(page, footer, 'the footer');
  // the login page has it too, and the signed-in app a slim one
  await page.goto(url('/login'));
  await page.locator('[data-test="site-footer"] [data-test="site-gov-code"]').waitFor();
  await page.setViewportSize({ width: 1366, height: 768 });
  await login(page, 'enterprise');
  const slim = page.locator('.yq-layout__main [data-test="site-footer"]');
  await slim.locator('[data-test="site-host-org"]', { hasText: site.host_org }).waitFor();
  await slim.locator('[data-test="site-icp"]', { hasText: site.icp }).waitFor();
});

test('sign-up at 390 px: the consent is shown and required', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize(PHONE);
  await page.goto(url('/signup'));
  await page.locator('[data-test="signup-form"]').waitFor();
  const n = Date.now() % 1_000_000;
  await field(page, 'signup-username').fill(`mobile${n}`);
  await field(page, 'signup-password').fill('Mobile-Pass-2026');
  await field(page, 'signup-confirm').fill('Mobile-Pass-2026');
  await field(page, 'signup-uscc').fill('91350100M000100Y43');
  await field(page, 'signup-name').fill(`手机注册测试${n}有限公司`);
  await pickOption(page, 'signup-county', '任城区');
  await page.locator('input[data-test="signup-licence"]').setInputFiles({
    name: '营业执照.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
  });
  await page.locator('[data-test="signup-licence-name"]', { hasText: '营业执照.pdf' }).waitFor();
  // the texts, in a dialog
  await page.locator('[data-test="signup-read-agreement"]').click();
  const dialog = page.locator('[data-test="signup-agreement-text"]');
  await dialog.waitFor();
  expect((await dialog.innerText()).includes('用户协议'), 'the user agreement is shown');
  await inside(page, dialog, 'the agreement');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await page.locator('[data-test="signup-read-privacy"]').click();
  await page.locator('[data-test="signup-agreement-text"]', { hasText: '隐私政策' }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('[data-test="signup-agreement-text"]').waitFor({ state: 'hidden' });
  // not ticked: refused, nothing sent
  let sent = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/auth/signup')) sent++;
  });
  await page.locator('[data-test="signup-submit"]').click();
  const item = page.locator('.el-form-item', { has: page.locator('[data-test="signup-consent"]') });
  await item.locator('.el-form-item__error', { hasText: '请阅读并同意' }).waitFor();
  expect(new URL(page.url()).pathname === '/signup', 'stayed on /signup');
  expect(sent === 0, 'no sign-up was sent without consent');
  await noSideScroll(page, '/signup with its messages');
  await shot(page, 'public-mobile-signup-consent');
  expect(errors.length === 0, `console error: ${errors[0]}`);
});

test('public pages between phone and desktop (800, 1024 px): the menu, no sideways scroll', async ({ page }) => {
  const v = await demoVoucher();
  for (const width of [800, 1024]) {
    await page.setViewportSize({ width, height: 768 });
    for (const path of ['/public/catalog', '/public/notices', `/verify/${encodeURIComponent(v.code)}?t=${encodeURIComponent(v.verify_token)}`]) {
      await page.goto(url(path));
      await page.waitForLoadState('networkidle');
      expect(await page.locator('[data-test="public-menu-button"]').isVisible(), `${path} at ${width} px: the menu button`);
      await noSideScroll(page, `${path} at ${width} px`);
    }
  }
  // English needs a wider bar: at 1366 px it collapses instead of overflowing
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.addInitScript(() => localStorage.setItem('yq_locale', 'en'));
  await page.goto(url('/public/catalog'));
  await page.locator('[data-test="public-catalog-page"]').waitFor();
  await page.locator('[data-test="public-menu-button"]').waitFor();
  await noSideScroll(page, '/public/catalog in English at 1366 px');
});

test('public pages at 1366 px: the bar as before, no menu button', async ({ page }) => {
  await page.goto(url('/public/catalog'));
  await page.locator('[data-test="public-catalog-page"]').waitFor();
  for (const t of ['public-nav-catalog', 'public-nav-verify', 'verify-box', 'public-login', 'public-signup']) {
    expect(await page.locator(`[data-test="${t}"]`).isVisible(), `${t} is in the bar at 1366 px`);
  }
  expect(!(await page.locator('[data-test="public-menu-button"]').isVisible()), 'no menu button at 1366 px');
  await noSideScroll(page, '/public/catalog at 1366 px');
  await shot(page, 'public-desktop-catalog');
});

await runIfMain(import.meta.url);
