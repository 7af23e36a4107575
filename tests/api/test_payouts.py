"""Issue 8, second half: the public notice (公示) with objections, payout
batches (集中兑付) that post and pay in the ledger, clawbacks (追回), and the
negative list's effect on applications — with exact fen and `ledger check`
after each step. The clock starts on Monday 2019-07-01; a notice opened
that day may close after the end of Monday 2019-07-08 (5 working days)."""
import datetime as dt
import threading

import pytest
import requests

from conftest import CST, HOME_COUNTY, all_pages, assert_error, new_official
from flows import assert_audit_sound, assert_ledger_sound, ok, relogin
from test_redemptions import file, item, provider_with_voucher, scores

OPENS = "2019-07-01"
CLOSE_DAY = "2019-07-08"


def sessions_of(server):
    return {r: server.login(r) for r in ("county_it", "county_finance", "evaluator", "city_it",
                                         "auditor", "enterprise")}


def approved(server, s, claim=33_333, bp=500, adjustment=1000):
    """A new provider's application, evaluated (bp deduction) and approved
    (adjustment): returns (provider, voucher, application)."""
    prov, v = provider_with_voucher(server, s)
    r = ok(file(prov, [item(v, claim)]), 201)
    ok(prov.post(f"/api/v1/redemptions/{r['id']}/submit"))
    ok(s["evaluator"].post(f"/api/v1/redemptions/{r['id']}/evaluate", json={
        "scores": scores(), "items": [{"voucher_id": v["voucher_id"], "quality_note": "宕机",
                                       "deduction": {"kind": "bp", "bp": bp}}]}))
    r = ok(s["county_it"].post(f"/api/v1/redemptions/{r['id']}/review", json={
        "decision": "approve", "items": [{"voucher_id": v["voucher_id"],
                                          "adjustment_fen": adjustment, "reason": "核减"}]}))
    assert r["status"] == "approved"
    return prov, v, r


def open_notice(s, ids, opens_on=OPENS):
    return s["county_it"].post("/api/v1/notices", json={"county_code": HOME_COUNTY,
                                                        "redemption_ids": ids,
                                                        "opens_on": opens_on})


def two_notices(server, s):
    """Two approved applications of new providers, each on a notice of its
    own (opening on the 1st and the 2nd of July 2019): [(provider, notice)]."""
    out = []
    for day in (OPENS, "2019-07-02"):
        prov, _, app = approved(server, s)
        out.append((prov, ok(open_notice(s, [app["id"]], opens_on=day), 201)))
    return out


def sound(server):
    assert_ledger_sound(server)
    assert_audit_sound(server)


