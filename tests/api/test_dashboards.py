"""Issue 10, deliver 3: the dashboards per role. Their figures are the
report endpoints' figures (completion, budgets, redemptions and payouts)
and, on a small hand-built year, the ones written out here.

The hand-built data (demo database at 2019-07-01, where 2019 has demo
contracts and vouchers but no redemption yet): a new provider and a new
enterprise of 任城区 sign 12 months at 99,000 fen (base 1,188,000 → 25 % =
a voucher of 297,000 fen), confirmed on 2019-07-01; the provider claims
33,333 fen for 2019H1 on 2019-07-01, the evaluator deducts 5 % (1,667) and
the county takes off 1,000: 30,666 fen approved, noticed from 2019-07-01,
paid on 2019-07-09. Remaining on the voucher: 297,000 − 30,666 = 266,334."""
import datetime as dt

import pytest

from conftest import CST, HOME_COUNTY, assert_error
from flows import (catalog_line, draft_by_provider, new_enterprise, new_provider, ok,
                   published_item, relogin)
from test_redemptions import file, item, scores

VOUCHER, CLAIM, APPROVED = 297_000, 33_333, 30_666
CITY = "/api/v1/reports/dashboard/city"
COUNTY = "/api/v1/reports/dashboard/county"
PROVIDER = "/api/v1/reports/dashboard/provider"
ENTERPRISE = "/api/v1/reports/dashboard/enterprise"


def by_code(rows):
    return {r["county_code"]: r for r in rows}


@pytest.fixture
def built(fresh_server):
    """The hand-built cycle on a server of its own; returns (server,
    sessions, provider, enterprise, voucher code)."""
    server = fresh_server
    s = {r: server.login(r) for r in ("county_it", "county_finance", "evaluator", "city_it",
                                      "city_finance", "auditor")}
    prov = new_provider(server, s["city_it"])
    it = published_item(prov, s["city_it"], list_price_fen=120_000, discount_price_fen=99_000)
    ent = new_enterprise(server, s["county_it"])
    c = draft_by_provider(prov, ent.party["id"], [catalog_line(it["id"], 12, 99_000)],
                          program_id="jining-2018")
    voucher = ok(ent.post(f"/api/v1/contracts/{c['id']}/confirm"), 201)["voucher"]
    assert voucher["amount_fen"] == VOUCHER
    v = {"voucher_id": voucher["id"]}
    app = ok(file(prov, [item(v, CLAIM)]), 201)
    ok(prov.post(f"/api/v1/redemptions/{app['id']}/submit"))
    ok(s["evaluator"].post(f"/api/v1/redemptions/{app['id']}/evaluate", json={
        "scores": scores(), "items": [{"voucher_id": v["voucher_id"], "quality_note": "宕机",
                                       "deduction": {"kind": "bp", "bp": 500}}]}))
    ok(s["county_it"].post(f"/api/v1/redemptions/{app['id']}/review", json={
        "decision": "approve", "items": [{"voucher_id": v["voucher_id"], "adjustment_fen": 1000,
                                          "reason": "核减"}]}))
    n = ok(s["county_it"].post("/api/v1/notices", json={
        "county_code": HOME_COUNTY, "redemption_ids": [app["id"]], "opens_on": "2019-07-01"}), 201)
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    s = {r: server.login(r) for r in s}
    prov, ent = relogin(server, prov), relogin(server, ent)
    ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    batch = ok(s["county_finance"].post("/api/v1/payouts", json={
        "county_code": HOME_COUNTY, "redemption_ids": [app["id"]]}), 201)
    ok(s["county_finance"].post(f"/api/v1/payouts/{batch['id']}/paid", json={
        "paid_on": "2019-07-09", "reference": "任财付〔2019〕9号"}))
    return server, s, prov, ent, voucher["code"]


def test_city_dashboard_is_the_completion_report_and_the_budgets(built):
    server, s, *_ = built
    dash = ok(s["city_it"].get(CITY, params={"year": 2019}))
    report = ok(s["city_it"].get("/api/v1/reports/completion", params={"year": 2019}))
    budgets = by_code(ok(s["city_it"].get("/api/v1/budgets", params={"year": 2019}))["items"])
    counties = by_code(dash["counties"])
    assert len(counties) == 14 and dash["totals"] == report["totals"]
    for r in report["items"]:
        c = counties[r["county_code"]]
        for k in ("target", "new_on_cloud", "completion_bp", "vouchers", "voucher_amount_fen",
                  "reserved_fen", "paid_h1_fen", "paid_h2_fen", "paid_fen"):
            assert c[k] == r[k], (r["county_code"], k)
        for k in ("funded_fen", "reserved_fen", "posted_fen", "available_fen"):
            assert c["budget"][k] == budgets[r["county_code"]][k], (r["county_code"], k)
    # Ranking: every county once, by 完成率 from the highest.
    rates = [x["completion_bp"] for x in dash["ranking"]]
    assert [x["rank"] for x in dash["ranking"]] == list(range(1, 15))
    assert sorted({x["county_code"] for x in dash["ranking"]}) == sorted(counties)
    assert [x for x in rates if x is not None] == sorted([x for x in rates if x is not None],
                                                         reverse=True)
    # Months add up to the report's year figures.
    months = dash["months"]
    assert [m["month"] for m in months] == [f"2019-{m:02d}" for m in range(1, 13)]
    assert sum(m["new_on_cloud"] for m in months) == report["totals"]["new_on_cloud"]
    assert sum(m["vouchers"] for m in months) == report["totals"]["vouchers"]
    assert sum(m["voucher_amount_fen"] for m in months) == report["totals"]["voucher_amount_fen"]
    # Money per half-year: the hand-built cycle is the year's only redemption.
    h1, h2 = dash["periods"]
    assert (h1["period"], h1["claimed_fen"], h1["approved_fen"], h1["paid_fen"]) == \
        ("2019H1", CLAIM, APPROVED, APPROVED)
    assert (h2["claimed_fen"], h2["approved_fen"], h2["paid_fen"]) == (0, 0, 0)
    assert (h1["paid_fen"], h2["paid_fen"]) == (report["totals"]["paid_h1_fen"],
                                                report["totals"]["paid_h2_fen"])
    assert h1["issued_fen"] + h2["issued_fen"] == report["totals"]["voucher_amount_fen"]
    july = months[6]
    assert (july["claims"], july["claim_fen"], july["paid_fen"]) == (1, CLAIM, APPROVED)
    # Every reader of the city sees the same figures.
    assert ok(s["auditor"].get(CITY, params={"year": 2019})) == dash


