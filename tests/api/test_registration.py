"""Issue 3: enterprises and providers sign themselves up, fill in their
profile, submit it, and the county (enterprises) or the city (providers)
reviews it; programs and their versioned parameters."""
import pytest
import requests

from conftest import HOME_COUNTY, OTHER_COUNTY, all_pages, assert_error, audit_total, iso
from flows import (enterprise_profile, make_uscc, new_enterprise, new_provider, ok,
                   provider_profile, signup)


def queue(client, **params):
    return all_pages(client, "/api/v1/enterprises", **params)


# -- sign-up --------------------------------------------------------------------

def test_enterprise_signs_up_in_lower_case_and_is_signed_in(server):
    uscc = make_uscc("370811")
    c, r = signup(server, "enterprise", uscc=uscc.lower(), name="济宁小写代码测试有限公司")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["user"]["role"] == "enterprise"
    e = body["enterprise"]
    assert e["uscc"] == uscc, "the USCC is stored in upper case"
    assert e["status"] == "draft" and e["status_name"] == "草稿"
    assert e["county_code"] == HOME_COUNTY and e["name"] == "济宁小写代码测试有限公司"
    assert c.cookies.get("yq_session") and c.cookies.get("yq_csrf")
    me = ok(c.get("/api/v1/auth/me"))
    assert me["user"]["username"] == body["user"]["username"]
    # the answer names the county as /auth/me does (the web shell shows it)
    assert body["user"]["county_name"] == me["user"]["county_name"] == "任城区"
    mine = ok(c.get("/api/v1/enterprises/mine"))
    assert mine["id"] == e["id"] and mine["uscc"] == uscc
    # with spaces around and in lower case: the same code, so it is taken
    _, again = signup(server, "enterprise", uscc=f"  {uscc.lower()} ")
    assert_error(again, 409, "uscc_registered", "uscc")


def test_provider_signs_up_without_a_county(server):
    c, r = signup(server, "provider", county=None, name="济宁测试云服务有限公司")
    assert r.status_code == 201, r.text
    p = r.json()["provider"]
    assert p["status"] == "draft" and p["name"] == "济宁测试云服务有限公司"
    assert r.json()["user"]["role"] == "provider"
    assert ok(c.get("/api/v1/providers/mine"))["id"] == p["id"]


@pytest.mark.parametrize("change, field, code", [
    ({"uscc": "91370811MA3C01006B"}, "uscc", "invalid_uscc"),          # wrong check character
    ({"uscc": "91370811MA3C01007A"}, "uscc", "invalid_uscc"),          # wrong organisation digit
    ({"uscc": "91370811MA3C0100"}, "uscc", "invalid_uscc"),            # too short
    ({"uscc": "91370811MA3C0I006A"}, "uscc", "invalid_uscc"),          # I is not used
    ({"role": "auditor"}, "role", "invalid_field"),
    ({"county_code": None}, "county_code", "missing_field"),
    ({"county_code": "110101"}, "county_code", "invalid_field"),
    ({"name": ""}, "name", None),
])
def test_signup_refuses_bad_input_by_field(server, change, field, code):
    body = {"role": "enterprise", "username": f"bad{abs(hash(str(change))) % 10**8}",
            "password": "Signup-Passw0rd-2019", "uscc": make_uscc("370811"),
            "name": "坏数据测试有限公司", "county_code": HOME_COUNTY, "consent": True}
    for k, v in change.items():
        if v is None:
            body.pop(k)
        else:
            body[k] = v
    r = requests.post(server.url("/api/v1/auth/signup"), json=body, timeout=60)
    err = assert_error(r, 422, code, field)
    assert "yq_session" not in r.cookies
    # nothing was made: the username is still free
    assert not server.sql("SELECT 1 FROM users WHERE username = ?", body["username"]), err


def test_duplicate_uscc_is_refused_for_either_role(server):
    demo_uscc = server.sql("SELECT uscc FROM enterprises WHERE name = '济宁示范制造有限公司'")[0][0]
    _, r = signup(server, "enterprise", uscc=demo_uscc)
    assert_error(r, 409, "uscc_registered", "uscc")
    _, r = signup(server, "provider", uscc=demo_uscc.lower(), county=None)
    assert_error(r, 409, "uscc_registered", "uscc")
    provider_uscc = server.sql("SELECT uscc FROM providers WHERE name = '齐鲁云计算服务有限公司'")[0][0]
    _, r = signup(server, "enterprise", uscc=provider_uscc)
    assert_error(r, 409, "uscc_registered", "uscc")
    # changing one's own code to a taken one is refused as well
    c, r = signup(server, "enterprise")
    assert r.status_code == 201
    r = c.patch(f"/api/v1/enterprises/{c.party['id']}", json={"uscc": demo_uscc})
    assert_error(r, 409, "uscc_registered", "uscc")


