"""Issue 8, first half: redemption applications (兑现) filed by a provider
for the vouchers of its own contracts, scored by the county's evaluator
(第三方评价) and reviewed by county_it, with exact fen at every step.
The test clock starts on 2019-07-01, the first day of 2019H1's filing
window (30 days)."""
import datetime as dt

import pytest

from conftest import CST, HOME_COUNTY, OTHER_COUNTY, assert_error, new_official
from flows import (PDF_BYTES, PNG_BYTES, assert_audit_sound, assert_ledger_sound, catalog_line,
                   draft_by_provider, new_enterprise, new_provider, ok, published_item)

PERIOD = "2019H1"
CRITERIA = ["服务交付与合同相符", "服务质量与稳定性", "企业满意度", "票据与证明材料"]


@pytest.fixture(autouse=True)
def books_stay_sound(request):
    servers = [request.getfixturevalue(n) for n in ("server", "fresh_server")
               if n in request.fixturenames]
    yield
    for s in servers:
        assert_ledger_sound(s)
        assert_audit_sound(s)


def claimable(provider, county=HOME_COUNTY):
    return ok(provider.get("/api/v1/redemptions/claimable",
                           params={"county_code": county, "period": PERIOD}))["items"]


def provider_with_voucher(server, sessions):
    """A new approved provider with a published item, and a voucher of its
    own: a new enterprise of 任城区 signs for 12 months at 99,000 fen
    (base 1,188,000 fen → 25 % = 297,000 fen). Each test files as its own
    provider, since a provider files one application per county and
    half-year."""
    prov = new_provider(server, sessions["city_it"])
    it = published_item(prov, sessions["city_it"], list_price_fen=120_000,
                        discount_price_fen=99_000)
    v = voucher_of(server, sessions, prov, it["id"])
    return prov, v


def voucher_of(server, sessions, prov, item_id):
    ent = new_enterprise(server, sessions["county_it"])
    c = draft_by_provider(prov, ent.party["id"], [catalog_line(item_id, 12, 99_000)],
                          program_id="jining-2018")
    r = ok(ent.post(f"/api/v1/contracts/{c['id']}/confirm"), 201)
    v = [x for x in claimable(prov) if x["voucher_id"] == r["voucher"]["id"]][0]
    assert v["claimable_fen"] == 297_000 == v["amount_fen"]
    return v


def item(v, claim, fee=None):
    return {"voucher_id": v["voucher_id"], "service_desc": "2019 年上半年云主机服务",
            "fee_fen": fee if fee is not None else claim * 4, "claim_fen": claim,
            "invoice_nos": "37001900001"}


def file(provider, items, county=HOME_COUNTY, period=PERIOD):
    return provider.post("/api/v1/redemptions",
                         json={"county_code": county, "period": period, "items": items})


def scores(values=(90, 80, 100, 70)):
    return [{"name": n, "score": s} for n, s in zip(CRITERIA, values)]


def test_periods_show_the_filing_window_of_the_half_year_just_ended(server, sessions):
    items = ok(sessions["provider"].get("/api/v1/redemptions/periods"))["items"]
    h1 = [p for p in items if p["period"] == PERIOD][0]
    assert (h1["opens_on"], h1["closes_on"], h1["open"]) == ("2019-07-01", "2019-07-30", True)
    h2 = [p for p in items if p["period"] == "2019H2"][0]
    assert h2["open"] is False and h2["opens_on"] == "2020-01-01"


