"""Issue 10: Excel that reads like a government report. Every list's
?format=xlsx is read back with Debian's python3-openpyxl as a finance
official would see it: a title naming the report, the filters and the
moment of export, Chinese headers (never a snake_case column name), money
as numbers in 元 formatted ¥#,##0.00, dates and instants as Excel dates in
China time, statuses in Chinese, a frozen header row and a totals row that
equals the sum. ?format=csv gives the same columns in UTF-8 with a BOM."""
import datetime as dt
import io
import json
import re
import subprocess
import urllib.parse
from pathlib import Path

import openpyxl
import pytest

import dbs
from conftest import (CST, DEMO_PASSWORD, HOME_COUNTY, REPO, ROLES, YQ_BIN, Server, clean_env,
                      has_cjk, new_db)

SEPTEMBER = dt.datetime(2019, 9, 10, 10, 0, 0, tzinfo=CST)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Lists that need a filter to answer at all.
REQUIRED = {"/budgets": {"year": 2019}, "/budgets/fundings": {"year": 2019}, "/reports/county-progress": {"year": 2019},
            "/redemptions/claimable": {"county_code": HOME_COUNTY}, "/targets": {"year": 2019},
            "/reports/completion": {"year": 2019}, "/reports/budget": {"year": 2019},
            "/reports/payments": {"period": "2019H1"}, "/assessment": {"year": 2019},
            "/calendar/workdays": {"from": "2019-09-10", "n": 5}, "/search": {"q": "济宁"},
            "/enterprises/lookup": {"uscc": "91370883MA3C010304"},
            "/reports/dashboard/city": {"year": 2019}, "/reports/dashboard/provider": {"year": 2019},
            "/reports/dashboard/county": {"year": 2019, "county_code": HOME_COUNTY}}
SNAKE = re.compile(r"[a-z]+_[a-z]+")


