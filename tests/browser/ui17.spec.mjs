// Issue 17, reviewer's pass at 1366×768 (ui17):
// - 考核与奖补: the 得分 inputs of the scores table had no accessible name; a
//   screen reader read "spin button" nine times. Each is now named after its
//   county ("任城区得分").
// - 企业资料: the label 两化融合管理体系评定证书 did not fit the 180 px label
//   column; its second line spilled over the next row (证书编号) or, with no
//   certificate, over the 营业执照 heading. Long labels (English above all)
//   now wrap inside their own row, which grows; the same on 服务商资料.
// - 兑现申请: "请选择区县" showed in the next card (云服务券), above the
//   vouchers table, far from the county select. It is now under the select.
// Run: node tests/browser/run.mjs ui17.
import { expect, login, shot, test, url } from './lib.mjs';

test('考核与奖补: every 得分 input is named after its county', async ({ page }) => {
  await login(page, 'city_it');
  await page.goto(url('/awards'));
  const rows = page.locator('[data-test="scores-table"] .el-table__body .el-table__row');
  await rows.first().waitFor();
  const n = await rows.count();
  expect(n > 1, `the scores table has ${n} rows`);
  for (let i = 0; i < n; i++) {
    const county = (await rows.nth(i).locator('td').first().innerText()).trim();
    const input = rows.nth(i).locator('input');
    const label = await input.getAttribute('aria-label');
    expect(label === `${county}得分`, `the 得分 input of ${county} is labelled ${JSON.stringify(label)}`);
    // …and that is its accessible name, as a screen reader finds it.
    const byName = page.getByRole('spinbutton', { name: `${county}得分`, exact: true });
    expect((await byName.count()) === 1, `no single spin button named ${county}得分 (${await byName.count()})`);
  }
  // English: the name follows the language.
  await page.evaluate(() => localStorage.setItem('yq_locale', 'en'));
  await page.reload();
  await rows.first().waitFor();
  const county = (await rows.first().locator('td').first().innerText()).trim();
  const label = await rows.first().locator('input').getAttribute('aria-label');
  expect(label === `${county} score`, `in English the first 得分 input is labelled ${JSON.stringify(label)}`);
});

/**
 * What overlaps on a profile form: the text of a form label (where its
 * lines really are, which may spill out of the label's 32 px box) against
 * every section heading and every other label's text.
 */
const profileOverlaps = (page) =>
  page.evaluate(() => {
    const textBox = (e) => {
      const r = document.createRange();
      r.selectNodeContents(e);
      return r.getBoundingClientRect();
    };
    const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    const name = (e) => e.textContent.trim();
    const labels = [...document.querySelectorAll('.yq-profile-form .el-form-item__label')].filter((e) => name(e));
    const headings = [...document.querySelectorAll('.yq-form-section')].filter((e) => e.getBoundingClientRect().height > 0);
    const out = [];
    for (const l of labels) {
      const box = l.getBoundingClientRect();
      const lines = textBox(l);
      if (lines.top < box.top - 0.5 || lines.bottom > box.bottom + 0.5) out.push(`label ${name(l)} runs out of its box`);
      for (const h of headings) {
        if (hit(box, h.getBoundingClientRect()) || hit(lines, h.getBoundingClientRect())) out.push(`label ${name(l)} overlaps heading ${name(h)}`);
      }
      for (const o of labels) if (o !== l && hit(lines, textBox(o))) out.push(`label ${name(l)} overlaps label ${name(o)}`);
    }
    return { out, labels: labels.length, headings: headings.length };
  });

