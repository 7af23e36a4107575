"""Acceptance checks of issue 8 (redemption) found by an outside tester's
walk, each a behaviour a provider or a county official would notice.
The clock starts on 2019-07-01."""
import datetime as dt

from conftest import CST, HOME_COUNTY, YQ_BIN, assert_error, clean_env
from flows import assert_audit_sound, assert_ledger_sound, ok, relogin
from test_redemptions import item, provider_with_voucher
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
