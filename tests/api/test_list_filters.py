"""Issue 11, defect 4: every list can be searched. Contracts, vouchers,
enterprises and providers take q (keyword over number/code, name, USCC),
county, status and a date range from/to (days, China time) on the list's
main date; a bad value is refused with 422 and a Chinese message naming the
field; a county official asking for another county gets nothing. The
header's global search /search finds a voucher by 券号 and a company by part
of its name, within the caller's scope only."""
import pytest

from conftest import HOME_COUNTY, OTHER_COUNTY, all_pages, assert_error, new_official


def items(client, path, **params):
    r = client.get(path, params={"page_size": 100, **params})
    assert r.status_code == 200, r.text[:300]
    return r.json()


def test_contracts_filter_by_keyword_status_county_and_date(sessions):
    c = sessions["city_finance"]
    everything = items(c, "/api/v1/contracts")
    assert everything["total"] >= 4
    # keyword: the contract number, a part of it, the enterprise, the provider
    one = items(c, "/api/v1/contracts", q="QL-DEMO-001")
    assert [x["contract_no"] for x in one["items"]] == ["QL-DEMO-001"]
    km = items(c, "/api/v1/contracts", q="KM-DEMO")["items"]
    assert km and all(x["contract_no"].startswith("KM-DEMO") for x in km)
    assert len(km) < everything["total"]
    by_company = items(c, "/api/v1/contracts", q="曲阜文旅")["items"]
    assert by_company and all(x["enterprise_name"] == "曲阜文旅数字科技有限公司" for x in by_company)
    by_provider = items(c, "/api/v1/contracts", q="孔孟之乡")["items"]
    assert by_provider and all(x["provider_name"] == "孔孟之乡软件有限公司" for x in by_provider)
    # status
    confirmed = items(c, "/api/v1/contracts", status="confirmed")
    assert confirmed["total"] >= 1 and all(x["status"] == "confirmed" for x in confirmed["items"])
    assert confirmed["total"] < everything["total"]
    # county
    home = items(c, "/api/v1/contracts", county=HOME_COUNTY)["items"]
    assert home and all(x["county_code"] == HOME_COUNTY for x in home)
    # date range on the signing date (the demo signs on 2019-07-01)
    day = everything["items"][0]["signed_on"]
    assert items(c, "/api/v1/contracts", **{"from": day, "to": day})["total"] == everything["total"]
    assert items(c, "/api/v1/contracts", **{"from": "2019-07-02"})["total"] == 0
    assert items(c, "/api/v1/contracts", to="2019-06-30")["total"] == 0
    # filters combine
    assert items(c, "/api/v1/contracts", q="KM-DEMO", county=HOME_COUNTY)["total"] == 0


def test_vouchers_filter_by_code_company_status_county_and_date(sessions):
    c = sessions["city_finance"]
    everything = items(c, "/api/v1/vouchers")
    assert everything["total"] >= 2
    v = everything["items"][0]
    one = items(c, "/api/v1/vouchers", q=v["code"])["items"]
    assert [x["code"] for x in one] == [v["code"]]
    by_company = items(c, "/api/v1/vouchers", q=v["enterprise_name"][:4])["items"]
    assert by_company and all(x["enterprise_name"].startswith(v["enterprise_name"][:4])
                              for x in by_company)
    by_uscc = items(c, "/api/v1/vouchers", q="91370811MA3C01006A")["items"]
    assert [x["enterprise_name"] for x in by_uscc] == ["济宁示范制造有限公司"]
    issued = items(c, "/api/v1/vouchers", status="issued")["items"]
    assert issued and all(x["status"] == "issued" for x in issued)
    assert len(issued) < everything["total"]
    other = items(c, "/api/v1/vouchers", county=OTHER_COUNTY)["items"]
    assert other and all(x["county_code"] == OTHER_COUNTY for x in other)
    # issued at 09:00 China time on 2019-07-01 (01:00 UTC)
    assert items(c, "/api/v1/vouchers", **{"from": "2019-07-01", "to": "2019-07-01"})["total"] == \
        everything["total"]
    assert items(c, "/api/v1/vouchers", **{"from": "2019-07-02"})["total"] == 0
    assert items(c, "/api/v1/vouchers", to="2019-06-30")["total"] == 0


