"""Issue 10, deliver 2: targets per county and year set by city_it
(versioned, audited) and the completion report against a small hand-built
data set in 2020, whose figures are written out here.

The data set (clock 2020-03-02, 泗水县 370831 and 微山县 370826, no demo
data in either county or in 2020):
- targets for 2020: 泗水县 4 of 20 enterprises, 微山县 2 of 10;
- 泗水县: its 2020 pool gets ¥2,160 (two vouchers of 12 × ¥450 × 20% =
  ¥1,080); three enterprises confirm a catalog contract: two vouchers, the
  third waits;
- 微山县: one enterprise confirms (its pool is empty: it waits), a second
  only drafts (not on the cloud)."""
import datetime as dt

import pytest

from conftest import CST, assert_error, new_official
from flows import (catalog_line, draft_by_provider, new_enterprise, new_provider, ok,
                   published_item, assert_ledger_sound)

SISHUI, WEISHAN = "370831", "370826"
NOW = dt.datetime(2020, 3, 2, 9, 0, tzinfo=CST)
VOUCHER = 12 * 45_000 * 2000 // 10000  # 108,000 fen: 2020's ratio is 20%


def row(report, county):
    return next(r for r in report["items"] if r["county_code"] == county)


def set_targets(city_it, year, items, reason="2020年度上云目标（济经信字〔2020〕5号）"):
    return city_it.put(f"/api/v1/targets/{year}", json={"reason": reason, "items": items})


@pytest.fixture
def built(fresh_server):
    server = fresh_server
    server.set_clock(NOW)
    s = {r: server.login(r) for r in ("admin", "city_it", "city_finance", "county_it", "auditor",
                                      "enterprise")}
    ok(set_targets(s["city_it"], 2020, [
        {"county_code": SISHUI, "target": 4, "enterprise_count": 20},
        {"county_code": WEISHAN, "target": 2, "enterprise_count": 10}]))
    reviewers = {}
    for county, name in ((SISHUI, "sishui_it"), (WEISHAN, "weishan_it")):
        new_official(s["admin"], name, county=county)
        reviewers[county] = server.login(name, "Officer-Pass-2019")
    ok(s["city_finance"].post(f"/api/v1/budgets/{SISHUI}/2020/fund", json={
        "amount_fen": 2 * VOUCHER, "source": "province_award", "reference": "鲁财2020-1"}), 201)
    provider = new_provider(server, s["city_it"])
    item = published_item(provider, s["city_it"])

    def contract(county, confirm=True):
        e = new_enterprise(server, reviewers[county], county=county)
        c = draft_by_provider(provider, e.party["id"], [catalog_line(item["id"], 12, 45_000)],
                              program_id="jining-2018", signed_on="2020-02-20",
                              service_start="2020-03-01", service_end="2021-02-28")
        if confirm:
            r = e.post(f"/api/v1/contracts/{c['id']}/confirm")
            assert r.status_code in (200, 201, 202), r.text
    for _ in range(3):
        contract(SISHUI)
    contract(WEISHAN)
    contract(WEISHAN, confirm=False)
    return server, s


def test_completion_figures_of_the_hand_built_year(built):
    server, s = built
    report = ok(s["city_it"].get("/api/v1/reports/completion", params={"year": 2020}))
    assert report["year"] == 2020 and report["total"] == 14
    sishui = row(report, SISHUI)
    assert (sishui["target"], sishui["enterprise_count"]) == (4, 20)
    assert (sishui["new_on_cloud"], sishui["on_cloud_total"]) == (3, 3)
    assert sishui["completion_bp"] == 7500  # 3 of 4: 75.00%
    assert sishui["share_bp"] == 1500  # 3 of 20 enterprises: 15.00%
    assert (sishui["vouchers"], sishui["voucher_amount_fen"]) == (2, 216_000)
    assert sishui["reserved_fen"] == 216_000
    assert (sishui["paid_h1_fen"], sishui["paid_h2_fen"], sishui["paid_fen"]) == (0, 0, 0)
    assert sishui["waitlist_count"] == 1
    weishan = row(report, WEISHAN)
    assert (weishan["new_on_cloud"], weishan["completion_bp"], weishan["share_bp"]) == (1, 5000, 1000)
    assert (weishan["vouchers"], weishan["reserved_fen"], weishan["waitlist_count"]) == (0, 0, 1)
    # A county with no 2020 target has no rate; the city has none either.
    other = row(report, "370811")
    assert other["target"] is None and other["completion_bp"] is None
    totals = report["totals"]
    assert (totals["new_on_cloud"], totals["vouchers"], totals["voucher_amount_fen"]) == (4, 2, 216_000)
    assert totals["target"] is None and totals["completion_bp"] is None
    assert totals["waitlist_count"] == sum(r["waitlist_count"] for r in report["items"])
    assert totals["plan_2020"] == 5000
    # The same year in the older report: its target column follows the year.
    progress = ok(s["auditor"].get("/api/v1/reports/county-progress", params={"year": 2020}))
    assert row(progress, SISHUI)["target"] == 4
    # A county official sees its own county, and totals of it.
    mine = ok(s["county_it"].get("/api/v1/reports/completion", params={"year": 2020}))
    assert [r["county_code"] for r in mine["items"]] == ["370811"]
    assert_ledger_sound(server)