def test_claim_evaluate_review_with_exact_fen(server, sessions):
    prov, v = provider_with_voucher(server, sessions)
    ev, cit = sessions["evaluator"], sessions["county_it"]
    claim = 33_333
    r = ok(file(prov, [item(v, claim)]), 201)
    assert (r["status"], r["claim_fen"], r["period"]) == ("draft", claim, PERIOD)
    assert r["window"] == {"opens_on": "2019-07-01", "closes_on": "2019-07-30"}
    r = ok(prov.post(f"/api/v1/redemptions/{r['id']}/submit"))
    assert r["status"] == "submitted" and r["status_name"] == "已提交"
    # The claim is held against the voucher while the application is open.
    after = [x for x in claimable(prov) if x["voucher_id"] == v["voucher_id"]][0]
    assert after["open_claims_fen"] == claim
    assert after["claimable_fen"] == v["claimable_fen"] - claim
    # 第三方评价: 90×30 + 80×30 + 100×20 + 70×20 = 8500 hundredths; 5 % of
    # 33,333 fen is 1,666.65, rounded half up to 1,667 fen.
    r = ok(ev.post(f"/api/v1/redemptions/{r['id']}/evaluate", json={
        "scores": scores(), "note": "服务按合同交付",
        "items": [{"voucher_id": v["voucher_id"], "deduction": {"kind": "bp", "bp": 500},
                   "quality_note": "6 月有两次宕机"}]}))
    assert r["status"] == "evaluated"
    assert r["evaluation"]["score_hundredths"] == 8500
    assert [s["weight"] for s in r["evaluation"]["scores"]] == [30, 30, 20, 20]
    it = r["items"][0]
    assert (it["deduction_kind"], it["deduction_bp"], it["deduction_fen"]) == ("bp", 500, 1667)
    # County review: approve with a downward adjustment and its reason.
    r = ok(cit.post(f"/api/v1/redemptions/{r['id']}/review", json={
        "decision": "approve", "items": [{"voucher_id": v["voucher_id"], "adjustment_fen": 1000,
                                          "reason": "发票金额与服务不符部分"}]}))
    assert r["status"] == "approved"
    it = r["items"][0]
    assert it["approved_fen"] == claim - 1667 - 1000 == r["approved_fen"]
    assert it["trace"]["approved_fen"] == it["approved_fen"]
    assert it["trace"]["deduction_fen"] == 1667 and it["trace"]["adjustment_fen"] == 1000
    assert it["adjustment_reason"] == "发票金额与服务不符部分"
    # Every step is in the audit trail.
    trail = ok(sessions["auditor"].get(
        "/api/v1/audit", params={"entity": "redemption", "entity_id": r["id"]}))["items"]
    assert {"create", "submit", "evaluate", "approve"} <= {e["action"] for e in trail}
    assert {e["entity_id"] for e in trail} == {r["id"]}


def test_claim_above_the_remaining_balance_is_refused_naming_the_item(server, sessions):
    prov, v = provider_with_voucher(server, sessions)
    r = file(prov, [item(v, v["claimable_fen"] + 1)])
    assert_error(r, 422, "claim_above_balance", "items[0]")
    assert v["code"] in r.json()["error"]["message"]
    # Nothing was written.
    assert not server.sql("SELECT 1 FROM redemption_items WHERE voucher_id = ?", v["voucher_id"])


def test_an_unknown_county_is_refused_naming_county_code(server, sessions):
    prov, v = provider_with_voucher(server, sessions)
    for county in ("999999", "任城区"):
        err = assert_error(file(prov, [item(v, 1000)], county=county), 422, "invalid_field",
                           "county_code")
        assert county in err["message"]
    assert not server.sql("SELECT 1 FROM redemption_items WHERE voucher_id = ?", v["voucher_id"])


def test_another_providers_voucher_is_refused(server, sessions):
    other = new_provider(server, sessions["city_it"])
    _, v = provider_with_voucher(server, sessions)
    r = file(other, [item(v, 1000)])
    assert_error(r, 422, "not_own_voucher", "items[0]")


def test_one_application_per_county_and_period_and_a_voucher_once(server, sessions):
    prov, v = provider_with_voucher(server, sessions)
    first = ok(file(prov, [item(v, 1000)]), 201)
    assert_error(file(prov, [item(v, 1000)]), 409, "already_filed", "period")
    # Withdrawn, the voucher and the period are free again.
    ok(prov.post(f"/api/v1/redemptions/{first['id']}/withdraw"))
    again = ok(file(prov, [item(v, 1000)]), 201)
    ok(prov.post(f"/api/v1/redemptions/{again['id']}/withdraw"))