def test_negative_listed_uscc_cannot_sign_up(server, sessions):
    listed = ok(requests.get(server.url("/api/v1/public/negative-list"), timeout=60))["items"]
    weishan = next(i for i in listed if i["name"] == "微山湖生态农业有限公司")
    _, r = signup(server, "enterprise", uscc=weishan["uscc"], county="370826")
    assert_error(r, 403, "negative_list", "uscc")
    # a code listed before anyone registered it cannot register either
    fresh = make_uscc("370812")
    ok(sessions["city_it"].post("/api/v1/negative-list", json={
        "uscc": fresh.lower(), "reason": "提供虚假材料", "evidence": "专项检查记录 JN-TEST-001"}), 201)
    for role in ("enterprise", "provider"):
        _, r = signup(server, role, uscc=fresh, county=OTHER_COUNTY if role == "enterprise" else None)
        assert_error(r, 403, "negative_list", "uscc")


# -- profile ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def draft_enterprise(shared_server):
    """One enterprise with a full profile, still a draft (edits it refuses
    change nothing, so the cases below can share it)."""
    c, r = signup(shared_server, "enterprise")
    assert r.status_code == 201, r.text
    ok(c.patch(f"/api/v1/enterprises/{c.party['id']}", json=enterprise_profile()))
    return c


@pytest.fixture(scope="module")
def draft_provider(shared_server):
    c, r = signup(shared_server, "provider", county=None)
    assert r.status_code == 201, r.text
    return c


@pytest.mark.parametrize("change, field", [
    ({"phone": "1234"}, "phone"),
    ({"phone": "12905370001"}, "phone"),
    ({"email": "not-an-email"}, "email"),
    ({"industry": "Z"}, "industry"),
    ({"employees": -1}, "employees"),
    ({"employees": "many"}, "employees"),
    ({"independent_legal_person": "yes"}, "independent_legal_person"),
    ({"priority_flags": ["famous"]}, "priority_flags"),
    ({"county_code": "999999"}, "county_code"),
    ({"legal_rep": "x" * 200}, "legal_rep"),
    ({"certificate": {"no": "C-1", "issuer": "认证中心", "valid_from": "2019-01-01",
                      "valid_until": "2018-12-31"}}, "certificate.valid_until"),
    ({"certificate": {"no": "C-1", "issuer": "认证中心", "valid_from": "2019-13-01",
                      "valid_until": "2020-01-01"}}, "certificate.valid_from"),
    ({"favourite_colour": "红"}, "favourite_colour"),
])
def test_profile_edit_names_the_bad_field_and_changes_nothing(server, draft_enterprise, change,
                                                             field):
    c = draft_enterprise
    eid = c.party["id"]
    before = ok(c.get(f"/api/v1/enterprises/{eid}"))
    r = c.patch(f"/api/v1/enterprises/{eid}", json={"address": "改了的地址", **change})
    assert_error(r, 422, None, field)
    after = ok(c.get(f"/api/v1/enterprises/{eid}"))
    assert after == before, "a refused edit changes nothing, not even the fields that were fine"


def test_profile_edit_saves_every_field(server):
    c, _ = signup(server, "enterprise")
    eid = c.party["id"]
    p = enterprise_profile(certificate={"no": "AIITRE-TEST-1", "issuer": "中国信息化推进联盟认证中心",
                                        "valid_from": "2019-01-01", "valid_until": "2021-12-31"},
                           priority_flags=["tech", "specialized"], employees=321)
    e = ok(c.patch(f"/api/v1/enterprises/{eid}", json=p))
    for k in ("legal_rep", "address", "phone", "email", "industry", "employees", "priority_flags",
              "key_industry_tags", "certificate"):
        assert e[k] == p[k], k
    assert e["independent_legal_person"] is True
    assert ok(c.get("/api/v1/enterprises/mine")) == e
    # an empty change is refused
    assert_error(c.patch(f"/api/v1/enterprises/{eid}", json={}), 422, "empty_change")
    # another enterprise cannot edit it (and does not learn that it exists)
    other, _ = signup(server, "enterprise")
    assert_error(other.patch(f"/api/v1/enterprises/{eid}", json={"address": "x"}), 404, "not_found")


