"""Issue 9, deliver 2: the authorization matrix, generated from the route
table. Every documented route with a path parameter ({id}, {sha256},
{county_code}, {code}) is called with a real record of the demo database
made in September 2019 (every redemption screen has content then) by every
demo role, the record's own party, another party of the same kind, another
county's officials and an anonymous client. Expected, from x-roles and the
record's scope:

- anonymous: 401 on a signed-in route;
- a role the route does not list: 403;
- an allowed role outside the record's scope: 404 `not_found`, never 403
  and never 2xx (no existence oracle), and nothing written;
- an allowed role in scope: neither 401, 403 nor 404, nor a 5xx.

Refused callers go first and a logical dump of the database (sessions and
throttles aside) must not move; the callers in scope go last, since their
requests may be carried out. A route with a path parameter that has no
entry in RECORDS fails the test: a new route must say which record it
reaches and who may see it."""
import datetime as dt
import sqlite3
import subprocess

import pytest
import requests

import dbs
from conftest import (DEMO_PASSWORD, ROLES, SANITIZER_MARKS, TIMEOUT, YQ_BIN, Server,
                      clean_env, new_db, new_official)
from flows import PDF_BYTES, ok, signup
from test_bad_input_sweep import dump
from test_redemptions import scores

SEPTEMBER = "2019-09-10T10:00:00+08:00"
JANUARY = "2020-01-10T10:00:00+08:00"
CITY = {"city_it", "city_finance", "auditor", "admin"}
# Extra callers: who they are a variant of.
OTHERS = {"enterprise_other": "enterprise", "provider_other": "provider",
          "county_it_other": "county_it", "county_finance_other": "county_finance",
          "evaluator_other": "evaluator"}
