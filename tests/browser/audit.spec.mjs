// The auditor reads the audit log in words (types, actions, business codes
// with links to the records), opens the before/after of a change, and
// verifies the hash chain from the UI. Also the wording a user reads
// elsewhere (defect 7 of issue 11). Run: node tests/browser/run.mjs audit.
import { config, expect, login, openMenu, pickOption, runIfMain, test } from './lib.mjs';

const CODE_LIKE = /^[a-z_]+\/[a-z_]+$|^[a-z_]+$/;

test('the auditor reads the audit log in Chinese, follows a contract number and verifies the chain', async ({ page }) => {
  await login(page, 'auditor');
  await openMenu(page, '审计日志', '[data-test="audit-table"] .el-table__row');
  const table = page.locator('[data-test="audit-table"]');

  // Types and actions in words, never codes such as contract/confirm.
  const types = (await table.locator('[data-test="audit-entity-name"]').allInnerTexts()).map((s) => s.trim());
  const actions = (await table.locator('[data-test="audit-action-name"]').allInnerTexts()).map((s) => s.trim());
  expect(types.length > 0 && actions.length === types.length, 'the log lists entries');
  for (const s of [...types, ...actions]) {
    expect(/[\u4e00-\u9fff]/.test(s) && !CODE_LIKE.test(s), `shown in Chinese, not as a code: "${s}"`);
  }

  // The type filter is a select of known types, in Chinese.
  const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('entity=contract'));
  await pickOption(page, 'audit-entity', '合同');
  await filtered;
  await table.locator('.el-table__row').first().waitFor();
  const onlyContracts = (await table.locator('[data-test="audit-entity-name"]').allInnerTexts()).map((s) => s.trim());
  expect(onlyContracts.length > 0 && onlyContracts.every((s) => s === '合同'), `only contracts after filtering: ${onlyContracts.join(',')}`);
  const confirmRow = table.locator('.el-table__row', { has: page.locator('[data-test="audit-action-name"]', { hasText: /^\s*确认\s*$/ }) }).first();
  await confirmRow.waitFor();

  // The contract number, linking to the contract's page.
  const link = confirmRow.locator('[data-test="audit-object-link"]');
  const number = (await link.innerText()).trim();
  expect(/^[A-Z0-9-]+$/.test(number) && number.length < 26, `a contract number, not an internal id: ${number}`);

  // The before/after of the confirmation: 状态 changed, in words.
  await confirmRow.locator('.el-table__expand-icon').click();
  const diff = page.locator('[data-test="audit-diff"]').first();
  await diff.waitFor();
  const changed = diff.locator('[data-test="audit-diff-changed"]', { hasText: '状态' });
  await changed.waitFor();
  const changedText = await changed.innerText();
  expect(changedText.includes('待对方确认') && changedText.includes('已确认'), `状态 before and after in words: ${changedText}`);
  await page.screenshot({ path: `${config.out}/audit-diff.png`, fullPage: true });

  // 校验审计链 runs the chain check and says so.
  await page.locator('[data-test="audit-verify"]').click();
  const verdict = page.locator('[data-test="audit-verify-result"]');
  await verdict.waitFor();
  const text = await verdict.innerText();
  expect(/审计链完整：共校验 \d+ 条记录/.test(text), `the chain is reported intact: ${text}`);
  expect(/[0-9a-f]{64}/.test(text), 'the head hash is shown');
  await page.screenshot({ path: `${config.out}/audit-verify.png`, fullPage: true });

  await link.click();
  await page.waitForURL((u) => u.pathname.startsWith('/contracts/'));
  await page.getByText(number).first().waitFor();
});

test('a voucher entry shows the voucher code and opens the voucher', async ({ page }) => {
  await login(page, 'auditor');
  await page.goto(`${config.baseUrl}/audit`);
  await pickOption(page, 'audit-entity', '云服务券');
  const row = page.locator('[data-test="audit-table"] .el-table__row', { has: page.locator('[data-test="audit-action-name"]', { hasText: '发放' }) }).first();
  await row.waitFor();
  const link = row.locator('[data-test="audit-object-link"]');
  const code = (await link.innerText()).trim();
  expect(/^YQ\d{4}-/.test(code), `a voucher code: ${code}`);
  const company = (await row.locator('[data-test="audit-object"]').innerText()).replace(code, '').trim();
  expect(/有限公司|公司/.test(company), `the company next to the code: ${company}`);
  await link.click();
  await page.waitForURL((u) => u.pathname.startsWith('/vouchers/'));
  await page.getByText(code).first().waitFor();
});

await runIfMain(import.meta.url);
