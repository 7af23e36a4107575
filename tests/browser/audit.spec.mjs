// The auditor reads the audit log in words (types, actions, business codes
// with links to the records), opens the before/after of a change, and
// verifies the hash chain from the UI. Also the wording a user reads
// elsewhere (defect 7 of issue 11). Run: node tests/browser/run.mjs audit.
import { config, expect, field, login, openMenu, pickOption, runIfMain, test } from './lib.mjs';

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

test('the audit log keeps its type filter in the URL and says when it cannot be read, with 重试', async ({ page }) => {
  await login(page, 'auditor');
  await page.goto(`${config.baseUrl}/audit?entity=voucher`);
  const names = page.locator('[data-test="audit-table"] [data-test="audit-entity-name"]');
  await names.first().waitFor();
  const shown = (await names.allInnerTexts()).map((s) => s.trim());
  expect(shown.every((s) => s === '云服务券'), `the link's filter applies: ${shown.join(',')}`);
  const select = await page.locator('[data-test="audit-entity"]').innerText();
  expect(select.includes('云服务券'), `the select shows the filter in words: ${select}`);

  await page.route('**/api/v1/audit?**', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: '{"code":"db_error","message":"数据库错误"}' }));
  await page.reload();
  await page.locator('[data-test="audit-load-error"]').waitFor();
  expect((await page.locator('[data-test="audit-table"]').count()) === 0, 'no empty table pretending there are no entries');
  await page.unroute('**/api/v1/audit?**');
  await page.locator('[data-test="audit-retry"]').click();
  await names.first().waitFor();
});

// --- wording (defect 7) -----------------------------------------------------

test('the enterprise reads its USCC, its voucher without （演示）（演示） or 基点, and an expired certificate as expired', async ({ page }) => {
  await login(page, 'enterprise');
  const uscc = (await page.locator('[data-test="home-party-uscc"]').innerText()).trim();
  expect(/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(uscc), `the home page shows the USCC, not an internal id: ${uscc}`);

  await openMenu(page, '云服务券', '.el-table__row');
  await page.locator('.el-table__row a, .el-table__row .el-button').first().click();
  await page.locator('[data-test="voucher-program"]').waitFor();
  await page.locator('[data-test="voucher-status"]').first().waitFor();
  await page.getByText('百分点').first().waitFor();
  const body = await page.locator('body').innerText();
  expect(!body.includes('（演示）（演示）'), 'no duplicated （演示）');
  expect(!body.includes('基点'), 'no 基点 on the voucher page');
  const name = (await page.locator('[data-test="voucher-program"]').innerText()).trim();
  expect(!/演示.*（演示）$/.test(name), `the program's name is not followed by a doc number it already says: ${name}`);
  await page.screenshot({ path: `${config.out}/wording-voucher.png`, fullPage: true });

  await openMenu(page, '企业资料', '[data-test="ent-has-cert"]');
  const validity = page.locator('[data-test="ent-cert-validity"]');
  await validity.waitFor();
  const v = await validity.innerText();
  expect(v.includes('不在有效期内') && v.includes('2021-02-28'), `an expired certificate is said to be expired: ${v}`);
  expect(!(await page.locator('body').innerText()).includes('持有有效证书'), 'no 持有有效证书 for an expired certificate');
});

test('the enterprise is offered 拒绝, not 撤销草稿, on a draft the provider wrote, and sees who drafted it by name', async ({ page }) => {
  await login(page, 'qiye03');
  await openMenu(page, '合同管理', '.el-table__row');
  await page.locator('.el-table__row', { hasText: 'KM-DEMO-003' }).first().locator('a, .el-button').first().click();
  const cancel = page.locator('[data-test="contract-cancel"]');
  await cancel.waitFor();
  const label = (await cancel.innerText()).trim();
  expect(label === '拒绝', `the button says 拒绝: ${label}`);
  const drafted = (await page.locator('[data-test="contract-drafted-by"]').innerText()).trim();
  expect(drafted.startsWith('服务商（') && !/[a-z_]/.test(drafted), `起草方 names the provider, no account code: ${drafted}`);
});

test('program page: percent and 百分点, never 基点, and changes by the command line in words', async ({ page }) => {
  await login(page, 'city_it');
  await openMenu(page, '政策参数', '[data-test="program-history"]');
  await page.locator('[data-test="program-changed-by"]').first().waitFor();
  const body = await page.locator('body').innerText();
  expect(!body.includes('基点'), 'no 基点 on the program page');
  expect(body.includes('百分点') && body.includes('%'), 'ratios in % and 百分点');
  expect(!body.includes('cli:'), 'no cli:operator');
  const by = (await page.locator('[data-test="program-changed-by"]').first().innerText()).trim();
  expect(by === '系统命令行（运维）', `修改人 in words: ${by}`);
});

test('the provider\'s catalog dialog asks to 请选择 a unit, and English mode shows units in English', async ({ page }) => {
  await login(page, 'provider');
  await openMenu(page, '目录产品', '[data-test="item-create"]');
  await page.locator('[data-test="item-create"]').click();
  const dialog = page.locator('[data-test="catalog-item-dialog"]');
  await dialog.waitFor();
  const placeholder = await dialog.locator('[data-test="item-unit"]').innerText();
  expect(placeholder.includes('请选择'), `the unit select's placeholder says 请选择: ${placeholder}`);
  await dialog.locator('[data-test="item-save"]').click();
  const unitError = dialog.locator('.el-form-item', { has: page.locator('[data-test="item-unit"]') }).locator('.el-form-item__error');
  await unitError.waitFor();
  const msg = (await unitError.innerText()).trim();
  expect(msg.startsWith('请选择') && msg.includes('单位'), `a select says 请选择: ${msg}`);
  const errors = await dialog.locator('.el-form-item__error').allInnerTexts();
  for (const e of errors) {
    const item = e.trim();
    expect(!(item.startsWith('请填写') && /单位|有效期|服务/.test(item) && !item.includes('服务内容')), `no 请填写 on a select: ${item}`);
  }

  await page.evaluate(() => localStorage.setItem('yq_locale', 'en'));
  await page.goto(`${config.baseUrl}/provider/catalog`);
  await page.locator('.el-table__row').first().waitFor();
  const table = await page.locator('.el-table').first().innerText();
  expect(/\/(month|year|time|set|piece|device)/.test(table), 'units in English in English mode');
  expect(!/\/(月|年)\b/.test(table) && !table.includes('/月') && !table.includes('/年'), `no 月/年 units in English mode: ${table.slice(0, 300)}`);
});

test('the auditor finds a contract\'s entries by its number', async ({ page }) => {
  await login(page, 'auditor');
  await openMenu(page, '审计日志', '[data-test="audit-table"] .el-table__row');
  const table = page.locator('[data-test="audit-table"]');
  await field(page, 'filter-q').fill('QL-DEMO-001');
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('q=QL-DEMO-001'));
  await page.locator('[data-test="filter-submit"]').click();
  await answered;
  await page.waitForFunction(() => {
    const links = [...document.querySelectorAll('[data-test="audit-table"] .el-table__body-wrapper [data-test="audit-object-link"]')];
    return links.length > 0 && links.every((a) => a.innerText.trim() === 'QL-DEMO-001');
  });
  const types = (await table.locator('.el-table__body-wrapper [data-test="audit-entity-name"]').allInnerTexts()).map((s) => s.trim());
  expect(types.length > 0 && types.every((s) => s === '合同' || s === '候补队列'), `only the contract's entries: ${types.join(',')}`);
  expect(page.url().includes('q=QL-DEMO-001'), 'the number is kept in the address');
});

await runIfMain(import.meta.url);