def test_county_dashboard_is_its_row_of_the_city(built):
    server, s, *_ = built
    city = ok(s["city_it"].get(CITY, params={"year": 2019}))
    mine = ok(s["county_it"].get(COUNTY, params={"year": 2019}))
    assert (mine["county_code"], mine["county_name"]) == (HOME_COUNTY, "任城区")
    assert mine["county"] == by_code(city["counties"])[HOME_COUNTY]
    assert mine == ok(s["city_finance"].get(COUNTY, params={"year": 2019,
                                                            "county_code": HOME_COUNTY}))
    july = mine["months"][6]
    assert (july["claims"], july["claim_fen"], july["paid_fen"]) == (1, CLAIM, APPROVED)
    assert sum(m["voucher_amount_fen"] for m in mine["months"]) == \
        mine["county"]["voucher_amount_fen"]
    assert sum(m["new_on_cloud"] for m in mine["months"]) == mine["county"]["new_on_cloud"]
    assert mine["periods"][0]["paid_fen"] == mine["county"]["paid_h1_fen"] == APPROVED


def test_provider_dashboard_shows_its_own_cycle(built):
    server, s, prov, *_ = built
    d = ok(prov.get(PROVIDER, params={"year": 2019}))
    july = d["months"][6]
    assert (july["contracts"], july["vouchers"], july["voucher_amount_fen"]) == (1, 1, VOUCHER)
    assert (july["claims"], july["claim_fen"], july["paid_fen"]) == (1, CLAIM, APPROVED)
    assert all(m["contracts"] == m["claims"] == 0 for i, m in enumerate(d["months"]) if i != 6)
    assert d["totals"] == {"contracts": 1, "vouchers": 1, "voucher_amount_fen": VOUCHER,
                           "claims": 1, "claim_fen": CLAIM, "approved_fen": APPROVED,
                           "paid_fen": APPROVED}
    h1 = d["periods"][0]
    assert (h1["issued_fen"], h1["claimed_fen"], h1["approved_fen"], h1["paid_fen"]) == \
        (0, CLAIM, APPROVED, APPROVED)  # issued in July: the second half
    assert d["periods"][1]["issued_fen"] == VOUCHER
    # Its applications as the redemption list shows them.
    apps = ok(prov.get("/api/v1/redemptions"))["items"]
    assert sum(a["approved_fen"] for a in apps) == d["totals"]["approved_fen"]


def test_enterprise_dashboard_shows_what_is_left(built):
    server, s, prov, ent, code = built
    d = ok(ent.get(ENTERPRISE))
    assert len(d["vouchers"]) == 1
    v = d["vouchers"][0]
    assert (v["code"], v["amount_fen"], v["claimed_fen"], v["paid_fen"], v["remaining_fen"]) == \
        (code, VOUCHER, CLAIM, APPROVED, VOUCHER - APPROVED)
    assert v["service_end"] and v["status"] == "partially_redeemed"
    listed = ok(ent.get(f"/api/v1/vouchers/{v['id']}"))
    assert (listed["amount_fen"], listed["redeemed_fen"]) == (v["amount_fen"], v["paid_fen"])
    assert d["totals"] == {"vouchers": 1, "amount_fen": VOUCHER, "claimed_fen": CLAIM,
                           "paid_fen": APPROVED, "remaining_fen": VOUCHER - APPROVED}


def test_scope_refusals_and_a_bad_year(server, sessions):
    s = sessions
    # The route table: officials of a county do not read the city's board.
    assert_error(s["county_it"].get(CITY, params={"year": 2019}), 403)
    assert_error(s["provider"].get(COUNTY, params={"year": 2019}), 403)
    assert_error(s["enterprise"].get(PROVIDER, params={"year": 2019}), 403)
    assert_error(s["provider"].get(ENTERPRISE), 403)
    # Another county is as absent as an unknown one.
    assert_error(s["county_it"].get(COUNTY, params={"year": 2019, "county_code": "370812"}),
                 404, "not_found")
    assert_error(s["city_it"].get(COUNTY, params={"year": 2019, "county_code": "999999"}),
                 404, "not_found")
    assert_error(s["city_it"].get(COUNTY, params={"year": 2019}), 422, None, "county_code")
    for path, who in ((CITY, "city_it"), (COUNTY, "county_it"), (PROVIDER, "provider")):
        assert_error(s[who].get(path, params={"year": "19"}), 422, None, "year")
        assert_error(s[who].get(path), 422, None, "year")
    # The demo's contracts are the demo provider's and enterprise's own.
    assert ok(s["provider"].get(PROVIDER, params={"year": 2019}))["totals"]["contracts"] >= 1
    assert len(ok(s["enterprise"].get(ENTERPRISE))["vouchers"]) >= 1
