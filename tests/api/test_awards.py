"""Issue 10, deliver 4: 考核与奖补. city_it enters performance scores,
city_finance sets an award pool and weights, previews and posts it; the
posting funds each county's pool from the city award source once, however
often it is sent; benchmark enterprises and experience centres are paid
from the city account. Hand-built figures, written out:

- 2019 scores: 泗水县 90.00, 微山县 60.00, nobody else; weights
  performance 100; pool 100,001 fen → scores 1,000,000 and 666,600, quotas
  60,003.0004 and 39,997.9996: 60,003 and 39,998 (the fen left over goes to
  the larger remainder), every other county 0."""
from conftest import assert_error
from flows import assert_audit_sound, assert_ledger_sound, budget_row, ok, transfers_total

SISHUI, WEISHAN = "370831", "370826"
PERFORMANCE_ONLY = {"completion": 0, "penetration": 0, "disbursed": 0, "performance": 100}


def shares(allocation):
    return {r["county_code"]: r["share_fen"] for r in allocation["items"]}


def scored(s):
    return ok(s["city_it"].put("/api/v1/assessment/2019", json={"items": [
        {"county_code": SISHUI, "score_hundredths": 9000, "note": "考核优秀"},
        {"county_code": WEISHAN, "score_hundredths": 6000}]}))


def test_preview_then_post_books_once_and_the_ledger_checks(fresh_server):
    server = fresh_server
    s = {r: server.login(r) for r in ("city_it", "city_finance", "auditor")}
    scores = scored(s)
    assert {r["county_code"]: r["score_hundredths"] for r in scores["items"]
            if r["score_hundredths"] is not None} == {SISHUI: 9000, WEISHAN: 6000}
    fin = s["city_finance"]
    a = ok(fin.post("/api/v1/awards/allocations", json={
        "year": 2019, "pool_fen": 100_001, "weights": PERFORMANCE_ONLY,
        "reference": "济财教〔2019〕12号"}), 201)
    assert a["status"] == "draft" and a["allocatable"] is True
    got = shares(a)
    assert (got[SISHUI], got[WEISHAN]) == (60_003, 39_998)
    assert sum(got.values()) == 100_001 and len(got) == 14
    assert set(v for k, v in got.items() if k not in (SISHUI, WEISHAN)) == {0}
    row = next(r for r in a["items"] if r["county_code"] == WEISHAN)
    assert (row["normalised"]["performance"], row["score"]) == (6666, 666_600)
    assert row["measures"]["score_hundredths"] == 6000
    # The preview reads the same on GET, to every city-wide role.
    assert shares(ok(s["auditor"].get(f"/api/v1/awards/allocations/{a['id']}"))) == got
    before = {c: budget_row(fin, c)["funded_by_source"]["city_award"] for c in (SISHUI, WEISHAN)}
    n = transfers_total(fin)
    posted = ok(fin.post(f"/api/v1/awards/allocations/{a['id']}/post"))
    assert posted["status"] == "posted" and posted["already_posted"] is False
    assert shares(posted) == got
    assert transfers_total(fin) == n + 2  # one transfer per county with a share
    after = {c: budget_row(fin, c)["funded_by_source"]["city_award"] for c in (SISHUI, WEISHAN)}
    assert (after[SISHUI] - before[SISHUI], after[WEISHAN] - before[WEISHAN]) == (60_003, 39_998)
    ids = {r[0] for r in server.sql("SELECT id FROM ledger_transfers WHERE id LIKE ?", f"award:{a['id']}:%")}
    assert ids == {f"award:{a['id']}:{SISHUI}", f"award:{a['id']}:{WEISHAN}"}
    # Posting twice books once, and says so.
    again = ok(fin.post(f"/api/v1/awards/allocations/{a['id']}/post"))
    assert again["already_posted"] is True and shares(again) == got
    assert transfers_total(fin) == n + 2
    # Scores changed after posting do not change what was posted.
    ok(s["city_it"].put("/api/v1/assessment/2019", json={"items": [
        {"county_code": WEISHAN, "score_hundredths": 9000}]}))
    assert shares(ok(fin.get(f"/api/v1/awards/allocations/{a['id']}"))) == got
    assert_error(fin.patch(f"/api/v1/awards/allocations/{a['id']}", json={"pool_fen": 5}), 409,
                 "already_posted")
    trail = ok(s["auditor"].get("/api/v1/audit", params={"entity": "award_allocation"}))["items"]
    assert {e["action"] for e in trail} >= {"create", "post"}
    post = next(e for e in trail if e["action"] == "post")
    assert (post["before"]["status"], post["after"]["status"]) == ("draft", "posted")
    assert any(e["action"] == "set" for e in ok(s["auditor"].get(
        "/api/v1/audit", params={"entity": "county_score"}))["items"])
    assert_ledger_sound(server)
    assert_audit_sound(server)