@pytest.fixture(scope="module")
def sep(tmp_path_factory):
    """A server on a demo made on 2019-09-10: every redemption screen has
    rows (a paid batch, an open notice, an application waiting)."""
    d = tmp_path_factory.mktemp("sepdemo")
    (d / "clock").write_text("2019-09-10T10:00:00+08:00\n")
    db = new_db(d / "t.db")
    p = subprocess.run([YQ_BIN, "demo", "--db", str(db), "--clock-file", str(d / "clock")],
                       cwd=str(d), env=clean_env(YUNQUAN_DEMO_PASSWORD=DEMO_PASSWORD),
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    if not dbs.is_pg(db):
        import sqlite3
        con = sqlite3.connect(str(db))
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
    s = Server(tmp_path_factory.mktemp("sepsrv"), db)
    s.set_clock(SEPTEMBER)
    s.start()
    yield s
    probs = s.stop()
    assert not probs, probs


@pytest.fixture(scope="module")
def who(sep):
    return {role: sep.login(role) for role in ROLES}


def workbook(r, data_only=False):
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"] == XLSX
    assert r.content[:2] == b"PK"
    return openpyxl.load_workbook(io.BytesIO(r.content), data_only=data_only).active


def rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def headers(ws):
    return [v for v in rows(ws)[2] if v is not None]


def column(ws, header):
    return headers(ws).index(header)


def data_rows(ws, n):
    return rows(ws)[3:3 + n]


def list_routes():
    doc = json.loads((REPO / "src" / "api" / "openapi.json").read_text(encoding="utf-8"))
    return sorted(p for p, ops in doc["paths"].items() if "get" in ops and "{" not in p
                  and p.startswith("/api/v1/") and not p.endswith(".json"))


def test_every_list_exports_a_report_in_chinese(sep, who):
    """Walks every GET route of the OpenAPI document: each one that answers
    a list must export a titled, Chinese-headed, frozen workbook and the
    same columns as CSV. A list without an export spec fails here."""
    exported, unread = [], []
    for path in list_routes():
        short = path[len("/api/v1"):]
        params = dict(REQUIRED.get(short, {}))
        answers = []
        for role in ROLES:
            r = who[role].get(path, params=params)
            answers.append(r.status_code)
            if r.status_code == 200:
                break
        if 422 in answers and 200 not in answers:
            unread.append(f"{short}: {r.text[:120]}")  # needs a filter: add it to REQUIRED
        if r.status_code != 200 or not r.headers["Content-Type"].startswith("application/json"):
            continue
        if not isinstance(r.json(), dict) or "items" not in r.json():
            continue
        x = who[role].get(path, params={**params, "format": "xlsx"})
        ws = workbook(x)
        title = rows(ws)[0][0]
        assert has_cjk(title), f"{path}: title {title!r}"
        assert "导出时间" in rows(ws)[1][0], path
        head = headers(ws)
        assert head and all(has_cjk(h) and not SNAKE.search(h) for h in head), f"{path}: {head}"
        assert ws.freeze_panes == "A4", path
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A3:"), path
        disp = urllib.parse.unquote(x.headers["Content-Disposition"])
        assert f"{title}-2019-09-10.xlsx" in disp, disp
        c = who[role].get(path, params={**params, "format": "csv"})
        assert c.status_code == 200 and c.headers["Content-Type"].startswith("text/csv")
        assert c.content[:3] == b"\xef\xbb\xbf", f"{path}: no BOM"
        assert c.content.decode("utf-8-sig").split("\r\n")[0].split(",") == head, path
        exported.append(short)
    assert not unread, unread
    # The lists a finance official works with are among them.
    for must in ("/contracts", "/vouchers", "/budgets", "/redemptions", "/payouts",
                 "/notices", "/enterprises", "/audit", "/ledger/transfers", "/clawbacks"):
        assert must in exported, exported


def test_budget_report_has_money_in_yuan_and_a_totals_row_equal_to_the_sum(who):
    fin = who["city_finance"]
    items = fin.get("/api/v1/budgets", params={"year": 2019}).json()["items"]
    r = fin.get("/api/v1/budgets", params={"year": 2019, "format": "xlsx"})
    ws = workbook(r)
    assert rows(ws)[0][0] == "预算资金"
    assert "年度=2019" in rows(ws)[1][0] and "2019-09-10 10:00:00" in rows(ws)[1][0]
    assert headers(ws)[:3] == ["区县", "拨入合计", "其中：县级财政"]
    body = data_rows(ws, len(items))
    funded = column(ws, "拨入合计")
    for it, row in zip(items, body):
        assert row[0] == it["county_name"]
        assert isinstance(row[funded], (int, float)) and row[funded] * 100 == it["funded_fen"]
    cell = ws.cell(row=4, column=funded + 1)
    assert "¥#,##0.00" in cell.number_format
    # 任城区 has 9,619.55 元 reserved: in 元, not 961,955 分.
    reserved = column(ws, "已占用")
    assert body[0][0] == "任城区" and body[0][reserved] == pytest.approx(9619.55)
    totals = rows(workbook(r, data_only=True))[3 + len(items)]
    assert totals[0] == "合计"
    assert totals[funded] == pytest.approx(sum(i["funded_fen"] for i in items) / 100)
    assert totals[reserved] == pytest.approx(sum(i["reserved_fen"] for i in items) / 100)
    assert rows(ws)[3 + len(items)][funded].startswith("=SUM(")


def test_voucher_list_shows_codes_statuses_and_china_time_dates(who):
    fin = who["city_finance"]
    items = fin.get("/api/v1/vouchers").json()["items"]
    ws = workbook(fin.get("/api/v1/vouchers", params={"format": "xlsx"}))
    assert headers(ws) == ["券号", "企业", "云服务商", "所属区县", "券面金额", "已兑现",
                           "已追回", "剩余可用", "状态", "发放时间", "服务结束"]
    for it, row in zip(items, data_rows(ws, len(items))):
        assert row[0] == it["code"] and row[8] == it["status_name"] and has_cjk(row[8])
        assert row[4] == pytest.approx(it["amount_fen"] / 100)
        assert row[7] == pytest.approx(it["remaining_fen"] / 100)
        issued = dt.datetime.fromisoformat(it["issued_at"]).astimezone(CST).replace(tzinfo=None)
        assert isinstance(row[9], dt.datetime) and row[9] == issued
        assert row[10] == dt.datetime.fromisoformat(it["service_end"])
    assert ws.cell(row=4, column=10).number_format == "yyyy-mm-dd hh:mm:ss"
    assert ws.cell(row=4, column=11).number_format == "yyyy-mm-dd"
    # No internal ids anywhere.
    flat = json.dumps(rows(ws), default=str)
    assert all(it["id"] not in flat for it in items)


def test_the_filter_row_names_the_filters_applied_in_words_not_codes(who):
    aud = who["auditor"]
    v = aud.get("/api/v1/vouchers", params={"status": "issued", "county": HOME_COUNTY}).json()
    assert v["items"], "the demo has issued vouchers in the home county"
    ws = workbook(aud.get("/api/v1/vouchers", params={
        "status": "issued", "county": HOME_COUNTY, "format": "xlsx"}))
    line = rows(ws)[1][0]
    county = v["items"][0]["county_name"]
    assert "状态=已发放" in line and f"区县={county}" in line, line
    assert "=issued" not in line, line
    # With no row to name the county, the state still reads in words.
    ws = workbook(aud.get("/api/v1/contracts", params={"status": "confirmed", "q": "没有这样的合同",
                                                       "format": "xlsx"}))
    line = rows(ws)[1][0]
    assert "状态=已确认" in line and "关键词=没有这样的合同" in line, line
    line = rows(workbook(aud.get("/api/v1/audit", params={"entity": "budget", "format": "xlsx"})))[1][0]
    assert "对象类型=预算" in line, line
    # A parameter the list does not take filtered nothing, so it is not shown as a filter.
    line = rows(workbook(aud.get("/api/v1/programs", params={"year": 2019, "format": "xlsx"})))[1][0]
    assert line.startswith("筛选条件：全部"), line
    # Accounts: the role and the state in words.
    adm = who["admin"]
    line = rows(workbook(adm.get("/api/v1/users", params={"role": "county_finance", "status": "active",
                                                        "format": "xlsx"})))[1][0]
    assert "角色=县级财政部门" in line and "状态=正常" in line and "county_finance" not in line, line


def test_redemption_and_payout_lists_in_words_of_the_screens(who):
    fin = who["county_finance"]
    red = fin.get("/api/v1/redemptions").json()["items"]
    ws = workbook(fin.get("/api/v1/redemptions", params={"format": "xlsx"}))
    body = data_rows(ws, len(red))
    assert {r[0] for r in body} == {"2019年上半年"}
    status = column(ws, "状态")
    assert {r[status] for r in body} == {i["status_name"] for i in red}
    score = column(ws, "评价得分")
    scored = [(i, r) for i, r in zip(red, body) if i["score_hundredths"] is not None]
    assert scored and all(r[score] == pytest.approx(i["score_hundredths"] / 100) for i, r in scored)
    pay = fin.get("/api/v1/payouts").json()["items"]
    ws = workbook(fin.get("/api/v1/payouts", params={"format": "xlsx"}), data_only=True)
    assert rows(ws)[0][0] == "兑付批次列表"
    body = data_rows(ws, len(pay) + 1)
    total = column(ws, "兑付金额")
    assert body[0][total] == pytest.approx(1320.45) and body[0][column(ws, "状态")] == "已兑付"
    assert body[0][column(ws, "兑付日期")] == dt.datetime(2019, 7, 18)
    assert body[-1][0] == "合计" and body[-1][total] == pytest.approx(1320.45)


def test_bank_file_pays_in_yuan_with_the_payee_and_voucher_code(who):
    fin = who["county_finance"]
    batch = fin.get("/api/v1/payouts").json()["items"][0]
    detail = fin.get(f"/api/v1/payouts/{batch['id']}").json()
    r = fin.get(f"/api/v1/payouts/{batch['id']}/bank.xlsx")
    ws = workbook(r, data_only=True)
    assert rows(ws)[0][0] == "银行付款文件"
    assert headers(ws) == ["收款单位", "开户银行", "银行账号", "金额", "券号"]
    row = data_rows(ws, 1)[0]
    item = detail["items"][0]
    assert row[3] == pytest.approx(item["amount_fen"] / 100) and row[4] == item["voucher_code"]
    assert "¥#,##0.00" in ws.cell(row=4, column=4).number_format
    assert "银行付款文件" in urllib.parse.unquote(r.headers["Content-Disposition"])


def test_csv_has_a_bom_and_money_in_yuan_with_two_decimals(who):
    fin = who["city_finance"]
    r = fin.get("/api/v1/contracts", params={"format": "csv"})
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    assert "合同列表" in urllib.parse.unquote(r.headers["Content-Disposition"])
    lines = r.content.decode("utf-8-sig").strip().split("\r\n")
    head = lines[0].split(",")
    assert head[:4] == ["合同编号", "企业", "云服务商", "所属区县"]
    items = fin.get("/api/v1/contracts").json()["items"]
    total = head.index("合同总额")
    for it, line in zip(items, lines[1:]):
        cells = line.split(",")
        assert cells[0] == it["contract_no"]
        fen = it["total_fen"]
        assert cells[total] == f"{fen // 100}.{fen % 100:02d}"
        assert cells[head.index("状态")] == it["status_name"]
    assert len(lines) == 1 + len(items)


def test_a_format_nobody_offers_is_refused_in_chinese(who):
    r = who["city_finance"].get("/api/v1/contracts", params={"format": "pdf"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "format"
    assert "csv" in r.json()["error"]["message"]


def test_a_list_longer_than_an_export_chunk_exports_every_row_once(tmp_path, template_db):
    """The whole-list export reads 5,000 rows at a time (memory stays flat,
    docs/benchmarks.md): 10,250 vouchers come out once each, in the
    screen's order, with the totals of all of them."""
    s = Server(tmp_path / "srv", template_db)
    con = dbs.connect(s.db)
    # copies point at contracts that do not exist
    con.execute("SET session_replication_role = replica" if dbs.is_pg(s.db)
                else "PRAGMA foreign_keys=OFF")
    first = con.execute("SELECT * FROM vouchers LIMIT 1")
    cols = [d[0] for d in first.description]
    base = dict(zip(cols, first.fetchone()))
    extra = 10_250 - con.execute("SELECT COUNT(*) FROM vouchers").fetchone()[0]
    rows_in = []
    for i in range(extra):
        r = dict(base, id=f"BULK{i:022d}", code=f"YQ2019-370811-{800000 + i:06d}-0",
                 contract_id=f"BULKC{i:021d}", verify_token=f"bulk{i}", amount_fen=100_000 + i,
                 issued_at=base["issued_at"] + i * 1000, status="issued", redeemed_fen=0)
        rows_in.append(tuple(r[k] for k in cols))
    con.executemany(f"INSERT INTO vouchers ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                    rows_in)
    con.commit()
    want = con.execute("SELECT COUNT(*), SUM(amount_fen) FROM vouchers").fetchone()
    con.close()
    s.start()
    try:
        fin = s.login("city_finance")
        ws = workbook(fin.get("/api/v1/vouchers", params={"format": "xlsx"}), data_only=True)
        body = rows(ws)[3:]
        assert len(body) == want[0] + 1 and body[-1][0] == "合计"
        codes = [r[0] for r in body[:-1]]
        assert len(set(codes)) == want[0]
        assert body[-1][column(ws, "券面金额")] == pytest.approx(want[1] / 100)
        # Newest first, as on the screen: the last bulk voucher heads the list.
        assert codes[0] == f"YQ2019-370811-{800000 + extra - 1:06d}-0"
        assert ws.auto_filter.ref == f"A3:K{3 + want[0]}"
        csv = fin.get("/api/v1/vouchers", params={"format": "csv"}).content.decode("utf-8-sig")
        assert [line.split(",")[0] for line in csv.strip().split("\r\n")[1:]] == codes
    finally:
        s.stop()


def test_a_record_that_holds_a_list_refuses_a_file_format_without_a_5xx(sep, who):
    """GET /redemptions/{id}?format=xlsx (a record with `items` inside: its
    vouchers) answered 500 export_unsupported; every record route is walked
    with ?format=xlsx and csv: never a 5xx, and a refusal is a Chinese 422
    naming `format`."""
    doc = json.loads((REPO / "src" / "api" / "openapi.json").read_text(encoding="utf-8"))
    records = [p for p, ops in doc["paths"].items() if "get" in ops and p.endswith("/{id}")]
    checked = []
    for path in records:
        listing = path[:-len("/{id}")]
        found = None
        for role in ROLES:
            r = who[role].get(listing, params=REQUIRED.get(listing[len("/api/v1"):], {}))
            if (r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
                    and isinstance(r.json(), dict) and r.json().get("items")
                    and "id" in r.json()["items"][0]):
                found = (role, r.json()["items"][0]["id"])
                break
        if not found:
            continue
        role, rid = found
        url = path.replace("{id}", rid)
        assert who[role].get(url).status_code == 200, url
        for fmt in ("xlsx", "csv"):
            r = who[role].get(url, params={"format": fmt})
            assert r.status_code < 500, f"{url}?format={fmt}: {r.status_code} {r.text[:200]}"
            if r.status_code != 200:
                assert r.status_code == 422, (url, r.status_code, r.text[:200])
                err = r.json()["error"]
                assert err["field"] == "format" and has_cjk(err["message"]), err
        checked.append(listing[len("/api/v1"):])
    for must in ("/redemptions", "/payouts", "/notices"):
        assert must in checked, checked


def test_an_award_allocation_preview_exports_each_countys_measures_and_share(sep, who):
    """考核与奖补's preview (GET /awards/allocations/{id}) is a report a
    finance official files: in Excel each county's measures in words and
    money in 元, the shares summing to the pool in the totals row."""
    fin = who["city_finance"]
    r = fin.post("/api/v1/awards/allocations", json={
        "year": 2019, "pool_fen": 1_000_001, "reference": "济财2019-导出",
        "weights": {"completion": 0, "penetration": 0, "disbursed": 50, "performance": 50}})
    assert r.status_code in (201, 422), r.text
    if r.status_code == 422:  # nothing to allocate on this demo: weight what it has
        r = fin.post("/api/v1/awards/allocations", json={
            "year": 2019, "pool_fen": 1_000_001, "reference": "济财2019-导出",
            "weights": {"completion": 50, "penetration": 0, "disbursed": 50, "performance": 0}})
        assert r.status_code == 201, r.text
    a = r.json()
    x = fin.get(f"/api/v1/awards/allocations/{a['id']}", params={"format": "xlsx"})
    ws = workbook(x, data_only=True)
    assert rows(ws)[0][0] == "奖补分配预览"
    head = headers(ws)
    assert head[:2] == ["区划代码", "区县"] and "分配金额" in head and "已兑付" in head
    body = data_rows(ws, len(a["items"]))
    share = column(ws, "分配金额")
    assert [row[share] for row in body] == [i["share_fen"] / 100 for i in a["items"]]
    total = rows(ws)[3 + len(a["items"])]
    assert total[0] == "合计" and round(total[share] * 100) == 1_000_001
    assert ws.cell(4, share + 1).number_format == "¥#,##0.00"


def test_ledger_transfers_name_accounts_in_words_not_internal_ids(who):
    """账簿转账记录 showed accounts as `voucher:01M8…` (a voucher's internal
    id) and `pool:370811:2019`: now the county's pool by name and year, the
    voucher by its code, the sources in words, in JSON and in Excel."""
    fin = who["city_finance"]
    items = fin.get("/api/v1/ledger/transfers", params={"page_size": 200}).json()["items"]
    vouchers = {v["code"] for v in fin.get("/api/v1/vouchers", params={"page_size": 200}).json()["items"]}
    named = [(t["debit_account_name"], t["credit_account_name"]) for t in items]
    assert ("县级财政资金", "任城区2019年资金池") in named, named
    for t in items:
        for side in ("debit", "credit"):
            account, name = t[f"{side}_account"], t[f"{side}_account_name"]
            if account.startswith("voucher:"):
                assert name.startswith("云服务券 ") and name.split(" ", 1)[1] in vouchers, t
    ws = workbook(fin.get("/api/v1/ledger/transfers", params={"format": "xlsx"}))
    debit, credit = column(ws, "借方账户"), column(ws, "贷方账户")
    cells = [r[i] for r in rows(ws)[3:] for i in (debit, credit) if r[0] != "合计"]
    assert cells and not [c for c in cells if re.search(r"[0-9A-Z]{26}|^(pool|voucher|source):", str(c))]
    assert any(str(c).startswith("云服务券 YQ") for c in cells)
