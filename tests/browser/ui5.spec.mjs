// Issue 11, checked again page by page (ui5): what the first pass left out.
// Signed-in pages on a phone (390×844): the menu is not a 220 px column
// beside the page but opens over it from the fold button and closes when a
// page is chosen; the header keeps search, account, language and sign-out
// within the screen; no page scrolls sideways.
// Run: node tests/browser/run.mjs ui5.
import { expect, login, runIfMain, shot, test, url } from './lib.mjs';
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

await runIfMain(import.meta.url);
