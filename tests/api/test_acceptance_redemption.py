"""Acceptance checks of issue 8 (redemption) found by an outside tester's
walk, each a behaviour a provider or a county official would notice.
The clock starts on 2019-07-01."""
import datetime as dt

from conftest import CST, HOME_COUNTY, YQ_BIN, assert_error, clean_env
from flows import assert_audit_sound, assert_ledger_sound, ok, relogin
from test_redemptions import item, provider_with_voucher, scores
from test_payouts import sessions_of

import subprocess


def run_jobs(server, cwd):
    job = subprocess.run([YQ_BIN, "jobs", "run", "--db", str(server.db), "--clock-file",
                          str(server.clock_path)], cwd=str(cwd), env=clean_env(),
                         capture_output=True, text=True, timeout=120)
    assert job.returncode == 0, job.stdout + job.stderr
    return job.stdout


def test_a_voucher_with_a_filed_claim_does_not_expire_under_it(fresh_server, tmp_path):
    """SPEC §5: a voucher expires when its service period is over plus a
    grace period *with nothing claimed*. A provider that filed its 2020H1
    claim in July 2020 (service ended 2020-06-30) must not find the voucher
    expired and its reservation released while the county is still
    reviewing the claim (90 days' grace ends 2020-09-28). A voucher whose
    only application is an unsubmitted draft has claimed nothing."""
    server = fresh_server
    s = sessions_of(server)
    prov, v = provider_with_voucher(server, s)          # service 2019-07-01..2020-06-30
    prov2, v2 = provider_with_voucher(server, s)
    server.set_clock(dt.datetime(2020, 7, 2, 9, 0, tzinfo=CST))
    prov, prov2 = relogin(server, prov), relogin(server, prov2)
    filed = ok(prov.post("/api/v1/redemptions", json={
        "county_code": HOME_COUNTY, "period": "2020H1", "items": [item(v, 50_000)]}), 201)
    ok(prov.post(f"/api/v1/redemptions/{filed['id']}/submit"))
    ok(prov2.post("/api/v1/redemptions", json={
        "county_code": HOME_COUNTY, "period": "2020H1", "items": [item(v2, 50_000)]}), 201)
    server.set_clock(dt.datetime(2020, 10, 15, 9, 0, tzinfo=CST))
    run_jobs(server, tmp_path)
    cit = server.login("county_it")
    kept = ok(cit.get(f"/api/v1/vouchers/{v['voucher_id']}"))
    assert kept["status"] == "issued", "expired while its claim was under review"
    assert ok(cit.get(f"/api/v1/redemptions/{filed['id']}"))["status"] == "submitted"
    assert ok(cit.get(f"/api/v1/vouchers/{v2['voucher_id']}"))["status"] == "expired"
    assert_ledger_sound(server)
    assert_audit_sound(server)


def test_two_evaluation_criteria_of_the_same_name_are_refused(server, sessions):
    """The evaluator scores each criterion by its name; two criteria named
    alike could never get two scores (the second score was taken for both,
    the first silently lost). city_it is told, and no new version is made."""
    cit = sessions["city_it"]
    program = ok(cit.get("/api/v1/programs/jining-2018"))
    params = dict(program["parameters"])
    params["evaluation_criteria"] = [{"name": "服务质量", "weight": 50},
                                     {"name": "服务质量", "weight": 50}]
    r = cit.patch("/api/v1/programs/jining-2018/parameters",
                  json={"parameters": params, "reason": "调整评价指标"})
    err = assert_error(r, 422, "invalid_field", "evaluation_criteria")
    assert "服务质量" in err["message"]
    after = ok(cit.get("/api/v1/programs/jining-2018"))
    assert after["parameters"]["evaluation_criteria"] == program["parameters"]["evaluation_criteria"]
    assert after.get("version") == program.get("version")


def approve(s, prov, rid):
    ok(prov.post(f"/api/v1/redemptions/{rid}/submit"))
    ok(s["evaluator"].post(f"/api/v1/redemptions/{rid}/evaluate", json={"scores": scores()}))
    ok(s["county_it"].post(f"/api/v1/redemptions/{rid}/review", json={"decision": "approve"}))


