"""Issue 4: county budgets, contracts (双方确认), vouchers issued on
confirmation (自动生成), the waitlist (先到先补), attachments, public
verification, Idempotency-Key, termination and expiry. Every test that
touches money ends with `yunquan ledger check` passing."""
import datetime as dt
import hashlib
import json
import re
import uuid

import pytest
import requests

import dbs

from conftest import (CST, HOME_COUNTY, OTHER_COUNTY, all_pages, assert_error, audit_total, iso,
                      new_official, run_cli)
from flows import (ERP, HTML_BYTES, JPEG_BYTES, PDF_BYTES, PNG_BYTES, SERVER_8C,
                   assert_audit_sound, assert_ledger_sound, budget_row, catalog_line,
                   contract_body, demo_item, draft_by_enterprise, draft_by_provider,
                   enterprise_profile, expected_amount, ledger_check, new_enterprise, new_provider,
                   ok, published_item, relogin, text_line, transfers_total,
                   with_wrong_check_char)

PROGRAM = "jining-2018"  # 2019: 25 %, cap ¥50,000, +20 % with a valid certificate
RATIO_2019 = 2500
CODE_RE = re.compile(r"^YQ2019-(\d{6})-(\d{6})-[0-9A-Y]$")
MI_B = 1024 * 1024


@pytest.fixture(autouse=True)
def books_stay_sound(request):
    """After every test: the ledger and the audit chain of the server the
    test used are sound (the fixture takes the server first, so that it is
    still there when this checks)."""
    servers = [request.getfixturevalue(n) for n in ("server", "fresh_server")
               if n in request.fixturenames]
    yield
    for s in servers:
        assert_ledger_sound(s)
        assert_audit_sound(s)


@pytest.fixture(scope="module")
def item8c(shared_server):
    return demo_item(shared_server, SERVER_8C)


@pytest.fixture(scope="module")
def officials(shared_server, sessions):
    """County officials of other counties (the demo made them with the demo password)."""
    return {"370812": shared_server.login("county_it_370812")}


def confirm(client, contract_id, **kw):
    """Confirms; the answer's record is the one the confirming party then
    reads (the service builds it from what the confirmation holds)."""
    r = client.post(f"/api/v1/contracts/{contract_id}/confirm", **kw)
    if r.status_code in (200, 201, 202):
        assert r.json()["contract"] == ok(client.get(f"/api/v1/contracts/{contract_id}")), r.text
    return r


def draft(provider, enterprise, item, qty, price, **kw):
    kw.setdefault("program_id", PROGRAM)
    return draft_by_provider(provider, enterprise.party["id"], [catalog_line(item, qty, price)], **kw)


# -- budgets -----------------------------------------------------------------------

def test_county_finance_funds_its_pool_by_source_once_per_reference(server, sessions):
    cf, city_fin = sessions["county_finance"], sessions["city_finance"]
    before = budget_row(cf, HOME_COUNTY)
    assert set(before["funded_by_source"]) == {"county", "city_award", "province_award"}
    assert before["available_fen"] == before["funded_fen"] - before["reserved_fen"] - before["posted_fen"]
    n_transfers = transfers_total(cf)
    body = {"amount_fen": 1_234_567, "source": "county", "reference": "任财预〔2019〕T1号"}
    row = ok(cf.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json=body), 201)
    assert row["county_code"] == HOME_COUNTY
    assert row["funded_fen"] == before["funded_fen"] + 1_234_567
    assert row["funded_by_source"]["county"] == before["funded_by_source"]["county"] + 1_234_567
    assert row["available_fen"] == before["available_fen"] + 1_234_567
    assert transfers_total(cf) == n_transfers + 1
    # the same reference again books nothing twice
    again = cf.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json=body)
    assert again.status_code in (200, 201), again.text
    assert budget_row(cf, HOME_COUNTY)["funded_fen"] == row["funded_fen"]
    assert transfers_total(cf) == n_transfers + 1
    # … nor with another amount: that is a mistake to be told about
    assert_error(cf.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json={**body, "amount_fen": 1}),
                 409, "reference_used", "reference")
    # the city brings awards, kept apart from county money
    r = ok(city_fin.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json={
        "amount_fen": 300_000, "source": "province_award", "reference": "鲁财企〔2019〕T7号"}), 201)
    assert r["funded_by_source"]["province_award"] == before["funded_by_source"]["province_award"] + 300_000
    assert r["funded_by_source"]["county"] == row["funded_by_source"]["county"]
    assert_error(city_fin.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json={
        "amount_fen": 1, "source": "county", "reference": "x"}), 422, None, "source")
    assert transfers_total(cf) == n_transfers + 2


def test_a_repeated_funding_is_not_logged_as_a_second_funding(server, sessions):
    """The same reference again books nothing: the audit log must not show
    the auditor a second funding that never reached the books."""
    cf, auditor = sessions["county_finance"], sessions["auditor"]
    body = {"amount_fen": 4321, "source": "county", "reference": "任财预〔2019〕审计1号"}
    ok(cf.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json=body), 201)
    again = cf.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json=body)
    assert again.status_code in (200, 201), again.text
    booked = server.sql("SELECT COUNT(*) FROM ledger_transfers WHERE reference = ?", body["reference"])
    logged = [i for i in all_pages(auditor, "/api/v1/audit", entity="budget")
              if i["action"] == "fund" and (i["after"] or {}).get("reference") == body["reference"]]
    assert booked[0][0] == 1
    assert len(logged) == 1, f"one booking, {len(logged)} 'fund' entries in the audit log"


def test_funding_refusals(server, sessions):
    cf = sessions["county_finance"]
    ok_body = {"amount_fen": 100, "source": "county", "reference": "拒绝测试"}
    assert_error(cf.post(f"/api/v1/budgets/{OTHER_COUNTY}/2019/fund", json=ok_body), 404, "not_found")
    assert_error(cf.post("/api/v1/budgets/999999/2019/fund", json=ok_body), 404, "not_found")
    for bad, field in (({"amount_fen": 0}, "amount_fen"), ({"amount_fen": "100"}, "amount_fen"),
                       ({"amount_fen": 1.5}, "amount_fen"), ({"source": "bank"}, "source"),
                       ({"reference": ""}, "reference"), ({"memo": "x"}, "memo")):
        assert_error(cf.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json={**ok_body, **bad}),
                     422, None, field)
    assert_error(cf.post(f"/api/v1/budgets/{HOME_COUNTY}/1999/fund", json=ok_body), 422, None, "year")
    for role in ("county_it", "enterprise", "provider", "city_it", "auditor", "admin"):
        assert_error(sessions[role].post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json=ok_body),
                     403, "forbidden")
    assert server.sql("SELECT COUNT(*) FROM ledger_transfers WHERE reference = '拒绝测试'")[0][0] == 0