def test_filing_outside_the_window_names_the_dates(fresh_server):
    prov = fresh_server.login("provider")
    v = claimable(prov)[0]
    fresh_server.set_clock(dt.datetime(2019, 8, 15, 10, 0, tzinfo=CST))
    prov = fresh_server.login("provider")
    r = file(prov, [item(v, 1000)])
    assert_error(r, 422, "outside_window", "period")
    msg = r.json()["error"]["message"]
    assert "2019-07-01" in msg and "2019-07-30" in msg
    assert_error(file(prov, [item(v, 1000)], period="2019H2"), 422, "outside_window", "period")
    assert_error(file(prov, [item(v, 1000)], period="2019-H1"), 422, None, "period")


def test_evaluator_outside_its_counties_sees_nothing(server, sessions):
    prov, v = provider_with_voucher(server, sessions)
    r = ok(file(prov, [item(v, 2000)]), 201)
    ok(prov.post(f"/api/v1/redemptions/{r['id']}/submit"))
    name = f"eval_far_{r['id'][-6:].lower()}"
    new_official(sessions["admin"], name, role="evaluator", county="370826")
    stranger = server.login(name, "Officer-Pass-2019")
    assert_error(stranger.post(f"/api/v1/redemptions/{r['id']}/evaluate",
                               json={"scores": scores()}), 404)
    assert_error(stranger.get(f"/api/v1/redemptions/{r['id']}"), 404)
    # A county official of another county neither.
    name = f"cit_far_{r['id'][-6:].lower()}"
    new_official(sessions["admin"], name, county=OTHER_COUNTY)
    other_it = server.login(name, "Officer-Pass-2019")
    assert_error(other_it.get(f"/api/v1/redemptions/{r['id']}"), 404)
    # The provider cannot withdraw after evaluation.
    ok(sessions["evaluator"].post(f"/api/v1/redemptions/{r['id']}/evaluate",
                                  json={"scores": scores()}))
    assert_error(prov.post(f"/api/v1/redemptions/{r['id']}/withdraw"), 409, "invalid_state")


def test_evaluation_needs_every_criterion_and_a_reason_for_a_deduction(server, sessions):
    prov, v = provider_with_voucher(server, sessions)
    ev = sessions["evaluator"]
    r = ok(file(prov, [item(v, 5000)]), 201)
    ok(prov.post(f"/api/v1/redemptions/{r['id']}/submit"))
    assert_error(ev.post(f"/api/v1/redemptions/{r['id']}/evaluate", json={"scores": scores()[:3]}),
                 422, None, "scores")
    assert_error(ev.post(f"/api/v1/redemptions/{r['id']}/evaluate", json={
        "scores": scores(), "items": [{"voucher_id": v["voucher_id"],
                                       "deduction": {"kind": "amount", "amount_fen": 100}}]}),
        422, "missing_field", "items[0]")
    assert_error(ev.post(f"/api/v1/redemptions/{r['id']}/evaluate", json={
        "scores": scores(), "items": [{"voucher_id": v["voucher_id"], "quality_note": "x",
                                       "deduction": {"kind": "amount", "amount_fen": 5001}}]}),
        422, None, "items[0]")
    assert ok(prov.get(f"/api/v1/redemptions/{r['id']}"))["status"] == "submitted"


def test_a_voucher_named_twice_in_an_evaluation_or_review_is_refused(server, sessions):
    """Two findings for one voucher in one request: one of them would be
    lost (the review kept only the last adjustment and its reason)."""
    prov, v = provider_with_voucher(server, sessions)
    ev, cit = sessions["evaluator"], sessions["county_it"]
    r = ok(file(prov, [item(v, 10_000)]), 201)
    ok(prov.post(f"/api/v1/redemptions/{r['id']}/submit"))
    twice = [{"voucher_id": v["voucher_id"], "quality_note": "宕机", "deduction": {"kind": "amount", "amount_fen": 100}},
             {"voucher_id": v["voucher_id"], "quality_note": "延迟", "deduction": {"kind": "amount", "amount_fen": 200}}]
    assert_error(ev.post(f"/api/v1/redemptions/{r['id']}/evaluate",
                         json={"scores": scores(), "items": twice}), 422, "invalid_field", "items[1]")
    assert ok(cit.get(f"/api/v1/redemptions/{r['id']}"))["status"] == "submitted"
    ok(ev.post(f"/api/v1/redemptions/{r['id']}/evaluate", json={"scores": scores()}))
    twice = [{"voucher_id": v["voucher_id"], "adjustment_fen": 1, "reason": "发票不符"},
             {"voucher_id": v["voucher_id"], "adjustment_fen": 2, "reason": "服务未足月"}]
    assert_error(cit.post(f"/api/v1/redemptions/{r['id']}/review",
                          json={"decision": "approve", "items": twice}), 422, "invalid_field", "items[1]")
    r = ok(cit.get(f"/api/v1/redemptions/{r['id']}"))
    assert (r["status"], r["approved_fen"]) == ("evaluated", 0)


