"""Issue 9, deliver 2 (first part): record scopes with real ids. For every
documented GET route of a record ({id}) whose record exists in 任城区, every
role is tried — the record's own party, another party of the same kind, the
county's officials, another county's official, the city — and the answer is
checked against the route table (x-roles: 403 for a role not allowed) and the
record's scope: a caller outside it gets 404, never 403, so existence does
not leak."""
import pytest
import requests

from conftest import HOME_COUNTY, TIMEOUT
from flows import new_enterprise, new_provider, ok

CITY = ["city_it", "city_finance", "auditor", "admin"]


@pytest.fixture(scope="module")
def doc(shared_server):
    return requests.get(shared_server.url("/api/v1/openapi.json"), timeout=TIMEOUT).json()


@pytest.fixture(scope="module")
def callers(shared_server, sessions):
    s = dict(sessions)
    s["county_it_other"] = shared_server.login("county_it_370812")
    s["enterprise_other"] = new_enterprise(shared_server, sessions["county_it"])
    s["provider_other"] = new_provider(shared_server, sessions["city_it"])
    return s


@pytest.fixture(scope="module")
def records(shared_server, sessions):
    """One record of each kind in 任城区, owned by the demo enterprise and the
    demo provider."""
    srv = shared_server
    one = lambda sql, *a: srv.sql(sql, *a)[0][0]
    ent_id = one("SELECT e.id FROM enterprises e JOIN users u ON u.id = e.user_id WHERE"
                 " u.username = 'enterprise'")
    contract = one("SELECT id FROM contracts WHERE enterprise_id = ? AND status = 'confirmed'",
                   ent_id)
    voucher = one("SELECT id FROM vouchers WHERE contract_id = ?", contract)
    prov = sessions["provider"]
    r = ok(prov.post("/api/v1/redemptions", json={
        "county_code": HOME_COUNTY, "period": "2019H1", "items": [{
            "voucher_id": voucher, "service_desc": "上半年服务", "fee_fen": 3000,
            "claim_fen": 1000, "invoice_nos": "1"}]}), 201)
    return {"/api/v1/enterprises/{id}": ent_id, "/api/v1/contracts/{id}": contract,
            "/api/v1/vouchers/{id}": voucher, "/api/v1/redemptions/{id}": r["id"]}


# Who is in scope of each record (besides the city, always in scope).
IN_SCOPE = {
    "/api/v1/enterprises/{id}": {"enterprise", "county_it", "county_finance", "evaluator"},
    "/api/v1/contracts/{id}": {"enterprise", "provider", "county_it", "county_finance", "evaluator"},
    "/api/v1/vouchers/{id}": {"enterprise", "provider", "county_it", "county_finance", "evaluator"},
    "/api/v1/redemptions/{id}": {"provider", "county_it", "county_finance", "evaluator"},
}
BASE_ROLE = {"county_it_other": "county_it", "enterprise_other": "enterprise",
             "provider_other": "provider"}


def roles_allowed(op):
    roles = set(op["x-roles"])
    if "any" in roles:
        return {"enterprise", "provider", "county_it", "county_finance", "evaluator", *CITY}
    return roles


def test_every_record_route_answers_by_role_and_scope(shared_server, doc, callers, records):
    tried = 0
    for path, record_id in records.items():
        op = doc["paths"][path]["get"]
        allowed = roles_allowed(op)
        for who, client in callers.items():
            role = BASE_ROLE.get(who, who)
            r = client.get(path.replace("{id}", record_id))
            tried += 1
            if role not in allowed:
                expected = 403
            elif role in CITY or (who in IN_SCOPE[path] and who == role):
                expected = 200
            else:
                expected = 404
            assert r.status_code == expected, \
                f"{who} GET {path}: {r.status_code}, expected {expected}: {r.text[:200]}"
            if expected == 404:
                assert r.json()["error"]["code"] == "not_found", (who, path, r.text)
    assert tried == len(records) * len(callers)
