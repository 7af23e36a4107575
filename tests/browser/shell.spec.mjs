// Issue 11, the signed-in shell at 1366×768: the tabs bar of open pages,
// the breadcrumb, the side menu folded across a reload, the account panel
// behind the header's name/role/county, the idle warning and the expired
// session (登录已过期, then back to the page), the login page's focus and
// labels, visible keyboard focus, status tags at WCAG AA contrast, the home
// page's 待办 and the budget page's 拨入记录.
// Run: node tests/browser/run.mjs shell.
import { randomInt } from 'node:crypto';
import {
  apiSession,
  config,
  expect,
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

const tabs = (page) => page.locator('[data-test="page-tab"]');
const tabTitles = async (page) => (await tabs(page).allInnerTexts()).map((s) => s.trim());
const crumbs = async (page) => (await page.locator('[data-test="breadcrumb"] .el-breadcrumb__item').allInnerTexts()).map((s) => s.replace('/', '').trim());

test('login page: the user name field has the focus and every field its label', async ({ page }) => {
  await page.goto(url('/login'));
  await page.locator('[data-test="login-card"]').waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'username');
  for (const name of ['username', 'password']) {
    const label = await page.evaluate((n) => {
      const input = document.querySelector(`input[name="${n}"]`);
      const l = input && input.id ? document.querySelector(`label[for="${input.id}"]`) : null;
      return l ? l.textContent.trim() : '';
    }, name);
    expect(label === (name === 'username' ? '用户名' : '密码'), `${name} field's label is "${label}"`);
  }
  // Keyboard focus shows a ring: Tab along to the sign-up link.
  let onLink = false;
  for (let i = 0; i < 8 && !onLink; i++) {
    await page.keyboard.press('Tab');
    onLink = await page.evaluate(() => document.activeElement?.getAttribute('data-test') === 'login-signup-link');
  }
  expect(onLink, 'Tab reaches the sign-up link');
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  expect(ring.style === 'solid' && ring.width >= 2, `focused link outline is ${ring.style} ${ring.width}px`);
});

test('tabs bar, breadcrumb and a folded menu that survives a reload', async ({ page }) => {
  const api = await apiSession('city_finance');
  const contract = (await api('GET', '/contracts?page_size=1')).json.items[0];
  expect(contract, 'the demo has a contract');

  await login(page, 'city_finance');
  expect((await tabTitles(page)).join('|') === '首页', `tabs at start: ${await tabTitles(page)}`);
  expect((await page.locator('[data-test="page-tab"][data-path="/"] [data-test="page-tab-close"]').count()) === 0, 'the home tab has no close button');
  expect((await crumbs(page)).join('/') === '首页', `home breadcrumb: ${await crumbs(page)}`);

  await openMenu(page, '合同管理', '.el-table');
  await openMenu(page, '预算资金', '[data-test="budgets-page"]');
  expect((await tabTitles(page)).join('|') === '首页|合同管理|预算资金', `tabs: ${await tabTitles(page)}`);
  expect((await text(page.locator('[data-test="page-tab"].is-active'))) === '预算资金', 'the current page\'s tab is highlighted');
  expect((await crumbs(page)).join('/') === '首页/预算资金', `breadcrumb: ${await crumbs(page)}`);

  // A contract's page sits under 合同管理; the breadcrumb leads back there.
  await page.goto(url(`/contracts/${contract.id}`));
  await page.locator('[data-test="breadcrumb"]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-test="page-tab"]').length === 4);
  expect((await crumbs(page)).join('/') === '首页/合同管理/合同详情', `detail breadcrumb: ${await crumbs(page)}`);
  await page.waitForFunction((no) => [...document.querySelectorAll('[data-test="page-tab"]')].some((e) => e.textContent.trim() === `合同 ${no}`), contract.contract_no);
  expect((await tabTitles(page)).join('|') === `首页|合同管理|预算资金|合同 ${contract.contract_no}`, `tabs after reload-free open: ${await tabTitles(page)}`);

  // The tabs are kept for the browser session (a reload keeps them).
  await page.reload();
  await page.locator('[data-test="tags-bar"]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-test="page-tab"]').length === 4);

  // Closing the current tab goes to its neighbour; the tab is gone.
  await page.locator('[data-test="page-tab"].is-active [data-test="page-tab-close"]').click();
  await page.waitForURL((u) => u.pathname === '/budgets');
  expect((await tabTitles(page)).join('|') === '首页|合同管理|预算资金', `after closing: ${await tabTitles(page)}`);

  // The breadcrumb's middle step is a link.
  await page.locator('[data-test="page-tab"] a', { hasText: '合同管理' }).click();
  await page.waitForURL((u) => u.pathname === '/contracts');
  await page.locator('[data-test="tabs-menu"]').click();
  await page.locator('[data-test="tabs-close-others"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-test="page-tab"]').length === 2);
  expect((await tabTitles(page)).join('|') === '首页|合同管理', `after closing others: ${await tabTitles(page)}`);
  await page.locator('[data-test="breadcrumb-0"]').click();
  await page.waitForURL((u) => u.pathname === '/');

  // Fold the menu; it stays folded after a reload, and unfolds again.
  const width = async () => (await page.locator('[data-test="side-aside"]').boundingBox()).width;
  expect((await width()) > 200, 'the menu starts unfolded');
  const chart = page.locator('[data-test="dash-completion-chart"] canvas');
  await chart.waitFor();
  const chartBefore = (await chart.boundingBox()).width;
  await page.locator('[data-test="menu-toggle"]').click();
  await page.waitForFunction(() => document.querySelector('[data-test="side-aside"]').getBoundingClientRect().width < 80);
  // The page's charts take the room the menu gave up.
  await page.waitForFunction(
    (w) => document.querySelector('[data-test="dash-completion-chart"] canvas').getBoundingClientRect().width > w + 50,
    chartBefore,
  );
  await page.reload();
  await page.locator('[data-test="home-welcome"]').waitFor();
  expect((await width()) < 80, `after reload the menu is ${await width()}px wide`);
  await shot(page, 'shell-menu-folded');
  await page.locator('[data-test="menu-toggle"]').click();
  await page.waitForFunction(() => document.querySelector('[data-test="side-aside"]').getBoundingClientRect().width > 200);
});