def notice_and_pay(server, rid, opens_on, pay_at):
    """Notice `rid` from `opens_on`, close it and pay it at `pay_at`."""
    s = sessions_of(server)
    n = ok(s["county_it"].post("/api/v1/notices", json={
        "county_code": HOME_COUNTY, "redemption_ids": [rid], "opens_on": opens_on}), 201)
    server.set_clock(pay_at)
    s = sessions_of(server)
    ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    batch = ok(s["county_finance"].post("/api/v1/payouts", json={
        "county_code": HOME_COUNTY, "redemption_ids": [rid]}), 201)
    return s["county_finance"].post(f"/api/v1/payouts/{batch['id']}/paid", json={
        "paid_on": pay_at.date().isoformat(), "reference": f"付-{rid[-6:]}"})


def test_paying_one_claim_after_the_service_ended_keeps_the_other_claim_payable(fresh_server):
    """A voucher (service 2019-07-01..2020-06-30) has two approved claims:
    2019H2 (80,000 fen) and 2020H1 (50,000 fen). The 2019H2 claim is paid
    in July 2020, after the service period ended. The voucher is not final
    yet: the 2020H1 claim, approved and publicly noticed, is still to be
    paid, so its money stays reserved and it is paid in turn; only then is
    the rest released to the pool."""
    server = fresh_server
    s = sessions_of(server)
    prov, v = provider_with_voucher(server, s)
    server.set_clock(dt.datetime(2020, 1, 2, 9, 0, tzinfo=CST))
    s, prov = sessions_of(server), relogin(server, prov)
    a = ok(prov.post("/api/v1/redemptions", json={
        "county_code": HOME_COUNTY, "period": "2019H2", "items": [item(v, 80_000)]}), 201)
    approve(s, prov, a["id"])
    server.set_clock(dt.datetime(2020, 7, 2, 9, 0, tzinfo=CST))
    s, prov = sessions_of(server), relogin(server, prov)
    b = ok(prov.post("/api/v1/redemptions", json={
        "county_code": HOME_COUNTY, "period": "2020H1", "items": [item(v, 50_000)]}), 201)
    approve(s, prov, b["id"])
    ok(notice_and_pay(server, a["id"], "2020-07-02", dt.datetime(2020, 7, 10, 9, 0, tzinfo=CST)))
    cit = server.login("county_it")
    vch = ok(cit.get(f"/api/v1/vouchers/{v['voucher_id']}"))
    assert (vch["status"], vch["redeemed_fen"]) == ("partially_redeemed", 80_000)
    assert_ledger_sound(server)
    ok(notice_and_pay(server, b["id"], "2020-07-10", dt.datetime(2020, 7, 20, 9, 0, tzinfo=CST)))
    cit = server.login("county_it")
    vch = ok(cit.get(f"/api/v1/vouchers/{v['voucher_id']}"))
    assert (vch["status"], vch["redeemed_fen"]) == ("redeemed", 130_000)
    assert ok(cit.get(f"/api/v1/redemptions/{b['id']}"))["status"] == "paid"
    fin = server.login("county_finance")
    pool = [x for x in ok(fin.get("/api/v1/budgets", params={"year": 2019}))["items"]
            if x["county_code"] == HOME_COUNTY][0]
    assert pool["posted_fen"] >= 130_000
    assert_ledger_sound(server)
    assert_audit_sound(server)


