// Every page of every role at 1366×768 (issue 11): it loads its data with
// no error in the browser console and no failed request, the page itself
// does not scroll sideways, and a screenshot of it is kept in
// tests/browser/out/pages/ as the test's artifact (ROLE-PAGE.png).
// Run: node tests/browser/run.mjs pages
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { config, expect, login, runIfMain, shot, test, url } from './lib.mjs';
import { PAGES, ROLES } from './roles.mjs';

mkdirSync(path.join(config.out, 'pages'), { recursive: true });

/** Console errors and failed API answers (4xx/5xx) of a page, collected while it is open. */
function watch(page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

for (const r of ROLES) {
  test(`pages of ${r.role}: load without console errors or failed requests, no sideways scroll`, async ({ page }) => {
    await login(page, r.username);
    const problems = watch(page);
    for (const key of r.menu) {
      const p = PAGES[key];
      problems.length = 0;
      await page.goto(url(p.path));
      await page.locator(p.marker).first().waitFor();
      // the page's requests have answered: no loading mask left
      await page.waitForLoadState('networkidle');
      await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(sideways <= 0, `${r.role} ${p.path}: the page scrolls sideways by ${sideways}px`);
      expect(problems.length === 0, `${r.role} ${p.path}: ${problems.slice(0, 3).join(' | ')}`);
      await shot(page, `pages/${r.role}-${key}`);
    }
  });
}

await runIfMain(import.meta.url);
