"""GET /reports/county-progress (SPEC §9): enterprises on the cloud against
the target, per county, scoped like every county record."""
from conftest import assert_error
from flows import catalog_line, draft_by_provider, new_enterprise, ok, published_item, new_provider


def row(report, county):
    return next(r for r in report["items"] if r["county_code"] == county)


def test_a_confirmed_catalog_contract_counts_its_enterprise_once(server, sessions):
    county_it, city_it = sessions["county_it"], sessions["city_it"]
    before = row(ok(city_it.get("/api/v1/reports/county-progress?year=2019")), "370811")
    provider = new_provider(server, city_it)
    item = published_item(provider, city_it)
    enterprise = new_enterprise(server, county_it)
    for _ in range(2):  # two contracts, one enterprise on the cloud
        c = draft_by_provider(provider, enterprise.party["id"], [catalog_line(item["id"], 12, 45_000)],
                              program_id="jining-2018")
        r = enterprise.post(f"/api/v1/contracts/{c['id']}/confirm")
        assert r.status_code in (200, 201, 202), r.text
    after = row(ok(city_it.get("/api/v1/reports/county-progress?year=2019")), "370811")
    assert after["enterprises_on_cloud"] == before["enterprises_on_cloud"] + 1
    assert after["vouchers"] == before["vouchers"] + 1
    assert after["target"] is None  # 附件3 sets 2018's targets only
    assert row(ok(city_it.get("/api/v1/reports/county-progress?year=2018")), "370811")["target"] == 75


def test_the_report_is_scoped_and_checks_its_year(server, sessions):
    mine = ok(sessions["county_it"].get("/api/v1/reports/county-progress?year=2019"))
    assert {r["county_code"] for r in mine["items"]} == {"370811"}
    everyone = ok(sessions["auditor"].get("/api/v1/reports/county-progress?year=2019"))
    assert everyone["total"] == 14
    assert_error(sessions["auditor"].get("/api/v1/reports/county-progress"), 422, None, "year")
    assert_error(sessions["auditor"].get("/api/v1/reports/county-progress?year=19"), 422, None, "year")
    assert_error(sessions["enterprise"].get("/api/v1/reports/county-progress?year=2019"), 403)