def test_submit_needs_a_complete_profile_and_freezes_it(server):
    c, _ = signup(server, "enterprise")
    eid = c.party["id"]
    assert_error(c.post(f"/api/v1/enterprises/{eid}/submit"), 422, "incomplete", "legal_rep")
    ok(c.patch(f"/api/v1/enterprises/{eid}", json=enterprise_profile(independent_legal_person=False)))
    assert_error(c.post(f"/api/v1/enterprises/{eid}/submit"), 422,
                 "not_independent_legal_person", "independent_legal_person")
    ok(c.patch(f"/api/v1/enterprises/{eid}", json={"independent_legal_person": True}))
    e = ok(c.post(f"/api/v1/enterprises/{eid}/submit"))
    assert e["status"] == "submitted" and e["submitted_at"] == iso(server.now)
    assert_error(c.patch(f"/api/v1/enterprises/{eid}", json={"address": "审核中改地址"}), 409,
                 "not_editable")
    assert_error(c.post(f"/api/v1/enterprises/{eid}/submit"), 409, "invalid_state")


# -- county review ------------------------------------------------------------------

def test_queue_filters_with_a_fixed_vocabulary_refuse_unknown_values(server, sessions):
    """industry (GB/T 4754 A–T), flag (the five priority classes) and a
    provider's kind take known values; anything else is a 422 naming the
    filter, like status, instead of an empty list that reads as "none"."""
    county_it, city_it = sessions["county_it"], sessions["city_it"]
    e = new_enterprise(server, state="submitted", name="任城区筛选词表测试有限公司",
                       profile=enterprise_profile(industry="I", priority_flags=["pilot"]))
    assert e.party["id"] in {x["id"] for x in queue(county_it, industry="I", flag="pilot")}
    for params, field in (({"industry": "ZZ"}, "industry"), ({"industry": "U"}, "industry"),
                          ({"flag": "bogus"}, "flag")):
        assert_error(county_it.get("/api/v1/enterprises", params=params), 422, "invalid_field",
                     field)
    ok(city_it.get("/api/v1/providers", params={"kind": "platform"}))
    assert_error(city_it.get("/api/v1/providers", params={"kind": "bank"}), 422, "invalid_field",
                 "kind")


def test_review_queue_filters_by_status_warnings_and_search(server, sessions):
    county_it = sessions["county_it"]
    a = new_enterprise(server, state="submitted", name="任城区队列测试甲有限公司")
    shared_phone = a.party["phone"]
    # b shares a's phone: a reviewer warning for both
    b = new_enterprise(server, state="submitted", name="任城区队列测试乙有限公司",
                       profile=enterprise_profile(phone=shared_phone))
    # c registered outside the city (division 350100): a warning, not a refusal
    c = new_enterprise(server, state="submitted", name="外地登记队列测试有限公司",
                       uscc=make_uscc("350100"))
    d = new_enterprise(server, state="draft", name="任城区队列测试草稿有限公司")
    submitted = queue(county_it, status="submitted")
    ids = {e["id"] for e in submitted}
    assert {a.party["id"], b.party["id"], c.party["id"]} <= ids
    assert d.party["id"] not in ids
    assert all(e["status"] == "submitted" and e["county_code"] == HOME_COUNTY for e in submitted)
    assert "嘉祥石雕艺术有限公司" not in {e["name"] for e in submitted}, "another county's"
    # oldest submission first
    times = [e["submitted_at"] for e in submitted]
    assert times == sorted(times)

    warned = {e["id"] for e in queue(county_it, status="submitted", warnings="true")}
    assert {a.party["id"], b.party["id"], c.party["id"]} <= warned
    demo = {e["name"]: e["id"] for e in submitted}
    assert demo["任城区鲁源食品有限公司"] in warned  # registered in 350100, shares a phone
    assert demo["任城区云帆物流有限公司"] not in warned  # nothing to warn about
    assert len(queue(county_it, warnings="false")) == len(queue(county_it))

    detail = ok(county_it.get(f"/api/v1/enterprises/{c.party['id']}"))
    assert [w["code"] for w in detail["warnings"]] == ["division_outside_city"]
    detail = ok(county_it.get(f"/api/v1/enterprises/{a.party['id']}"))
    shared = [w for w in detail["warnings"] if w["code"] == "shared_phone"]
    assert shared and shared[0]["other_id"] == b.party["id"]
    # the enterprise itself does not see reviewer warnings
    assert "warnings" not in ok(a.get(f"/api/v1/enterprises/{a.party['id']}"))

    by_name = queue(county_it, q="队列测试乙")
    assert [e["id"] for e in by_name] == [b.party["id"]]
    by_uscc = queue(county_it, q=c.party["uscc"][-8:].lower())
    assert [e["id"] for e in by_uscc] == [c.party["id"]]
    # % and _ are plain characters, not wildcards
    assert queue(county_it, q="%") == [] and queue(county_it, q="_") == []
    assert queue(county_it, q="没有这样的企业名") == []
    assert_error(county_it.get("/api/v1/enterprises", params={"warnings": "maybe"}), 422,
                 "invalid_field", "warnings")


