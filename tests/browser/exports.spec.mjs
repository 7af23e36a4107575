// Issue 10: an export button downloads a report that opens. city_finance
// opens 预算资金 and presses 导出 Excel and CSV; the workbook is opened with
// Debian's python3-openpyxl (as the API tests do) and must read like a
// report: the title, Chinese headers, money in 元 as ¥#,##0.00 numbers and
// a totals row; the CSV carries a BOM and the same headers.
// Run: node tests/browser/run.mjs exports.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { apiSession, expect, importWebTs, login, openMenu, runIfMain, shot, test } from './lib.mjs';

const format = await importWebTs('src/utils/format.ts');

const READ_XLSX = `
import io, json, sys, openpyxl
ws = openpyxl.load_workbook(io.BytesIO(open(sys.argv[1], "rb").read())).active  # the download has no .xlsx suffix
rows = [[c.value for c in r] for r in ws.iter_rows()]
money = ws.cell(row=4, column=2).number_format
print(json.dumps({"title": rows[0][0], "sub": rows[1][0], "head": [h for h in rows[2] if h],
                  "first": rows[3][1], "money": money, "last": rows[-1][0],
                  "frozen": ws.freeze_panes}, ensure_ascii=False, default=str))
`;

test('export: 预算资金 downloads as an Excel report and a CSV that open', async ({ page }) => {
  const finance = await apiSession('city_finance');
  await login(page, 'city_finance');
  await openMenu(page, '预算资金', '[data-test="budgets-page"]');
  await page.locator('[data-test="budgets-table"] .el-table__body .el-table__row').first().waitFor();
  const year = format.currentYearInChina();
  const { json } = await finance('GET', `/budgets?year=${year}`);
  await shot(page, 'export-budgets');

  const card = page.locator('[data-test="budgets-page"]');
  const [xlsx] = await Promise.all([page.waitForEvent('download'), card.locator('[data-test="export-xlsx"]').first().click()]);
  expect(/^\d{4}年预算资金-\d{4}-\d{2}-\d{2}\.xlsx$/.test(xlsx.suggestedFilename()), `file name ${xlsx.suggestedFilename()}`);
  const book = JSON.parse(execFileSync('/usr/bin/python3', ['-c', READ_XLSX, await xlsx.path()], { encoding: 'utf-8' }));
  expect(book.title === '预算资金', `title ${book.title}`);
  expect(book.sub.includes(`年度=${year}`) && book.sub.includes('导出时间'), `filters line ${book.sub}`);
  expect(book.head[0] === '区县' && book.head[1] === '拨入合计', `headers ${book.head}`);
  expect(book.money.includes('¥#,##0.00'), `money format ${book.money}`);
  expect(Math.abs(book.first * 100 - json.items[0].funded_fen) < 0.5, `拨入合计 in 元: ${book.first} vs ${json.items[0].funded_fen} 分`);
  expect(book.last === '合计' && book.frozen === 'A4', `totals row ${book.last}, frozen ${book.frozen}`);

  const [csv] = await Promise.all([page.waitForEvent('download'), card.locator('[data-test="export-csv"]').first().click()]);
  expect(csv.suggestedFilename().endsWith('.csv'), `file name ${csv.suggestedFilename()}`);
  const bytes = readFileSync(await csv.path());
  expect(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, 'the CSV starts with a UTF-8 BOM');
  const head = bytes.subarray(3).toString('utf-8').split('\r\n')[0].split(',');
  expect(head.join() === book.head.join(), `CSV headers ${head}`);
});

await runIfMain(import.meta.url);