def test_a_partly_redeemed_voucher_whose_service_and_grace_are_over_releases_the_rest(fresh_server, tmp_path):
    """SPEC §5: issued *or partially redeemed* → expired (service period
    over plus the grace period, nothing claimed; reservation released).
    A voucher of 297,000 fen paid 30,666 fen in July 2019, whose service
    ended 2020-06-30 and on which nothing more was claimed, no longer
    holds its other 266,334 fen once the grace is over: the money goes
    back to the county's 2019 pool, and the voucher still counts as used."""
    from test_payouts import approved, open_notice
    server = fresh_server
    s = sessions_of(server)
    prov, v, a = approved(server, s)
    n = ok(open_notice(s, [a["id"]]), 201)
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    s = sessions_of(server)
    ok(s["county_it"].post(f"/api/v1/notices/{n['id']}/close"))
    b = ok(s["county_finance"].post("/api/v1/payouts", json={
        "county_code": HOME_COUNTY, "redemption_ids": [a["id"]]}), 201)
    ok(s["county_finance"].post(f"/api/v1/payouts/{b['id']}/paid",
                                json={"paid_on": "2019-07-09", "reference": "R-1"}))
    # Still within the grace (90 days after 2020-06-30): nothing moves.
    server.set_clock(dt.datetime(2020, 9, 1, 9, 0, tzinfo=CST))
    run_jobs(server, tmp_path)
    cit = server.login("county_it")
    assert ok(cit.get(f"/api/v1/vouchers/{v['voucher_id']}"))["status"] == "partially_redeemed"
    fin = server.login("county_finance")

    def pool():
        return [x for x in ok(fin.get("/api/v1/budgets", params={"year": 2019}))["items"]
                if x["county_code"] == HOME_COUNTY][0]

    before = pool()
    server.set_clock(dt.datetime(2020, 10, 15, 9, 0, tzinfo=CST))
    run_jobs(server, tmp_path)
    cit, fin = server.login("county_it"), server.login("county_finance")
    vch = ok(cit.get(f"/api/v1/vouchers/{v['voucher_id']}"))
    assert (vch["status"], vch["redeemed_fen"]) == ("expired", 30_666)
    after = pool()
    assert after["reserved_fen"] - before["reserved_fen"] == -266_334
    assert after["available_fen"] - before["available_fen"] == 266_334
    assert after["paid_fen"] == before["paid_fen"]
    assert_ledger_sound(server)
    assert_audit_sound(server)


def test_the_clawback_export_names_the_county(fresh_server):
    """资金追回列表 exported to Excel/CSV shows 任城区, not the code 370811
    (the export's 所属区县 column reads the row's county_name)."""
    from test_payouts import approved
    server = fresh_server
    s = sessions_of(server)
    _, v, a = approved(server, s)
    ok(notice_and_pay(server, a["id"], "2019-07-01", dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST)))
    fin = server.login("county_finance")
    ok(fin.post("/api/v1/clawbacks", json={"redemption_id": a["id"], "voucher_id": v["voucher_id"],
                                           "amount_fen": 1_000, "reason": "重复申报",
                                           "evidence": "审计报告"}), 201)
    rows = ok(fin.get("/api/v1/clawbacks"))["items"]
    assert rows[0]["county_name"] == "任城区"
    csv = fin.get("/api/v1/clawbacks", params={"format": "csv"})
    assert csv.status_code == 200, csv.text[:300]
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert "所属区县" in lines[0]
    assert "任城区" in lines[1] and f",{HOME_COUNTY}," not in lines[1], lines[1]