test('the header name, role and county open the account panel with 修改密码', async ({ page }) => {
  await login(page, 'county_it');
  const trigger = page.locator('[data-test="account-trigger"]');
  expect((await text(page.locator('[data-test="header-role"]'))) === '县级经济和信息化部门', 'role shown');
  expect((await text(page.locator('[data-test="header-county"]'))) === '任城区', 'county shown');
  // Plain text: no tag border, part of one button that does something.
  const border = await page.locator('[data-test="header-role"]').evaluate((e) => getComputedStyle(e).borderTopStyle);
  expect(border === 'none', `role has a ${border} border`);
  await trigger.click();
  const panel = page.locator('[data-test="account-panel"]');
  await panel.waitFor();
  expect((await text(panel.locator('[data-test="account-username"]'))) === 'county_it', 'panel shows the user name');
  expect((await text(panel.locator('[data-test="account-role"]'))) === '县级经济和信息化部门', 'panel shows the role');
  expect((await text(panel.locator('[data-test="account-county"]'))) === '任城区', 'panel shows the county');

  await panel.locator('[data-test="account-password"]').click();
  const dialog = page.locator('[data-test="password-dialog"]');
  await dialog.waitFor();
  await dialog.locator('input#yq-pw-current').fill('not-the-password');
  await dialog.locator('input#yq-pw-new').fill('New-Passw0rd-2026');
  await dialog.locator('input#yq-pw-confirm').fill('New-Passw0rd-2027');
  await dialog.locator('[data-test="password-submit"]').click();
  await dialog.locator('.el-form-item__error', { hasText: '两次输入的新密码不一致' }).waitFor();
  await dialog.locator('input#yq-pw-confirm').fill('New-Passw0rd-2026');
  await dialog.locator('[data-test="password-submit"]').click();
  // The server's answer goes under the field it names.
  await dialog.locator('.el-form-item__error', { hasText: '当前密码不正确' }).waitFor();
  await dialog.locator('.el-dialog__footer .el-button').first().click();
  await dialog.waitFor({ state: 'hidden' });

  await trigger.click();
  await panel.locator('[data-test="account-logout"]').click();
  await page.waitForURL((u) => u.pathname === '/login');
  expect((await page.locator('[data-test="login-expired"]').count()) === 0, 'signing out is not an expiry');
});

test('修改密码 from the account panel: the new password signs in, the old one no longer', async ({ page }) => {
  // An account of its own, so that the demo passwords stay as they are.
  const run = `${Date.now().toString(36)}${randomInt(1296).toString(36)}`;
  let body = '';
  for (let i = 0; i < 8; i++) body += uscc.USCC_ALPHABET[randomInt(uscc.USCC_ALPHABET.length)];
  const account = { username: `pw${run}`, password: 'First-pass-2026', next: 'Second-pass-2026' };
  await apiSession(account.username, account.password, {
    role: 'enterprise', username: account.username, password: account.password,
    uscc: uscc.makeUscc('91', '370811', body), name: `济宁改密测试${run}有限公司`, county_code: '370811',
  });
  await login(page, account.username, account.password);
  await page.locator('[data-test="account-trigger"]').click();
  await page.locator('[data-test="account-password"]').click();
  const dialog = page.locator('[data-test="password-dialog"]');
  await dialog.locator('input#yq-pw-current').fill(account.password);
  await dialog.locator('input#yq-pw-new').fill(account.next);
  await dialog.locator('input#yq-pw-confirm').fill(account.next);
  await dialog.locator('[data-test="password-submit"]').click();
  await page.locator('.el-message--success', { hasText: '密码已修改' }).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  // This session stays signed in.
  await openMenu(page, '合同管理', '.el-table');
  await logout(page);
  let refused = false;
  try {
    await apiSession(account.username, account.password);
  } catch {
    refused = true;
  }
  expect(refused, 'the old password is refused');
  await login(page, account.username, account.next);
});