def test_a_draft_follows_its_changes_and_all_zero_scores_allocate_nothing(fresh_server):
    server = fresh_server
    s = {r: server.login(r) for r in ("city_it", "city_finance")}
    fin = s["city_finance"]
    # Nobody has a score or a 2019 target: nothing to allocate by.
    a = ok(fin.post("/api/v1/awards/allocations", json={
        "year": 2019, "pool_fen": 500, "weights": PERFORMANCE_ONLY, "reference": "草稿"}), 201)
    assert a["allocatable"] is False and set(shares(a).values()) == {0}
    n = transfers_total(fin)
    assert_error(fin.post(f"/api/v1/awards/allocations/{a['id']}/post"), 422,
                 "nothing_to_allocate", "weights")
    assert transfers_total(fin) == n
    scored(s)
    # A pool of one fen goes whole to the best county.
    a = ok(fin.patch(f"/api/v1/awards/allocations/{a['id']}", json={"pool_fen": 1}))
    assert a["allocatable"] is True and shares(a)[SISHUI] == 1 and sum(shares(a).values()) == 1
    ok(fin.post(f"/api/v1/awards/allocations/{a['id']}/post"))
    assert_ledger_sound(server)


def test_roles_and_bad_input(server, sessions):
    s = sessions
    body = {"year": 2019, "pool_fen": 1000, "weights": PERFORMANCE_ONLY, "reference": "济财2019-1"}
    for role in ("city_it", "county_it", "county_finance", "auditor", "admin", "enterprise", "provider"):
        assert_error(s[role].post("/api/v1/awards/allocations", json=body), 403)
    for role in ("city_finance", "county_it", "auditor", "enterprise"):
        assert_error(s[role].put("/api/v1/assessment/2019", json={"items": []}), 403)
    for role in ("county_it", "enterprise", "evaluator"):
        assert_error(s[role].get("/api/v1/awards/allocations"), 403)
        assert_error(s[role].get("/api/v1/assessment", params={"year": 2019}), 403)
    fin = s["city_finance"]
    bad = [({**body, "weights": {**PERFORMANCE_ONLY, "performance": 90}}, "weights"),
           ({**body, "weights": {"performance": 100}}, "weights"),
           ({**body, "weights": {**PERFORMANCE_ONLY, "completion": -10, "performance": 110}}, "weights"),
           ({**body, "pool_fen": 0}, "pool_fen"),
           ({**body, "pool_fen": "1000"}, "pool_fen"),
           ({k: v for k, v in body.items() if k != "year"}, "year"),
           ({**body, "reference": ""}, "reference"),
           ({**body, "extra": 1}, "extra")]
    for b, field in bad:
        assert_error(fin.post("/api/v1/awards/allocations", json=b), 422, None, field)
    assert_error(fin.get("/api/v1/awards/allocations/nope"), 404)
    assert_error(fin.post("/api/v1/awards/allocations/nope/post"), 404)
    it = s["city_it"]
    assert_error(it.put("/api/v1/assessment/2019", json={"items": [
        {"county_code": SISHUI, "score_hundredths": 10001}]}), 422, None, "score_hundredths")
    assert_error(it.put("/api/v1/assessment/2019", json={"items": [
        {"county_code": "x", "score_hundredths": 1}]}), 422, None, "county_code")


def test_benchmark_enterprise_paid_from_the_city_account_once(server, sessions):
    s = sessions
    it, fin = s["city_it"], s["city_finance"]
    r = ok(it.post("/api/v1/awards/recipients", json={
        "kind": "benchmark_enterprise", "year": 2019, "county_code": "370811",
        "name": "济宁示范制造有限公司", "amount_fen": 500_000, "reason": "上云标杆企业"}), 201)
    assert (r["status"], r["amount_fen"], r["county_name"]) == ("recorded", 500_000, "任城区")
    centre = ok(it.post("/api/v1/awards/recipients", json={
        "kind": "experience_centre", "year": 2019, "county_code": "370812",
        "name": "兖州区企业上云体验中心", "amount_fen": 1_000_000, "reason": "体验中心建设"}), 201)
    assert centre["kind"] == "experience_centre"
    assert_error(it.post(f"/api/v1/awards/recipients/{r['id']}/pay", json={"reference": "x"}), 403)
    n = transfers_total(fin)
    paid = ok(fin.post(f"/api/v1/awards/recipients/{r['id']}/pay", json={"reference": "济财付2019-3"}))
    assert (paid["status"], paid["payment_reference"], paid["already_paid"]) == ("paid", "济财付2019-3", False)
    again = ok(fin.post(f"/api/v1/awards/recipients/{r['id']}/pay", json={"reference": "济财付2019-3"}))
    assert again["already_paid"] is True
    assert transfers_total(fin) == n + 1
    t = server.sql("SELECT debit_account, credit_account, amount_fen FROM ledger_transfers WHERE id = ?",
                   f"award-pay:{r['id']}")
    assert t == [("source:city_award", f"award:{r['id']}", 500_000)]
    listed = ok(s["auditor"].get("/api/v1/awards/recipients", params={"year": 2019}))
    statuses = {x["id"]: x["status"] for x in listed["items"]}
    assert (statuses[r["id"]], statuses[centre["id"]]) == ("paid", "recorded")
    assert_error(it.post("/api/v1/awards/recipients", json={
        "kind": "hero", "year": 2019, "county_code": "370811", "name": "甲", "amount_fen": 1,
        "reason": "乙"}), 422, None, "kind")
    assert_error(it.post("/api/v1/awards/recipients", json={
        "kind": "experience_centre", "year": 2019, "county_code": "370811", "name": "甲",
        "amount_fen": 0, "reason": "乙"}), 422, None, "amount_fen")
    assert_error(fin.post(f"/api/v1/awards/recipients/{centre['id']}/pay", json={}), 422, None, "reference")
    assert_error(fin.post("/api/v1/awards/recipients/nope/pay", json={"reference": "x"}), 404)
    assert_ledger_sound(server)