def test_return_for_correction_keeps_the_evaluation_and_resubmits(server, sessions):
    prov, v = provider_with_voucher(server, sessions)
    ev, cit = sessions["evaluator"], sessions["county_it"]
    r = ok(file(prov, [item(v, 8000)]), 201)
    ok(prov.post(f"/api/v1/redemptions/{r['id']}/submit"))
    ok(ev.post(f"/api/v1/redemptions/{r['id']}/evaluate", json={"scores": scores()}))
    assert_error(cit.post(f"/api/v1/redemptions/{r['id']}/review", json={"decision": "return"}),
                 422, None, "reason")
    assert_error(cit.post(f"/api/v1/redemptions/{r['id']}/review", json={
        "decision": "approve", "items": [{"voucher_id": v["voucher_id"], "adjustment_fen": 10}]}),
        422, "missing_field", "items[0]")
    r = ok(cit.post(f"/api/v1/redemptions/{r['id']}/review",
                    json={"decision": "return", "reason": "请补充发票号"}))
    assert r["status"] == "returned" and r["review"]["note"] == "请补充发票号"
    fixed = item(v, 7000)
    fixed["invoice_nos"] = "37001900001, 37001900002"
    r = ok(prov.patch(f"/api/v1/redemptions/{r['id']}", json={"items": [fixed]}))
    assert r["claim_fen"] == 7000
    r = ok(prov.post(f"/api/v1/redemptions/{r['id']}/submit"))
    assert r["status"] == "submitted"
    assert r["evaluation"]["score_hundredths"] == 8500  # kept and shown
    # Blank optional texts are no text; a note may have several lines.
    r = ok(ev.post(f"/api/v1/redemptions/{r['id']}/evaluate", json={
        "scores": scores((100,) * 4), "note": "第一行\n第二行",
        "items": [{"voucher_id": v["voucher_id"], "quality_note": "",
                   "deduction": {"kind": "none"}}]}))
    assert r["evaluation"]["note"] == "第一行\n第二行"
    r = ok(cit.post(f"/api/v1/redemptions/{r['id']}/review", json={"decision": "reject",
                                                                  "reason": "材料不实"}))
    assert r["status"] == "rejected" and r["review"]["decision"] == "reject"
    # Rejected: the voucher may be claimed again for the period.
    assert [x for x in claimable(prov) if x["voucher_id"] == v["voucher_id"]][0]["open_claims_fen"] == 0


def test_returned_items_left_as_they_were_keep_the_evaluators_findings(server, sessions):
    """Issue 8: return for correction keeps the evaluation and shows it: an
    item the provider leaves as it was keeps its quality deduction; one whose
    claim changes is evaluated afresh."""
    prov, v = provider_with_voucher(server, sessions)
    ev, cit = sessions["evaluator"], sessions["county_it"]
    r = ok(file(prov, [item(v, 8000)]), 201)
    ok(prov.post(f"/api/v1/redemptions/{r['id']}/submit"))
    ok(ev.post(f"/api/v1/redemptions/{r['id']}/evaluate", json={
        "scores": scores(), "items": [{"voucher_id": v["voucher_id"], "quality_note": "宕机两小时",
                                       "deduction": {"kind": "amount", "amount_fen": 250}}]}))
    ok(cit.post(f"/api/v1/redemptions/{r['id']}/review",
                json={"decision": "return", "reason": "请补充发票号"}))
    same = item(v, 8000)
    same["invoice_nos"] = "37001900001, 37001900002"
    r = ok(prov.patch(f"/api/v1/redemptions/{r['id']}", json={"items": [same]}))
    it = r["items"][0]
    assert (it["deduction_fen"], it["quality_note"]) == (250, "宕机两小时"), it
    assert it["invoice_nos"] == "37001900001, 37001900002"
    r = ok(prov.patch(f"/api/v1/redemptions/{r['id']}", json={"items": [item(v, 7000)]}))
    assert r["items"][0]["deduction_fen"] == 0  # a changed claim is evaluated afresh