def test_every_report_counts_the_same_vouchers_after_a_termination(built):
    """发券数 and its sum cover the same vouchers in every report: those
    still good (a terminated voucher's money went back to the pool)."""
    server, s = built
    vouchers = ok(s["city_it"].get("/api/v1/vouchers", params={"county": SISHUI}))["items"]
    contract = vouchers[0]["contract_id"]
    sishui_it = server.login("sishui_it", "Officer-Pass-2019")
    ok(sishui_it.post(f"/api/v1/contracts/{contract}/terminate", json={"reason": "企业未履行合同"}))
    live = [v for v in ok(s["city_it"].get("/api/v1/vouchers", params={"county": SISHUI}))["items"]
            if v["status"] in ("issued", "partially_redeemed", "redeemed")]
    want = (len(live), sum(v["amount_fen"] for v in live))
    assert len(live) < len(ok(s["city_it"].get("/api/v1/vouchers", params={"county": SISHUI}))["items"])
    for who in (s["auditor"], sishui_it):  # the city's grouped read and a county's own
        progress = row(ok(who.get("/api/v1/reports/county-progress", params={"year": 2020})), SISHUI)
        assert (progress["vouchers"], progress["voucher_amount_fen"]) == want, progress
        budget = row(ok(who.get("/api/v1/reports/budget", params={"year": 2020})), SISHUI)
        assert budget["vouchers"] == want[0], budget
        done = row(ok(who.get("/api/v1/reports/completion", params={"year": 2020})), SISHUI)
        assert (done["vouchers"], done["voucher_amount_fen"]) == want, done
    assert_ledger_sound(server)


def test_an_award_by_completion_and_share_uses_the_same_figures(built):
    server, s = built
    fin = s["city_finance"]
    a = ok(fin.post("/api/v1/awards/allocations", json={
        "year": 2020, "pool_fen": 1000, "reference": "济财2020-7",
        "weights": {"completion": 50, "penetration": 50, "disbursed": 0, "performance": 0}}), 201)
    shares = {r["county_code"]: r for r in a["items"]}
    # 泗水县 leads both measures (10000 each); 微山县 has 5000/7500 and 1000/1500 of it.
    assert shares[SISHUI]["normalised"] == {"completion": 10000, "penetration": 10000,
                                            "disbursed": 0, "performance": 0}
    assert shares[WEISHAN]["normalised"]["completion"] == 6666
    assert shares[WEISHAN]["normalised"]["penetration"] == 6666
    assert (shares[SISHUI]["score"], shares[WEISHAN]["score"]) == (1_000_000, 666_600)
    # quotas 600.02 and 399.98: the fen left over goes to the larger remainder
    assert (shares[SISHUI]["share_fen"], shares[WEISHAN]["share_fen"]) == (600, 400)
    assert sum(r["share_fen"] for r in a["items"]) == 1000