def test_reject_with_reason_then_resubmit_then_approve(server, sessions):
    county_it = sessions["county_it"]
    e = new_enterprise(server, state="submitted")
    eid = e.party["id"]
    assert_error(county_it.post(f"/api/v1/enterprises/{eid}/reject", json={}), 422,
                 "missing_field", "reason")
    assert_error(county_it.post(f"/api/v1/enterprises/{eid}/reject", json={"reason": ""}), 422,
                 None, "reason")
    r = ok(county_it.post(f"/api/v1/enterprises/{eid}/reject",
                          json={"reason": "营业执照复印件不清晰"}))
    assert r["status"] == "rejected" and r["reject_reason"] == "营业执照复印件不清晰"
    assert r["reviewed_by"] == "county_it"
    mine = ok(e.get("/api/v1/enterprises/mine"))
    assert mine["status"] == "rejected" and mine["reject_reason"] == "营业执照复印件不清晰"
    # a rejected record may be corrected and submitted again
    ok(e.patch(f"/api/v1/enterprises/{eid}", json={"address": "济宁市更正后的地址 9 号"}))
    again = ok(e.post(f"/api/v1/enterprises/{eid}/submit"))
    # SPEC §3: rejected (with reason) → resubmitted, awaiting review like a submission
    assert again["status"] == "resubmitted" and again["reject_reason"] is None
    assert again["status_name"] == "重新提交"
    assert eid in {x["id"] for x in queue(county_it, status="resubmitted")}
    assert eid in {x["id"] for x in queue(county_it, status="submitted")}  # 待审核: both
    assert eid not in {x["id"] for x in queue(county_it, status="rejected")}
    assert ok(county_it.get("/api/v1/work/pending"))["enterprises_to_review"] == \
        len(queue(county_it, status="submitted"))
    approved = ok(county_it.post(f"/api/v1/enterprises/{eid}/approve"))
    assert approved["status"] == "approved" and approved["reviewed_at"] == iso(server.now)
    # approved: the profile is frozen, nothing more to review
    assert_error(e.patch(f"/api/v1/enterprises/{eid}", json={"address": "通过后改地址"}), 409,
                 "not_editable")
    assert_error(e.post(f"/api/v1/enterprises/{eid}/submit"), 409, "invalid_state")
    assert_error(county_it.post(f"/api/v1/enterprises/{eid}/approve"), 409, "invalid_state")
    assert_error(county_it.post(f"/api/v1/enterprises/{eid}/reject", json={"reason": "再退回"}),
                 409, "invalid_state")
    # every step is in the audit log
    items = all_pages(sessions["auditor"], "/api/v1/audit", entity="enterprise")
    actions = [i["action"] for i in items if i["entity_id"] == eid]
    assert actions[::-1] == ["signup", "edit", "submit", "reject", "edit", "submit", "approve"]