def test_a_partly_redeemed_voucher_waits_for_the_filing_window_of_its_last_half_year(fresh_server, tmp_path):
    """A voucher paid in part in July 2019 whose service ended on
    2020-03-31: the grace (90 days) is over on 2020-06-29, but the service
    of January–March 2020 can be claimed only in 2020H1's window
    (2020-07-01..07-30). The voucher does not expire before that window
    closes: its provider files the last claim in July; a voucher of the
    same kind with no claim expires once the window is over."""
    from flows import catalog_line, draft_by_provider, new_enterprise, new_provider, published_item
    from test_payouts import open_notice
    server = fresh_server
    s = sessions_of(server)

    def paid_in_part():
        prov = new_provider(server, s["city_it"])
        it = published_item(prov, s["city_it"], list_price_fen=120_000, discount_price_fen=99_000)
        ent = new_enterprise(server, s["county_it"])
        c = draft_by_provider(prov, ent.party["id"], [catalog_line(it["id"], 12, 99_000)],
                              program_id="jining-2018", service_end="2020-03-31")
        vid = ok(ent.post(f"/api/v1/contracts/{c['id']}/confirm"), 201)["voucher"]["id"]
        r = ok(prov.post("/api/v1/redemptions", json={
            "county_code": HOME_COUNTY, "period": "2019H1",
            "items": [item({"voucher_id": vid}, 10_000)]}), 201)
        approve(s, prov, r["id"])
        return prov, vid, r["id"]

    (p1, v1, r1), (p2, v2, r2) = paid_in_part(), paid_in_part()
    n = ok(open_notice(s, [r1, r2]), 201)
    server.set_clock(dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST))
    cit, fin = server.login("county_it"), server.login("county_finance")
    ok(cit.post(f"/api/v1/notices/{n['id']}/close"))
    b = ok(fin.post("/api/v1/payouts", json={"county_code": HOME_COUNTY, "redemption_ids": [r1, r2]}), 201)
    ok(fin.post(f"/api/v1/payouts/{b['id']}/paid", json={"paid_on": "2019-07-09", "reference": "R-9"}))

    waits_for_the_2020h1_window(server, tmp_path, p1, v1, v2, "partially_redeemed")


def test_an_issued_voucher_also_waits_for_the_filing_window_of_its_last_half_year(fresh_server, tmp_path):
    """The same rule for a voucher with nothing redeemed yet: its service
    (April 2019 – March 2020) ended on 2020-03-31 and the 90 days' grace is
    over on 06-29, but January–March 2020 can be claimed only in 2020H1's
    window (07-01..07-30). On 07-02 both vouchers are still issued and one
    provider files its claim; once the window has closed the voucher with
    no claim expires and its money is back in the pool."""
    from flows import catalog_line, draft_by_provider, new_enterprise, new_provider, published_item
    server = fresh_server
    s = sessions_of(server)

    def issued():
        prov = new_provider(server, s["city_it"])
        it = published_item(prov, s["city_it"], list_price_fen=120_000, discount_price_fen=99_000)
        ent = new_enterprise(server, s["county_it"])
        c = draft_by_provider(prov, ent.party["id"], [catalog_line(it["id"], 12, 99_000)],
                              program_id="jining-2018", service_end="2020-03-31")
        return prov, ok(ent.post(f"/api/v1/contracts/{c['id']}/confirm"), 201)["voucher"]["id"]

    (p1, v1), (_, v2) = issued(), issued()
    waits_for_the_2020h1_window(server, tmp_path, p1, v1, v2, "issued")


def waits_for_the_2020h1_window(server, tmp_path, p1, v1, v2, live):
    """Two vouchers (status `live`) whose service ended 2020-03-31: on
    07-02, grace over but 2020H1's window open, both stay; p1 files its
    claim for v1; on 07-31, the window closed, v2 (no claim) is expired
    and v1 (its claim waits) stays; the books and the chain are sound."""
    server.set_clock(dt.datetime(2020, 7, 2, 9, 0, tzinfo=CST))
    run_jobs(server, tmp_path)
    cit = server.login("county_it")
    for vid in (v1, v2):
        assert ok(cit.get(f"/api/v1/vouchers/{vid}"))["status"] == live
    p1 = relogin(server, p1)
    last = ok(p1.post("/api/v1/redemptions", json={"county_code": HOME_COUNTY, "period": "2020H1",
                                                   "items": [item({"voucher_id": v1}, 20_000)]}), 201)
    ok(p1.post(f"/api/v1/redemptions/{last['id']}/submit"))
    server.set_clock(dt.datetime(2020, 7, 31, 9, 0, tzinfo=CST))
    run_jobs(server, tmp_path)
    cit = server.login("county_it")
    assert ok(cit.get(f"/api/v1/vouchers/{v2}"))["status"] == "expired"
    assert ok(cit.get(f"/api/v1/vouchers/{v1}"))["status"] == live  # its claim waits
    assert_ledger_sound(server)
    assert_audit_sound(server)