def test_enterprises_and_providers_filter(sessions):
    c = sessions["city_finance"]
    everything = items(c, "/api/v1/enterprises")
    home = items(c, "/api/v1/enterprises", county=HOME_COUNTY)["items"]
    assert home and all(x["county_code"] == HOME_COUNTY for x in home)
    assert len(home) < everything["total"]
    by_name = items(c, "/api/v1/enterprises", q="精工机械")["items"]
    assert [x["name"] for x in by_name] == ["兖州精工机械有限公司"]
    by_uscc = items(c, "/api/v1/enterprises", q="MA3C01014K")["items"]
    assert [x["name"] for x in by_uscc] == ["兖州精工机械有限公司"]
    approved = items(c, "/api/v1/enterprises", status="approved")["items"]
    assert approved and all(x["status"] == "approved" for x in approved)
    assert items(c, "/api/v1/enterprises", **{"from": "2019-07-02"})["total"] == 0
    assert items(c, "/api/v1/enterprises", to="2019-07-01")["total"] == everything["total"]
    providers = items(c, "/api/v1/providers")
    one = items(c, "/api/v1/providers", q="孔孟之乡")["items"]
    assert [x["name"] for x in one] == ["孔孟之乡软件有限公司"]
    assert items(c, "/api/v1/providers", to="2019-06-30")["total"] == 0
    assert items(c, "/api/v1/providers", **{"from": "2019-07-01"})["total"] == providers["total"]


@pytest.mark.parametrize("path", ["/api/v1/contracts", "/api/v1/vouchers", "/api/v1/enterprises",
                                  "/api/v1/providers"])
@pytest.mark.parametrize("field,value", [("from", "2019-13-01"), ("to", "昨天"),
                                         ("from", "2019-7-1"), ("status", "nonsense")])
def test_bad_filter_values_are_refused_naming_the_field(sessions, path, field, value):
    r = sessions["city_finance"].get(path, params={field: value})
    assert_error(r, 422, "invalid_field", field)


def test_bad_county_and_reversed_range(sessions):
    c = sessions["city_finance"]
    assert_error(c.get("/api/v1/vouchers", params={"county": "任城区"}), 422, "invalid_field", "county")
    assert_error(c.get("/api/v1/contracts", params={"from": "2019-08-01", "to": "2019-07-01"}),
                 422, "invalid_field", "to")


def test_county_official_asking_for_another_county_gets_nothing(sessions):
    c = sessions["county_finance"]  # 任城区
    for path in ("/api/v1/contracts", "/api/v1/vouchers", "/api/v1/enterprises"):
        mine = items(c, path)
        assert mine["total"] >= 1, path
        assert all(x["county_code"] == HOME_COUNTY for x in mine["items"]), path
        assert items(c, path, county=OTHER_COUNTY)["total"] == 0, path
        assert items(c, path, county=HOME_COUNTY)["total"] == mine["total"], path


def test_global_search_finds_a_voucher_by_code_and_a_company_by_part_of_its_name(sessions):
    c = sessions["city_finance"]
    code = items(c, "/api/v1/vouchers", county=OTHER_COUNTY)["items"][0]["code"]
    r = c.get("/api/v1/search", params={"q": code})
    assert r.status_code == 200, r.text
    groups = {g["kind"]: g for g in r.json()["groups"]}
    assert [x["code"] for x in groups["voucher"]["items"]] == [code]
    assert groups["voucher"]["label"] == "云服务券"
    # a part of the code is enough
    part = c.get("/api/v1/search", params={"q": code[-8:]}).json()
    assert code in [x["code"] for g in part["groups"] if g["kind"] == "voucher" for x in g["items"]]
    # a company by part of its name, with its USCC as the code people know
    r = c.get("/api/v1/search", params={"q": "精工"}).json()
    ent = next(g for g in r["groups"] if g["kind"] == "enterprise")["items"]
    assert [(x["title"], x["code"]) for x in ent] == [("兖州精工机械有限公司", "91370812MA3C01014K")]
    # a contract by its number
    r = c.get("/api/v1/search", params={"q": "QL-DEMO-001"}).json()
    con = next(g for g in r["groups"] if g["kind"] == "contract")["items"]
    assert [x["code"] for x in con] == ["QL-DEMO-001"]
    assert all(x["id"] for g in r["groups"] for x in g["items"])


