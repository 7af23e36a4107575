"""第三方评价机构 work for their assigned counties (SPEC §1): the demo
evaluator has 任城区 (its own) and 兖州区; it sees the records of both and
nothing of a third county (404, not 403)."""
from conftest import assert_error
from flows import ok


def test_the_evaluator_sees_its_assigned_counties_and_no_other(server, sessions):
    ev = sessions["evaluator"]
    me = ok(ev.get("/api/v1/auth/me"))["user"]
    assert me["counties"] == ["370811", "370812"]
    seen = {e["county_code"] for e in ok(ev.get("/api/v1/enterprises?page_size=200"))["items"]}
    assert seen == {"370811", "370812"}
    auditor = sessions["auditor"]
    everyone = ok(auditor.get("/api/v1/enterprises?page_size=200"))["items"]
    elsewhere = [e for e in everyone if e["county_code"] not in ("370811", "370812")]
    assert elsewhere
    assert_error(ev.get(f"/api/v1/enterprises/{elsewhere[0]['id']}"), 404)
    budgets = {b["county_code"] for b in ok(ev.get("/api/v1/budgets?year=2019"))["items"]}
    assert budgets == {"370811", "370812"}


def test_admin_assigns_counties_to_evaluators_only(server, sessions):
    admin = sessions["admin"]
    users = ok(admin.get("/api/v1/users?page_size=200"))["items"]
    evaluator = next(u for u in users if u["username"] == "evaluator")
    county_it = next(u for u in users if u["username"] == "county_it")
    r = ok(admin.post(f"/api/v1/users/{evaluator['id']}/counties",
                      json={"county_codes": ["370812", "370883"]}))
    assert r["counties"] == ["370811", "370812", "370883"]
    fresh = server.login("evaluator")
    seen = {e["county_code"] for e in ok(fresh.get("/api/v1/enterprises?page_size=200"))["items"]}
    assert "370883" in seen
    assert_error(admin.post(f"/api/v1/users/{county_it['id']}/counties",
                            json={"county_codes": ["370812"]}), 422, None, "county_codes")
    assert_error(admin.post(f"/api/v1/users/{evaluator['id']}/counties",
                            json={"county_codes": ["999999"]}), 422, None, "county_codes")
    assert_error(sessions["county_it"].post(f"/api/v1/users/{evaluator['id']}/counties",
                                            json={"county_codes": []}), 403)
    # back to the demo's assignment for the other tests
    ok(admin.post(f"/api/v1/users/{evaluator['id']}/counties", json={"county_codes": ["370812"]}))
