"""SPEC §13's report routes `GET /reports/budget?year=` and
`GET /reports/payments?period=` (the API outline's "reports" row): the
budget report is the budget overview of GET /budgets; the payments report
gives each county's money paid to providers for a half-year redemption
period, scoped like the other reports, refused in Chinese with the field
named for a bad period, and exported to Excel in 元 with a totals row."""
import datetime as dt
import io

import openpyxl

from conftest import CST, assert_error
from flows import ok


def test_the_budget_report_is_the_budget_overview(server):
    fin = server.login("city_finance")
    report = ok(fin.get("/api/v1/reports/budget", params={"year": 2019}))
    assert report == ok(fin.get("/api/v1/budgets", params={"year": 2019}))
    assert len(report["items"]) == report["total"] > 1
    county = server.login("county_finance")
    mine = ok(county.get("/api/v1/reports/budget", params={"year": 2019}))
    assert [r["county_code"] for r in mine["items"]] == ["370811"]
    assert_error(fin.get("/api/v1/reports/budget"), 422, None, "year")
    assert_error(server.login("enterprise").get("/api/v1/reports/budget",
                                                params={"year": 2019}), 403)
    ws = openpyxl.load_workbook(io.BytesIO(fin.get("/api/v1/reports/budget", params={
        "year": 2019, "format": "xlsx"}).content)).active
    assert ws.cell(1, 1).value == "预算使用报表" and ws.cell(3, 2).value == "拨入合计"


def test_money_paid_for_a_period_per_county(fresh_server):
    """The exact-fen cycle of test_payouts (任城区, 2019H1, 30,666 fen paid
    on 2019-07-09) shows under 2019H1 and nowhere in 2019H2."""
    from test_payouts import approved, open_notice, sessions_of
    server = fresh_server
    s = sessions_of(server)
    _, _, app = approved(server, s)
    n = ok(open_notice(s, [app["id"]]), 201)
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    s = sessions_of(server)
    ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    fin = s["county_finance"]
    before = ok(fin.get("/api/v1/reports/payments", params={"period": "2019H1"}))
    batch = ok(fin.post("/api/v1/payouts", json={"county_code": "370811",
                                                  "redemption_ids": [app["id"]]}), 201)
    ok(fin.post(f"/api/v1/payouts/{batch['id']}/paid",
                json={"paid_on": "2019-07-09", "reference": "任财付〔2019〕9号"}))
    city = server.login("city_finance")
    h1 = ok(city.get("/api/v1/reports/payments", params={"period": "2019H1"}))
    assert h1["period"] == "2019H1" and h1["period_name"] == "2019年上半年"
    paid = {r["county_code"]: r["paid_fen"] for r in h1["items"]}
    was = {r["county_code"]: r["paid_fen"] for r in before["items"]}
    assert paid["370811"] == was["370811"] + 30_666
    assert all(paid[c] == 0 for c in paid if c != "370811"), paid
    h2 = ok(city.get("/api/v1/reports/payments", params={"period": "2019H2"}))
    assert all(r["paid_fen"] == 0 for r in h2["items"])
    completion = ok(city.get("/api/v1/reports/completion", params={"year": 2019}))
    for r in completion["items"]:
        assert paid[r["county_code"]] == r["paid_h1_fen"]
    # A county official sees only its own county.
    mine = ok(fin.get("/api/v1/reports/payments", params={"period": "2019H1"}))
    assert [r["county_code"] for r in mine["items"]] == ["370811"]
    # Excel: money in 元 as a number, a totals row (its cached sum).
    wb = openpyxl.load_workbook(io.BytesIO(city.get("/api/v1/reports/payments", params={
        "period": "2019H1", "format": "xlsx"}).content), data_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "分期兑付报表"
    header = list(rows[2])
    col = header.index("已兑付金额")
    rencheng = next(r for r in rows[3:] if r[1] == "任城区")
    assert rencheng[col] == paid["370811"] / 100 and rencheng[2] == "2019年上半年"
    assert rows[-1][0] == "合计" and rows[-1][col] == sum(paid.values()) / 100


def test_a_bad_period_is_refused_in_chinese_with_the_field(server):
    city = server.login("city_it")
    for bad in ("2019H3", "2019h1", "2019", "1999H1", "2019H1x", ""):
        assert_error(city.get("/api/v1/reports/payments", params={"period": bad}), 422, None,
                     "period")
    assert_error(city.get("/api/v1/reports/payments"), 422, None, "period")
    assert_error(server.login("provider").get("/api/v1/reports/payments",
                                              params={"period": "2019H1"}), 403)