NO_SUCH_ID = "01NOSUCH000000000000000000"
COUNTY = {"county_it", "county_finance", "evaluator"}  # 任城区 (and 兖州区 for the evaluator)


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    d = tmp_path_factory.mktemp("september")
    (d / "clock").write_text(SEPTEMBER + "\n")
    db = new_db(d / "t.db")
    p = subprocess.run([YQ_BIN, "demo", "--db", str(db), "--clock-file", str(d / "clock")],
                       cwd=str(d), env=clean_env(YUNQUAN_DEMO_PASSWORD=DEMO_PASSWORD),
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert not any(m in p.stderr for m in SANITIZER_MARKS), p.stderr
    if not dbs.is_pg(db):
        con = sqlite3.connect(str(db))
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
    s = Server(d / "srv", db)
    s.set_clock(dt.datetime.fromisoformat(SEPTEMBER))
    s.start()
    yield s
    probs = s.stop()
    if probs:
        pytest.fail("server problems: " + "; ".join(probs) + "\n" + s.stderr()[-8000:])


@pytest.fixture(scope="module")
def callers(srv):
    c = {role: srv.login(role) for role in ROLES}
    admin = c["admin"]
    new_official(admin, "matrix_fin_370812", role="county_finance", county="370812",
                 password="Matrix-Pass-2019")
    new_official(admin, "matrix_eval_370881", role="evaluator", county="370881",
                 password="Matrix-Pass-2019")
    c["enterprise_other"] = srv.login("qiye13")  # 任城区, another enterprise
    c["provider_other"] = srv.login("prov_industry")
    c["county_it_other"] = srv.login("county_it_370812")
    c["county_finance_other"] = srv.login("matrix_fin_370812", "Matrix-Pass-2019")
    c["evaluator_other"] = srv.login("matrix_eval_370881", "Matrix-Pass-2019")
    c["anonymous"] = srv.client()
    return c


def one(srv, sql, *args):
    rows = srv.sql(sql, *args)
    assert rows, sql
    return rows[0][0]


@pytest.fixture(scope="module")
def ids(srv, callers):
    """Real records: the demo enterprise's contract with the demo provider,
    its voucher, a fresh draft application by the demo provider on it (with
    a file), the open notice, its objection, the paid payout of 任城区."""
    q = lambda sql, *a: one(srv, sql, *a)
    ent = q("SELECT e.id FROM enterprises e JOIN users u ON u.id = e.user_id"
            " WHERE u.username = 'enterprise'")
    prov = q("SELECT p.id FROM providers p JOIN users u ON u.id = p.user_id"
             " WHERE u.username = 'provider'")
    contract = q("SELECT id FROM contracts WHERE enterprise_id = ? AND provider_id = ?"
                 " AND status = 'confirmed'", ent, prov)
    voucher, code, token = srv.sql("SELECT id, code, verify_token FROM vouchers WHERE contract_id = ?",
                                   contract)[0]
    # 2019H1 of 任城区 is filed already: 2019H2, in its filing window
    srv.set_clock(dt.datetime.fromisoformat(JANUARY))
    p = srv.login("provider")
    red = ok(p.post("/api/v1/redemptions", json={
        "county_code": "370811", "period": "2019H2", "items": [{
            "voucher_id": voucher, "service_desc": "上半年服务", "fee_fen": 3000,
            "claim_fen": 1000, "invoice_nos": "1"}]}), 201)["id"]
    red_sha = ok(p.post(f"/api/v1/redemptions/{red}/attachments",
                        files={"file": ("发票.pdf", PDF_BYTES, "application/pdf")}), 201)["sha256"]
    srv.set_clock(dt.datetime.fromisoformat(SEPTEMBER))
    con_sha = ok(callers["enterprise"].post(
        f"/api/v1/contracts/{contract}/attachments",
        files={"file": ("合同.pdf", PDF_BYTES + b"%c\n", "application/pdf")}), 201)["sha256"]
    notice = q("SELECT id FROM notices WHERE county_code = '370811' AND status = 'open'")
    # Business licences: a new enterprise of 任城区 and a new provider, each
    # with its licence (draft records: no demo caller owns them).
    licensed = {}
    for kind, table in (("enterprise", "enterprises"), ("provider", "providers")):
        c, r = signup(srv, kind, county="370811")
        ok(r, 201)
        ok(c.post(f"/api/v1/{table}/{c.party['id']}/licence",
                  files={"file": ("营业执照.pdf", PDF_BYTES, "application/pdf")}), 201)
        licensed[kind] = c.party["id"]
    return {
        "lic_enterprise": licensed["enterprise"], "lic_provider": licensed["provider"],
        "enterprise": ent, "provider": prov, "contract": contract, "voucher": voucher,
        "code": code, "token": token, "redemption": red, "red_sha": red_sha, "con_sha": con_sha,
        "submitted_enterprise": q("SELECT e.id FROM enterprises e JOIN users u ON"
                                  " u.id = e.user_id WHERE u.username = 'qiye05'"),
        "user": q("SELECT id FROM users WHERE username = 'qiye06'"),
        "evaluator_user": q("SELECT id FROM users WHERE username = 'evaluator'"),
        "item": q("SELECT id FROM catalog_items WHERE provider_id = ? ORDER BY id", prov),
        "negative": q("SELECT id FROM negative_list"),
        "notice": notice,
        "objection": q("SELECT id FROM objections WHERE notice_id = ?", notice),
        "payout": q("SELECT id FROM payouts WHERE county_code = '370811'"),
        "allocation": ok(callers["city_finance"].post("/api/v1/awards/allocations", json={
            "year": 2019, "pool_fen": 100_000, "reference": "矩阵测试",
            "weights": {"completion": 0, "penetration": 0, "disbursed": 0, "performance": 100}}),
            201)["id"],
        "recipient": ok(callers["city_it"].post("/api/v1/awards/recipients", json={
            "kind": "benchmark_enterprise", "year": 2019, "county_code": "370811",
            "name": "矩阵示范企业", "amount_fen": 1000, "reason": "矩阵测试"}), 201)["id"],
    }


def pdf():
    return {"files": {"file": ("证明.pdf", PDF_BYTES + b"%m\n", "application/pdf")}}


def js(body):
    return {"json": body}


ALL = set(ROLES) | set(OTHERS) | {"anonymous"}
# Route -> (record id key(s) for the path, who is in its scope besides the
# city-wide roles, request for refused callers, request for callers in scope
# when carrying out the refused one would spoil later rows).
#   path params are filled from `ids` by name: {id} from "id", others by name.
RECORDS = {
    ("GET", "/api/v1/users/{id}"): ({"id": "user"}, {"county_it", "county_finance"}, None),
    ("POST", "/api/v1/users/{id}/lock"): ({"id": "user"}, set(), js({"locked": False})),
    ("POST", "/api/v1/users/{id}/password"): ({"id": "user"}, set(),
                                              js({"password": "Matrix-New-Pass-2019"})),
    ("POST", "/api/v1/users/{id}/counties"): ({"id": "evaluator_user"}, set(),
                                              js({"county_codes": ["370812"]})),
    ("GET", "/api/v1/programs/{id}"): ({"id": "=jining-2018"}, ALL, None),
    ("GET", "/api/v1/programs/{id}/ratio"): ({"id": "=jining-2018"}, ALL, None),
    ("PATCH", "/api/v1/programs/{id}/parameters"): ({"id": "=demo-2019"}, set(), js({})),
    ("POST", "/api/v1/programs/{id}/waitlist/close"): ({"id": "=jining-2018"}, set(), js({})),
    ("GET", "/api/v1/enterprises/{id}"): ({"id": "enterprise"}, {"enterprise"} | COUNTY, None),
    ("PATCH", "/api/v1/enterprises/{id}"): ({"id": "enterprise"}, {"enterprise"},
                                            js({"phone": "13800000001"})),
    ("POST", "/api/v1/enterprises/{id}/submit"): ({"id": "enterprise"}, {"enterprise"}, None),
    ("POST", "/api/v1/enterprises/{id}/approve"): ({"id": "submitted_enterprise"}, {"county_it"},
                                                   None),
    ("POST", "/api/v1/enterprises/{id}/reject"): ({"id": "submitted_enterprise"}, {"county_it"},
                                                  js({"reason": "材料不全"})),
    ("GET", "/api/v1/providers/{id}"): ({"id": "provider"}, {"provider"} | COUNTY | {
        "county_it_other", "county_finance_other", "evaluator_other"}, None),
    ("PATCH", "/api/v1/providers/{id}"): ({"id": "provider"}, {"provider"},
                                          js({"phone": "13800000001"})),
    ("POST", "/api/v1/providers/{id}/submit"): ({"id": "provider"}, {"provider"}, None),
    ("POST", "/api/v1/providers/{id}/approve"): ({"id": "provider"}, set(), None),
    ("POST", "/api/v1/providers/{id}/reject"): ({"id": "provider"}, set(), js({"reason": "资质不符"})),
    ("GET", "/api/v1/public/providers/{id}"): ({"id": "provider"}, ALL, None),
    # only the party itself (no demo caller) and its reviewers
    ("POST", "/api/v1/enterprises/{id}/licence"): ({"id": "lic_enterprise"}, set(), "pdf"),
    ("GET", "/api/v1/enterprises/{id}/licence"): ({"id": "lic_enterprise"}, {"county_it"}, None),
    ("POST", "/api/v1/providers/{id}/licence"): ({"id": "lic_provider"}, set(), "pdf"),
    ("GET", "/api/v1/providers/{id}/licence"): ({"id": "lic_provider"}, set(), None),
    ("GET", "/api/v1/catalog-items/{id}"): ({"id": "item"}, {"provider"}, None),
    ("PATCH", "/api/v1/catalog-items/{id}"): ({"id": "item"}, {"provider"},
                                              js({"description": "更新说明"})),
    ("POST", "/api/v1/catalog-items/{id}/publish"): ({"id": "item"}, set(), None),
    ("POST", "/api/v1/catalog-items/{id}/reject"): ({"id": "item"}, set(), js({"reason": "不符"})),
    ("POST", "/api/v1/catalog-items/{id}/withdraw"): ({"id": "item"}, {"provider"}, None),
    ("POST", "/api/v1/negative-list/{id}/lift"): ({"id": "negative"}, set(), js({"reason": "已整改"})),
    ("GET", "/api/v1/contracts/{id}"): ({"id": "contract"}, {"enterprise", "provider"} | COUNTY,
                                        None),
    ("POST", "/api/v1/contracts/{id}/confirm"): ({"id": "contract"}, {"enterprise", "provider"},
                                                 None),
    ("POST", "/api/v1/contracts/{id}/cancel"): ({"id": "contract"}, {"enterprise", "provider"},
                                                None),
    ("POST", "/api/v1/contracts/{id}/terminate"): ({"id": "contract"},
                                                   {"enterprise", "provider", "county_it"},
                                                   js({"reason": "未履行"}), js({})),
    ("POST", "/api/v1/contracts/{id}/attachments"): ({"id": "contract"}, {"enterprise", "provider"},
                                                     "pdf"),
    ("GET", "/api/v1/contracts/{id}/attachments/{sha256}"): (
        {"id": "contract", "sha256": "con_sha"}, {"enterprise", "provider"} | COUNTY, None),
    ("GET", "/api/v1/vouchers/{id}"): ({"id": "voucher"}, {"enterprise", "provider"} | COUNTY, None),
    ("GET", "/api/v1/vouchers/{id}/qr.svg"): ({"id": "voucher"}, {"enterprise", "provider"} | COUNTY,
                                              None),
    ("GET", "/api/v1/public/vouchers/{code}"): ({"code": "code", "?t": "token"}, ALL, None),
    ("POST", "/api/v1/budgets/{county_code}/{year}/fund"): (
        {"county_code": "=370811", "year": "=2019"}, {"county_finance"},
        js({"amount_fen": 100, "source": "county", "reference": "矩阵测试"})),
    ("GET", "/api/v1/redemptions/{id}"): ({"id": "redemption"}, {"provider"} | COUNTY, None),
    ("PATCH", "/api/v1/redemptions/{id}"): ({"id": "redemption"}, {"provider"}, "items"),
    ("POST", "/api/v1/redemptions/{id}/submit"): ({"id": "redemption"}, {"provider"}, None),
    ("POST", "/api/v1/redemptions/{id}/withdraw"): ({"id": "redemption"}, {"provider"}, None),
    ("POST", "/api/v1/redemptions/{id}/attachments"): ({"id": "redemption"}, {"provider"}, "pdf"),
    ("GET", "/api/v1/redemptions/{id}/attachments/{sha256}"): (
        {"id": "redemption", "sha256": "red_sha"}, {"provider"} | COUNTY, None),
    ("POST", "/api/v1/redemptions/{id}/evaluate"): ({"id": "redemption"}, {"evaluator"},
                                                    js({"scores": scores()})),
    ("POST", "/api/v1/redemptions/{id}/review"): ({"id": "redemption"}, {"county_it"},
                                                  js({"decision": "approve"})),
    ("GET", "/api/v1/notices/{id}"): ({"id": "notice"}, COUNTY, None),
    ("POST", "/api/v1/notices/{id}/close"): ({"id": "notice"}, {"county_it"}, None),
    ("GET", "/api/v1/public/notices/{id}"): ({"id": "notice"}, ALL, None),
    ("POST", "/api/v1/public/notices/{id}/objections"): (
        {"id": "notice"}, ALL, js({"name": "矩阵", "contact": "13800000000", "text": "矩阵测试异议"})),
    ("POST", "/api/v1/objections/{id}/resolve"): ({"id": "objection"}, {"county_it"},
                                                  js({"decision": "dismiss", "reason": "不成立"}),
                                                  js({"decision": "dismiss"})),
    ("GET", "/api/v1/payouts/{id}"): ({"id": "payout"}, COUNTY, None),
    ("GET", "/api/v1/payouts/{id}/bank.xlsx"): ({"id": "payout"}, {"county_finance"}, None),
    ("POST", "/api/v1/payouts/{id}/paid"): ({"id": "payout"}, {"county_finance"},
                                            js({"paid_on": "2019-09-10", "reference": "矩阵"})),
    # 考核与奖补: city-wide records, no county scope
    ("PUT", "/api/v1/targets/{year}"): ({"year": "=2019"}, set(),
                                        js({"reason": "矩阵测试", "items": []})),
    ("PUT", "/api/v1/assessment/{year}"): ({"year": "=2019"}, set(), js({"items": []})),
    ("GET", "/api/v1/awards/allocations/{id}"): ({"id": "allocation"}, set(), None),
    ("PATCH", "/api/v1/awards/allocations/{id}"): ({"id": "allocation"}, set(),
                                                   js({"pool_fen": 100})),
    ("POST", "/api/v1/awards/allocations/{id}/post"): ({"id": "allocation"}, set(), None),
    ("POST", "/api/v1/awards/recipients/{id}/pay"): ({"id": "recipient"}, set(),
                                                     js({"reference": "矩阵"})),
}


@pytest.fixture(scope="module")
def doc(srv):
    return requests.get(srv.url("/api/v1/openapi.json"), timeout=TIMEOUT).json()


def param_routes(doc):
    for path, ops in doc["paths"].items():
        if "{" in path:
            for method, op in ops.items():
                if method != "parameters":
                    yield method.upper(), path, op["x-roles"]


def test_every_route_with_a_path_parameter_has_a_real_record(doc):
    routes = {(m, p) for m, p, _ in param_routes(doc)}
    assert len(routes) >= 50
    missing = sorted(routes - set(RECORDS))
    assert not missing, f"routes without a real-id mapping in RECORDS: {missing}"
    assert not set(RECORDS) - routes, sorted(set(RECORDS) - routes)


def concrete(path, spec, ids):
    query = {}
    for name, key in spec.items():
        value = key[1:] if key.startswith("=") else ids[key]
        if name.startswith("?"):
            query[name[1:]] = value
        else:
            path = path.replace("{" + name + "}", value)
    assert "{" not in path, path
    return path, query


def request_kw(kind, ids):
    if kind is None:
        return {}
    if kind == "pdf":
        return pdf()
    if kind == "items":
        return js({"items": [{"voucher_id": ids["voucher"], "service_desc": "上半年服务（改）",
                              "fee_fen": 3000, "claim_fen": 900, "invoice_nos": "1"}]})
    return kind


def expected(who, roles, in_scope):
    """'401', '403', '404' or 'in' (allowed and in scope)."""
    role = OTHERS.get(who, who)
    if "public" in roles:
        return "in"
    if who == "anonymous":
        return "401"
    if "any" not in roles and role not in roles:
        return "403"
    return "in" if role in CITY or who in in_scope else "404"


def test_every_route_answers_every_caller_by_role_and_scope(srv, doc, callers, ids):
    tried, refusals = 0, {"401": 0, "403": 0, "404": 0}
    failures = []
    for method, path, roles in param_routes(doc):
        spec, in_scope, refused_req, *rest = RECORDS[(method, path)]
        inscope_req = rest[0] if rest else refused_req
        url, query = concrete(path, spec, ids)
        made_up = None
        if not spec.get("id", "=").startswith("="):
            made_up = url.replace(ids[spec["id"]], NO_SUCH_ID)
        plan = [(who, expected(who, roles, in_scope)) for who in callers]
        plan.sort(key=lambda x: x[1] == "in")  # refusals first
        before = dump(srv)
        checked_dump = False
        for who, want in plan:
            if want == "in" and not checked_dump:
                changed = [t for t, rows in dump(srv).items() if rows != before.get(t)]
                assert not changed, f"refused {method} {path} changed {changed}"
                checked_dump = True
            kw = request_kw(inscope_req if want == "in" else refused_req, ids)
            r = callers[who].request(method, url, params=query, **kw)
            tried += 1
            where = f"{who} {method} {path}: {r.status_code} {r.text[:160]}"
            if want == "in":
                if r.status_code in (401, 403, 404) or r.status_code >= 500:
                    failures.append(f"in scope, got {where}")
                continue
            refusals[want] += 1
            if str(r.status_code) != want:
                failures.append(f"expected {want}, got {where}")
            elif want == "404" and r.json()["error"]["code"] != "not_found":
                failures.append(f"404 without not_found: {where}")
            elif want == "404" and made_up:
                # the same answer as for a record that does not exist
                r2 = callers[who].request(method, made_up, params=query, **kw)
                if (r2.status_code, r2.json()) != (404, r.json()):
                    failures.append(f"{where} differs from a made-up id: {r2.text[:160]}")
        if not checked_dump:
            changed = [t for t, rows in dump(srv).items() if rows != before.get(t)]
            assert not changed, f"refused {method} {path} changed {changed}"
    srv.assert_alive()
    print(f"\nauthorization matrix: {len(RECORDS)} routes x {len(callers)} callers ="
          f" {tried} requests; refused 401: {refusals['401']}, 403: {refusals['403']},"
          f" 404: {refusals['404']}")
    assert not failures, "\n".join(failures)
    assert tried == len(RECORDS) * len(callers)
    assert refusals["404"] >= 60
