"""A walk over every route of the OpenAPI document: who may call it.

x-roles lists the roles allowed ("public": no login; "any": every signed-in
role). Every other demo role gets 403, anonymous callers 401, and nobody
allowed is turned away. Allowed POSTs are sent an empty body, so they fail
validation and the walk writes nothing."""
import pytest
import requests

from conftest import ROLES, TIMEOUT, assert_error, has_cjk

ROLE_NAMES_ZH = {"enterprise": "企业用户", "provider": "云服务商", "county_it": "县级经济和信息化部门",
                 "county_finance": "县级财政部门", "evaluator": "第三方评价机构",
                 "city_it": "市经济和信息化委员会", "city_finance": "市财政局", "auditor": "审计/监察",
                 "admin": "系统管理员"}
NO_SUCH_ID = "01NOSUCHUSER0000000000000"


def operations(doc):
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if method != "parameters":
                yield method.upper(), path, op["x-roles"]


@pytest.fixture(scope="module")
def doc(shared_server):
    return requests.get(shared_server.url("/api/v1/openapi.json"), timeout=TIMEOUT).json()


def allowed(roles):
    if "public" in roles or "any" in roles:
        return set(ROLES)
    return set(roles)


def call(client, method, path):
    path = path.replace("{id}", NO_SUCH_ID)
    if method == "GET":
        return client.get(path)
    return client.request(method, path, json={})


def test_the_walk_covers_the_documented_routes(doc):
    ops = list(operations(doc))
    assert len(ops) >= 13
    assert ("POST", "/api/v1/users", ["admin"]) in ops


def test_anonymous_callers_get_401_on_every_non_public_route(server, doc):
    anon = server.client()
    seen = 0
    for method, path, roles in operations(doc):
        r = call(anon, method, path)
        if "public" in roles:
            # (a made-up {id} may well be 404)
            assert r.status_code not in (401, 403, 405), (method, path, r.status_code)
            assert r.status_code < 500, (method, path, r.text)
        else:
            assert_error(r, 401, "unauthenticated")
            seen += 1
    assert seen >= 9


def test_every_role_not_listed_gets_403_and_every_listed_role_gets_through(server, sessions, doc):
    snap = server.snapshot()
    checked_forbidden = 0
    for method, path, roles in operations(doc):
        if path == "/api/v1/auth/logout":
            continue  # would end the sessions; checked below
        ok = allowed(roles)
        for role in ROLES:
            r = call(sessions[role], method, path)
            where = f"{role} {method} {path}"
            if role in ok:
                assert r.status_code not in (401, 403, 405), (where, r.status_code, r.text)
                assert r.status_code < 500, (where, r.text)
            else:
                err = assert_error(r, 403, "forbidden")
                assert ROLE_NAMES_ZH[role] in err["message"], (where, err)
                checked_forbidden += 1
    assert checked_forbidden >= 40
    assert server.snapshot() == snap, "the walk must not change anything"


def test_every_role_can_log_out(fresh_server):
    # (a server of its own: logging out ends every session of the account)
    for role in ROLES:
        c = fresh_server.login(role)
        assert c.post("/api/v1/auth/logout").status_code == 200, role
        assert_error(c.get("/api/v1/auth/me"), 401)


def matches(pattern, path):
    p, q = pattern.split("/"), path.split("/")
    return len(p) == len(q) and all(a == b or (a.startswith("{") and b) for a, b in zip(p, q))


def test_undocumented_methods_get_405_with_the_allowed_ones(server, doc):
    anon = server.client()
    for path in doc["paths"]:
        concrete = path.replace("{id}", NO_SUCH_ID)
        # every documented route this concrete path would reach
        documented = {m.upper() for pattern, ops in doc["paths"].items() if matches(pattern, concrete)
                      for m in ops if m != "parameters"}
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - documented:
            r = anon.request(method, concrete)
            err = assert_error(r, 405, "method_not_allowed")
            assert method in err["message"]
            allow = {m.strip() for m in r.headers["Allow"].split(",")}
            assert allow == documented, (method, path, allow)


def test_head_behaves_like_get_without_a_body(server, sessions):
    r = sessions["auditor"].head("/api/v1/users")
    assert r.status_code == 200 and r.content == b""
    r = server.client().head("/api/v1/users")
    assert r.status_code == 401


def test_unknown_api_paths_get_a_json_404(server, sessions):
    for c in (server.client(), sessions["admin"]):
        for path in ["/api/", "/api/v1", "/api/v1/", "/api/v2/users", "/api/v1/USERS",
                     "/api/v1/users/", "/api/v1/users/x/y", "/api/v1/users//lock", "/api/v1//users",
                     "/api/v1/users/" + NO_SUCH_ID + "/delete", "/api/v1/auth"]:
            for method in ("GET", "POST"):
                err = assert_error(c.request(method, path, json={}), 404, "not_found")
                assert has_cjk(err["message"])
