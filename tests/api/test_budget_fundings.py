"""Issue 11: the budget page's 拨入记录 (GET /api/v1/budgets/fundings): each
funding of a year with its source, amount, reference, who recorded it and
when; county roles see their own county only, the city every county or
the one it asks for."""
from conftest import HOME_COUNTY, OTHER_COUNTY, assert_error
from flows import ok

YEAR = 2021  # a year the demo leaves unfunded: only this test's fundings show


def fundings(client, **params):
    return ok(client.get("/api/v1/budgets/fundings", params={"year": YEAR, **params}))


def fund(client, county, amount, source, reference):
    return ok(client.post(f"/api/v1/budgets/{county}/{YEAR}/fund", json={
        "amount_fen": amount, "source": source, "reference": reference}), 201)


def test_fundings_list_who_recorded_what_by_county(server, sessions):
    cf, city_fin, city_it = sessions["county_finance"], sessions["city_finance"], sessions["city_it"]
    assert fundings(cf)["items"] == []
    fund(cf, HOME_COUNTY, 1_234_567, "county", "任财预〔2021〕1号")
    fund(city_fin, HOME_COUNTY, 300_000, "province_award", "鲁财企〔2021〕7号")
    fund(city_fin, OTHER_COUNTY, 500_000, "city_award", "济财企〔2021〕3号")

    mine = fundings(cf)
    assert mine["year"] == YEAR
    assert [(r["county_code"], r["source"], r["amount_fen"], r["reference"]) for r in mine["items"]] == [
        (HOME_COUNTY, "county", 1_234_567, "任财预〔2021〕1号"),
        (HOME_COUNTY, "province_award", 300_000, "鲁财企〔2021〕7号"),
    ]
    first, second = mine["items"]
    assert first["source_name"] == "县级财政" and second["source_name"] == "省级奖补"
    assert first["county_name"] == "任城区"
    assert first["recorded_by"] == cf.get("/api/v1/auth/me").json()["user"]["display_name"]
    assert first["recorded_by_role"] == "county_finance"
    assert second["recorded_by_role"] == "city_finance"
    assert first["created_at"].startswith("2019-") and "T" in first["created_at"]

    # a county role asking for another county sees nothing of it
    assert fundings(cf, county=OTHER_COUNTY)["items"] == []
    # the city sees every county, or the one it asks for
    every = fundings(city_it)
    assert {r["county_code"] for r in every["items"]} == {HOME_COUNTY, OTHER_COUNTY}
    assert every["total"] == 3
    other = fundings(city_it, county=OTHER_COUNTY)["items"]
    assert [(r["source_name"], r["amount_fen"]) for r in other] == [("市级奖补", 500_000)]
    # the same funding sent again is one funding
    fund(cf, HOME_COUNTY, 1_234_567, "county", "任财预〔2021〕1号")
    assert len(fundings(cf)["items"]) == 2


def test_fundings_bad_input_and_roles(server, sessions):
    cf = sessions["county_finance"]
    assert_error(cf.get("/api/v1/budgets/fundings"), 422, "missing_field", "year")
    assert_error(cf.get("/api/v1/budgets/fundings", params={"year": "20x1"}), 422, "invalid_field", "year")
    assert_error(sessions["city_it"].get("/api/v1/budgets/fundings",
                                         params={"year": YEAR, "county": "999999"}),
                 422, "invalid_field", "county")
    for role in ("enterprise", "provider"):
        assert sessions[role].get("/api/v1/budgets/fundings", params={"year": YEAR}).status_code == 403