def test_evidence_files_are_stored_and_read_back(server, sessions):
    prov, v = provider_with_voucher(server, sessions)
    r = ok(file(prov, [item(v, 1500)]), 201)
    up = ok(prov.post(f"/api/v1/redemptions/{r['id']}/attachments",
                      files={"file": ("发票.pdf", PDF_BYTES, "application/pdf")}), 201)
    got = prov.get(f"/api/v1/redemptions/{r['id']}/attachments/{up['sha256']}")
    assert got.status_code == 200 and got.content == PDF_BYTES
    detail = ok(sessions["county_it"].get(f"/api/v1/redemptions/{r['id']}"))
    assert [a["filename"] for a in detail["attachments"]] == ["发票.pdf"]
    ok(prov.post(f"/api/v1/redemptions/{r['id']}/withdraw"))


def form(boundary, name, data, content_type="application/pdf"):
    """A multipart/form-data body with one file, under the boundary given."""
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n").encode()
    return (head + data + f"\r\n--{boundary}--\r\n".encode(),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def test_an_upload_retried_with_its_idempotency_key_is_replayed_whatever_the_boundary(server, sessions):
    """SPEC §13: a repeat with the same key returns the first answer. A
    client picks a new multipart boundary for every send (browsers and
    HTTP libraries do), so a retry differs from its first attempt only there."""
    prov, v = provider_with_voucher(server, sessions)
    r = ok(file(prov, [item(v, 1500)]), 201)
    path = f"/api/v1/redemptions/{r['id']}/attachments"
    key = {"Idempotency-Key": f"upload-{r['id']}"}
    body, headers = form("----first7MA4YWxkTrZu0gW", "发票.pdf", PDF_BYTES)
    first = prov.post(path, data=body, headers={**headers, **key})
    assert first.status_code == 201, first.text
    body, headers = form("----retry9f8e7d6c5b4a3210", "发票.pdf", PDF_BYTES)
    again = prov.post(path, data=body, headers={**headers, **key})
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    # Another file under the same key is another request.
    body, headers = form("----other0a1b2c3d4e5f6789", "证明.png", PNG_BYTES, "image/png")
    assert_error(prov.post(path, data=body, headers={**headers, **key}), 422,
                 "idempotency_key_reused", "Idempotency-Key")
    detail = ok(sessions["county_it"].get(f"/api/v1/redemptions/{r['id']}"))
    assert [a["filename"] for a in detail["attachments"]] == ["发票.pdf"]
    ok(prov.post(f"/api/v1/redemptions/{r['id']}/withdraw"))


def test_pending_counts_per_role(server, sessions):
    counts = ok(sessions["evaluator"].get("/api/v1/work/pending"))
    assert "to_evaluate" in counts and "to_pay" not in counts
    assert "to_pay" in ok(sessions["county_finance"].get("/api/v1/work/pending"))
    assert "drafts" in ok(sessions["provider"].get("/api/v1/work/pending"))


def test_claim_far_above_the_providers_usual_is_flagged_for_reviewers(server, sessions):
    """Three past approved claims of 10,000 fen (median 10,000, spread 0):
    a claim of 100,000 fen on a new application is shown to the evaluator
    and the county reviewer with its evidence; the provider does not see it."""
    prov, v = provider_with_voucher(server, sessions)
    it = published_item(prov, sessions["city_it"], list_price_fen=120_000, discount_price_fen=99_000)
    more = [voucher_of(server, sessions, prov, it["id"]) for _ in range(2)]
    ev, cit = sessions["evaluator"], sessions["county_it"]
    past = ok(file(prov, [item(x, 10_000) for x in [v] + more]), 201)
    ok(prov.post(f"/api/v1/redemptions/{past['id']}/submit"))
    ok(ev.post(f"/api/v1/redemptions/{past['id']}/evaluate", json={"scores": scores()}))
    ok(cit.post(f"/api/v1/redemptions/{past['id']}/review", json={"decision": "approve"}))
    # A voucher of the same provider in 兖州区, claimed far above the usual.
    cit2 = server.login("county_it_370812")
    ent = new_enterprise(server, cit2, county=OTHER_COUNTY)
    c = draft_by_provider(prov, ent.party["id"], [catalog_line(it["id"], 12, 99_000)],
                          program_id="jining-2018")
    vid = ok(ent.post(f"/api/v1/contracts/{c['id']}/confirm"), 201)["voucher"]["id"]
    big = ok(prov.post("/api/v1/redemptions", json={"county_code": OTHER_COUNTY, "period": PERIOD,
                                                     "items": [{"voucher_id": vid,
                                                                "service_desc": "上半年服务",
                                                                "fee_fen": 400_000,
                                                                "claim_fen": 100_000,
                                                                "invoice_nos": "1"}]}), 201)
    seen = ok(ev.get(f"/api/v1/redemptions/{big['id']}"))["warnings"]
    assert [w["code"] for w in seen] == ["claim_above_usual"]
    e = seen[0]["evidence"]
    assert (e["claim_fen"], e["median_fen"], e["history_count"]) == (100_000, 10_000, 3)
    assert [w["code"] for w in ok(cit2.get(f"/api/v1/redemptions/{big['id']}"))["warnings"]] == \
        ["claim_above_usual"]
    assert "warnings" not in ok(prov.get(f"/api/v1/redemptions/{big['id']}"))
    # A usual claim is not flagged.
    assert ok(ev.get(f"/api/v1/redemptions/{past['id']}"))["warnings"] == []


def test_the_list_filters_by_provider_status_period_county_and_date(server, sessions):
    """Issue 11, defect 4: 兑现申请 is searched by the provider's name or
    USCC, state, period, county (also by its older name county_code, which
    the home page's links use) and submission day; a county official asking
    for another county gets nothing."""
    (a, va), (b, vb) = provider_with_voucher(server, sessions), provider_with_voucher(server, sessions)
    ra = ok(file(a, [item(va, 10_000)]), 201)
    ok(a.post(f"/api/v1/redemptions/{ra['id']}/submit"))
    rb = ok(file(b, [item(vb, 10_000)]), 201)
    ok(b.post(f"/api/v1/redemptions/{rb['id']}/submit"))
    ok(b.post(f"/api/v1/redemptions/{rb['id']}/withdraw"))
    c = sessions["city_finance"]

    def ids(**params):
        r = c.get("/api/v1/redemptions", params={"page_size": 200, **params})
        assert r.status_code == 200, r.text[:300]
        return {x["id"] for x in r.json()["items"]}

    everything = ids()
    assert {ra["id"], rb["id"]} <= everything
    assert ids(q=a.party["name"]) == {ra["id"]}
    assert ids(q=b.party["uscc"][-10:]) == {rb["id"]}
    assert ids(q="没有这样的服务商") == set()
    withdrawn = ids(status="withdrawn")
    assert rb["id"] in withdrawn and ra["id"] not in withdrawn
    assert {ra["id"], rb["id"]} <= ids(period=PERIOD)
    assert ids(period="2018H2") & {ra["id"], rb["id"]} == set()
    for key in ("county", "county_code"):
        assert {ra["id"], rb["id"]} <= ids(**{key: HOME_COUNTY})
        assert ids(**{key: OTHER_COUNTY}) & {ra["id"], rb["id"]} == set()
    # the test clock submits on 2019-07-01
    assert {ra["id"], rb["id"]} <= ids(**{"from": "2019-07-01", "to": "2019-07-01"})
    assert ids(**{"from": "2019-07-02"}) & {ra["id"], rb["id"]} == set()
    assert ids(q=a.party["name"], status="withdrawn") == set()
    county = sessions["county_finance"]  # 任城区
    r = county.get("/api/v1/redemptions", params={"county": OTHER_COUNTY})
    assert r.status_code == 200 and r.json()["total"] == 0
    r = county.get("/api/v1/redemptions", params={"county_code": OTHER_COUNTY})
    assert r.status_code == 200 and r.json()["total"] == 0