def test_global_search_keeps_to_the_callers_scope(shared_server, sessions):
    other_code = items(sessions["city_finance"], "/api/v1/vouchers",
                       county=OTHER_COUNTY)["items"][0]["code"]

    def found(role, q, kind):
        r = sessions[role].get("/api/v1/search", params={"q": q})
        assert r.status_code == 200, r.text
        return [x["title"] for g in r.json()["groups"] if g["kind"] == kind for x in g["items"]]

    # the county official of 任城区 finds nothing of 兖州区
    assert found("county_finance", other_code, "voucher") == []
    assert found("county_finance", "精工", "enterprise") == []
    assert found("county_finance", "示范制造", "enterprise") == ["济宁示范制造有限公司"]
    # an enterprise finds only its own records: not another company, not providers
    assert found("enterprise", "精工", "enterprise") == []
    assert found("enterprise", other_code, "voucher") == []
    assert found("enterprise", "齐鲁云", "provider") == []
    assert found("enterprise", "示范制造", "enterprise") == ["济宁示范制造有限公司"]
    assert found("enterprise", "YQ2019", "voucher"), "its own voucher"
    # a provider: only itself among providers
    assert found("provider", "孔孟之乡", "provider") == []
    assert found("provider", "精工", "enterprise") == []


def test_global_search_needs_two_characters_and_a_session(shared_server, sessions):
    assert_error(sessions["auditor"].get("/api/v1/search", params={"q": "济"}), 422,
                 "invalid_field", "q")
    assert_error(sessions["auditor"].get("/api/v1/search"), 422, "invalid_field", "q")
    with shared_server.client() as anon:
        r = anon.get("/api/v1/search", params={"q": "济宁"})
        assert r.status_code == 401


def test_keywords_that_are_not_utf8_are_refused(sessions):
    c = sessions["city_finance"]
    for path in ("/api/v1/search", "/api/v1/vouchers", "/api/v1/enterprises"):
        assert_error(c.get(path + "?q=%FF%FE"), 422, "invalid_field", "q")


def test_an_export_keeps_the_filters_of_the_list(sessions):
    c = sessions["city_finance"]
    code = items(c, "/api/v1/vouchers", county=OTHER_COUNTY)["items"][0]["code"]
    r = c.get("/api/v1/vouchers", params={"q": code, "format": "csv"})
    assert r.status_code == 200, r.text[:300]
    lines = [l for l in r.content.decode("utf-8-sig").split("\r\n") if l]
    assert sum(code in l for l in lines) == 1, lines
    assert not any("YQ" in l and code not in l for l in lines), lines


@pytest.mark.parametrize("field,value", [("status", "nonsense"), ("period", "2019H3"),
                                         ("county", "任城区"), ("county_code", "任城区"),
                                         ("from", "2019-13-01")])
def test_bad_redemption_filters_are_refused_naming_the_field(sessions, field, value):
    r = sessions["city_finance"].get("/api/v1/redemptions", params={field: value})
    assert_error(r, 422, "invalid_field", field)



def test_the_waitlist_filters_by_keyword_county_status_and_day(sessions):
    """Issue 11: the budget page's 候补队列 is searched by the enterprise
    (name or USCC) or the contract number, county, status (the waiting ones
    unless asked) and the day the contract was confirmed; bad values are
    refused naming the field; a county official sees its own county only."""
    c = sessions["city_finance"]
    everything = items(c, "/api/v1/waitlist")
    assert everything["total"] >= 1
    w = everything["items"][0]
    name, county, day = w["enterprise_name"], w["county_code"], w["confirmed_at"][:10]
    assert [x["id"] for x in items(c, "/api/v1/waitlist", q=name[:4])["items"]] == [w["id"]]
    assert items(c, "/api/v1/waitlist", q="没有这样的企业")["total"] == 0
    assert items(c, "/api/v1/waitlist", county=county)["total"] == everything["total"]
    other = OTHER_COUNTY if county != OTHER_COUNTY else HOME_COUNTY
    assert items(c, "/api/v1/waitlist", county=other)["total"] == 0
    assert items(c, "/api/v1/waitlist", status="waiting")["total"] == everything["total"]
    assert items(c, "/api/v1/waitlist", status="served")["total"] == 0
    assert items(c, "/api/v1/waitlist", **{"from": day, "to": day})["total"] == everything["total"]
    assert items(c, "/api/v1/waitlist", to="2000-01-01")["total"] == 0
    for field, value in (("status", "nonsense"), ("county", "邹城市"), ("from", "2019-7-1")):
        assert_error(c.get("/api/v1/waitlist", params={field: value}), 422, "invalid_field", field)
    if county != HOME_COUNTY:
        assert items(sessions["county_it"], "/api/v1/waitlist", q=name[:4])["total"] == 0