def test_batch_approve_takes_each_item_on_its_own(server, sessions):
    county_it = sessions["county_it"]
    good = [new_enterprise(server, state="submitted") for _ in range(2)]
    draft = new_enterprise(server, state="draft")
    jiaxiang = server.sql("SELECT id FROM enterprises WHERE name = '嘉祥石雕艺术有限公司'")[0][0]
    made_up = "01ZZZZZZZZZZZZZZZZZZZZZZZZ"
    ids = [good[0].party["id"], made_up, draft.party["id"], jiaxiang, good[1].party["id"], 42]
    r = ok(county_it.post("/api/v1/enterprises/batch-approve", json={"ids": ids}))
    assert r["approved"] == [good[0].party["id"], good[1].party["id"]]
    failed = {str(f["id"]): f for f in r["failed"]}
    assert set(failed) == {made_up, draft.party["id"], jiaxiang, "42"}
    assert failed[made_up]["code"] == "not_found"
    assert failed[jiaxiang]["code"] == "not_found", "another county's enterprise is not found"
    assert failed[draft.party["id"]]["code"] == "invalid_state"
    assert all(f["message"] for f in r["failed"])
    for g in good:
        assert ok(g.get("/api/v1/enterprises/mine"))["status"] == "approved"
    assert ok(draft.get("/api/v1/enterprises/mine"))["status"] == "draft"
    assert server.sql("SELECT status FROM enterprises WHERE id = ?", jiaxiang)[0][0] == "submitted"
    for bad in ({"ids": []}, {"ids": "abc"}, {"ids": ["x"] * 501}, {}):
        assert_error(county_it.post("/api/v1/enterprises/batch-approve", json=bad), 422, None, "ids")


def test_only_county_it_reviews_enterprises(server, sessions):
    e = new_enterprise(server, state="submitted")
    eid = e.party["id"]
    for role in ("enterprise", "provider", "county_finance", "evaluator", "city_it",
                 "city_finance", "auditor", "admin"):
        c = sessions[role]
        assert_error(c.post(f"/api/v1/enterprises/{eid}/approve"), 403, "forbidden")
        assert_error(c.post(f"/api/v1/enterprises/{eid}/reject", json={"reason": "x"}), 403,
                     "forbidden")
        assert_error(c.post("/api/v1/enterprises/batch-approve", json={"ids": [eid]}), 403,
                     "forbidden")
    assert_error(e.post(f"/api/v1/enterprises/{eid}/approve"), 403, "forbidden")
    assert_error(sessions["provider"].get("/api/v1/enterprises"), 403, "forbidden")
    assert ok(e.get("/api/v1/enterprises/mine"))["status"] == "submitted"


def test_county_official_gets_404_for_another_countys_enterprise(server, sessions):
    other_it = server.login("county_it_370812")
    yz = new_enterprise(server, county=OTHER_COUNTY, state="submitted")
    eid = yz.party["id"]
    county_it = sessions["county_it"]
    err = assert_error(county_it.get(f"/api/v1/enterprises/{eid}"), 404, "not_found")
    assert county_it.get("/api/v1/enterprises/01ZZZZZZZZZZZZZZZZZZZZZZZZ").json()["error"] == err
    assert_error(county_it.post(f"/api/v1/enterprises/{eid}/approve"), 404, "not_found")
    assert_error(county_it.post(f"/api/v1/enterprises/{eid}/reject", json={"reason": "x"}), 404,
                 "not_found")
    assert eid not in {x["id"] for x in queue(county_it)}
    assert queue(county_it, q=yz.party["uscc"]) == []
    # the county's own official approves it
    assert eid in {x["id"] for x in queue(other_it, status="submitted")}
    assert ok(other_it.post(f"/api/v1/enterprises/{eid}/approve"))["status"] == "approved"
    # the city sees every county
    assert ok(sessions["city_it"].get(f"/api/v1/enterprises/{eid}"))["status"] == "approved"


# -- providers: reviewed by the city ----------------------------------------------------

def test_city_it_reviews_providers(server, sessions):
    p = new_provider(server, state="submitted")
    pid = p.party["id"]
    for role in ("county_it", "provider", "admin", "city_finance"):
        assert_error(sessions[role].post(f"/api/v1/providers/{pid}/approve"), 403, "forbidden")
    city_it = sessions["city_it"]
    pending = all_pages(city_it, "/api/v1/providers", status="submitted")
    assert pid in {x["id"] for x in pending}
    r = ok(city_it.post(f"/api/v1/providers/{pid}/reject", json={"reason": "缺少可信云服务认证证书"}))
    assert r["status"] == "rejected" and r["reject_reason"] == "缺少可信云服务认证证书"
    assert pid not in {x["id"] for x in ok(requests.get(server.url("/api/v1/public/providers"),
                                                        params={"page_size": 200}, timeout=60))["items"]}
    ok(p.patch(f"/api/v1/providers/{pid}", json={"qualifications": "ISO 27001；可信云服务认证（已补）"}))
    assert ok(p.post(f"/api/v1/providers/{pid}/submit"))["status"] == "submitted"
    assert ok(city_it.post(f"/api/v1/providers/{pid}/approve"))["status"] == "approved"
    public = ok(requests.get(server.url("/api/v1/public/providers"), params={"page_size": 200},
                             timeout=60))["items"]
    assert pid in {x["id"] for x in public}
    assert_error(p.patch(f"/api/v1/providers/{pid}", json={"address": "新地址"}), 409, "not_editable")