def test_whole_cycle_with_exact_fen(fresh_server):
    server = fresh_server
    s = sessions_of(server)
    prov, v, app = approved(server, s)
    approved_fen = 33_333 - 1_667 - 1_000
    assert app["approved_fen"] == approved_fen == 30_666
    sound(server)
    # 公示: the earliest close is the end of the 5th working day after opening.
    n = ok(open_notice(s, [app["id"]]), 201)
    assert (n["opens_on"], n["close_day"], n["working_days"]) == (OPENS, CLOSE_DAY, 5)
    assert n["earliest_close_at"].startswith("2019-07-09T00:00:00")
    assert ok(prov.get(f"/api/v1/redemptions/{app['id']}"))["status"] == "in_notice"
    public = server.client()
    rows = ok(public.get(f"/api/v1/public/notices/{n['id']}"))
    assert [(i["voucher_code"], i["approved_fen"]) for i in rows["items"]] == [(v["code"], 30_666)]
    assert rows["items"][0]["enterprise_name"] == v["enterprise_name"]
    # An objection from the public; the contact never appears publicly.
    o = ok(public.post(f"/api/v1/public/notices/{n['id']}/objections", json={
        "name": "张三", "contact": "13800000000", "text": "该企业实际未使用此服务",
        "voucher_code": v["code"]}), 201)
    rows = ok(public.get(f"/api/v1/public/notices/{n['id']}"))
    assert "13800000000" not in str(rows) and "张三" not in str(rows)
    assert [x["status"] for x in rows["objections"]] == ["open"]
    assert "13800000000" in str(ok(s["county_it"].get(f"/api/v1/notices/{n['id']}")))
    # Not before the end of the close day; not with an open objection.
    assert_error(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"), 409, "notice_too_early")
    server.set_clock(dt.datetime(2019, 7, 8, 23, 59, tzinfo=CST))
    s = sessions_of(server)
    assert_error(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"), 409, "notice_too_early")
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    s = sessions_of(server)
    assert_error(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"), 409, "objection_open")
    # Paying before the notice closed is refused.
    assert_error(s["county_finance"].post("/api/v1/payouts", json={
        "county_code": HOME_COUNTY, "redemption_ids": [app["id"]]}), 409, "notice_not_closed")
    ok(s["county_it"].post(f"/api/v1/objections/{o['id']}/resolve",
                           json={"decision": "dismiss", "reason": "经核查服务已交付"}))
    rows = ok(public.get(f"/api/v1/public/notices/{n['id']}"))
    assert [(x["status"], x["resolution"]) for x in rows["objections"]] == [("dismissed", "经核查服务已交付")]
    closed = ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    assert closed["status"] == "closed"
    assert ok(s["county_it"].get(f"/api/v1/redemptions/{app['id']}"))["status"] == "noticed"
    sound(server)
    # 集中兑付: a batch, the bank file, the payment.
    fin = s["county_finance"]
    before = [b for b in ok(fin.get("/api/v1/budgets", params={"year": 2019}))["items"]
              if b["county_code"] == HOME_COUNTY][0]
    batch = ok(fin.post("/api/v1/payouts", json={"county_code": HOME_COUNTY,
                                                 "redemption_ids": [app["id"]]}), 201)
    assert batch["total_fen"] == 30_666 and batch["status"] == "draft"
    assert [(i["voucher_code"], i["amount_fen"]) for i in batch["items"]] == [(v["code"], 30_666)]
    xlsx = fin.get(f"/api/v1/payouts/{batch['id']}/bank.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "spreadsheetml" in xlsx.headers["Content-Type"]
    paid = ok(fin.post(f"/api/v1/payouts/{batch['id']}/paid",
                       json={"paid_on": "2019-07-09", "reference": "任财付〔2019〕88号"},
                       headers={"Idempotency-Key": "pay-1"}))
    assert paid["status"] == "paid" and paid["reference"] == "任财付〔2019〕88号"
    transfers = ok(fin.get("/api/v1/ledger/transfers", params={"page_size": 1}))["total"]
    again = fin.post(f"/api/v1/payouts/{batch['id']}/paid",
                     json={"paid_on": "2019-07-09", "reference": "任财付〔2019〕88号"},
                     headers={"Idempotency-Key": "pay-1"})
    assert again.status_code == 200 and again.headers.get("Idempotent-Replayed") == "true"
    assert_error(fin.post(f"/api/v1/payouts/{batch['id']}/paid",
                          json={"paid_on": "2019-07-09", "reference": "任财付〔2019〕88号"}),
                 409, "already_paid")
    assert ok(fin.get("/api/v1/ledger/transfers", params={"page_size": 1}))["total"] == transfers
    # The county's finance office sees its own payment in its ledger view;
    # another county's does not.
    def payments(client):
        return [(t["debit_account"], t["amount_fen"]) for t in
                all_pages(client, "/api/v1/ledger/transfers")
                if t["credit_account"] == f"paid:{HOME_COUNTY}"]
    assert payments(fin) == [(f"voucher:{v['voucher_id']}", 30_666)]
    new_official(server.login("admin"), "cf370812", role="county_finance", county="370812")
    assert payments(server.login("cf370812", "Officer-Pass-2019")) == []
    vch = ok(s["county_it"].get(f"/api/v1/vouchers/{v['voucher_id']}"))
    assert (vch["status"], vch["redeemed_fen"]) == ("partially_redeemed", 30_666)
    assert vch["remaining_fen"] == 297_000 - 30_666
    after = [b for b in ok(fin.get("/api/v1/budgets", params={"year": 2019}))["items"]
             if b["county_code"] == HOME_COUNTY][0]
    assert after["posted_fen"] - before["posted_fen"] == 30_666
    assert after["paid_fen"] - before["paid_fen"] == 30_666
    assert after["reserved_fen"] - before["reserved_fen"] == -30_666
    prov = relogin(server, prov)
    assert ok(prov.get(f"/api/v1/redemptions/{app['id']}"))["items"][0]["paid_fen"] == 30_666
    sound(server)
    # 追回: money recovered goes back to the pool; the redeemed figure goes down.
    assert_error(fin.post("/api/v1/clawbacks", json={
        "redemption_id": app["id"], "voucher_id": v["voucher_id"], "amount_fen": 30_667,
        "reason": "虚报", "evidence": "审计报告"}), 422, None, "amount_fen")
    recovery = {"redemption_id": app["id"], "voucher_id": v["voucher_id"], "amount_fen": 10_000,
                "reason": "部分服务未交付", "evidence": "审计报告 2019-12"}
    first = ok(fin.post("/api/v1/clawbacks", json=recovery), 201)
    transfers = ok(fin.get("/api/v1/ledger/transfers", params={"page_size": 1}))["total"]
    # The same recovery sent again without an Idempotency-Key (a retry) is
    # the one already booked (SPEC §6: a retried request never books twice).
    assert ok(fin.post("/api/v1/clawbacks", json=recovery), 201)["id"] == first["id"]
    assert ok(fin.get("/api/v1/ledger/transfers", params={"page_size": 1}))["total"] == transfers
    assert ok(fin.get("/api/v1/clawbacks", params={"page_size": 100}))["total"] == 1
    vch = ok(s["county_it"].get(f"/api/v1/vouchers/{v['voucher_id']}"))
    assert (vch["status"], vch["redeemed_fen"]) == ("partially_redeemed", 20_666)
    # The money went back to the pool, not to the voucher: what is left to
    # claim is unchanged, and every view of the voucher says so.
    assert (vch["clawed_back_fen"], vch["remaining_fen"]) == (10_000, 297_000 - 30_666)
    listed = ok(s["county_it"].get("/api/v1/vouchers", params={"q": v["code"]}))["items"]
    assert [(x["clawed_back_fen"], x["remaining_fen"]) for x in listed] == \
        [(10_000, 297_000 - 30_666)]
    public = requests.get(server.url(f"/api/v1/public/vouchers/{v['code']}"), timeout=60)
    assert public.status_code == 200 and public.json()["remaining_fen"] == 297_000 - 30_666
    prov = relogin(server, prov)
    claimable = ok(prov.get("/api/v1/redemptions/claimable",
                            params={"county_code": HOME_COUNTY, "period": "2019H2"}))["items"]
    assert [x["claimable_fen"] for x in claimable if x["code"] == v["code"]] == \
        [297_000 - 30_666]
    end = [b for b in ok(fin.get("/api/v1/budgets", params={"year": 2019}))["items"]
           if b["county_code"] == HOME_COUNTY][0]
    assert end["available_fen"] - after["available_fen"] == 10_000
    # The budget report: recovered money is neither funding nor redemption.
    # 拨入 stays the sum of its sources, 已兑现 and 已拨付 go down (net, as
    # the vouchers and the payment reports count them), 已追回 says it.
    assert end["recovered_fen"] - after["recovered_fen"] == 10_000
    assert end["funded_fen"] == after["funded_fen"] == sum(end["funded_by_source"].values())
    assert (end["posted_fen"] - after["posted_fen"], end["paid_fen"] - after["paid_fen"]) == \
        (-10_000, -10_000)
    assert end["available_fen"] == end["funded_fen"] - end["reserved_fen"] - end["posted_fen"]
    trail = ok(s["auditor"].get("/api/v1/audit", params={"entity": "clawback"}))["items"]
    assert trail and "部分服务未交付" in str(trail[0])
    sound(server)
    # Issue 11, defect 4: 集中兑付 and 资金追回 are filtered by status, the
    # reference / voucher code or reason, county and day (the test clock's
    # day is 2019-07-01 or later); a bad value is refused naming the field;
    # a county official asking for another county gets nothing.
    city = server.login("city_finance")

    def ids(path, **params):
        r = city.get(path, params={"page_size": 100, **params})
        assert r.status_code == 200, r.text[:300]
        return {x["id"] for x in r.json()["items"]}

    assert batch["id"] in ids("/api/v1/payouts", status="paid")
    assert batch["id"] not in ids("/api/v1/payouts", status="draft")
    assert ids("/api/v1/payouts", q="〔2019〕88") == {batch["id"]}
    assert ids("/api/v1/payouts", q="没有这个流水号") == set()
    assert batch["id"] in ids("/api/v1/payouts", county=HOME_COUNTY)
    assert ids("/api/v1/payouts", county="370812") == set()
    assert ids("/api/v1/payouts", to="2019-06-30") == set()
    assert batch["id"] in ids("/api/v1/payouts", **{"from": "2019-07-01"})
    claws = ids("/api/v1/clawbacks")
    assert len(claws) == 1
    assert ids("/api/v1/clawbacks", q="未交付") == claws
    assert ids("/api/v1/clawbacks", q=v["code"]) == claws
    assert ids("/api/v1/clawbacks", q="没有这个原因") == set()
    assert ids("/api/v1/clawbacks", county=HOME_COUNTY) == claws
    assert ids("/api/v1/clawbacks", county="370812") == set()
    assert ids("/api/v1/clawbacks", to="2019-06-30") == set()
    for path, field, value in (("/api/v1/payouts", "status", "nonsense"),
                               ("/api/v1/payouts", "from", "2019-7-1"),
                               ("/api/v1/payouts", "county", "任城区"),
                               ("/api/v1/clawbacks", "status", "paid"),
                               ("/api/v1/clawbacks", "to", "昨天")):
        assert_error(city.get(path, params={field: value}), 422, "invalid_field", field)
    for path in ("/api/v1/payouts", "/api/v1/clawbacks"):
        assert ok(fin.get(path, params={"county": "370812"}))["total"] == 0, path
        assert ok(fin.get(path, params={"county": HOME_COUNTY}))["total"] >= 1, path


def test_upheld_objection_sends_the_application_back_to_review(fresh_server):
    server = fresh_server
    s = sessions_of(server)
    _, v1, a1 = approved(server, s)
    _, v2, a2 = approved(server, s, claim=50_000, bp=0, adjustment=0)
    n = ok(open_notice(s, [a1["id"], a2["id"]]), 201)
    assert sorted(n["redemption_ids"]) == sorted([a1["id"], a2["id"]])
    assert "redemption_id" not in str(ok(server.client().get(f"/api/v1/public/notices/{n['id']}")))
    public = server.client()
    o = ok(public.post(f"/api/v1/public/notices/{n['id']}/objections", json={
        "name": "李四", "contact": "li@example.com", "text": "发票重复。\n第二张发票与第一张号码相同。",
        "voucher_code": v2["code"]}), 201)
    assert ok(s["county_it"].get("/api/v1/work/pending"))["objections_open"] == 1
    ok(s["county_it"].post(f"/api/v1/objections/{o['id']}/resolve",
                           json={"decision": "uphold", "reason": "发票重复，退回重新审核"}))
    back = ok(s["county_it"].get(f"/api/v1/redemptions/{a2['id']}"))
    assert back["status"] == "evaluated"
    # The annulled approval's figures are gone; the last review is shown as superseded.
    assert back["approved_fen"] == 0 and back["items"][0]["approved_fen"] == 0
    assert back["review"]["decision"] == "superseded"
    assert ok(s["county_it"].get("/api/v1/work/pending"))["objections_open"] == 0
    codes = [i["voucher_code"] for i in ok(public.get(f"/api/v1/public/notices/{n['id']}"))["items"]]
    assert codes == [v1["code"]]
    assert_error(s["county_it"].post(f"/api/v1/objections/{o['id']}/resolve",
                                     json={"decision": "dismiss", "reason": "x"}), 409)
    # The other one upheld too: nothing is left on the notice to object to, so
    # a further objection is refused (it would only hold the empty notice open).
    o1 = ok(public.post(f"/api/v1/public/notices/{n['id']}/objections", json={
        "name": "王五", "contact": "13800000000", "text": "服务未交付", "voucher_code": v1["code"]}), 201)
    ok(s["county_it"].post(f"/api/v1/objections/{o1['id']}/resolve",
                           json={"decision": "uphold", "reason": "服务未交付，退回重新审核"}))
    assert ok(public.get(f"/api/v1/public/notices/{n['id']}"))["items"] == []
    assert_error(public.post(f"/api/v1/public/notices/{n['id']}/objections", json={
        "name": "赵六", "contact": "13900000000", "text": "其他问题"}), 409, "notice_empty")
    assert ok(s["county_it"].get("/api/v1/work/pending"))["objections_open"] == 0
    sound(server)


def test_objections_are_rate_limited_per_address(fresh_server):
    server = fresh_server
    s = sessions_of(server)
    _, v, a = approved(server, s)
    n = ok(open_notice(s, [a["id"]]), 201)
    public = server.client()
    body = {"name": "王五", "contact": "13900000000", "text": "请核查"}
    for k in range(5):
        ok(public.post(f"/api/v1/public/notices/{n['id']}/objections", json=body,
                       headers={"X-Request-Id": f"objection-probe-{k}"}), 201)
    # an anonymous filing is audited like any change: address and request id
    filed = ok(s["auditor"].get("/api/v1/audit", params={"entity": "objection"}))["items"]
    assert sorted(e["request_id"] for e in filed if e["action"] == "file") == \
        [f"objection-probe-{k}" for k in range(5)]
    assert all(e["client_addr"] == "127.0.0.1" for e in filed)
    r = public.post(f"/api/v1/public/notices/{n['id']}/objections", json=body)
    assert_error(r, 429, "too_many_objections")
    assert r.headers.get("Retry-After")
    assert_error(public.post(f"/api/v1/public/notices/{n['id']}/objections",
                             json={"name": "x", "contact": "y"}), 422, None, "text")


def test_an_objection_needs_a_contact_that_reaches_the_objector(fresh_server):
    server = fresh_server
    s = sessions_of(server)
    _, v, a = approved(server, s)
    n = ok(open_notice(s, [a["id"]]), 201)
    public = server.client()
    url = f"/api/v1/public/notices/{n['id']}/objections"
    for bad in ("abc", "123", "电话", "li@", "138-0000-000a"):
        err = assert_error(public.post(url, json={"name": "张三", "contact": bad, "text": "发票存疑"}),
                           422, "invalid_field", "contact")
        assert "电话" in err["message"] and "邮箱" in err["message"]
    assert server.sql("SELECT COUNT(*) FROM objections")[0][0] == 0
    for good in ("13800000000", "0537-2345678", "+86 138 0000 0000", "li@example.com"):
        ok(public.post(url, json={"name": "张三", "contact": good, "text": "发票存疑"}), 201)


def test_negative_listing_a_provider_mid_cycle_rejects_its_open_applications(fresh_server):
    server = fresh_server
    s = sessions_of(server)
    prov, v, a = approved(server, s)
    n = ok(open_notice(s, [a["id"]]), 201)
    ok(s["city_it"].post("/api/v1/negative-list", json={
        "uscc": prov.party["uscc"], "reason": "虚假申报", "evidence": "核查报告"}), 201)
    r = ok(s["county_it"].get(f"/api/v1/redemptions/{a['id']}"))
    assert r["status"] == "rejected" and "负面清单" in r["review"]["note"]
    assert "虚假申报" in r["review"]["note"], r["review"]  # the listing's own reason
    # the officials' list names who listed it by name, not only by username
    entry = [x for x in ok(s["city_it"].get("/api/v1/negative-list"))["items"]
             if x["uscc"] == prov.party["uscc"]][0]
    assert (entry["added_by"], entry["added_by_name"]) == ("city_it", s["city_it"].user["display_name"])
    # nothing of it stays approved: the list, the record and its items say 0
    assert r["approved_fen"] == 0 and [i["approved_fen"] for i in r["items"]] == [0]
    listed = ok(s["county_it"].get("/api/v1/redemptions", params={"status": "rejected"}))["items"]
    assert [x["approved_fen"] for x in listed if x["id"] == a["id"]] == [0]
    # the review names whose act rejected it: the city's listing, not the county's approval
    assert (r["review"]["decision"], r["review"]["reviewed_by"]) == ("reject", "city_it")
    assert ok(server.client().get(f"/api/v1/public/notices/{n['id']}"))["items"] == []
    vch = ok(s["county_it"].get(f"/api/v1/vouchers/{v['voucher_id']}"))
    assert vch["status"] == "terminated" and vch["redeemed_fen"] == 0
    sound(server)


def test_two_payments_and_a_termination_race_on_one_voucher(fresh_server):
    server = fresh_server
    s = sessions_of(server)
    prov, v, a = approved(server, s)
    n = ok(open_notice(s, [a["id"]]), 201)
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    s = sessions_of(server)
    ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    batch = ok(s["county_finance"].post("/api/v1/payouts", json={
        "county_code": HOME_COUNTY, "redemption_ids": [a["id"]]}), 201)
    contract_id = ok(s["county_it"].get(f"/api/v1/vouchers/{v['voucher_id']}"))["contract_id"]
    fins = [server.login("county_finance") for _ in range(2)]
    answers = []
    barrier = threading.Barrier(3)

    def pay(c):
        barrier.wait()
        answers.append(("pay", c.post(f"/api/v1/payouts/{batch['id']}/paid",
                                      json={"paid_on": "2019-07-09", "reference": "R-1"}).status_code))

    def terminate():
        barrier.wait()
        answers.append(("terminate", s["county_it"].post(f"/api/v1/contracts/{contract_id}/terminate",
                                                         json={"reason": "未履行"}).status_code))

    threads = [threading.Thread(target=pay, args=(c,)) for c in fins] + [threading.Thread(target=terminate)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pays = sorted(code for what, code in answers if what == "pay")
    assert pays in ([200, 409], [409, 409]), answers
    vch = ok(s["county_it"].get(f"/api/v1/vouchers/{v['voucher_id']}"))
    if pays == [200, 409]:
        assert vch["redeemed_fen"] == 30_666
    else:
        assert vch["redeemed_fen"] == 0 and vch["status"] == "terminated"
    sound(server)


def test_the_notice_list_filters_by_provider_status_period_county_and_day(fresh_server):
    """Issue 11, defect 4: 公示管理 is searched by a provider of its
    applications (name or USCC), state, period, county and opening day; a
    bad value is refused naming the field; a county official asking for
    another county gets nothing."""
    server = fresh_server
    s = sessions_of(server)
    (pa, na), (pb, nb) = two_notices(server, s)
    c = server.login("city_finance")

    def ids(**params):
        r = c.get("/api/v1/notices", params={"page_size": 100, **params})
        assert r.status_code == 200, r.text[:300]
        return {x["id"] for x in r.json()["items"]}

    assert ids() == {na["id"], nb["id"]}
    assert ids(q=pa.party["name"]) == {na["id"]}
    assert ids(q=pb.party["uscc"][-10:]) == {nb["id"]}
    assert ids(q="没有这样的服务商") == set()
    assert ids(status="open") == {na["id"], nb["id"]}
    assert ids(status="closed") == set()
    assert ids(period="2019H1") == {na["id"], nb["id"]}
    assert ids(period="2018H2") == set()
    assert ids(county=HOME_COUNTY) == {na["id"], nb["id"]}
    assert ids(county="370812") == set()
    assert ids(**{"from": "2019-07-02"}) == {nb["id"]}
    assert ids(to="2019-07-01") == {na["id"]}
    for field, value in (("status", "nonsense"), ("period", "2019H3"), ("county", "任城区"),
                         ("from", "2019-7-1")):
        assert_error(c.get("/api/v1/notices", params={field: value}), 422, "invalid_field", field)
    other = server.login("county_finance")  # 任城区: its own notices only
    r = other.get("/api/v1/notices", params={"county": "370812"})
    assert r.status_code == 200 and r.json()["total"] == 0
    r = other.get("/api/v1/notices", params={"county": HOME_COUNTY})
    assert r.status_code == 200 and r.json()["total"] == 2


def test_batches_and_notices_carry_business_numbers(fresh_server):
    """Issue 11: a payout batch and a notice are shown by a business number
    (ZF-<county>-<yyyymm>-<seq>, GS-<year>-<seq>), never by the internal id;
    the numbers count up, are in lists, details, the public notice and the
    exports, and the list keyword finds them."""
    server = fresh_server
    s = sessions_of(server)
    (_, na), (_, nb) = two_notices(server, s)
    a, b = (n["redemption_ids"][0] for n in (na, nb))
    assert (na["notice_no"], nb["notice_no"]) == ("GS-2019-0001", "GS-2019-0002")
    c = server.login("city_finance")
    rows = ok(c.get("/api/v1/notices", params={"q": "GS-2019-0002"}))["items"]
    assert [x["id"] for x in rows] == [nb["id"]] and rows[0]["notice_no"] == "GS-2019-0002"
    assert ok(c.get(f"/api/v1/notices/{na['id']}"))["notice_no"] == "GS-2019-0001"
    public = server.client()
    # 公示 starts on its opening day: the public sees the notice that opens
    # tomorrow only from tomorrow on; the officials see it at once, marked.
    assert ok(c.get(f"/api/v1/notices/{nb['id']}"))["upcoming"] is True
    assert ok(c.get(f"/api/v1/notices/{na['id']}"))["upcoming"] is False
    assert_error(public.get(f"/api/v1/public/notices/{nb['id']}"), 404, "not_found")
    assert_error(public.post(f"/api/v1/public/notices/{nb['id']}/objections", json={
        "name": "张三", "contact": "13800000000", "text": "提前异议"}), 404, "not_found")
    assert {x["notice_no"] for x in ok(public.get("/api/v1/public/notices"))["items"]} == {
        "GS-2019-0001"}
    server.set_clock(dt.datetime(2019, 7, 2, 9, 0, tzinfo=CST))
    c = server.login("city_finance")
    assert ok(c.get(f"/api/v1/notices/{nb['id']}"))["upcoming"] is False
    assert ok(public.get(f"/api/v1/public/notices/{nb['id']}"))["notice_no"] == "GS-2019-0002"
    assert {x["notice_no"] for x in ok(public.get("/api/v1/public/notices"))["items"]} == {
        "GS-2019-0001", "GS-2019-0002"}
    csv = c.get("/api/v1/notices", params={"format": "csv"})
    assert csv.status_code == 200 and "公示编号" in csv.text and "GS-2019-0002" in csv.text
    assert na["id"] not in csv.text
    # Both notices closed: two batches of the county in July 2019.
    server.set_clock(dt.datetime(2019, 7, 10, 9, 0, tzinfo=CST))
    s = sessions_of(server)
    for n in (na, nb):
        ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    fin = s["county_finance"]
    b1 = ok(fin.post("/api/v1/payouts", json={"county_code": HOME_COUNTY,
                                              "redemption_ids": [a]}), 201)
    b2 = ok(fin.post("/api/v1/payouts", json={"county_code": HOME_COUNTY,
                                              "redemption_ids": [b]}), 201)
    assert b1["batch_no"] == f"ZF-{HOME_COUNTY}-201907-001"
    assert b2["batch_no"] == f"ZF-{HOME_COUNTY}-201907-002"
    c = server.login("city_finance")
    rows = ok(c.get("/api/v1/payouts", params={"q": "201907-002"}))["items"]
    assert [x["id"] for x in rows] == [b2["id"]] and rows[0]["batch_no"] == b2["batch_no"]
    assert ok(c.get(f"/api/v1/payouts/{b1['id']}"))["batch_no"] == b1["batch_no"]
    csv = c.get("/api/v1/payouts", params={"format": "csv"})
    assert csv.status_code == 200 and "批次号" in csv.text and b2["batch_no"] in csv.text
    assert b1["id"] not in csv.text


def test_a_payment_dated_before_its_batch_was_made_is_refused(fresh_server):
    """The money leaves after the notice closed and the batch was made: a
    payment dated 2019-06-01 for a batch made on 2019-07-09 cannot be true."""
    server = fresh_server
    s = sessions_of(server)
    _, v, a = approved(server, s)
    n = ok(open_notice(s, [a["id"]]), 201)
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    s = sessions_of(server)
    ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    fin = s["county_finance"]
    batch = ok(fin.post("/api/v1/payouts", json={"county_code": HOME_COUNTY,
                                                 "redemption_ids": [a["id"]]}), 201)
    transfers = ok(fin.get("/api/v1/ledger/transfers", params={"page_size": 1}))["total"]
    for day in ("2019-06-01", "2019-07-08"):
        err = assert_error(fin.post(f"/api/v1/payouts/{batch['id']}/paid",
                                    json={"paid_on": day, "reference": "任财付〔2019〕90号"}),
                           422, "invalid_field", "paid_on")
        assert "2019-07-09" in err["message"]
    assert ok(fin.get(f"/api/v1/payouts/{batch['id']}"))["status"] == "draft"
    assert ok(fin.get("/api/v1/ledger/transfers", params={"page_size": 1}))["total"] == transfers
    assert ok(s["county_it"].get(f"/api/v1/vouchers/{v['voucher_id']}"))["redeemed_fen"] == 0
    paid = ok(fin.post(f"/api/v1/payouts/{batch['id']}/paid",
                       json={"paid_on": "2019-07-09", "reference": "任财付〔2019〕90号"}))
    assert (paid["status"], paid["paid_on"]) == ("paid", "2019-07-09")
    sound(server)


def test_an_application_listed_twice_on_a_notice_or_batch_is_refused_as_bad_input(fresh_server):
    """The same id twice is the caller's slip: 422 naming the second one,
    not a conflict saying it is already on a notice or in another batch."""
    server = fresh_server
    s = sessions_of(server)
    _, _, a = approved(server, s)
    err = assert_error(open_notice(s, [a["id"], a["id"]]), 422, "invalid_field", "redemption_ids[1]")
    assert "redemption_ids[0]" in err["message"]
    assert ok(s["county_it"].get(f"/api/v1/redemptions/{a['id']}"))["status"] == "approved"
    n = ok(open_notice(s, [a["id"]]), 201)
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    s = sessions_of(server)
    ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    fin = s["county_finance"]
    assert_error(fin.post("/api/v1/payouts", json={"county_code": HOME_COUNTY,
                                                   "redemption_ids": [a["id"], a["id"]]}),
                 422, "invalid_field", "redemption_ids[1]")
    assert ok(fin.get("/api/v1/payouts", params={"county": HOME_COUNTY}))["total"] == 0
    batch = ok(fin.post("/api/v1/payouts", json={"county_code": HOME_COUNTY,
                                                 "redemption_ids": [a["id"]]}), 201)
    assert batch["total_fen"] == a["approved_fen"]


def test_terminating_a_contract_rejects_its_open_application_and_the_batch_pays_the_rest(fresh_server):
    """SPEC §5: a terminated voucher's reservation goes back to the pool, so
    an application claiming on it cannot be paid. It is rejected with the
    reason and leaves its batch; the batch pays the others (it stayed
    unpayable before: 409 on every attempt, with no way to take it out)."""
    server = fresh_server
    s = sessions_of(server)
    _, v1, a1 = approved(server, s)
    _, v2, a2 = approved(server, s)
    n = ok(open_notice(s, [a1["id"], a2["id"]]), 201)
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    s = sessions_of(server)
    ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    fin = s["county_finance"]
    batch = ok(fin.post("/api/v1/payouts", json={"county_code": HOME_COUNTY,
                                                 "redemption_ids": [a1["id"], a2["id"]]}), 201)
    assert batch["total_fen"] == 2 * 30_666
    contract = ok(s["county_it"].get(f"/api/v1/vouchers/{v1['voucher_id']}"))["contract_id"]
    ok(s["county_it"].post(f"/api/v1/contracts/{contract}/terminate", json={"reason": "未履行"}))
    gone = ok(s["county_it"].get(f"/api/v1/redemptions/{a1['id']}"))
    assert gone["status"] == "rejected" and "合同已终止" in gone["review"]["note"]
    assert gone["approved_fen"] == 0 and [i["approved_fen"] for i in gone["items"]] == [0]
    assert ok(fin.get(f"/api/v1/payouts/{batch['id']}"))["total_fen"] == 30_666
    paid = ok(fin.post(f"/api/v1/payouts/{batch['id']}/paid",
                       json={"paid_on": "2019-07-09", "reference": "任财付〔2019〕91号"}))
    assert paid["status"] == "paid" and paid["total_fen"] == 30_666
    assert [i["voucher_code"] for i in paid["items"]] == [v2["code"]]
    assert ok(s["county_it"].get(f"/api/v1/vouchers/{v2['voucher_id']}"))["redeemed_fen"] == 30_666
    vch = ok(s["county_it"].get(f"/api/v1/vouchers/{v1['voucher_id']}"))
    assert (vch["status"], vch["redeemed_fen"]) == ("terminated", 0)
    trail = ok(s["auditor"].get(
        "/api/v1/audit", params={"entity": "redemption", "entity_id": a1["id"]}))["items"]
    assert "disqualify" in [e["action"] for e in trail]
    # Only this application's entries: the paid one's are not among them.
    assert {e["entity_id"] for e in trail} == {a1["id"]}
    sound(server)


def test_a_batch_whose_applications_were_all_rejected_is_not_paid(fresh_server):
    server = fresh_server
    s = sessions_of(server)
    _, v, a = approved(server, s)
    n = ok(open_notice(s, [a["id"]]), 201)
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    s = sessions_of(server)
    ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    fin = s["county_finance"]
    batch = ok(fin.post("/api/v1/payouts", json={"county_code": HOME_COUNTY,
                                                 "redemption_ids": [a["id"]]}), 201)
    contract = ok(s["county_it"].get(f"/api/v1/vouchers/{v['voucher_id']}"))["contract_id"]
    ok(s["county_it"].post(f"/api/v1/contracts/{contract}/terminate", json={"reason": "未履行"}))
    transfers = ok(fin.get("/api/v1/ledger/transfers", params={"page_size": 1}))["total"]
    assert_error(fin.post(f"/api/v1/payouts/{batch['id']}/paid",
                          json={"paid_on": "2019-07-09", "reference": "任财付〔2019〕92号"}),
                 409, "batch_empty")
    assert ok(fin.get(f"/api/v1/payouts/{batch['id']}"))["status"] == "draft"
    assert ok(fin.get("/api/v1/ledger/transfers", params={"page_size": 1}))["total"] == transfers
    sound(server)


def test_every_step_of_the_cycle_records_the_values_before_and_after(fresh_server):
    """SPEC §10: every change records the values before and after. The
    steps after the review recorded only the after (before was null)."""
    server = fresh_server
    s = sessions_of(server)
    prov, v = provider_with_voucher(server, s)
    r = ok(file(prov, [item(v, 20_000)]), 201)
    ok(prov.patch(f"/api/v1/redemptions/{r['id']}", json={"items": [item(v, 33_333)]}))
    ok(prov.post(f"/api/v1/redemptions/{r['id']}/submit"))
    ok(s["evaluator"].post(f"/api/v1/redemptions/{r['id']}/evaluate", json={"scores": scores()}))
    app = ok(s["county_it"].post(f"/api/v1/redemptions/{r['id']}/review", json={"decision": "approve"}))
    n = ok(open_notice(s, [app["id"]]), 201)
    o = ok(server.client().post(f"/api/v1/public/notices/{n['id']}/objections", json={
        "name": "张三", "contact": "13800000000", "text": "请核查"}), 201)
    ok(s["county_it"].post(f"/api/v1/objections/{o['id']}/resolve",
                           json={"decision": "dismiss", "reason": "经核查服务已交付"}))
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    s = sessions_of(server)
    ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    fin = s["county_finance"]
    batch = ok(fin.post("/api/v1/payouts", json={"county_code": HOME_COUNTY,
                                                 "redemption_ids": [app["id"]]}), 201)
    ok(fin.post(f"/api/v1/payouts/{batch['id']}/paid",
                json={"paid_on": "2019-07-09", "reference": "任财付〔2019〕93号"}))

    def entry(entity, entity_id, action):
        rows = [e for e in ok(s["auditor"].get("/api/v1/audit", params={
            "entity": entity, "entity_id": entity_id, "page_size": 200}))["items"]
            if e["action"] == action]
        assert len(rows) == 1, (entity, action, rows)
        return rows[0]

    for (entity, entity_id, action), before, after in (
            (("redemption", app["id"], "notice_open"), "approved", "in_notice"),
            (("objection", o["id"], "dismiss"), "open", "dismissed"),
            (("notice", n["id"], "close"), "open", "closed"),
            (("redemption", app["id"], "pay"), "noticed", "paid"),
            (("payout", batch["id"], "paid"), "draft", "paid")):
        e = entry(entity, entity_id, action)
        assert (e["before"]["status"], e["after"]["status"]) == (before, after), e
    e = entry("redemption", app["id"], "edit")
    assert [i["claim_fen"] for i in e["before"]["items"]] == [20_000]
    assert [i["claim_fen"] for i in e["after"]["items"]] == [33_333]
    sound(server)