def test_the_negative_list_filters_by_keyword_status_and_day(fresh_server):
    """Issue 11: the admin's 负面清单 is searched by name or USCC, status
    (在列 active / 已移出 lifted) and the day it was listed; the public
    list takes the keyword only; bad values are refused naming the field."""
    a = fresh_server.login("admin")
    everything = items(a, "/api/v1/negative-list")
    assert everything["total"] >= 1
    e = everything["items"][0]
    day = e["added_at"][:10]
    assert [x["id"] for x in items(a, "/api/v1/negative-list", q=e["name"][:3])["items"]] == [e["id"]]
    assert [x["id"] for x in items(a, "/api/v1/negative-list", q=e["uscc"][-6:])["items"]] == [e["id"]]
    assert items(a, "/api/v1/negative-list", q="没有这样的企业")["total"] == 0
    assert items(a, "/api/v1/negative-list", **{"from": day, "to": day})["total"] == everything["total"]
    assert items(a, "/api/v1/negative-list", **{"from": "2999-01-01"})["total"] == 0
    assert items(a, "/api/v1/negative-list", status="lifted")["total"] == 0
    ok = fresh_server.login("city_it").post(f"/api/v1/negative-list/{e['id']}/lift",
                                            json={"reason": "整改完成，经复核移出"})
    assert ok.status_code == 200, ok.text[:300]
    assert [x["id"] for x in items(a, "/api/v1/negative-list", status="lifted")["items"]] == [e["id"]]
    assert e["id"] not in {x["id"] for x in items(a, "/api/v1/negative-list", status="active")["items"]}
    for field, value in (("status", "removed"), ("from", "2019-7-1"), ("q", "x" * 101)):
        assert_error(a.get("/api/v1/negative-list", params={field: value}), 422, "invalid_field", field)
    public = fresh_server.client().get("/api/v1/public/negative-list", params={"status": "lifted"})
    assert public.status_code == 200 and e["id"] not in public.text


@pytest.mark.parametrize("path,role,params", [
    ("/api/v1/counties", "county_it", {}),
    ("/api/v1/public/reference-catalog", None, {}),
    ("/api/v1/programs", "city_it", {}),
    ("/api/v1/budgets", "city_finance", {"year": 2019}),
    ("/api/v1/reports/county-progress", "city_it", {"year": 2019}),
    ("/api/v1/assessment", "city_it", {"year": 2019}),
    ("/api/v1/reports/budget", "city_finance", {"year": 2019}),
    ("/api/v1/reports/payments", "city_finance", {"period": "2019H1"}),
])
def test_short_lists_read_whole_also_take_page_and_page_size(server, sessions, path, role, params):
    """SPEC §13: lists take page and page_size (at most 200). These short
    lists come whole when neither is given (as the pages read them), and a
    page of them when asked."""
    c = sessions[role] if role else server.client()
    whole = c.get(path, params=params).json()
    n = whole["total"]
    assert n == len(whole["items"]) >= 2
    first = c.get(path, params={**params, "page_size": 1}).json()
    assert first == {**whole, "items": whole["items"][:1]}
    last = c.get(path, params={**params, "page": n, "page_size": 1}).json()
    assert last["items"] == whole["items"][-1:] and last["total"] == n
    assert c.get(path, params={**params, "page": n + 1, "page_size": 1}).json()["items"] == []
    assert_error(c.get(path, params={**params, "page_size": 201}), 422, "invalid_field", "page_size")
    assert_error(c.get(path, params={**params, "page": 0}), 422, "invalid_field", "page")
    assert c.get(path, params={**params, "page_size": 200}).json() == whole