@pytest.mark.parametrize("change, field", [
    ({"kind": "cloud"}, "kind"),
    ({"bank_account": "12-34"}, "bank_account"),
    ({"bank_account": "1234567"}, "bank_account"),
    ({"phone": "010-1234567"}, "phone"),
    ({"industry": "C"}, "industry"),  # an enterprise field
])
def test_provider_profile_names_the_bad_field(server, draft_provider, change, field):
    p = draft_provider
    assert_error(p.patch(f"/api/v1/providers/{p.party['id']}", json={**provider_profile(), **change}),
                 422, None, field)
    assert ok(p.get("/api/v1/providers/mine"))["kind"] is None


def test_provider_must_complete_its_profile_before_submitting(server):
    p, _ = signup(server, "provider", county=None)
    pid = p.party["id"]
    assert_error(p.post(f"/api/v1/providers/{pid}/submit"), 422, "incomplete", "kind")
    partial = {k: v for k, v in provider_profile().items() if k != "bank_account"}
    ok(p.patch(f"/api/v1/providers/{pid}", json=partial))
    assert_error(p.post(f"/api/v1/providers/{pid}/submit"), 422, "incomplete", "bank_account")


# -- programs -------------------------------------------------------------------------

def test_programs_are_listed_with_their_parameters(server, sessions):
    body = ok(sessions["enterprise"].get("/api/v1/programs"))
    by_id = {p["id"]: p for p in body["items"]}
    assert {"jining-2018", "demo-2019"} <= set(by_id)
    seed = by_id["jining-2018"]
    assert seed["doc_no"] == "济经信字〔2018〕11号"
    params = seed["parameters"]
    assert params["ratio_bp"] == 3000 and params["taper_bp_per_year"] == 500
    assert params["cap_fen"] == 5_000_000 and params["cert_bonus_bp"] == 2000
    assert params["window_starts_on"] == "2018-01-23" and params["window_ends_on"] == "2020-12-31"
    demo = by_id["demo-2019"]["parameters"]
    assert demo["window_starts_on"] == "2019-01-01"
    one = ok(sessions["county_it"].get("/api/v1/programs/jining-2018"))
    assert one["parameters"] == params and one["history"][-1]["version"] == 1
    assert_error(sessions["county_it"].get("/api/v1/programs/no-such-program"), 404, "not_found")
    assert requests.get(server.url("/api/v1/programs"), timeout=60).status_code == 401


@pytest.mark.parametrize("date, ratio", [
    ("2018-01-23", 3000), ("2018-06-01", 3000), ("2018-12-31", 3000),
    ("2019-01-01", 2500), ("2019-06-01", 2500), ("2020-06-01", 2000), ("2020-12-31", 2000),
])
def test_ratio_tapers_five_points_a_year(server, sessions, date, ratio):
    r = ok(sessions["enterprise"].get("/api/v1/programs/jining-2018/ratio", params={"date": date}))
    assert r["ratio_bp"] == ratio and r["date"] == date and r["year"] == int(date[:4])
    assert r["source"]


@pytest.mark.parametrize("date, code", [
    ("2018-01-22", "outside_program"), ("2021-01-01", "outside_program"),
    ("2019-02-30", "invalid_field"), ("20190601", "invalid_field"), ("", "invalid_field"),
])
def test_ratio_outside_the_window_or_a_bad_date_is_422(server, sessions, date, code):
    assert_error(sessions["enterprise"].get("/api/v1/programs/jining-2018/ratio",
                                            params={"date": date}), 422, code, "date")


