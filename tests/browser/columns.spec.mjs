// Column settings (issue 11, defect 3): every table that has the table
// toolbar, on every page of every role's menu and on the detail pages
// (a contract's lines, a redemption's items, a notice's items and
// objections, a payout batch's lines), the awards' tables and the home
// dashboards: hide a column, the column goes; reload, it stays hidden
// (remembered per user and table); 重置 brings it back.
// Run: node tests/browser/run.mjs columns
import { apiSession, expect, login, logout, runIfMain, test, url } from './lib.mjs';
import { PAGES, ROLES } from './roles.mjs';

async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
}

/** The header labels of the first table after the i-th visible toolbar. */
function headers(page, i) {
  return page.evaluate((i) => {
    const bars = [...document.querySelectorAll('[data-test="table-toolbar"]')].filter((b) => b.offsetParent !== null);
    const bar = bars[i];
    if (!bar) return null;
    const table = [...document.querySelectorAll('.el-table')].find((t) => bar.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING);
    if (!table) return null;
    return [...table.querySelectorAll('.el-table__header-wrapper th')].map((th) => th.textContent.trim()).filter(Boolean);
  }, i);
}

const visibleBars = (page) => page.locator('[data-test="table-toolbar"]:visible');

async function openPanel(page, i) {
  // The last panel has faded out: only this toolbar's panel will show.
  const open = page.locator('[data-test="table-columns-panel"]:visible');
  for (let n = 0; n < 50 && (await open.count()) > 0; n++) await page.waitForTimeout(100);
  await visibleBars(page).nth(i).locator('[data-test="table-columns"]').click();
  const panel = page.locator('[data-test="table-columns-panel"]:visible');
  await panel.waitFor();
  return panel;
}

async function closePanel(page, panel) {
  await page.mouse.click(5, 5);
  await panel.waitFor({ state: 'hidden' }).catch(() => {});
}

async function waitHeaders(page, i, ok) {
  for (let n = 0; n < 50; n++) {
    const h = await headers(page, i);
    if (h && ok(h)) return h;
    await page.waitForTimeout(100);
  }
  return headers(page, i);
}

/** Every toolbar of the page open at `path` (reached by `open`): hide, reload, still hidden, reset. Returns how many were checked. */
async function checkPage(page, where, open) {
  await open();
  await settle(page);
  const n = await visibleBars(page).count();
  for (let i = 0; i < n; i++) {
    const before = await headers(page, i);
    expect(before && before.length > 0, `${where}: toolbar ${i} has a table with headers`);
    let panel = await openPanel(page, i);
    const box = panel.locator('.el-checkbox.is-checked:not(.is-disabled)').first();
    expect((await box.count()) === 1, `${where}: toolbar ${i} offers a column to hide`);
    const label = (await box.innerText()).trim();
    expect(before.includes(label), `${where}: the column ${label} shows before it is hidden (${before.join(', ')})`);
    await box.click();
    await closePanel(page, panel);
    let now = await waitHeaders(page, i, (h) => !h.includes(label));
    expect(!now.includes(label), `${where}: ${label} hidden after its box is unticked`);
    await page.reload();
    await open.after?.();
    await settle(page);
    now = await waitHeaders(page, i, (h) => h.length > 0);
    expect(now.length > 0 && !now.includes(label), `${where}: ${label} still hidden after a reload (${now.join(', ')})`);
    panel = await openPanel(page, i);
    await panel.locator('[data-test="table-columns-reset"]').click();
    await closePanel(page, panel);
    now = await waitHeaders(page, i, (h) => h.includes(label));
    expect(now.includes(label), `${where}: ${label} back after 重置`);
  }
  return n;
}

// Each path once (the first role whose menu has it), and every role's home page.
const seen = new Set();
for (const r of ROLES) {
  const keys = r.menu.filter((k) => k === 'home' || !seen.has(k));
  keys.forEach((k) => seen.add(k));
  test(`column settings of ${r.role}'s pages: hidden, reload, still hidden, 重置`, async ({ page }) => {
    await login(page, r.username);
    for (const key of keys) {
      const p = PAGES[key];
      const open = async () => {
        await page.goto(url(p.path));
        await page.locator(p.marker).first().waitFor();
      };
      await checkPage(page, `${r.role} ${p.path}`, open);
    }
  });
}

test('column settings of the detail pages and the awards tables', async ({ page }) => {
  const api = await apiSession('admin');
  const first = async (p) => (await api('GET', `${p}${p.includes('?') ? '&' : '?'}page_size=1`)).json.items[0];
  const contract = await first('/contracts');
  const redemption = await first('/redemptions');
  const notice = await first('/notices');
  const payout = await first('/payouts');
  await login(page, 'city_it');
  const details = [
    ['contract', contract && `/contracts/${contract.id}`, 'contract-lines'],
    ['redemption', redemption && `/redemptions/${redemption.id}`, 'redemption-items'],
    ['notice', notice && `/notices/${notice.id}`, 'notice-items'],
    ['payout', payout && `/payouts/${payout.id}`, 'payout-items'],
  ];
  for (const [what, path, table] of details) {
    expect(path, `the demo has a ${what}`);
    const n = await checkPage(page, path, async () => {
      await page.goto(url(path));
      await page.locator(`[data-test="${table}"]`).waitFor();
    });
    expect(n >= 1, `${path}: the ${table} table has column settings`);
  }
  // 考核与奖补: the scores tab, then the allocations tab (city_finance makes them).
  let n = await checkPage(page, '/awards scores', async () => {
    await page.goto(url('/awards'));
    await page.locator('[data-test="scores-table"]').waitFor();
  });
  expect(n >= 1, 'the scores table has column settings');
  await logout(page);
  await login(page, 'city_finance');
  const toAllocations = async () => {
    await page.getByRole('tab', { name: '奖补分配' }).click();
    await page.locator('[data-test="allocations-table"]').waitFor();
  };
  n = await checkPage(page, '/awards allocations', Object.assign(async () => {
    await page.goto(url('/awards'));
    await page.locator('[data-test="awards-page"]').waitFor();
    await toAllocations();
  }, { after: async () => { await page.locator('[data-test="awards-page"]').waitFor(); await toAllocations(); } }));
  expect(n >= 1, 'the allocations table has column settings');
});

await runIfMain(import.meta.url);