def test_budget_overview_is_scoped(server, sessions):
    mine = ok(sessions["county_finance"].get("/api/v1/budgets", params={"year": 2019}))
    assert [r["county_code"] for r in mine["items"]] == [HOME_COUNTY]
    city = ok(sessions["city_finance"].get("/api/v1/budgets", params={"year": 2019}))
    assert len(city["items"]) == 14
    zc = next(r for r in city["items"] if r["county_code"] == "370883")
    assert zc["funded_by_source"]["county"] >= 100_000
    for r in city["items"]:
        assert r["available_fen"] == r["funded_fen"] - r["reserved_fen"] - r["posted_fen"]
        assert r["available_fen"] >= 0
    assert_error(sessions["city_finance"].get("/api/v1/budgets"), 422, None, "year")
    assert_error(sessions["enterprise"].get("/api/v1/budgets", params={"year": 2019}), 403)


# -- drafting and confirming ------------------------------------------------------------

def test_confirmation_issues_the_voucher_with_its_trace(server, sessions, item8c):
    provider, cf = sessions["provider"], sessions["county_finance"]
    e = new_enterprise(server, sessions["county_it"])
    c = draft_by_provider(provider, e.party["id"], [
        catalog_line(item8c, 7, 99_001),
        text_line("上云迁移与培训服务（不在目录内）", 1, 300_000)], program_id=PROGRAM)
    assert c["status"] == "draft" and c["drafted_by_role"] == "provider"
    assert c["total_fen"] == 7 * 99_001 + 300_000
    assert c["base_fen"] == 7 * 99_001, "only catalog lines count towards the base"
    l1, l2 = c["lines"]
    assert l1["catalog_item_id"] == item8c and l1["catalog_version"] == 1
    assert l1["amount_fen"] == 693_007 and l1["description"] == SERVER_8C
    assert l2["catalog_item_id"] is None and l2["amount_fen"] == 300_000
    assert c["voucher"] is None and c["county_code"] == HOME_COUNTY
    before = budget_row(cf, HOME_COUNTY)

    r = confirm(e, c["id"])
    assert r.status_code == 201, r.text
    body = r.json()
    amount = 693_007 * RATIO_2019 // 10000
    assert amount == 173_251
    v = body["voucher"]
    assert v["amount_fen"] == amount and v["status"] == "issued"
    assert CODE_RE.match(v["code"]) and v["code"].split("-")[1] == HOME_COUNTY
    assert body["waitlist"] is None and body["voucher_refusal"] is None
    t = v["trace"]
    assert t["base_fen"] == 693_007 and t["ratio_bp"] == RATIO_2019 and t["ratio_source"]
    assert t["cap_fen"] == 5_000_000 and t["certified"] is False and t["capped"] is False
    assert t["amount_fen"] == amount and t["issue_date"] == "2019-07-01"
    assert t["program_id"] == PROGRAM and t["program_version"] >= 1
    contract = body["contract"]
    assert contract["status"] == "confirmed" and contract["confirmed_at"] == iso(server.now)
    assert contract["confirmed_by"] == e.user["username"]
    assert contract["voucher"]["id"] == v["id"]
    # the money is reserved from the county pool
    after = budget_row(cf, HOME_COUNTY)
    assert after["reserved_fen"] == before["reserved_fen"] + amount
    assert after["available_fen"] == before["available_fen"] - amount
    assert after["vouchers"] == before["vouchers"] + 1
    # everyone concerned sees the voucher with its trace
    for who in (e, provider, sessions["county_it"], cf, sessions["city_it"], sessions["auditor"]):
        got = ok(who.get(f"/api/v1/vouchers/{v['id']}"))
        assert got["amount_fen"] == amount and got["trace"]["base_fen"] == 693_007
        assert got["remaining_fen"] == amount
    assert v["id"] in {x["id"] for x in ok(e.get("/api/v1/vouchers"))["items"]}
    assert ok(sessions["enterprise"].get("/api/v1/vouchers"))["items"] != []
    assert v["id"] not in {x["id"] for x in ok(sessions["enterprise"].get(
        "/api/v1/vouchers", params={"page_size": 200}))["items"]}
    # confirming twice does nothing more
    assert_error(confirm(e, c["id"]), 409, "invalid_state")
    assert budget_row(cf, HOME_COUNTY)["reserved_fen"] == after["reserved_fen"]


@pytest.mark.parametrize("cert, cap", [
    (None, 5_000_000),
    ({"no": "AIITRE-CAP-1", "issuer": "中国信息化推进联盟认证中心", "valid_from": "2019-01-01",
      "valid_until": "2021-12-31"}, 6_000_000),
    ({"no": "AIITRE-CAP-2", "issuer": "中国信息化推进联盟认证中心", "valid_from": "2017-01-01",
      "valid_until": "2019-06-30"}, 5_000_000),  # expired the day before the issue date
])
def test_the_cap_binds_with_its_certificate_bonus(server, sessions, item8c, cert, cap):
    e = new_enterprise(server, sessions["county_it"], profile=enterprise_profile(certificate=cert))
    c = draft(sessions["provider"], e, item8c, 1000, 100_000)
    assert c["base_fen"] == 100_000_000
    v = ok(confirm(e, c["id"]), 201)["voucher"]
    assert v["amount_fen"] == cap == expected_amount(100_000_000, RATIO_2019, 5_000_000,
                                                     2000 if cap > 5_000_000 else 0)
    t = v["trace"]
    assert t["capped"] is True and t["subsidy_fen"] == 25_000_000 and t["cap_fen"] == cap
    assert t["certified"] is (cap > 5_000_000)
    if cert and cap == 5_000_000:
        assert "有效期" in t["certificate"]


def test_only_the_other_side_confirms(server, sessions, item8c):
    provider = sessions["provider"]
    e = new_enterprise(server, sessions["county_it"])
    c = draft(provider, e, item8c, 1, 99_000)
    assert_error(confirm(provider, c["id"]), 409, "own_draft")
    # the enterprise may draft; then the provider confirms
    provider_id = ok(provider.get("/api/v1/providers/mine"))["id"]
    c2 = draft_by_enterprise(e, provider_id, [catalog_line(item8c, 2, 99_000)], program_id=PROGRAM)
    assert c2["drafted_by_role"] == "enterprise"
    assert_error(confirm(e, c2["id"]), 409, "own_draft")
    # either side may cancel a draft; a cancelled draft cannot be confirmed
    assert ok(e.post(f"/api/v1/contracts/{c2['id']}/cancel"))["status"] == "cancelled"
    assert_error(confirm(provider, c2["id"]), 409, "invalid_state")
    assert_error(e.post(f"/api/v1/contracts/{c2['id']}/cancel"), 409, "invalid_state")
    assert ok(confirm(e, c["id"]), 201)["voucher"]["amount_fen"] == 99_000 * RATIO_2019 // 10000
    assert_error(provider.post(f"/api/v1/contracts/{c['id']}/cancel"), 409, "invalid_state")