def test_changing_parameters_makes_a_new_version_with_who_when_why(server, sessions):
    city_it, auditor = sessions["city_it"], sessions["auditor"]
    before = ok(city_it.get("/api/v1/programs/demo-2019"))
    n = before["version"]
    audits = audit_total(auditor)
    r = ok(city_it.patch("/api/v1/programs/demo-2019/parameters", json={
        "parameters": {"cap_fen": 6_000_000, "partial_last": True},
        "reason": "市经信委第 3 次主任办公会决定提高补助上限"}))
    assert r["version"] == n + 1
    assert r["parameters"]["cap_fen"] == 6_000_000 and r["parameters"]["partial_last"] is True
    # the other parameters are carried over
    for k, v in before["parameters"].items():
        if k not in ("cap_fen", "partial_last"):
            assert r["parameters"][k] == v, k
    newest, previous = r["history"][0], r["history"][1]
    assert newest["version"] == n + 1 and newest["changed_by"] == "city_it"
    assert newest["changed_at"] == iso(server.now)
    assert newest["reason"] == "市经信委第 3 次主任办公会决定提高补助上限"
    assert previous["version"] == n and previous["parameters"] == before["parameters"]
    assert ok(city_it.get("/api/v1/programs/demo-2019"))["version"] == n + 1
    assert audit_total(auditor) == audits + 1
    entry = ok(auditor.get("/api/v1/audit", params={"entity": "program", "page_size": 1}))["items"][0]
    assert entry["action"] == "update_parameters" and entry["entity_id"] == "demo-2019"
    assert entry["actor_username"] == "city_it"
    assert entry["before"]["parameters"]["cap_fen"] == before["parameters"]["cap_fen"]
    assert entry["after"]["parameters"]["cap_fen"] == 6_000_000


def test_only_city_it_changes_parameters(server, sessions):
    body = {"parameters": {"cap_fen": 7_000_000}, "reason": "越权尝试"}
    version = ok(sessions["city_it"].get("/api/v1/programs/demo-2019"))["version"]
    for role in ("enterprise", "provider", "county_it", "county_finance", "city_finance",
                 "auditor", "admin", "evaluator"):
        assert_error(sessions[role].patch("/api/v1/programs/demo-2019/parameters", json=body),
                     403, "forbidden")
    assert ok(sessions["city_it"].get("/api/v1/programs/demo-2019"))["version"] == version


@pytest.mark.parametrize("parameters, field", [
    ({"ratio_bp": 20000}, "ratio_bp"),
    ({"ratio_bp": "30%"}, "ratio_bp"),
    ({"cap_fen": -1}, "cap_fen"),
    ({"cap_fen": 5000000.5}, "cap_fen"),
    ({"notice_working_days": 3}, "notice_working_days"),
    ({"vouchers_per_enterprise": 0}, "vouchers_per_enterprise"),
    ({"redemption_period": "monthly"}, "redemption_period"),
    ({"window_ends_on": "2018-12-31"}, "window_ends_on"),
    ({"window_starts_on": "2019-02-30"}, "window_starts_on"),
    ({"eligible_industries": ["ZZ"]}, "eligible_industries"),
    ({"year_ratios": [{"year": 2035, "ratio_bp": 1000}]}, "year_ratios"),
    ({"year_ratios": [{"year": 2019, "ratio_bp": 2500}, {"year": 2019, "ratio_bp": 2000}]},
     "year_ratios"),
    ({"bonus": 1}, "bonus"),
])
def test_bad_parameters_are_refused_by_field(server, sessions, parameters, field):
    city_it = sessions["city_it"]
    before = ok(city_it.get("/api/v1/programs/demo-2019"))
    r = city_it.patch("/api/v1/programs/demo-2019/parameters",
                      json={"parameters": parameters, "reason": "测试错误参数"})
    assert_error(r, 422, None, field)
    assert ok(city_it.get("/api/v1/programs/demo-2019")) == before


def test_parameter_change_needs_a_reason_and_a_change(server, sessions):
    city_it = sessions["city_it"]
    assert_error(city_it.patch("/api/v1/programs/demo-2019/parameters",
                               json={"parameters": {"cap_fen": 4_000_000}}), 422, None, "reason")
    current = ok(city_it.get("/api/v1/programs/demo-2019"))["parameters"]
    assert_error(city_it.patch("/api/v1/programs/demo-2019/parameters",
                               json={"parameters": {"cap_fen": current["cap_fen"]}, "reason": "无变化"}),
                 422, None, "parameters")
    assert_error(city_it.patch("/api/v1/programs/demo-2019/parameters",
                               json={"parameters": [], "reason": "类型错误"}), 422, None, "parameters")
    assert_error(city_it.patch("/api/v1/programs/nope/parameters",
                               json={"parameters": {"cap_fen": 1}, "reason": "不存在"}), 404, "not_found")