test('a session ended on the server: 登录已过期, then back to the page', async ({ page, context }) => {
  await login(page, 'county_finance');
  await openMenu(page, '预算资金', '[data-test="budgets-page"]');
  // End the session from outside, with the same cookie (as a timeout would).
  const cookies = await context.cookies();
  const jar = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = cookies.find((c) => c.name === 'yq_csrf')?.value ?? '';
  const res = await fetch(url('/api/v1/auth/logout'), { method: 'POST', headers: { Cookie: jar, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }, body: '{}' });
  expect(res.ok, `logout through the API answered ${res.status}`);

  // The user opens another page (a click on the menu can lose the race with
  // the open page's own requests, which also end on the login page).
  await page.goto(url('/contracts'));
  await page.waitForURL((u) => u.pathname === '/login');
  const notice = page.locator('[data-test="login-expired"]');
  await notice.waitFor();
  expect((await text(notice)).includes('登录已过期，请重新登录'), `login page says "${await text(notice)}"`);
  expect(new URL(page.url()).searchParams.get('redirect') === '/contracts', `redirect is ${page.url()}`);
  await shot(page, 'shell-session-expired');

  await page.locator('input[name="username"]').fill('county_finance');
  await page.locator('input[name="password"]').fill(config.password);
  await page.locator('[data-test="login-submit"]').click();
  await page.waitForURL((u) => u.pathname === '/contracts');
  await page.locator('.el-table').first().waitFor();

  // A reload after the session ended says so too.
  await fetch(url('/api/v1/auth/logout'), {
    method: 'POST',
    headers: { Cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; '), 'X-CSRF-Token': (await context.cookies()).find((c) => c.name === 'yq_csrf')?.value ?? '', 'Content-Type': 'application/json' },
    body: '{}',
  });
  await page.reload();
  await page.locator('[data-test="login-expired"]').waitFor();
});

test('31 idle minutes on the server clock: 登录已过期, then back to the page', async ({ page }) => {
  await login(page, 'county_it');
  await openMenu(page, '合同管理', '.el-table');
  try {
    setServerClock(new Date(Date.now() + 31 * 60 * 1000).toISOString());
    // The user opens another page (typed or from a bookmark: a click on the
    // menu can lose the race with the page's own background requests, which
    // also end on the login page, with the current page as the way back).
    await page.goto(url('/vouchers'));
    await page.waitForURL((u) => u.pathname === '/login');
    await page.locator('[data-test="login-expired"]').waitFor();
    expect(new URL(page.url()).searchParams.get('redirect') === '/vouchers', `redirect is ${page.url()}`);
    await page.locator('input[name="username"]').fill('county_it');
    await page.locator('input[name="password"]').fill(config.password);
    await page.locator('[data-test="login-submit"]').click();
    await page.waitForURL((u) => u.pathname === '/vouchers');
  } finally {
    restoreServerClock();
  }
});

test('a minute before the idle timeout: 继续使用 keeps the session and what was typed', async ({ page }) => {
  await page.clock.install();
  await login(page, 'county_it');
  // Something typed in an open dialog.
  await page.locator('[data-test="account-trigger"]').click();
  await page.locator('[data-test="account-password"]').click();
  const typed = page.locator('[data-test="password-dialog"] input#yq-pw-current');
  await typed.fill('half-typed text');

  await page.clock.fastForward('27:00');
  await page.clock.runFor(2000);
  expect(!(await page.locator('[data-test="session-warning"]').isVisible()), 'no warning 27 minutes in');
  await page.clock.fastForward('01:30');
  await page.clock.runFor(2000);
  const warning = page.locator('[data-test="session-warning"]');
  await warning.waitFor();
  expect((await text(warning)).includes('秒后过期'), `warning says "${await text(warning)}"`);
  await shot(page, 'shell-idle-warning');
  await warning.locator('[data-test="session-stay"]').click();
  await page.clock.runFor(2000);
  await warning.waitFor({ state: 'hidden' });
  expect((await typed.inputValue()) === 'half-typed text', 'the dialog keeps what was typed');

  // Ignored, the warning runs out: the login page says the session expired.
  await page.locator('[data-test="password-dialog"] .el-dialog__footer .el-button').first().click();
  await page.clock.fastForward('29:30');
  await page.clock.runFor(2000);
  await page.waitForURL((u) => u.pathname === '/login');
  await page.locator('[data-test="login-expired"]').waitFor();
});

test('home starts with 待办 linking to the filtered lists, under the program\'s own name', async ({ page }) => {
  await login(page, 'county_it');
  const first = await page.locator('.yq-layout__main > *').first().getAttribute('data-test');
  expect(first === 'home-pending', `the home page starts with ${first}`);
  const card = page.locator('[data-test="pending-enterprises_to_review"]');
  await card.waitFor();
  expect((await card.getAttribute('href')) === '/review/enterprises?status=submitted', `待审核企业 links to ${await card.getAttribute('href')}`);
  const program = await text(page.locator('[data-test="home-program"]'));
  expect(!program.includes('行动计划（2018—2020年）'), `home says "${program}"`);
  expect(program.includes('济宁市“企业上云”云服务券'), `home names the program: "${program}"`);
  await card.click();
  await page.waitForURL((u) => u.pathname === '/review/enterprises' && u.searchParams.get('status') === 'submitted');
});

test('预算资金 lists the fundings with source, amount, reference and who recorded them', async ({ page }) => {
  await login(page, 'city_finance');
  await openMenu(page, '预算资金', '[data-test="budgets-page"]');
  const table = page.locator('[data-test="fundings-table"]');
  await table.locator('.el-table__row').first().waitFor();
  const row = await text(table.locator('.el-table__row').first());
  expect(/县级财政|市级奖补|省级奖补/.test(row), `source in Chinese: ${row}`);
  expect(/¥\s?[\d,]+\.\d\d/.test(row), `amount in 元: ${row}`);
  expect(row.includes('〔'), `reference shown: ${row}`);
  expect(row.includes('财政局'), `who recorded it: ${row}`);
  expect(!/county_finance|city_award|province_award/.test(await text(table)), 'no raw codes');
  await shot(page, 'shell-fundings');
  // Every field of the page has a name a screen reader reads out.
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden]):not([type=radio]), textarea')]
      .filter((e) => e.offsetParent && !(e.labels && e.labels.length && e.labels[0].textContent.trim()) && !e.getAttribute('aria-label'))
      .map((e) => e.outerHTML.slice(0, 120)),
  );
  expect(unnamed.length === 0, `fields without a label: ${unnamed.join(' ')}`);
  // The city picks a county; a county's official sees its own only.
  const counties = async () => new Set((await table.locator('.el-table__row td:first-child').allInnerTexts()).map((s) => s.trim()));
  expect((await counties()).size > 1, 'the city sees every county');
  await pickOption(page, 'fundings-county', '兖州区');
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('[data-test="fundings-table"] .el-table__row td:first-child')];
    return cells.length > 0 && cells.every((c) => c.textContent.trim() === '兖州区');
  });
  await logout(page);
  await login(page, 'county_finance');
  await openMenu(page, '预算资金', '[data-test="budgets-page"]');
  await table.locator('.el-table__row').first().waitFor();
  expect((await page.locator('[data-test="fundings-county"]').count()) === 0, 'no county choice for a county');
  const own = await table.locator('.el-table__row').allInnerTexts();
  expect(own.length > 0 && own.every((r) => r.includes('县级财政') || r.includes('奖补')), 'the county sees its fundings');
  const year = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()); // the page's default year
  const api = await apiSession('city_finance');
  const mine = (await api('GET', `/budgets/fundings?year=${year}&county=370811`)).json;
  expect(own.length === mine.total, `任城区 sees ${own.length} fundings, the city counts ${mine.total} for it`);
});

test('status tags read at WCAG AA contrast', async ({ page }) => {
  await login(page, 'city_finance');
  await openMenu(page, '合同管理', '[data-test="status-tag"]');
  const worst = await page.evaluate(() => {
    const lum = (c) => {
      const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    let min = 99;
    let which = '';
    for (const el of document.querySelectorAll('[data-test="status-tag"]')) {
      const s = getComputedStyle(el);
      const a = lum(s.color);
      const b = lum(s.backgroundColor);
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < min) {
        min = ratio;
        which = `${el.textContent.trim()} ${s.color} on ${s.backgroundColor}`;
      }
    }
    return { min, which };
  });
  expect(worst.min >= 4.5, `a status tag reads at ${worst.min.toFixed(2)}:1 (${worst.which})`);
});

await runIfMain(import.meta.url);
