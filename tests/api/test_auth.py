"""Login, the session cookies, me, logout, CSRF.

This module's server is shared: keep the number of failed logins from
127.0.0.1 well below the per-address limit (10 free failures)."""
import hashlib

from conftest import DEMO_PASSWORD, HOME_COUNTY, Server, assert_error, audit_total


def set_cookie_headers(r):
    return r.raw.headers.getlist("Set-Cookie")


def cookie_attrs(header):
    parts = [p.strip() for p in header.split(";")]
    name, _, value = parts[0].partition("=")
    attrs = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        attrs[k.lower()] = v
    return name, value, attrs


def test_login_returns_the_user_and_sets_session_and_csrf_cookies(server):
    c = server.client()
    r = c.post("/api/v1/auth/login", json={"username": "county_it", "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    user = r.json()["user"]
    assert user["username"] == "county_it"
    assert user["role"] == "county_it"
    assert user["role_name"] == "县级经济和信息化部门"
    assert user["county_code"] == HOME_COUNTY and user["county_name"] == "任城区"
    assert user["locked"] is False
    assert "password_hash" not in user and "password" not in user
    cookies = {n: (v, a) for n, v, a in map(cookie_attrs, set_cookie_headers(r))}
    session, sattrs = cookies["yq_session"]
    csrf, cattrs = cookies["yq_csrf"]
    assert len(session) == 64 and len(csrf) == 64 and session != csrf
    assert "httponly" in sattrs and sattrs.get("samesite") == "Strict"
    assert sattrs.get("path") == "/" and sattrs.get("max-age") == str(12 * 3600)
    # the CSRF cookie must stay readable by the page's script
    assert "httponly" not in cattrs and cattrs.get("samesite") == "Strict"
    assert "secure" not in sattrs  # plain HTTP here; Secure only with --cookie-secure


def test_session_token_is_stored_only_as_its_hash_and_passwords_as_argon2id(server):
    c = server.login("provider")
    token = c.cookies["yq_session"]
    rows = server.sql("SELECT token_hash FROM sessions")
    stored = {r[0] for r in rows}
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    (h,) = server.sql("SELECT password_hash FROM users WHERE username = 'provider'")[0]
    assert h.startswith("$argon2id$") and DEMO_PASSWORD not in h


def test_me_answers_who_is_signed_in(server):
    c = server.login("city_finance")
    r = c.get("/api/v1/auth/me")
    assert r.status_code == 200
    assert r.json()["user"]["username"] == "city_finance"
    assert r.json()["user"]["role_name"] == "市财政局"


def test_me_without_a_session_is_401(server):
    assert_error(server.client().get("/api/v1/auth/me"), 401, "unauthenticated")


def test_forged_or_malformed_session_cookie_is_401(server):
    for value in ["0" * 64, "zz", "a" * 65, "", "%00" * 10]:
        c = server.client()
        c.cookies.set("yq_session", value)
        assert_error(c.get("/api/v1/auth/me"), 401)


def test_wrong_password_is_401_and_names_neither_field(server, sessions):
    before = audit_total(sessions["auditor"])
    r = server.try_login("enterprise", "Wrong-Password-1")
    err = assert_error(r, 401, "invalid_credentials")
    assert err["field"] is None  # SPEC §13's shape keeps the member, null
    assert not r.cookies.get("yq_session")
    # an unknown account answers exactly the same, so accounts cannot be probed
    r2 = server.try_login("no_such_account", "Wrong-Password-1")
    assert r2.status_code == 401 and r2.json() == r.json()
    assert audit_total(sessions["auditor"]) == before
    # and the right password still works afterwards (2 failures are free)
    server.login("enterprise")


def test_login_request_shape_errors_name_the_field(server):
    c = server.client()
    assert_error(c.post("/api/v1/auth/login", json={"username": "admin"}), 422,
                 "missing_field", "password")
    assert_error(c.post("/api/v1/auth/login", json={"username": 7, "password": "x"}), 422,
                 "wrong_type", "username")
    assert_error(c.post("/api/v1/auth/login", json={"username": "admin", "password": "x",
                                                   "remember": True}), 422, "unknown_field", "remember")
    assert_error(c.post("/api/v1/auth/login", data="username=admin&password=x",
                        headers={"Content-Type": "application/x-www-form-urlencoded"}),
                 415, "unsupported_media_type")
    assert_error(c.post("/api/v1/auth/login", data="{\"username\":",
                        headers={"Content-Type": "application/json"}), 400, "malformed_json")


def test_login_is_audited_with_actor_request_id_and_address(server, sessions):
    c = server.client()
    r = c.post("/api/v1/auth/login", json={"username": "evaluator", "password": DEMO_PASSWORD},
               headers={"X-Request-Id": "login-audit-probe"})
    assert r.status_code == 200
    items = sessions["auditor"].get("/api/v1/audit", params={"actor": "evaluator"}).json()["items"]
    mine = [i for i in items if i["request_id"] == "login-audit-probe"]
    assert len(mine) == 1
    e = mine[0]
    assert e["entity"] == "session" and e["actor_role"] == "evaluator"
    assert e["client_addr"] == "127.0.0.1" and e["at"] == "2019-07-01T09:00:00+08:00"


def test_logout_ends_the_session_and_clears_the_cookies(server):
    c = server.login("city_it")
    old_token = c.cookies["yq_session"]
    r = c.post("/api/v1/auth/logout")
    assert r.status_code == 200
    cleared = {n: a for n, v, a in map(cookie_attrs, set_cookie_headers(r))}
    assert cleared["yq_session"].get("max-age") == "0" and cleared["yq_csrf"].get("max-age") == "0"
    # replaying the old cookie does not work any more
    replay = server.client()
    replay.cookies.set("yq_session", old_token)
    assert_error(replay.get("/api/v1/auth/me"), 401)


def test_state_change_without_csrf_header_is_refused_and_changes_nothing(server, sessions):
    admin = server.login("admin")
    snap = server.snapshot()
    body = {"username": "csrf_victim", "password": "Victim-Pass-2019", "role": "city_it",
            "display_name": "CSRF 受害者"}
    err = assert_error(admin.post("/api/v1/users", json=body, csrf=False), 403, "csrf_failed")
    assert "CSRF" in err["message"]
    assert server.snapshot() == snap
    # logout without the header does not log out either
    assert_error(admin.post("/api/v1/auth/logout", csrf=False), 403, "csrf_failed")
    assert admin.get("/api/v1/auth/me").status_code == 200


def test_csrf_header_must_match_this_sessions_token(server):
    admin = server.login("admin")
    other = server.login("admin")
    snap = server.snapshot()
    body = {"username": "csrf_victim2", "password": "Victim-Pass-2019", "role": "city_it",
            "display_name": "CSRF 受害者"}
    # header differs from the cookie
    assert_error(admin.post("/api/v1/users", json=body, headers={"X-CSRF-Token": "0" * 64}),
                 403, "csrf_failed")
    # header equals the cookie, but both were planted by an attacker
    forged = server.client()
    forged.cookies.set("yq_session", admin.cookies["yq_session"])
    forged.cookies.set("yq_csrf", "f" * 64)
    assert_error(forged.post("/api/v1/users", json=body), 403, "csrf_failed")
    # a valid token of another session of the same account
    assert_error(admin.post("/api/v1/users", json=body,
                            headers={"X-CSRF-Token": other.cookies["yq_csrf"]}), 403, "csrf_failed")
    # header present, cookie missing
    nocookie = server.client()
    nocookie.cookies.set("yq_session", admin.cookies["yq_session"])
    assert_error(nocookie.post("/api/v1/users", json=body,
                               headers={"X-CSRF-Token": admin.cookies["yq_csrf"]}), 403, "csrf_failed")
    assert server.snapshot() == snap
    # reads need no token
    assert admin.get("/api/v1/users").status_code == 200


def test_login_itself_needs_no_csrf_token(server):
    # a first visit has no cookie to copy; the login must still work
    r = server.client().post("/api/v1/auth/login",
                             json={"username": "auditor", "password": DEMO_PASSWORD})
    assert r.status_code == 200


def test_cookies_are_secure_when_the_server_runs_behind_tls(tmp_path, template_db):
    s = Server(tmp_path / "tls", template_db, extra_args=["--cookie-secure", "true"]).start()
    try:
        r = s.client().post("/api/v1/auth/login", json={"username": "admin", "password": DEMO_PASSWORD})
        assert r.status_code == 200
        attrs = {n: a for n, v, a in map(cookie_attrs, set_cookie_headers(r))}
        assert "secure" in attrs["yq_session"] and "secure" in attrs["yq_csrf"]
    finally:
        probs = s.stop()
    assert not probs, probs


# --- Idempotency-Key (SPEC §13) on the requests of this area --------------------

def test_repeating_a_post_with_the_same_idempotency_key_changes_nothing(server, sessions):
    admin = server.login("admin")
    body = {"username": "idem_official", "password": "Idem-Pass-2019x", "role": "city_it",
            "display_name": "幂等测试"}
    first = admin.post("/api/v1/users", json=body, headers={"Idempotency-Key": "create-idem-1"})
    assert first.status_code == 201, first.text
    snap = server.snapshot(tables=["users", "audit_log"])
    again = admin.post("/api/v1/users", json=body, headers={"Idempotency-Key": "create-idem-1"})
    assert again.status_code == 201 and again.json() == first.json()
    assert server.snapshot(tables=["users", "audit_log"]) == snap
    # the same key for another request is refused, by name
    r = admin.post(f"/api/v1/users/{first.json()['user']['id']}/lock", json={"locked": True},
                   headers={"Idempotency-Key": "create-idem-1"})
    assert_error(r, 422, "idempotency_key_reused", "Idempotency-Key")
    for bad in ["", "x" * 129, "has space", "中文".encode("utf-8")]:
        r = admin.post("/api/v1/users", json=body, headers={"Idempotency-Key": bad})
        assert_error(r, 400, "invalid_idempotency_key", "Idempotency-Key")
    assert server.snapshot(tables=["users", "audit_log"]) == snap


def test_a_login_repeated_with_the_same_idempotency_key_is_a_real_login(server):
    key = {"Idempotency-Key": "login-idem-1"}
    first = server.client()
    r = first.post("/api/v1/auth/login", json={"username": "county_it", "password": DEMO_PASSWORD},
                   headers=key)
    assert r.status_code == 200 and first.get("/api/v1/auth/me").status_code == 200
    # a wrong password is not a success, whatever the key
    r = server.client().post("/api/v1/auth/login",
                             json={"username": "county_it", "password": "Wrong-Password-1"},
                             headers=key)
    assert_error(r, 401, "invalid_credentials")  # got 200 and county_it's account (a replay)
    # a retry of the same login leaves this client signed in
    retry = server.client()
    r = retry.post("/api/v1/auth/login", json={"username": "county_it", "password": DEMO_PASSWORD},
                   headers=key)
    assert r.status_code == 200
    assert retry.get("/api/v1/auth/me").status_code == 200  # got 401: replay without cookies
