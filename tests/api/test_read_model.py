"""Issue 10's read model (migration 11): the completion report, county
progress and the city dashboard read counters kept in the writing
transactions (enterprise_on_cloud, county_months, county_years,
county_paid). After each kind of write that moves them (a confirmation, a
termination, a clawback of a paid item, the expiry job) their figures
equal a recomputation from the base tables with the definitions of
docs/reports.md, written here in SQL over the contracts, vouchers and
redemption items, and `ledger check` (which recomputes the counters too)
passes."""
import datetime as dt
import subprocess

from conftest import CST, HOME_COUNTY, START, YQ_BIN, clean_env
from flows import (assert_ledger_sound, catalog_line, draft_by_provider, new_enterprise,
                   new_provider, ok, published_item)
from test_payouts import approved, open_notice, sessions_of

LIVE = "('issued', 'partially_redeemed', 'redeemed')"
CATALOG = "status = 'confirmed' AND base_fen > 0"


def ms(t):
    return int(t.timestamp() * 1000)


def month_starts(year):
    """The 13 month boundaries of a year in China time (ms)."""
    return [ms(dt.datetime(year + (m // 12), m % 12 + 1, 1, tzinfo=CST)) for m in range(13)]


def month_in(year, at):
    """1..12: the month of `at` in `year`, January before it, December after."""
    b = month_starts(year)
    return next((m for m in range(1, 12) if at < b[m]), 12)


def expected(server, year):
    """Per county and per month, what the reports must say, from base tables."""
    b = month_starts(year)
    lo, hi = b[0], b[12]
    counties = {}

    def county(code):
        return counties.setdefault(code, dict(
            new_on_cloud=0, on_cloud_total=0, vouchers=0, voucher_amount_fen=0, paid_h1_fen=0,
            paid_h2_fen=0, progress_on_cloud=0))
    months = {m: dict(contracts=0, new_on_cloud=0, vouchers=0, voucher_amount_fen=0, paid_fen=0)
              for m in range(1, 13)}
    # 上云企业: the first confirmed contract with catalog services, per county.
    for code, first in server.sql(f"SELECT county_code, MIN(confirmed_at) FROM contracts WHERE"
                                  f" {CATALOG} GROUP BY county_code, enterprise_id"):
        if first < hi:
            county(code)["on_cloud_total"] += 1
            if first >= lo:
                county(code)["new_on_cloud"] += 1
                months[month_in(year, first)]["new_on_cloud"] += 1
    for code, n in server.sql(f"SELECT county_code, COUNT(DISTINCT enterprise_id) FROM contracts"
                              f" WHERE {CATALOG} AND confirmed_at >= ? AND confirmed_at < ?"
                              f" GROUP BY county_code", lo, hi):
        county(code)["progress_on_cloud"] = n
    for (at,) in server.sql(f"SELECT confirmed_at FROM contracts WHERE {CATALOG} AND"
                            f" confirmed_at >= ? AND confirmed_at < ?", lo, hi):
        months[month_in(year, at)]["contracts"] += 1
    for code, status, amount, at in server.sql("SELECT county_code, status, amount_fen, issued_at"
                                               " FROM vouchers WHERE issue_year = ?", year):
        if status in ("issued", "partially_redeemed", "redeemed"):
            county(code)["vouchers"] += 1
            county(code)["voucher_amount_fen"] += amount
            months[month_in(year, at)]["vouchers"] += 1
            months[month_in(year, at)]["voucher_amount_fen"] += amount
    for code, period, fen in server.sql(
            "SELECT r.county_code, r.period, SUM(i.paid_fen - i.clawed_back_fen) FROM"
            " redemption_items i JOIN redemptions r ON r.id = i.redemption_id GROUP BY 1, 2"):
        if period == f"{year}H1":
            county(code)["paid_h1_fen"] += fen
        elif period == f"{year}H2":
            county(code)["paid_h2_fen"] += fen
    for paid_on, fen in server.sql(
            "SELECT p.paid_on, SUM(i.paid_fen - i.clawed_back_fen) FROM payouts p JOIN redemptions"
            " r ON r.payout_id = p.id JOIN redemption_items i ON i.redemption_id = r.id WHERE"
            " p.status = 'paid' GROUP BY p.paid_on"):
        if paid_on.startswith(f"{year}-"):
            months[int(paid_on[5:7])]["paid_fen"] += fen
    periods = {}
    for period, claimed, approved, paid in server.sql(
            "SELECT x.period, SUM(CASE WHEN x.status NOT IN ('draft', 'withdrawn', 'rejected') AND"
            " i.active = 1 THEN i.claim_fen ELSE 0 END), SUM(CASE WHEN x.status IN ('approved',"
            " 'in_notice', 'noticed', 'paid') AND i.active = 1 THEN i.approved_fen ELSE 0 END),"
            " SUM(i.paid_fen - i.clawed_back_fen) FROM redemption_items i JOIN redemptions x ON"
            " x.id = i.redemption_id WHERE x.period IN (?, ?) GROUP BY x.period",
            f"{year}H1", f"{year}H2"):
        periods[period] = dict(claimed_fen=claimed, approved_fen=approved, paid_fen=paid)
    return counties, months, periods


def assert_reports_match(server, city, year):
    counties, months, periods = expected(server, year)
    zero = dict(new_on_cloud=0, on_cloud_total=0, vouchers=0, voucher_amount_fen=0, paid_h1_fen=0,
                paid_h2_fen=0, progress_on_cloud=0)
    report = ok(city.get("/api/v1/reports/completion", params={"year": year}))
    for row in report["items"]:
        want = counties.get(row["county_code"], zero)
        for key in ("new_on_cloud", "on_cloud_total", "vouchers", "voucher_amount_fen",
                    "paid_h1_fen", "paid_h2_fen"):
            assert row[key] == want[key], (row["county_code"], key, row[key], want[key])
    progress = ok(city.get("/api/v1/reports/county-progress", params={"year": year}))
    for row in progress["items"]:
        want = counties.get(row["county_code"], zero)
        assert row["enterprises_on_cloud"] == want["progress_on_cloud"], row
        # 发券数 and its sum cover the same vouchers in every report: those still good
        assert row["vouchers"] == want["vouchers"], row
        assert row["voucher_amount_fen"] == want["voucher_amount_fen"], row
    board = ok(city.get("/api/v1/reports/dashboard/city", params={"year": year}))
    for m, row in enumerate(board["months"], start=1):
        for key, value in months[m].items():
            assert row[key] == value, (m, key, row[key], value)
    for row in board["periods"]:
        want = periods.get(row["period"], dict(claimed_fen=0, approved_fen=0, paid_fen=0))
        for key, value in want.items():
            assert row[key] == value, (row["period"], key, row[key], value)
    assert board["totals"] == report["totals"]
    assert_ledger_sound(server)
    return report


def test_counters_follow_confirm_terminate_clawback_and_expiry(fresh_server):
    server = fresh_server
    year = START.year
    s = {r: server.login(r) for r in ("city_it", "city_finance", "county_it")}
    city = s["city_it"]
    before = assert_reports_match(server, city, year)

    # A confirmation: a new enterprise comes on the cloud in 任城区.
    provider = new_provider(server, city)
    item = published_item(provider, city)
    e = new_enterprise(server, s["county_it"], county="370811")
    c = draft_by_provider(provider, e.party["id"], [catalog_line(item["id"], 12, 45_000)])
    r = e.post(f"/api/v1/contracts/{c['id']}/confirm")
    assert r.status_code in (200, 201, 202), r.text
    after = assert_reports_match(server, city, year)
    assert after["totals"]["new_on_cloud"] == before["totals"]["new_on_cloud"] + 1

    # A termination: the enterprise is no longer on the cloud, its voucher ends.
    ok(s["county_it"].post(f"/api/v1/contracts/{c['id']}/terminate",
                           json={"reason": "服务商未开通服务"}))
    after = assert_reports_match(server, city, year)
    assert after["totals"]["new_on_cloud"] == before["totals"]["new_on_cloud"]

    # A payout: an approved application noticed and paid (2019H1's
    # figures and July's), then a clawback of part of it.
    prov, v, app = approved(server, sessions_of(server))
    ok(open_notice(sessions_of(server), [app["id"]]), 201)
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    s = sessions_of(server)
    notice = server.sql("SELECT notice_id FROM redemptions WHERE id = ?", app["id"])[0][0]
    ok(s["county_it"].post(f"/api/v1/notices/{notice}/close"))
    fin = s["county_finance"]
    batch = ok(fin.post("/api/v1/payouts", json={"county_code": HOME_COUNTY,
                                                 "redemption_ids": [app["id"]]}), 201)
    ok(fin.post(f"/api/v1/payouts/{batch['id']}/paid",
                json={"paid_on": "2019-07-09", "reference": "任财付〔2019〕88号"}))
    city = s["city_it"]
    paid = assert_reports_match(server, city, year)
    assert paid["totals"]["paid_fen"] == before["totals"]["paid_fen"] + app["approved_fen"]
    ok(fin.post("/api/v1/clawbacks", json={
        "redemption_id": app["id"], "voucher_id": v["voucher_id"], "amount_fen": 100,
        "reason": "部分服务未交付", "evidence": "审计报告"}), 201)
    after = assert_reports_match(server, city, year)
    assert after["totals"]["paid_fen"] == paid["totals"]["paid_fen"] - 100

    # The expiry job, years later: vouchers nobody claimed expire.
    server.set_clock(dt.datetime(START.year + 3, 6, 1, 9, 0, tzinfo=CST))
    job = subprocess.run([YQ_BIN, "jobs", "run", "--db", str(server.db), "--clock-file",
                          str(server.clock_path)], capture_output=True, text=True,
                         env=clean_env(), timeout=120)
    assert job.returncode == 0, job.stderr
    n = server.sql("SELECT COUNT(*) FROM vouchers WHERE status = 'expired' AND issue_year = ?",
                   year)[0][0]
    assert n > 0, job.stdout
    expired = assert_reports_match(server, server.login("city_it"), year)
    assert expired["totals"]["vouchers"] == after["totals"]["vouchers"] - n