def test_a_draft_naming_another_party_as_the_drafting_side_is_refused(server, sessions, item8c):
    """The drafting side is the caller's own enterprise or provider: naming
    another one is refused (field named), not quietly replaced, and nothing
    is saved; naming one's own is accepted."""
    provider = sessions["provider"]
    provider_id = ok(provider.get("/api/v1/providers/mine"))["id"]
    e, other = (new_enterprise(server, sessions["county_it"]) for _ in range(2))
    other_provider = new_provider(server, sessions["city_it"])
    before = server.snapshot(["contracts", "contract_lines"])
    lines = [catalog_line(item8c, 1, 99_000)]
    for client, body in (
            (e, {**contract_body("provider_id", provider_id, lines), "enterprise_id": other.party["id"]}),
            (e, {**contract_body("provider_id", provider_id, lines), "enterprise_id": 7}),
            (provider, {**contract_body("enterprise_id", e.party["id"], lines),
                        "provider_id": other_provider.party["id"]})):
        own = "enterprise_id" if client is e else "provider_id"
        err = assert_error(client.post("/api/v1/contracts", json=body), 422, "invalid_field", own)
        assert "名义起草" in err["message"]
    assert server.snapshot(["contracts", "contract_lines"]) == before
    mine = {**contract_body("provider_id", provider_id, lines), "enterprise_id": e.party["id"]}
    assert ok(e.post("/api/v1/contracts", json=mine), 201)["enterprise_id"] == e.party["id"]