def test_targets_are_versioned_audited_and_only_city_it_sets_them(built):
    server, s = built
    city_it = s["city_it"]
    t = ok(city_it.get("/api/v1/targets", params={"year": 2020}))
    assert (row(t, SISHUI)["target"], row(t, SISHUI)["version"]) == (4, 1)
    ok(set_targets(city_it, 2020, [{"county_code": SISHUI, "target": 6, "enterprise_count": 20},
                                   {"county_code": WEISHAN, "target": 2, "enterprise_count": 10}],
                   reason="年中调整"))
    t = ok(city_it.get("/api/v1/targets", params={"year": 2020}))
    assert (row(t, SISHUI)["target"], row(t, SISHUI)["version"], row(t, SISHUI)["reason"]) == (6, 2, "年中调整")
    assert row(t, SISHUI)["set_by"] == "city_it"
    assert row(t, WEISHAN)["version"] == 1  # unchanged: no new version
    trail = ok(s["auditor"].get("/api/v1/audit", params={"entity": "county_target"}))["items"]
    assert any("年中调整" in str(e) for e in trail)
    assert row(ok(city_it.get("/api/v1/reports/completion", params={"year": 2020})), SISHUI)["completion_bp"] == 5000
    # 2018's targets come from 附件3.
    t2018 = ok(s["auditor"].get("/api/v1/targets", params={"year": 2018}))
    assert sum(r["target"] for r in t2018["items"]) == 1000
    assert (row(t2018, "370811")["target"], row(t2018, "370811")["set_by"]) == (75, "system")
    # Who may: city_it sets; others are refused; county officials read their own.
    body = {"reason": "试图修改", "items": [{"county_code": "370811", "target": 1}]}
    for role in ("county_it", "city_finance", "auditor", "enterprise", "admin"):
        assert_error(s[role].put("/api/v1/targets/2020", json=body), 403)
    assert [r["county_code"] for r in ok(s["county_it"].get("/api/v1/targets", params={"year": 2020}))["items"]] == ["370811"]
    assert_error(s["enterprise"].get("/api/v1/reports/completion", params={"year": 2020}), 403)
    # Bad input names its field, and writes nothing.
    assert_error(set_targets(city_it, 2020, [{"county_code": SISHUI, "target": -1}]), 422, None, "target")
    assert_error(set_targets(city_it, 2020, [{"county_code": "999999", "target": 1}]), 422, None, "county_code")
    assert_error(set_targets(city_it, 2020, [{"county_code": SISHUI, "target": 1, "enterprise_count": "多"}]),
                 422, None, "enterprise_count")
    assert_error(city_it.put("/api/v1/targets/2020", json={"items": [{"county_code": SISHUI, "target": 1}]}),
                 422, None, "reason")
    assert_error(set_targets(city_it, 2020, []), 422, None, "items")
    assert_error(city_it.put("/api/v1/targets/20", json=body), 422, None, "year")
    assert_error(s["auditor"].get("/api/v1/reports/completion"), 422, None, "year")
    assert row(ok(city_it.get("/api/v1/targets", params={"year": 2020})), SISHUI)["version"] == 2


def test_money_paid_per_half_year_and_an_award_by_it(fresh_server):
    """One application of 任城区 for 2019H1, approved for 30,666 fen (the
    exact-fen cycle of test_payouts), noticed and paid on 2019-07-09: the
    report shows it under H1, and an award weighted on money paid alone
    goes whole to 任城区, the only county that paid anything."""
    from test_payouts import approved, open_notice, sessions_of
    server = fresh_server
    s = sessions_of(server)
    _, _, app = approved(server, s)
    n = ok(open_notice(s, [app["id"]]), 201)
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    s = sessions_of(server)
    ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    fin = s["county_finance"]
    batch = ok(fin.post("/api/v1/payouts", json={"county_code": "370811", "redemption_ids": [app["id"]]}), 201)
    ok(fin.post(f"/api/v1/payouts/{batch['id']}/paid", json={"paid_on": "2019-07-09", "reference": "任财付〔2019〕9号"}))
    report = ok(s["city_it"].get("/api/v1/reports/completion", params={"year": 2019}))
    rencheng = row(report, "370811")
    assert (rencheng["paid_h1_fen"], rencheng["paid_h2_fen"], rencheng["paid_fen"]) == (30_666, 0, 30_666)
    assert report["totals"]["paid_fen"] == 30_666
    city_finance = server.login("city_finance")
    a = ok(city_finance.post("/api/v1/awards/allocations", json={
        "year": 2019, "pool_fen": 777, "reference": "济财2019-9",
        "weights": {"completion": 0, "penetration": 0, "disbursed": 100, "performance": 0}}), 201)
    got = {r["county_code"]: r["share_fen"] for r in a["items"] if r["share_fen"]}
    assert got == {"370811": 777}
    ok(city_finance.post(f"/api/v1/awards/allocations/{a['id']}/post"))
    assert_ledger_sound(server)


def test_a_county_listed_twice_is_refused_and_nothing_is_set(server):
    """PUT /targets/{year} and PUT /assessment/{year} with one county twice
    used to set it twice (two target versions in one request, the last
    figure silently winning): a Chinese 422 naming county_code, nothing set."""
    city_it = server.login("city_it")
    targets = ok(city_it.get("/api/v1/targets", params={"year": 2021}))
    assert_error(set_targets(city_it, 2021, [
        {"county_code": SISHUI, "target": 4}, {"county_code": WEISHAN, "target": 2},
        {"county_code": SISHUI, "target": 5}]), 422, "duplicate_county", "county_code")
    assert ok(city_it.get("/api/v1/targets", params={"year": 2021})) == targets
    scores = ok(city_it.get("/api/v1/assessment", params={"year": 2021}))
    assert_error(city_it.put("/api/v1/assessment/2021", json={"items": [
        {"county_code": SISHUI, "score_hundredths": 8000},
        {"county_code": SISHUI, "score_hundredths": 9000}]}), 422, "duplicate_county", "county_code")
    assert ok(city_it.get("/api/v1/assessment", params={"year": 2021})) == scores
