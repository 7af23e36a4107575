// Every page of every role at 1366×768 and 390×844 (issue 11): it loads
// its data with no error in the browser console and no failed request, and
// a screenshot of it is kept in tests/browser/out/pages/ as the test's
// artifact (ROLE-PAGE.png, ROLE-PAGE-390.png). At 1366×768, with the side
// menu unfolded, the page does not scroll sideways and every column header
// of every data table (name, status, amount, 操作 …) lies inside the
// table's visible box: no table scrolls sideways, so no status tag hides
// under the fixed 操作 column. The public pages, signed out, at both sizes:
// no sideways scroll at all. At 390 px the pager under a list lies wholly
// inside the screen (it once ran off the left edge without any scroll).
// Run: node tests/browser/run.mjs pages
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { config, expect, login, runIfMain, shot, test, url } from './lib.mjs';
import { PAGES, ROLES } from './roles.mjs';

mkdirSync(path.join(config.out, 'pages'), { recursive: true });

/** Console errors and failed API answers (4xx/5xx) of a page, collected while it is open. */
function watch(page) {
  const problems = [];
  // Signed out, the app asks once who is signed in (/auth/me) and is told 401: expected.
  const signedOutProbe = (u) => /\/api\/v1\/auth\/me$/.test(u);
  page.on('console', (m) => {
    if (m.type() === 'error' && !signedOutProbe(m.location()?.url ?? '')) problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 400 && !(r.status() === 401 && signedOutProbe(r.url()))) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

/** Every page of a role's menu at the page's size: `check` looks at each once it has settled. */
async function eachPage(page, r, check) {
  await login(page, r.username);
  const problems = watch(page);
  for (const key of r.menu) {
    const p = PAGES[key];
    problems.length = 0;
    await page.goto(url(p.path));
    await page.locator(p.marker).first().waitFor();
    // the page's requests have answered: no loading mask left
    await settle(page);
    await check(p, key);
    expect(problems.length === 0, `${r.role} ${p.path} at ${page.viewportSize().width}: ${problems.slice(0, 3).join(' | ')}`);
  }
}

for (const r of ROLES) {
  test(`pages of ${r.role}: load without console errors or failed requests, no sideways scroll, key columns in view`, async ({ page }) => {
    await eachPage(page, r, async (p, key) => {
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(sideways <= 0, `${r.role} ${p.path}: the page scrolls sideways by ${sideways}px`);
      const hidden = await columnsOutOfView(page);
      expect(hidden.length === 0, `${r.role} ${p.path}: columns outside the table's visible box at 1366×768: ${hidden.slice(0, 4).join(' | ')}`);
      await shot(page, `pages/${r.role}-${key}`);
    });
  });

  test(`pages of ${r.role} on a phone (390×844): load without console errors or failed requests, nothing scrolls sideways`, async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await eachPage(page, r, async (p, key) => {
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(sideways <= 0, `${r.role} ${p.path}: the page scrolls sideways by ${sideways}px at 390 px`);
      // what does not scroll can still be cut off: the pager once ran off the left edge
      const cut = await pagerOffScreen(page);
      expect(cut.length === 0, `${r.role} ${p.path}: pager parts off the 390 px screen: ${cut.slice(0, 3).join(' | ')}`);
      await shot(page, `pages/${r.role}-${key}-390`);
    });
  });
}

/** The public pages anyone opens, signed out. */
const PUBLIC_PAGES = [
  ['catalog', '/public/catalog', '[data-test="public-catalog-page"]'],
  ['providers', '/public/providers', '[data-test="public-providers-page"]'],
  ['negative', '/public/negative-list', '[data-test="public-negative-page"]'],
  ['notices', '/public/notices', '[data-test="public-notices-page"]'],
  ['verify', '/verify', '[data-test="verify-page"]'],
  ['signup', '/signup', '[data-test="signup-form"]'],
  ['login', '/login', '[data-test="login-card"]'],
];

for (const [w, h] of [
  [1366, 768],
  [390, 844],
]) {
  test(`public pages at ${w}×${h}: no console errors, no sideways scroll`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    const problems = watch(page);
    for (const [key, path, marker] of PUBLIC_PAGES) {
      problems.length = 0;
      await page.goto(url(path));
      await page.locator(marker).first().waitFor();
      await settle(page);
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(sideways <= 0, `${path} at ${w}: the page scrolls sideways by ${sideways}px`);
      expect(problems.length === 0, `${path} at ${w}: ${problems.slice(0, 3).join(' | ')}`);
      await shot(page, `pages/public-${key}-${w}`);
    }
  });
}

/** The parts of the list pagers that do not lie wholly inside the window's width. */
function pagerOffScreen(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.yq-pager .el-pagination > *')]
      .map((e) => [e, e.getBoundingClientRect()])
      .filter(([, b]) => b.width > 0 && (b.left < -0.5 || b.right > window.innerWidth + 0.5))
      .map(([e, b]) => `${(e.textContent || e.className).trim().slice(0, 20)} [${Math.round(b.left)}, ${Math.round(b.right)}]`),
  );
}

async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
}

/**
 * The header cells of the page's data tables (not those of a dialog or a
 * drawer) that lie outside their table's visible box, and the tables whose
 * body scrolls sideways (a column under the fixed 操作 one).
 */
function columnsOutOfView(page) {
  return page.evaluate(() => {
    const out = [];
    for (const table of document.querySelectorAll('.el-table')) {
      if (table.closest('.el-dialog, .el-drawer, .el-popper')) continue;
      const box = table.getBoundingClientRect();
      if (box.width === 0) continue;
      const name = table.getAttribute('data-test') || 'table';
      for (const th of table.querySelectorAll('.el-table__header-wrapper th')) {
        const label = th.textContent.trim();
        if (!label || th.classList.contains('el-table-column--selection')) continue;
        const b = th.getBoundingClientRect();
        if (b.left < box.left - 1 || b.right > box.right + 1 || b.right > window.innerWidth) out.push(`${name}: ${label}`);
      }
      const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap');
      if (wrap && wrap.scrollWidth > wrap.clientWidth + 1) out.push(`${name} scrolls sideways (${wrap.scrollWidth}>${wrap.clientWidth})`);
    }
    return out;
  });
}

await runIfMain(import.meta.url);
