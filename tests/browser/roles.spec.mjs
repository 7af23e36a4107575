// Every role signs in, sees its own menu and role name, is refused the pages
// it may not open, and signs out; a wrong password shows the server's message.
// Run: node tests/browser/run.mjs (all specs) or node tests/browser/roles.spec.mjs.
import path from 'node:path';
import { config, expect, login, logout, menuLabels, runIfMain, submitLogin, test, url } from './lib.mjs';
import { PAGES, ROLES } from './roles.mjs';

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

for (const r of ROLES) {
  test(`role ${r.role}: menu, header, forbidden pages, logout`, async ({ page }) => {
    await login(page, r.username);

    const expected = r.menu.map((key) => PAGES[key].title);
    const shown = await menuLabels(page);
    expect(same(shown, expected), `menu is [${shown.join(', ')}], expected [${expected.join(', ')}]`);

    const roleName = (await page.locator('[data-test="header-role"]').innerText()).trim();
    expect(roleName === r.name, `header role is "${roleName}", expected "${r.name}"`);
    if (r.county) {
      const county = (await page.locator('[data-test="header-county"]').innerText()).trim();
      expect(county === r.county, `header county is "${county}", expected "${r.county}"`);
    }

    await page.screenshot({ path: path.join(config.out, `home-${r.role}.png`), fullPage: true });

    // Every menu entry opens its page.
    for (const key of r.menu) {
      const p = PAGES[key];
      await page.locator('[data-test="side-menu"] .el-menu-item', { hasText: p.title }).click();
      await page.waitForURL((u) => u.pathname === p.path);
      await page.locator(p.marker).waitFor();
      if (key === 'users') {
        const create = await page.locator('[data-test="users-create"]').count();
        expect(create === (r.manageUsers ? 1 : 0), `users page ${create ? 'offers' : 'lacks'} 新增用户`);
      }
    }

    // Every other page answers 403, even when typed into the address bar.
    for (const [key, p] of Object.entries(PAGES)) {
      if (r.menu.includes(key)) continue;
      await page.goto(url(p.path));
      await page.locator('[data-test="page-403"]').waitFor();
      expect(new URL(page.url()).pathname === '/403', `${p.path} went to ${page.url()}, expected /403`);
    }

    await logout(page);
    // The session is gone on the server too: the home page asks to sign in again.
    await page.goto(url('/'));
    await page.waitForURL((u) => u.pathname === '/login');
    await page.locator('[data-test="login-card"]').waitFor();
  });
}

test('unknown address shows the 404 page', async ({ page }) => {
  await login(page, 'enterprise');
  await page.goto(url('/no-such-page'));
  await page.locator('[data-test="page-404"]').waitFor();
  await page.locator('[data-test="back-home"]').click();
  await page.locator('[data-test="home-welcome"]').waitFor();
});

// Last, so that its failed attempt cannot slow down the sign-ins above.
test('wrong password shows the server message', async ({ page }) => {
  await submitLogin(page, 'admin', `${config.password}-wrong`);
  const alert = page.locator('[data-test="login-error"]');
  await alert.waitFor();
  const text = (await alert.innerText()).trim();
  expect(text.includes('用户名或密码错误'), `login error is "${text}"`);
  expect(new URL(page.url()).pathname === '/login', `left the login page for ${page.url()}`);
});

await runIfMain(import.meta.url);