def test_one_voucher_per_enterprise_until_one_ends_unredeemed(server, sessions, item8c):
    provider, cf = sessions["provider"], sessions["county_finance"]
    e = new_enterprise(server, sessions["county_it"])
    c1 = draft(provider, e, item8c, 10, 99_000)
    v1 = ok(confirm(e, c1["id"]), 201)["voucher"]
    c2 = draft(provider, e, item8c, 20, 99_000)
    r = confirm(e, c2["id"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["voucher"] is None and body["waitlist"] is None
    assert body["voucher_refusal"]["code"] == "already_enjoyed" and body["voucher_refusal"]["message"]
    assert body["contract"]["status"] == "confirmed" and body["contract"]["voucher"] is None
    # the holder's contract is not fulfilled: terminated, its voucher ends, the money returns
    before = budget_row(cf, HOME_COUNTY)
    assert_error(e.post(f"/api/v1/contracts/{c1['id']}/terminate", json={}), 422, None, "reason")
    t = ok(e.post(f"/api/v1/contracts/{c1['id']}/terminate", json={"reason": "服务商未开通服务"}))
    assert t["status"] == "terminated" and t["close_reason"] == "服务商未开通服务"
    assert t["voucher"]["status"] == "terminated"
    got = ok(e.get(f"/api/v1/vouchers/{v1['id']}"))
    assert got["status"] == "terminated" and got["remaining_fen"] == 0
    after = budget_row(cf, HOME_COUNTY)
    assert after["reserved_fen"] == before["reserved_fen"] - v1["amount_fen"]
    assert after["available_fen"] == before["available_fen"] + v1["amount_fen"]
    assert_error(e.post(f"/api/v1/contracts/{c1['id']}/terminate", json={"reason": "再终止"}), 409,
                 "invalid_state")
    assert requests.get(server.url(f"/api/v1/public/vouchers/{v1['code']}"),
                        timeout=60).json()["status"] == "terminated"
    # nothing was redeemed from it, so a new contract brings a new voucher
    c3 = draft(provider, e, item8c, 3, 99_000)
    v3 = ok(confirm(e, c3["id"]), 201)["voucher"]
    assert v3["amount_fen"] == 3 * 99_000 * RATIO_2019 // 10000 and v3["code"] != v1["code"]


def test_a_party_on_the_negative_list_cannot_confirm(server, sessions, item8c):
    city_it, provider = sessions["city_it"], sessions["provider"]
    e = new_enterprise(server, sessions["county_it"])
    c = draft(provider, e, item8c, 1, 99_000)
    entry = ok(city_it.post("/api/v1/negative-list", json={
        "uscc": e.party["uscc"], "reason": "虚报员工人数", "evidence": "社保缴纳记录"}), 201)
    reserved = budget_row(sessions["county_finance"], HOME_COUNTY)["reserved_fen"]
    r = confirm(e, c["id"])
    assert_error(r, 409, "party_disqualified")
    assert r.json()["error"]["message"].startswith("企业"), r.text  # the party that is listed
    assert ok(e.get(f"/api/v1/contracts/{c['id']}"))["status"] == "draft"
    # nor can it draft
    pid = ok(provider.get("/api/v1/providers/mine"))["id"]
    assert_error(e.post("/api/v1/contracts", json=contract_body(
        "provider_id", pid, [catalog_line(item8c, 1, 99_000)], program_id=PROGRAM)), 409,
        "party_disqualified")
    # lifted, it is back under review: still no contract until approved again
    ok(city_it.post(f"/api/v1/negative-list/{entry['id']}/lift", json={"reason": "复查撤销"}))
    assert_error(confirm(e, c["id"]), 409, "party_not_approved")
    assert budget_row(sessions["county_finance"], HOME_COUNTY)["reserved_fen"] == reserved
    # a listed provider cannot take part either
    p = new_provider(server, city_it)
    item = published_item(p, city_it, list_price_fen=500_000, discount_price_fen=400_000)
    e2 = new_enterprise(server, sessions["county_it"])
    c2 = draft_by_provider(p, e2.party["id"], [catalog_line(item["id"], 1, 400_000)], program_id=PROGRAM)
    ok(city_it.post("/api/v1/negative-list", json={
        "uscc": p.party["uscc"], "reason": "虚开发票", "evidence": "税务稽查"}), 201)
    r = confirm(e2, c2["id"])
    assert_error(r, 409, "party_disqualified")
    assert r.json()["error"]["message"].startswith("云服务商"), r.text


def test_the_negative_list_itself_refuses_a_confirmation_whatever_the_party_record_says(
        server, sessions, item8c):
    """Listing disqualifies the party, and the confirmation checks both: an
    enterprise (then a provider) whose record still says approved, as a
    restore or a hand-mended record could leave it, is refused by the list
    itself, and the county's budget is untouched."""
    city_it = sessions["city_it"]
    reserved = budget_row(sessions["county_finance"], HOME_COUNTY)["reserved_fen"]
    for table, who in (("enterprises", "企业"), ("providers", "云服务商")):
        e = new_enterprise(server, sessions["county_it"])
        if table == "enterprises":
            c, party_id = draft(sessions["provider"], e, item8c, 1, 99_000), e.party["id"]
        else:  # a provider of its own: listing one ends its vouchers
            p = new_provider(server, city_it)
            item = published_item(p, city_it, list_price_fen=500_000, discount_price_fen=400_000)
            c = draft_by_provider(p, e.party["id"], [catalog_line(item["id"], 1, 400_000)],
                                  program_id=PROGRAM)
            party_id = p.party["id"]
        uscc = server.sql(f"SELECT uscc FROM {table} WHERE id = ?", party_id)[0][0]
        ok(city_it.post("/api/v1/negative-list", json={
            "uscc": uscc, "reason": "虚报材料", "evidence": "核查记录"}), 201)
        con = dbs.connect(server.db)
        try:
            con.execute(f"UPDATE {table} SET status = 'approved' WHERE id = ?", (party_id,))
            con.commit()
        finally:
            con.close()
        r = confirm(e, c["id"])
        assert_error(r, 409, "party_disqualified")
        assert r.json()["error"]["message"] == f"{who}在信用负面清单中，不能签订新合同", r.text
        assert ok(e.get(f"/api/v1/contracts/{c['id']}"))["status"] == "draft"
    assert budget_row(sessions["county_finance"], HOME_COUNTY)["reserved_fen"] == reserved


def test_listing_an_enterprise_terminates_its_issued_voucher(server, sessions, item8c):
    """SPEC §8: on the negative list, 'its issued vouchers terminated' and
    the reservation released."""
    cf = sessions["county_finance"]
    e = new_enterprise(server, sessions["county_it"])
    c = draft(sessions["provider"], e, item8c, 4, 99_000)
    v = ok(confirm(e, c["id"]), 201)["voucher"]
    before = budget_row(cf, HOME_COUNTY)
    ok(sessions["city_it"].post("/api/v1/negative-list", json={
        "uscc": e.party["uscc"], "reason": "套取补贴", "evidence": "审计报告"}), 201)
    got = ok(sessions["county_it"].get(f"/api/v1/vouchers/{v['id']}"))
    assert got["status"] == "terminated", f"voucher of a listed enterprise is still {got['status']}"
    after = budget_row(cf, HOME_COUNTY)
    assert after["available_fen"] == before["available_fen"] + v["amount_fen"]


def test_drafting_refusals_name_the_field(server, sessions, item8c):
    provider = sessions["provider"]
    e = new_enterprise(server, sessions["county_it"])
    eid = e.party["id"]
    erp = demo_item(server, ERP)
    cases = [
        (contract_body("enterprise_id", eid, [catalog_line(item8c, 1, 120_001)], program_id=PROGRAM),
         "lines[0]"),  # above the list price
        (contract_body("enterprise_id", eid, [catalog_line(erp, 1, 1000)], program_id=PROGRAM),
         "lines[0]"),  # another provider's item
        (contract_body("enterprise_id", eid, [text_line("x", 1, 1), catalog_line("nope", 1, 1)],
                       program_id=PROGRAM), "lines[1]"),
        (contract_body("enterprise_id", eid, [catalog_line(item8c, 0, 1)], program_id=PROGRAM),
         "lines[0]"),
        (contract_body("enterprise_id", eid, [], program_id=PROGRAM), "lines"),
        (contract_body("enterprise_id", eid, [catalog_line(item8c, 1, 1)], program_id="nope"),
         "program_id"),
        (contract_body("enterprise_id", eid, [catalog_line(item8c, 1, 1)], program_id=PROGRAM,
                       service_start="2019-07-01", service_end="2019-06-30"), "service_end"),
        (contract_body("enterprise_id", eid, [catalog_line(item8c, 1, 1)], program_id=PROGRAM,
                       signed_on="2019-02-30"), "signed_on"),
        (contract_body("enterprise_id", "01ZZZZZZZZZZZZZZZZZZZZZZZZ", [catalog_line(item8c, 1, 1)],
                       program_id=PROGRAM), "enterprise_id"),
        ({**contract_body("enterprise_id", eid, [catalog_line(item8c, 1, 1)]), "discount": 1},
         "discount"),
    ]
    for body, field in cases:
        assert_error(provider.post("/api/v1/contracts", json=body), 422, None, field)
    # an enterprise that is not approved cannot be party to a contract
    pending = new_enterprise(server, state="submitted")
    assert_error(provider.post("/api/v1/contracts", json=contract_body(
        "enterprise_id", pending.party["id"], [catalog_line(item8c, 1, 1)], program_id=PROGRAM)),
        409, "party_not_approved")
    for role in ("county_it", "city_it", "admin"):
        assert_error(sessions[role].post("/api/v1/contracts", json=cases[0][0]), 403, "forbidden")


def test_a_signing_date_after_today_is_refused(server, sessions):
    """A contract put on the platform has been signed: a signing date later
    than today (the server's clock, Beijing time) is refused with the field
    named and nothing stored, even far beyond the program's end; signed
    today is fine."""
    provider = sessions["provider"]
    e = new_enterprise(server, sessions["county_it"])
    today = server.now.astimezone(CST).date()
    item = demo_item(server, SERVER_8C)

    def body(signed_on):
        return contract_body("enterprise_id", e.party["id"], [catalog_line(item, 1, 99_000)],
                             program_id=PROGRAM, signed_on=signed_on.isoformat(),
                             service_start=today.isoformat(), service_end="2020-06-30")

    def stored():
        return server.sql("SELECT COUNT(*) FROM contracts WHERE enterprise_id = ?",
                          e.party["id"])[0][0]

    for later in (today + dt.timedelta(days=1), dt.date(2021, 3, 1)):
        err = assert_error(provider.post("/api/v1/contracts", json=body(later)), 422,
                           "invalid_field", "signed_on")
        assert "今天" in err["message"], err
        assert stored() == 0
    ok(provider.post("/api/v1/contracts", json=body(today)), 201)
    assert stored() == 1


def test_a_catalog_line_must_be_signed_within_the_items_validity(server, sessions):
    """SPEC §4: a catalog offer has a validity (有效期), like a price list
    with a period: a contract signed outside it cannot use the item, and
    nothing is stored; signed on its last day, the line counts in the base."""
    provider = new_provider(server, sessions["city_it"])
    item = published_item(provider, sessions["city_it"], valid_from="2019-01-01",
                          valid_until="2019-06-30")
    e = new_enterprise(server, sessions["county_it"])

    def body(signed_on):
        return contract_body("enterprise_id", e.party["id"], [catalog_line(item["id"], 3, 45_000)],
                             program_id=PROGRAM, signed_on=signed_on, service_start="2019-07-01",
                             service_end="2020-06-30")

    def stored():
        return server.sql("SELECT COUNT(*) FROM contracts WHERE provider_id = ?",
                          provider.party["id"])[0][0]

    for signed_on in ("2019-07-01", "2018-12-31"):
        err = assert_error(provider.post("/api/v1/contracts", json=body(signed_on)), 422,
                           "invalid_field", "lines[0]")
        assert "2019-01-01 至 2019-06-30" in err["message"] and signed_on in err["message"], err
        assert stored() == 0
    c = ok(provider.post("/api/v1/contracts", json=body("2019-06-30")), 201)
    assert c["base_fen"] == c["total_fen"] == 135_000
    assert c["lines"][0]["catalog_item_id"] == item["id"]
    assert stored() == 1


def test_contracts_are_404_outside_ones_scope(server, sessions, officials, item8c):
    provider = sessions["provider"]
    e = new_enterprise(server, sessions["county_it"])
    c = draft(provider, e, item8c, 1, 99_000)
    cid = c["id"]
    strangers = {"another county's official": officials["370812"],
                 "another enterprise": sessions["enterprise"],
                 "another provider": server.login("prov_app")}
    for who, client in strangers.items():
        err = assert_error(client.get(f"/api/v1/contracts/{cid}"), 404, "not_found")
        assert client.get("/api/v1/contracts/01ZZZZZZZZZZZZZZZZZZZZZZZZ").json()["error"] == err, who
        assert cid not in {x["id"] for x in all_pages(client, "/api/v1/contracts")}, who
    assert_error(officials["370812"].post(f"/api/v1/contracts/{cid}/terminate",
                                          json={"reason": "x"}), 404, "not_found")
    assert_error(sessions["enterprise"].post(f"/api/v1/contracts/{cid}/confirm"), 404, "not_found")
    # officials of the county and city-wide readers see it; they confirm nothing
    for role in ("county_it", "county_finance", "city_it", "auditor"):
        assert ok(sessions[role].get(f"/api/v1/contracts/{cid}"))["id"] == cid
    assert_error(sessions["county_it"].post(f"/api/v1/contracts/{cid}/confirm"), 403, "forbidden")
    assert_error(sessions["county_it"].post(f"/api/v1/contracts/{cid}/cancel"), 403, "forbidden")
    assert cid in {x["id"] for x in all_pages(sessions["county_it"], "/api/v1/contracts")}
    v = ok(confirm(e, cid), 201)["voucher"]
    for who, client in strangers.items():
        assert_error(client.get(f"/api/v1/vouchers/{v['id']}"), 404, "not_found")
        assert_error(client.get(f"/api/v1/vouchers/{v['id']}/qr.svg"), 404, "not_found")
    # the county official may terminate a contract of its county
    t = ok(sessions["county_it"].post(f"/api/v1/contracts/{cid}/terminate",
                                      json={"reason": "企业未按合同使用云服务"}))
    assert t["status"] == "terminated" and t["closed_by"] == "county_it"


# -- attachments ------------------------------------------------------------------------

def upload(client, cid, data, filename="合同.pdf", content_type="application/octet-stream"):
    return client.post(f"/api/v1/contracts/{cid}/attachments",
                       files={"file": (filename, data, content_type)})


def test_attachments_are_recognised_by_content(server, sessions, officials, item8c):
    provider = sessions["provider"]
    e = new_enterprise(server, sessions["county_it"])
    c = draft(provider, e, item8c, 1, 99_000)
    cid = c["id"]
    got = {}
    for data, name, ctype in ((PDF_BYTES, "云服务合同扫描件.pdf", "application/pdf"),
                              (PNG_BYTES, "盖章页.pdf", "image/png"),  # a PNG, whatever its name
                              (JPEG_BYTES, "发票.jpg", "image/jpeg")):
        a = ok(upload(provider, cid, data, name), 201)
        assert a["content_type"] == ctype and a["size"] == len(data)
        assert a["sha256"] == hashlib.sha256(data).hexdigest() and a["filename"] == name
        got[a["sha256"]] = (data, ctype, name)
    # the same file twice is stored once, and the answer says so with the name it is listed under
    again = ok(upload(e, cid, PDF_BYTES, "again.pdf"), 201)
    assert (again["already_attached"], again["filename"]) == (True, "云服务合同扫描件.pdf"), again
    assert a["already_attached"] is False
    assert len(ok(e.get(f"/api/v1/contracts/{cid}"))["attachments"]) == 3
    # refused by content, whatever the name says
    assert_error(upload(provider, cid, HTML_BYTES, "contract.pdf", "application/pdf"), 422,
                 "unsupported_file", "file")
    assert_error(upload(provider, cid, b"", "empty.pdf"), 422, None, "file")
    r = provider.post(f"/api/v1/contracts/{cid}/attachments", data=PDF_BYTES,
                      headers={"Content-Type": "application/pdf"})
    assert_error(r, 415)
    assert_error(sessions["county_it"].post(f"/api/v1/contracts/{cid}/attachments",
                                            files={"file": ("a.pdf", PDF_BYTES)}), 403, "forbidden")
    # downloads: the parties and the county official; nobody else
    for sha, (data, ctype, name) in got.items():
        for who in (e, provider, sessions["county_it"], sessions["city_it"]):
            r = who.get(f"/api/v1/contracts/{cid}/attachments/{sha}")
            assert r.status_code == 200 and r.content == data
            assert r.headers["Content-Type"].startswith(ctype)
            assert "attachment" in r.headers["Content-Disposition"]
        for who in (officials["370812"], sessions["enterprise"]):
            assert_error(who.get(f"/api/v1/contracts/{cid}/attachments/{sha}"), 404, "not_found")
        assert_error(requests.get(server.url(f"/api/v1/contracts/{cid}/attachments/{sha}"),
                                  timeout=60), 401)
    r = e.get(f"/api/v1/contracts/{cid}/attachments/{hashlib.sha256(PDF_BYTES).hexdigest()}")
    assert "%E4%BA%91" in r.headers["Content-Disposition"], "the Chinese name, percent-encoded"
    assert_error(e.get(f"/api/v1/contracts/{cid}/attachments/{'0' * 64}"), 404, "not_found")
    # the confirmation's answer lists them as the record does (checked in confirm)
    assert confirm(e, cid).status_code in (200, 201, 202)


def test_attachments_over_20_mib_are_refused(server, sessions, item8c):
    provider = sessions["provider"]
    e = new_enterprise(server, sessions["county_it"])
    cid = draft(provider, e, item8c, 1, 99_000)["id"]
    just_over = b"%PDF-1.4\n" + b"0" * (20 * MI_B + 1 - 9)
    assert_error(upload(provider, cid, just_over, "big.pdf"), 413)
    huge = b"%PDF-1.4\n" + b"0" * (21 * MI_B - 9)
    try:
        r = upload(provider, cid, huge, "huge.pdf")
        assert_error(r, 413)
    except requests.ConnectionError:
        pytest.fail("the server hung up instead of answering 413 to a 21 MiB upload")
    assert ok(e.get(f"/api/v1/contracts/{cid}"))["attachments"] == []
    exactly = b"%PDF-1.4\n" + b"1" * (20 * MI_B - 9)
    assert ok(upload(provider, cid, exactly, "exactly-20MiB.pdf"), 201)["size"] == 20 * MI_B


# -- public verification and QR ---------------------------------------------------------------

def test_anyone_verifies_a_voucher_by_its_code(server, sessions, item8c):
    e = new_enterprise(server, sessions["county_it"], name="济宁核验演示科技有限公司")
    c = draft(sessions["provider"], e, item8c, 5, 99_000)
    v = ok(confirm(e, c["id"]), 201)["voucher"]
    r = requests.get(server.url(f"/api/v1/public/vouchers/{v['code']}"), timeout=60)
    pub = ok(r)
    assert pub["code"] == v["code"] and pub["amount_fen"] == v["amount_fen"]
    assert pub["status"] == "issued" and pub["status_name"] and pub["genuine"] is True
    holder = pub["holder"]
    assert holder != "济宁核验演示科技有限公司" and "*" in holder
    assert holder.startswith("济宁") and holder.endswith("有限公司")
    text = json.dumps(pub, ensure_ascii=False)
    assert "核验演示" not in text and e.party["uscc"] not in text and e.party["id"] not in text
    assert ok(requests.get(server.url(f"/api/v1/public/vouchers/{v['code'].lower()}"), timeout=60))["code"] == v["code"]
    # a mistyped code is caught by its check character
    assert_error(requests.get(server.url(f"/api/v1/public/vouchers/{with_wrong_check_char(v['code'])}"),
                              timeout=60), 404)
    assert_error(requests.get(server.url("/api/v1/public/vouchers/YQ2019-370811-999999-X"),
                              timeout=60), 404)
    assert_error(requests.get(server.url("/api/v1/public/vouchers/not-a-code"), timeout=60), 404)
    # the QR code on the printed voucher
    r = e.get(f"/api/v1/vouchers/{v['id']}/qr.svg")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("image/svg+xml")
    assert r.text.lstrip().startswith("<svg") and "<path" in r.text and r.text.rstrip().endswith("</svg>")
    assert requests.get(server.url(f"/api/v1/vouchers/{v['id']}/qr.svg"), timeout=60).status_code == 401


# -- Idempotency-Key ----------------------------------------------------------------------

def test_idempotency_key_replays_the_first_answer_and_books_once(server, sessions, item8c):
    auditor, cf = sessions["auditor"], sessions["county_finance"]
    e = new_enterprise(server, sessions["county_it"])
    c = draft(sessions["provider"], e, item8c, 6, 99_000)
    key = f"confirm-{uuid.uuid4()}"
    audits, transfers = audit_total(auditor), transfers_total(auditor)
    first = confirm(e, c["id"], headers={"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    audits_after, transfers_after = audit_total(auditor), transfers_total(auditor)
    assert transfers_after == transfers + 1 and audits_after > audits
    second = confirm(e, c["id"], headers={"Idempotency-Key": key})
    assert second.status_code == 201 and second.headers.get("Idempotent-Replayed") == "true"
    assert second.json() == first.json()
    assert audit_total(auditor) == audits_after and transfers_total(auditor) == transfers_after
    assert server.sql("SELECT COUNT(*) FROM vouchers WHERE contract_id = ?", c["id"])[0][0] == 1
    # without the key the same request is a new one, refused
    assert_error(confirm(e, c["id"]), 409, "invalid_state")
    # the same key on another request is a mistake
    r = e.post(f"/api/v1/contracts/{c['id']}/terminate", json={"reason": "x"},
               headers={"Idempotency-Key": key})
    assert_error(r, 422, "idempotency_key_reused", "Idempotency-Key")
    assert ok(e.get(f"/api/v1/contracts/{c['id']}"))["status"] == "confirmed"
    # keys belong to the account: another account's same key is its own request
    r = sessions["provider"].post(f"/api/v1/contracts/{c['id']}/confirm",
                                  headers={"Idempotency-Key": key})
    assert r.status_code == 409 and "Idempotent-Replayed" not in r.headers
    # funding: the same request twice with its key books once
    key2 = f"fund-{uuid.uuid4()}"
    before = budget_row(cf, HOME_COUNTY)["funded_fen"]
    n = transfers_total(cf)
    body = {"amount_fen": 5000, "source": "county", "reference": f"幂等-{key2}"}
    a = cf.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", headers={"Idempotency-Key": key2}, json=body)
    b = cf.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", headers={"Idempotency-Key": key2}, json=body)
    assert a.status_code == 201 and b.status_code == 201 and b.json() == a.json()
    assert b.headers.get("Idempotent-Replayed") == "true"
    # … and the same key with another body is not a repeat: refused, nothing booked
    c = cf.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", headers={"Idempotency-Key": key2},
                json={**body, "reference": f"幂等-{key2}-b"})
    assert_error(c, 422, "idempotency_key_reused", "Idempotency-Key")
    assert budget_row(cf, HOME_COUNTY)["funded_fen"] == before + 5000
    assert transfers_total(cf) == n + 1
    assert_error(cf.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json={},
                         headers={"Idempotency-Key": "x" * 129}), 400, None, "Idempotency-Key")


# -- the waitlist ------------------------------------------------------------------------------

def test_termination_serves_the_waitlist_head_first(server, sessions, item8c):
    """太白湖新区 370872: a small pool. The head of the queue is never
    skipped for a smaller application behind it."""
    county = "370872"
    admin, provider, city_fin = sessions["admin"], sessions["provider"], sessions["city_finance"]
    new_official(admin, "county_it_370872", county=county)
    it = server.login("county_it_370872", password="Officer-Pass-2019")
    start = budget_row(city_fin, county)
    assert start["reserved_fen"] == 0 and start["waitlist_count"] == 0
    pool = start["available_fen"]
    assert pool == 7_500_000
    ents = {k: new_enterprise(server, it, county=county, name=f"太白湖{k}测试有限公司")
            for k in "ADBC"}
    qty = {"A": 200, "D": 80, "B": 120, "C": 4}  # × ¥1,000 at 25 %: 50,000 / 20,000 / 30,000 / 1,000
    cs = {k: draft(provider, ents[k], item8c, qty[k], 100_000) for k in "ADBC"}
    va = ok(confirm(ents["A"], cs["A"]["id"]), 201)["voucher"]
    vd = ok(confirm(ents["D"], cs["D"]["id"]), 201)["voucher"]
    assert (va["amount_fen"], vd["amount_fen"]) == (5_000_000, 2_000_000)
    assert budget_row(city_fin, county)["available_fen"] == 500_000
    rb = confirm(ents["B"], cs["B"]["id"])
    assert rb.status_code == 202, rb.text
    wb = rb.json()["waitlist"]
    assert rb.json()["voucher"] is None and wb["amount_fen"] == 3_000_000 and wb["ahead"] == 0
    # C would fit in what is left, but B is first in line
    rc = confirm(ents["C"], cs["C"]["id"])
    assert rc.status_code == 202, rc.text
    wc = rc.json()["waitlist"]
    assert wc["amount_fen"] == 100_000 and wc["ahead"] == 1 and wc["position"] > wb["position"]
    queue = ok(city_fin.get("/api/v1/waitlist", params={"county": county, "year": 2019}))["items"]
    assert [(w["contract_id"], w["place"]) for w in queue] == [(cs["B"]["id"], 1), (cs["C"]["id"], 2)]
    row = budget_row(city_fin, county)
    assert (row["waitlist_count"], row["waitlist_fen"]) == (2, 3_100_000)
    assert ok(it.get("/api/v1/waitlist"))["total"] == 2
    # ending D frees ¥20,000: not enough for B, so C must keep waiting too
    ok(it.post(f"/api/v1/contracts/{cs['D']['id']}/terminate", json={"reason": "企业注销"}))
    assert budget_row(city_fin, county)["available_fen"] == 2_500_000
    assert ok(ents["C"].get(f"/api/v1/contracts/{cs['C']['id']}"))["voucher"] is None, \
        "C was served before B, the head of the queue"
    assert len(ok(city_fin.get("/api/v1/waitlist", params={"county": county}))["items"]) == 2
    # ending A frees enough for both: served in order
    ok(ents["A"].post(f"/api/v1/contracts/{cs['A']['id']}/terminate", json={"reason": "未履行"}))
    got_b = ok(ents["B"].get(f"/api/v1/contracts/{cs['B']['id']}"))
    got_c = ok(ents["C"].get(f"/api/v1/contracts/{cs['C']['id']}"))
    assert got_b["voucher"] and got_c["voucher"]
    assert got_b["voucher"]["amount_fen"] == 3_000_000 and got_c["voucher"]["amount_fen"] == 100_000
    assert got_b["waitlist"]["status"] == "served" and got_c["waitlist"]["status"] == "served"
    serial = lambda v: int(CODE_RE.match(v["code"]).group(2))
    assert serial(got_b["voucher"]) < serial(got_c["voucher"])
    vb = ok(ents["B"].get(f"/api/v1/vouchers/{got_b['voucher']['id']}"))
    assert vb["trace"]["served_from_waitlist"] is True
    assert vb["trace"]["waitlist_position"] == wb["position"]
    row = budget_row(city_fin, county)
    assert row["available_fen"] == pool - 3_100_000 and row["waitlist_count"] == 0
    assert ok(city_fin.get("/api/v1/waitlist", params={"county": county}))["items"] == []


def test_funding_zoucheng_serves_its_waitlisted_application(server, sessions):
    county = "370883"
    city_fin = sessions["city_finance"]
    queue = ok(city_fin.get("/api/v1/waitlist", params={"county": county}))["items"]
    assert len(queue) == 1 and queue[0]["enterprise_name"] == "邹城煤化新材料有限公司"
    want = queue[0]["amount_fen"]
    row = budget_row(city_fin, county)
    assert row["available_fen"] < want and row["waitlist_count"] == 1
    short = want - row["available_fen"] - 1
    ok(city_fin.post(f"/api/v1/budgets/{county}/2019/fund", json={
        "amount_fen": short, "source": "city_award", "reference": "济财企〔2019〕补1号"}), 201)
    assert len(ok(city_fin.get("/api/v1/waitlist", params={"county": county}))["items"]) == 1, \
        "one fen short: still waiting"
    r = ok(city_fin.post(f"/api/v1/budgets/{county}/2019/fund", json={
        "amount_fen": 1, "source": "province_award", "reference": "鲁财企〔2019〕补2号"}), 201)
    assert r["waitlist_count"] == 0 and r["available_fen"] == 0 and r["vouchers"] == 1
    assert ok(city_fin.get("/api/v1/waitlist", params={"county": county}))["items"] == []
    holder = server.login("qiye04")
    vs = ok(holder.get("/api/v1/vouchers"))["items"]
    assert len(vs) == 1 and vs[0]["amount_fen"] == want and vs[0]["status"] == "issued"
    assert vs[0]["code"].startswith("YQ2019-370883-")


# -- the clock: program window and expiry ---------------------------------------------------

def test_no_voucher_for_an_enterprise_outside_the_programs_industries(fresh_server):
    """A program that names its 适用行业 (eligible_industries, GB/T 4754
    sections) issues vouchers only to enterprises of those sections: the
    contract is confirmed, but no voucher, no queue place, no money moves;
    an enterprise of a listed section gets its voucher."""
    s = fresh_server
    county_it, provider = s.login("county_it"), s.login("provider")
    ok(s.login("city_it").patch(f"/api/v1/programs/{PROGRAM}/parameters", json={
        "reason": "只支持软件和信息技术服务业", "parameters": {"eligible_industries": ["I"]}}))
    ok(s.login("county_finance").post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json={
        "amount_fen": 10_000_000, "source": "county", "reference": "任财预〔2019〕9号"}), 201)
    item = demo_item(s, SERVER_8C)
    maker = new_enterprise(s, county_it, profile=enterprise_profile(industry="C"))
    software = new_enterprise(s, county_it, profile=enterprise_profile(industry="I"))
    c_maker = draft_by_provider(provider, maker.party["id"], [catalog_line(item, 2, 99_000)],
                                program_id=PROGRAM)
    c_soft = draft_by_provider(provider, software.party["id"], [catalog_line(item, 2, 99_000)],
                               program_id=PROGRAM)
    transfers = s.sql("SELECT COUNT(*) FROM ledger_transfers")[0][0]
    r = confirm(maker, c_maker["id"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["voucher"] is None and body["waitlist"] is None
    assert body["voucher_refusal"]["code"] == "industry_not_eligible"
    assert "适用行业" in body["voucher_refusal"]["message"]
    assert ok(maker.get(f"/api/v1/contracts/{c_maker['id']}"))["status"] == "confirmed"
    assert s.sql("SELECT COUNT(*) FROM ledger_transfers")[0][0] == transfers
    v = ok(confirm(software, c_soft["id"]), 201)["voucher"]
    assert v["amount_fen"] == 2 * 99_000 * RATIO_2019 // 10_000


def test_no_voucher_for_a_confirmation_outside_the_program(fresh_server):
    s = fresh_server
    s.set_clock(dt.datetime(2020, 12, 31, 23, 40, tzinfo=CST))
    county_it, provider = s.login("county_it"), s.login("provider")
    ok(s.login("county_finance").post(f"/api/v1/budgets/{HOME_COUNTY}/2020/fund", json={
        "amount_fen": 10_000_000, "source": "county", "reference": "任财预〔2020〕1号"}), 201)
    item = demo_item(s, SERVER_8C)
    early, late = new_enterprise(s, county_it), new_enterprise(s, county_it)
    c_early = draft_by_provider(provider, early.party["id"], [catalog_line(item, 2, 99_000)],
                                program_id=PROGRAM, signed_on="2020-12-30")
    c_late = draft_by_provider(provider, late.party["id"], [catalog_line(item, 2, 99_000)],
                               program_id=PROGRAM, signed_on="2020-12-30",
                               service_start="2021-01-01", service_end="2021-12-31")
    # the last minute of the program: a voucher, at the 2020 ratio
    s.set_clock(dt.datetime(2020, 12, 31, 23, 59, tzinfo=CST))
    v = ok(confirm(early, c_early["id"]), 201)["voucher"]
    assert v["trace"]["ratio_bp"] == 2000 and v["code"].startswith("YQ2020-370811-")
    assert v["trace"]["issue_date"] == "2020-12-31"
    # the program ended yesterday: confirmed, but no voucher and no money moves
    s.set_clock(dt.datetime(2021, 1, 1, 0, 5, tzinfo=CST))
    pools = s.sql("SELECT id, debits_pending FROM ledger_accounts WHERE kind = 'pool' ORDER BY id")
    r = confirm(late, c_late["id"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["voucher"] is None and body["waitlist"] is None
    assert body["voucher_refusal"]["code"] == "outside_program"
    assert body["voucher_refusal"]["message"]
    assert body["contract"]["status"] == "confirmed"
    assert body["contract"]["confirmed_at"] == "2021-01-01T00:05:00+08:00"
    assert s.sql("SELECT id, debits_pending FROM ledger_accounts WHERE kind = 'pool' ORDER BY id") == pools


def test_jobs_run_expires_an_overdue_voucher_and_releases_its_money(fresh_server, tmp_path):
    s = fresh_server
    county_it, provider, cf = s.login("county_it"), s.login("provider"), s.login("county_finance")
    e = new_enterprise(s, county_it)
    item = demo_item(s, SERVER_8C)
    c = draft_by_provider(provider, e.party["id"], [catalog_line(item, 4, 99_000)], program_id=PROGRAM,
                          service_start="2019-07-01", service_end="2019-08-31")
    v = ok(confirm(e, c["id"]), 201)["voucher"]
    funded = budget_row(cf, HOME_COUNTY)

    def jobs(*extra):
        p = run_cli(["jobs", "run", "--db", str(s.db), "--clock-file", str(s.clock_path), *extra],
                    cwd=tmp_path)
        assert p.returncode == 0, p.stderr
        return p.stdout

    # service_end + 90 days is 2019-11-29: not yet
    s.set_clock(dt.datetime(2019, 11, 29, 23, 0, tzinfo=CST))
    jobs()
    assert s.sql("SELECT status FROM vouchers WHERE id = ?", v["id"])[0][0] == "issued"
    # the grace is over, but 2019H2's filing window (2020-01-01..01-30),
    # where July–August can still be claimed, is open: not yet
    s.set_clock(dt.datetime(2020, 1, 15, 9, 0, tzinfo=CST))
    jobs("--grace-days", "10")
    assert s.sql("SELECT status FROM vouchers WHERE id = ?", v["id"])[0][0] == "issued"
    # the window has closed with nothing claimed: overdue
    s.set_clock(dt.datetime(2020, 1, 31, 9, 0, tzinfo=CST))
    jobs("--grace-days", "10")
    e, cf = relogin(s, e), s.login("county_finance")
    got = ok(e.get(f"/api/v1/vouchers/{v['id']}"))
    assert got["status"] == "expired" and got["remaining_fen"] == 0 and got["close_reason"]
    after = budget_row(cf, HOME_COUNTY)
    assert after["reserved_fen"] == funded["reserved_fen"] - v["amount_fen"]
    assert after["available_fen"] == funded["available_fen"] + v["amount_fen"]
    assert ok(requests.get(s.url(f"/api/v1/public/vouchers/{v['code']}"), timeout=60))["status"] == "expired"
    entries = ok(s.login("auditor").get("/api/v1/audit", params={"entity": "voucher"}))["items"]
    assert any(i["entity_id"] == v["id"] and i["action"] == "expire" for i in entries)
    # a second run finds nothing more; the demo vouchers (service to 2020) stay
    out = jobs("--grace-days", "10")
    assert "0" in out
    assert s.sql("SELECT COUNT(*) FROM vouchers WHERE status = 'expired'")[0][0] == 1


def test_ledger_check_reports_a_tampered_book(server, tmp_path):
    """The checker itself: a copy whose voucher table disagrees with the
    ledger fails with exit 3, naming the voucher."""
    copy = server.copy_db(tmp_path / "tampered.db")
    assert ledger_check(copy).returncode == 0
    import dbs
    con = dbs.connect(copy)
    code = con.execute("SELECT code FROM vouchers WHERE status = 'issued' LIMIT 1").fetchone()[0]
    con.execute("UPDATE vouchers SET amount_fen = amount_fen + 1 WHERE code = ?", (code,))
    con.commit()
    con.close()
    p = ledger_check(copy)
    assert p.returncode == 3 and code in p.stdout


def test_codes_cannot_be_enumerated_but_the_qr_link_always_answers(fresh_server):
    """Issue 9, finding 5: the QR code carries a random token; a code typed
    alone is throttled per address, so sequential codes cannot be walked."""
    server = fresh_server
    s = {r: server.login(r) for r in ("county_it", "provider", "enterprise")}
    v = ok(s["county_it"].get("/api/v1/vouchers"))["items"][0]
    full = ok(s["county_it"].get(f"/api/v1/vouchers/{v['id']}"))
    token = full["verify_token"]
    assert len(token) == 24 and int(token, 16) >= 0  # 96 random bits
    svg = s["county_it"].get(f"/api/v1/vouchers/{v['id']}/qr.svg")
    assert svg.status_code == 200
    public = server.client()
    statuses = [public.get(f"/api/v1/public/vouchers/{v['code']}").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429, statuses
    err = assert_error(public.get(f"/api/v1/public/vouchers/{v['code']}"), 429, "too_many_lookups")
    assert "二维码" in err["message"]
    # The QR link still answers, with the amount, status and masked holder.
    r = ok(public.get(f"/api/v1/public/vouchers/{v['code']}", params={"token": token}))
    assert r["genuine"] is True and r["verified_by"] == "qr" and r["amount_fen"] == v["amount_fen"]
    assert "verify_token" not in r and "*" in r["holder"]
    # A wrong token is a code alone.
    assert_error(public.get(f"/api/v1/public/vouchers/{v['code']}", params={"token": "0" * 24}), 429)