def test_accounts_filter_by_role_county_and_state(shared_server, sessions):
    admin = sessions["admin"]
    every = all_pages(admin, "/api/v1/users")
    # a locked account of another county, and an evaluator of it who also works for ours
    locked = new_official(admin, "filters_locked_it", county=OTHER_COUNTY)
    assert admin.post(f"/api/v1/users/{locked['id']}/lock", json={"locked": True}).status_code == 200
    helper = new_official(admin, "filters_eval", role="evaluator", county=OTHER_COUNTY)
    r = admin.post(f"/api/v1/users/{helper['id']}/counties", json={"county_codes": [HOME_COUNTY]})
    assert r.status_code == 200, r.text
    finance = all_pages(admin, "/api/v1/users", role="county_finance")
    assert finance and {u["role"] for u in finance} == {"county_finance"}
    assert "county_finance" in {u["username"] for u in finance}
    assert len(finance) < len(every) + 2
    locked_only = all_pages(admin, "/api/v1/users", status="locked")
    assert "filters_locked_it" in {u["username"] for u in locked_only}
    assert all(u["locked"] for u in locked_only)
    active = all_pages(admin, "/api/v1/users", status="active")
    assert not any(u["locked"] for u in active)
    assert len(active) + len(locked_only) == len(every) + 2
    home = all_pages(admin, "/api/v1/users", county=HOME_COUNTY)
    names = {u["username"] for u in home}
    assert {"county_it", "county_finance", "filters_eval"} <= names
    assert "filters_locked_it" not in names and "admin" not in names
    assert all(u["county_code"] == HOME_COUNTY or HOME_COUNTY in u.get("counties", []) for u in home)
    # filters combine, with the keyword too
    assert [u["username"] for u in all_pages(admin, "/api/v1/users", role="evaluator",
                                              county=OTHER_COUNTY, q="filters")] == ["filters_eval"]
    assert all_pages(admin, "/api/v1/users", role="county_it", county=OTHER_COUNTY,
                     status="active", q="filters") == []
    # a county official stays in its county whatever it asks: of the other county's
    # accounts it sees only its own evaluator who also works there
    theirs = all_pages(sessions["county_it"], "/api/v1/users", county=OTHER_COUNTY)
    assert {u["county_code"] for u in theirs} <= {HOME_COUNTY}
    assert {u["role"] for u in theirs} <= {"evaluator"}
    assert all(OTHER_COUNTY in u["counties"] for u in theirs)
    for field, value in (("role", "boss"), ("status", "frozen"), ("county", "任城区")):
        assert_error(admin.get("/api/v1/users", params={field: value}), 422, "invalid_field", field)


def test_the_audit_log_finds_a_records_entries_by_its_business_code(sessions):
    aud = sessions["auditor"]
    contract = items(aud, "/api/v1/contracts", q="QL-DEMO-001")["items"][0]
    by_no = all_pages(aud, "/api/v1/audit", q="QL-DEMO-001")
    assert by_no and {e["entity"] for e in by_no} <= {"contract", "waitlist"}
    assert "contract" in {e["entity"] for e in by_no}
    assert all(e["entity_code"] == "QL-DEMO-001" for e in by_no if e["entity"] == "contract")
    by_id = all_pages(aud, "/api/v1/audit", entity="contract", entity_id=contract["id"])
    assert [e["seq"] for e in by_no if e["entity"] == "contract"] == [e["seq"] for e in by_id]
    assert [e["seq"] for e in all_pages(aud, "/api/v1/audit", q=contract["id"])] == \
        [e["seq"] for e in by_id]
    code = items(aud, "/api/v1/vouchers")["items"][0]["code"]
    by_code = all_pages(aud, "/api/v1/audit", q=code)
    assert by_code and all(e["entity_code"] == code for e in by_code if e["entity"] == "voucher")
    assert "voucher" in {e["entity"] for e in by_code}
    by_uscc = all_pages(aud, "/api/v1/audit", q="91370811MA3C01006A")
    assert by_uscc and {e["entity"] for e in by_uscc} == {"enterprise"}
    by_account = all_pages(aud, "/api/v1/audit", q="county_it", entity="user")
    assert by_account and all(e["entity_code"] == "county_it" for e in by_account)
    assert all_pages(aud, "/api/v1/audit", q="QL-DEMO") == []  # a code, not a part of one
    assert_error(aud.get("/api/v1/audit", params={"q": "码" * 40}), 422, "invalid_field", "q")