test('企业资料 and 服务商资料 at 1366×768: no label overlaps a section heading or another label (中文, English; with and without a certificate)', async ({ page }) => {
  const cases = [
    { user: 'enterprise', path: '/enterprise/profile', form: 'enterprise-form', cert: true },
    { user: 'enterprise', path: '/enterprise/profile', form: 'enterprise-form', cert: false },
    { user: 'provider', path: '/provider/profile', form: 'provider-form' },
  ];
  for (const locale of ['zh-CN', 'en']) {
    for (const c of cases) {
      await page.context().clearCookies();
      await page.goto(url('/login'));
      await page.evaluate((l) => localStorage.setItem('yq_locale', l), locale);
      await login(page, c.user);
      // An enterprise with no certificate (as every new one): the label of
      // the switch is then the last row before the 营业执照 heading.
      const re = /\/api\/v1\/enterprises\/mine$/;
      if (c.cert === false) {
        await page.route(re, async (r) => {
          if (r.request().method() !== 'GET') return r.continue();
          const response = await r.fetch();
          const json = await response.json();
          json.certificate = null;
          return r.fulfill({ response, json });
        });
      }
      await page.goto(url(c.path));
      await page.locator(`[data-test="${c.form}"]`).waitFor();
      await page.locator('[data-test="profile-licence"]').waitFor();
      if (c.cert !== undefined) {
        const certNo = page.locator('[data-test="ent-cert-no"]');
        expect((await certNo.count()) === (c.cert ? 1 : 0), `${c.path}: the certificate rows are ${c.cert ? 'missing' : 'shown'}`);
      }
      const { out, labels, headings } = await profileOverlaps(page);
      expect(labels > 5 && headings > 2, `${c.path}: found ${labels} labels and ${headings} headings`);
      const what = `${locale} ${c.user}${c.cert === false ? ' (no certificate)' : ''}`;
      if (out.length) await shot(page, `ui17-overlap-${locale}-${c.user}`);
      expect(out.length === 0, `${what}: ${out.slice(0, 4).join(' | ')}`);
      if (c.cert === false) await page.unroute(re);
    }
  }
  await shot(page, 'ui17-provider-profile-en');
});

test('兑现申请: 请选择区县 shows under the county select, in its own card, not in the vouchers card', async ({ page }) => {
  await login(page, 'provider');
  await page.goto(url('/redemptions/new'));
  await page.locator('[data-test="redemption-editor"]').waitFor();
  const select = page.locator('[data-test="redemption-county"]');
  await select.waitFor();
  const item = page.locator('.el-form-item', { has: select });
  await page.locator('[data-test="redemption-save"]').click();
  const inItem = item.locator('.el-form-item__error');
  await inItem.or(page.locator('[data-test="editor-error"]')).first().waitFor();
  await page.waitForTimeout(300); // the message fades in
  const where = await page.evaluate(() => {
    const sel = document.querySelector('[data-test="redemption-county"]');
    const card = sel.closest('.el-card');
    const cards = [...document.querySelectorAll('[data-test="redemption-editor"] .el-card')];
    const said = cards.map((c, i) => ({ i, own: c === card, has: c.innerText.includes('请选择区县') }));
    const err = sel.closest('.el-form-item').querySelector('.el-form-item__error');
    const s = sel.getBoundingClientRect();
    const e = err?.getBoundingClientRect();
    return { said, error: err?.textContent.trim() ?? null, below: e ? e.top >= s.bottom - 1 && e.top - s.bottom < 40 && e.left < s.right && e.right > s.left : false };
  });
  expect(where.error === '请选择区县', `the county field shows no 请选择区县 under its select (it says ${JSON.stringify(where.error)})`);
  expect(where.below, 'the county message is not just below the county select');
  const elsewhere = where.said.filter((c) => c.has && !c.own);
  expect(elsewhere.length === 0, `请选择区县 is shown in card ${elsewhere.map((c) => c.i + 1).join(', ')}, not the county's`);
  await shot(page, 'ui17-redemption-county-error');
  // Choosing a county clears the message.
  await select.click();
  await page.locator('.el-select-dropdown__item:visible').first().click();
  await inItem.waitFor({ state: 'hidden' });
});
