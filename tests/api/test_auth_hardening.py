"""Issue 9 (security review) of sign-in and sign-up, one regression test per
finding:

1. Failed logins could keep any account (admin too) locked forever, the
   unlock command left the throttle, and behind a TLS proxy everyone shared
   the proxy's address. Now: delays per (account, address) and per address,
   never a lock; the owner elsewhere is not slowed; X-Forwarded-For of the
   trusted proxies names the client; unlocking clears the throttles; the
   throttle's moments are in the audit log.
2. Sign-up hashed a 64 MiB Argon2id before the uniqueness checks, was not
   limited, and its 409 confirmed taken usernames. Now: cheap checks first,
   10 sign-ups per address and hour, a gate on Argon2id, one answer for a
   taken and a reserved username.
3. Sign-up committed the account and the draft, then could fail its
   automatic sign-in (429). Now it commits wholly, session included, or not
   at all.
"""
import concurrent.futures as cf
import statistics
import time

import requests

from conftest import DEMO_PASSWORD, Server, assert_error, iso, run_cli
from flows import SIGNUP_PASSWORD, make_uscc, ok, signup, unique_number

WRONG = "Wrong-Password-9"


def retry_after(r):
    return int(r.headers["Retry-After"])


def fail_logins(s, username, n, source=None, headers=None):
    """n wrong passwords for `username`, waiting out every 429 on the test
    clock. Returns the waits (seconds) the server asked for."""
    waits, done = [], 0
    while done < n:
        r = s.client(source=source).post("/api/v1/auth/login",
                                         json={"username": username, "password": WRONG},
                                         headers=headers or {})
        if r.status_code == 429:
            assert_error(r, 429, "login_throttled")
            waits.append(retry_after(r))
            s.advance(seconds=retry_after(r))
            continue
        assert_error(r, 401, "invalid_credentials")
        done += 1
    return waits


def own_server(tmp_path, template_db, name, *args):
    return Server(tmp_path / name, template_db, extra_args=list(args)).start()


def stop(s):
    probs = s.stop()
    assert not probs, probs


def login_via(s, username, password, forwarded, source=None):
    c = s.client(source=source)
    r = c.post("/api/v1/auth/login", json={"username": username, "password": password},
               headers={"X-Forwarded-For": forwarded})
    return c, r


# -- 1. lockout that slows an attacker without locking out the owner ------------------

def test_twenty_failures_for_admin_from_one_address_do_not_keep_admin_out_elsewhere(fresh_server):
    s = fresh_server
    waits = fail_logins(s, "admin", 20, source="127.0.0.2")
    # the attacker was slowed down, doubling, never locked
    assert waits[:5] == [1, 2, 4, 8, 16] and max(waits) == 15 * 60
    r = s.try_login("admin", DEMO_PASSWORD, source="127.0.0.2")
    assert_error(r, 429, "login_throttled")
    # the owner signs in at once from another address (the clock does not move)
    c = s.login("admin", source="127.0.0.3")
    assert c.get("/api/v1/auth/me").json()["user"]["username"] == "admin"
    # and again right after: the owner's success did not feed the attacker's throttle
    s.login("admin", source="127.0.0.3")
    r = s.try_login("admin", DEMO_PASSWORD, source="127.0.0.2")
    assert_error(r, 429, "login_throttled")


def test_unknown_user_and_wrong_password_take_the_same_time(fresh_server):
    """An unknown username costs one Argon2id check of a dummy hash, like a
    wrong password: the answer's time does not tell which accounts exist.
    Every attempt comes from its own address, so no throttle interferes."""
    s = fresh_server
    s.try_login("no_such_user_0", WRONG, source="127.0.1.1")  # the dummy hash is made at start-up
    unknown, wrong = [], []
    for i in range(6):
        for name, times in ((f"no_such_user_{i}", unknown), ("county_it", wrong)):
            t0 = time.monotonic()
            r = s.try_login(name, WRONG, source=f"127.0.{2 + len(times)}.{1 if times is unknown else 2}")
            times.append(time.monotonic() - t0)
            assert_error(r, 401, "invalid_credentials")
    ratio = statistics.median(unknown) / statistics.median(wrong)
    assert 0.5 < ratio < 2, (unknown, wrong)  # got ~0.05 when unknown users skipped the hash


def test_behind_a_trusted_proxy_each_client_is_throttled_on_its_own_address(tmp_path, template_db):
    s = own_server(tmp_path, template_db, "proxy", "--trusted-proxies", "127.0.0.1, 10.0.0.0/8")
    try:
        attacker, owner = "203.0.113.66", "198.51.100.7"
        waits = fail_logins(s, "admin", 20, headers={"X-Forwarded-For": attacker})
        assert waits[:3] == [1, 2, 4]
        # the owner comes through the same proxy and signs in at once
        c, r = login_via(s, "admin", DEMO_PASSWORD, owner)
        assert r.status_code == 200, r.text
        # the proxy chain is walked from the right; what the client wrote is not believed
        _, r = login_via(s, "admin", DEMO_PASSWORD, f"{owner}, 10.1.2.3")
        assert r.status_code == 200, r.text
        _, r = login_via(s, "admin", DEMO_PASSWORD, f"{owner}, {attacker}")
        assert_error(r, 429, "login_throttled")
        # an untrusted peer's header is ignored: 127.0.0.2 is itself, not the owner
        _, r = login_via(s, "admin", WRONG, owner, source="127.0.0.2")
        assert_error(r, 401, "invalid_credentials")
        # the real addresses are what the throttles, sessions and audit log hold
        keys = {k for (k,) in s.sql("SELECT key FROM login_throttle")}
        assert f"pair:{attacker}|admin" in keys and f"addr:{attacker}" in keys
        assert "pair:127.0.0.2|admin" in keys
        assert not any("127.0.0.1" in k for k in keys)
        assert (owner,) in s.sql("SELECT client_addr FROM sessions")
        audit = c.get("/api/v1/audit", params={"entity": "login"}).json()["items"]
        throttled = [e for e in audit if e["action"] == "throttled"]
        assert {e["client_addr"] for e in throttled} == {attacker}
    finally:
        stop(s)


def test_a_bad_trusted_proxy_list_stops_the_server_from_starting(tmp_path, template_db):
    p = run_cli(["serve", "--db", str(template_db), "--listen", "127.0.0.1:0",
                 "--trusted-proxies", "localhost"], cwd=tmp_path, timeout=60)
    assert p.returncode == 2 and "trusted_proxies" in p.stderr and "localhost" in p.stderr


def test_user_unlock_clears_the_throttle_and_is_audited(fresh_server, tmp_path):
    s = fresh_server
    fail_logins(s, "admin", 14, source="127.0.0.2")  # the owner shares the attacker's address
    assert_error(s.try_login("admin", DEMO_PASSWORD, source="127.0.0.2"), 429, "login_throttled")
    p = run_cli(["user", "unlock", "--db", str(s.db), "--username", "admin",
                 "--address", "127.0.0.2"], cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "登录限速已解除" in p.stdout
    admin = s.login("admin", source="127.0.0.2")
    items = admin.get("/api/v1/audit", params={"entity": "login"}).json()["items"]
    unlocked = [e for e in items if e["action"] == "unlocked"]
    assert all(e["actor_username"].startswith("cli:") for e in unlocked)
    # the account's failures from every address, then the address's own
    assert [(e["after"]["username"], e["after"]["client_addr"], e["after"]["cleared"])
            for e in reversed(unlocked)] == [("admin", None, 1), ("admin", "127.0.0.2", 1)]
    assert {e["action"] for e in items} >= {"throttled", "locked", "unlocked"}


def test_user_lock_unlock_also_clears_the_throttle(fresh_server, tmp_path):
    s = fresh_server
    fail_logins(s, "provider", 6)
    assert_error(s.try_login("provider", DEMO_PASSWORD), 429, "login_throttled")
    p = run_cli(["user", "lock", "--db", str(s.db), "--username", "provider", "--unlock"],
                cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    s.login("provider")  # at once: 6 failures from this address are below its own limit


def test_user_unlock_by_address_alone(fresh_server, tmp_path):
    s = fresh_server
    fail_logins(s, "ghost_a", 6, source="127.0.0.4")
    fail_logins(s, "ghost_b", 6, source="127.0.0.4")
    assert_error(s.try_login("auditor", DEMO_PASSWORD, source="127.0.0.4"), 429)
    p = run_cli(["user", "unlock", "--db", str(s.db), "--address", "127.0.0.4"], cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert not s.sql("SELECT key FROM login_throttle WHERE key LIKE '%127.0.0.4%'")
    s.login("auditor", source="127.0.0.4")
    p = run_cli(["user", "unlock", "--db", str(s.db), "--address", "not-an-ip"], cwd=tmp_path)
    assert p.returncode == 2 and "IPv4" in p.stderr
    p = run_cli(["user", "lock", "--db", str(s.db), "--username", "auditor", "--address",
                 "127.0.0.4"], cwd=tmp_path)
    assert p.returncode == 2


def test_admin_lists_and_clears_throttles_through_the_api(fresh_server):
    s = fresh_server
    admin = s.login("admin")
    auditor = s.login("auditor")
    fail_logins(s, "county_it", 5, source="127.0.0.2")
    rows = ok(auditor.get("/api/v1/login-throttles"))["items"]
    pair = next(i for i in rows if i["scope"] == "account_address")
    assert pair["username"] == "county_it" and pair["client_addr"] == "127.0.0.2"
    assert pair["count"] == 5 and pair["wait_s"] == 4 and pair["at"] == iso(s.now)
    addr = next(i for i in rows if i["scope"] == "address" and i["client_addr"] == "127.0.0.2")
    assert addr["count"] == 5 and addr["wait_s"] == 0 and addr["username"] is None
    # only admin clears; a body must name something; addresses are checked
    assert_error(auditor.post("/api/v1/login-throttles/clear", json={"username": "county_it"}),
                 403, "forbidden")
    assert_error(admin.post("/api/v1/login-throttles/clear", json={}), 422, "missing_field")
    assert_error(admin.post("/api/v1/login-throttles/clear", json={"client_addr": "1.2.3"}), 422,
                 "invalid_field", "client_addr")
    assert_error(s.try_login("county_it", DEMO_PASSWORD, source="127.0.0.2"), 429)
    r = admin.post("/api/v1/login-throttles/clear", json={"username": "county_it"})
    assert ok(r) == {"cleared": 1}
    s.login("county_it", source="127.0.0.2")
    assert ok(admin.post("/api/v1/login-throttles/clear", json={"username": "county_it"})) == \
        {"cleared": 0}
    e = ok(admin.get("/api/v1/audit", params={"entity": "login", "actor": "admin"}))["items"]
    assert [(i["action"], i["entity_id"], i["after"]["cleared"]) for i in e] == \
        [("unlocked", "county_it", 1)]


def test_admin_unlocking_an_account_clears_its_throttles(fresh_server):
    s = fresh_server
    admin = s.login("admin")
    fail_logins(s, "evaluator", 4, source="127.0.0.2")
    fail_logins(s, "evaluator", 4, source="127.0.0.3")
    vid = s.sql("SELECT id FROM users WHERE username = 'evaluator'")[0][0]
    assert ok(admin.post(f"/api/v1/users/{vid}/lock", json={"locked": False}))["user"]["locked"] \
        is False
    s.login("evaluator", source="127.0.0.2")
    s.login("evaluator", source="127.0.0.3")


# -- 2. sign-up: cheap checks first, limited, a gate on Argon2id, one answer ------------

def signup_body(**over):
    n = unique_number()
    body = {"role": "enterprise", "username": f"hard{n}", "password": SIGNUP_PASSWORD,
            "uscc": make_uscc("370811"), "name": f"加固测试企业{n}有限公司",
            "county_code": "370811", "consent": True}
    body.update(over)
    return body


def test_a_taken_username_answers_like_a_reserved_one_and_names_no_account(server):
    taken = server.client().post("/api/v1/auth/signup", json=signup_body(username="county_it"))
    err = assert_error(taken, 409, "username_unavailable", "username")
    assert "不可用" in err["message"] and "已被使用" not in err["message"]
    assert "county_it" not in err["message"]
    reserved = server.client().post("/api/v1/auth/signup", json=signup_body(username="root"))
    assert reserved.json() == taken.json()
    assert not server.sql("SELECT 1 FROM users WHERE username = 'root'")


def test_a_taken_username_is_refused_before_the_password_is_hashed(server):
    """A refused sign-up costs a few reads and the limit's count; a sign-in
    costs a 64 MiB Argon2id check. Before the fix the sign-up hashed first."""
    def timed(fn):
        t0 = time.monotonic()
        r = fn()
        return time.monotonic() - t0, r
    refused, logins = [], []
    for _ in range(5):
        t, r = timed(lambda: server.client().post("/api/v1/auth/signup",
                                                  json=signup_body(username="provider")))
        assert_error(r, 409, "username_unavailable")
        refused.append(t)
        t, r = timed(lambda: server.client().post(
            "/api/v1/auth/login", json={"username": "auditor", "password": DEMO_PASSWORD}))
        assert r.status_code == 200
        logins.append(t)
    assert statistics.median(refused) < 0.5 * statistics.median(logins), (refused, logins)


def test_sign_ups_are_limited_to_ten_per_address_and_hour(tmp_path, template_db):
    s = own_server(tmp_path, template_db, "limit", "--signup-per-hour", "10")
    try:
        src = "127.0.0.2"
        statuses = []
        for i in range(10):
            # taken usernames count too: probing names costs sign-ups
            body = signup_body(username="county_it") if i % 2 else signup_body()
            statuses.append(s.client(source=src).post("/api/v1/auth/signup", json=body).status_code)
        assert statuses == [201, 409] * 5
        snap = s.snapshot(tables=["users", "enterprises", "sessions", "audit_log"])
        body = signup_body()
        r = s.client(source=src).post("/api/v1/auth/signup", json=body)
        err = assert_error(r, 429, "signup_throttled")
        assert 59 * 60 < retry_after(r) <= 3600 and "60 分钟" in err["message"]
        assert s.snapshot(tables=["users", "enterprises", "sessions", "audit_log"]) == snap
        # a bad field is answered without counting (it tells nothing)
        r = s.client(source=src).post("/api/v1/auth/signup", json=signup_body(uscc="123"))
        assert_error(r, 422, "invalid_uscc")
        # another address is not affected
        assert s.client(source="127.0.0.3").post("/api/v1/auth/signup",
                                                 json=signup_body()).status_code == 201
        s.advance(hours=1)
        r = s.client(source=src).post("/api/v1/auth/signup", json=body)
        assert r.status_code == 201, r.text
    finally:
        stop(s)


def test_argon2id_never_holds_every_worker(tmp_path, template_db):
    """3 workers, so at most 2 hash (the gate is clamped below the workers)
    and none waits: a burst of sign-ups is answered 201 or 503 (retry), the
    503s write nothing and are not counted, and the server keeps answering."""
    s = own_server(tmp_path, template_db, "gate", "--threads", "3", "--hash-concurrency", "8",
                   "--signup-per-hour", "1000")
    try:
        bodies = [signup_body() for _ in range(12)]

        def go(body):
            return s.client(source="127.0.0.2").post("/api/v1/auth/signup", json=body)

        with cf.ThreadPoolExecutor(max_workers=12) as ex:
            futures = [ex.submit(go, b) for b in bodies]
            time.sleep(0.05)
            t0 = time.monotonic()
            health = requests.get(s.url("/healthz"), timeout=60)
            health_s = time.monotonic() - t0
            answers = [f.result() for f in futures]
        assert health.status_code == 200 and health_s < 10
        statuses = [r.status_code for r in answers]
        assert set(statuses) <= {201, 503}, [(r.status_code, r.text[:200]) for r in answers]
        made = {b["username"] for b, r in zip(bodies, answers) if r.status_code == 201}
        for b, r in zip(bodies, answers):
            if r.status_code == 503:
                assert_error(r, 503, "busy")
                assert r.headers.get("Retry-After") == "1"
        names = {u for (u,) in s.sql("SELECT username FROM users WHERE username LIKE 'hard%'")}
        assert names == made
        (count,) = s.sql("SELECT failures FROM login_throttle WHERE key = 'signup:127.0.0.2'")[0]
        assert count == len(made)
    finally:
        stop(s)


# -- 3. sign-up commits wholly or not at all --------------------------------------

def test_a_throttled_address_still_gets_its_sign_up_and_session_in_one_answer(fresh_server):
    s = fresh_server
    src = "127.0.0.2"
    for i in range(11):
        assert_error(s.try_login(f"nobody{i}", WRONG, source=src), 401)
    assert_error(s.try_login("admin", DEMO_PASSWORD, source=src), 429, "login_throttled")
    body = signup_body()
    c = s.client(source=src)
    r = c.post("/api/v1/auth/signup", json=body, headers={"X-Request-Id": "signup-atomic-1"})
    assert r.status_code == 201, r.text  # got 429 after the account had been committed
    assert r.json()["user"]["username"] == body["username"]
    assert r.json()["user"]["party"]["kind"] == "enterprise"
    assert r.json()["enterprise"]["uscc"] == body["uscc"]
    assert ok(c.get("/api/v1/auth/me"))["user"]["username"] == body["username"]
    rows = s.sql("SELECT entity, action FROM audit_log WHERE request_id = 'signup-atomic-1'"
                 " ORDER BY seq")
    assert rows == [("user", "create"), ("enterprise", "signup"), ("session", "login")]


def test_racing_sign_ups_leave_no_account_without_its_party(tmp_path, template_db):
    # 12 workers: the hash gate (2 hashing, 9 waiting) admits all 8 at once
    s = own_server(tmp_path, template_db, "race", "--threads", "12")
    try:
        racing_sign_ups(s)
    finally:
        stop(s)


def racing_sign_ups(s):
    uscc = make_uscc("370811")
    same_uscc = [signup_body(uscc=uscc) for _ in range(4)]
    name = f"race{unique_number()}"
    same_name = [signup_body(username=name) for _ in range(4)]
    with cf.ThreadPoolExecutor(max_workers=8) as ex:
        answers = list(ex.map(lambda b: s.client().post("/api/v1/auth/signup", json=b),
                              same_uscc + same_name))
    by_uscc, by_name = answers[:4], answers[4:]
    assert sorted(r.status_code for r in by_uscc) == [201, 409, 409, 409]
    assert sorted(r.status_code for r in by_name) == [201, 409, 409, 409]
    for r in by_uscc:
        if r.status_code == 409:
            assert_error(r, 409, "uscc_registered", "uscc")
    for r in by_name:
        if r.status_code == 409:
            assert_error(r, 409, "username_unavailable", "username")
    # every account made has its enterprise; nothing of the losers remains
    orphans = s.sql("SELECT u.username FROM users u LEFT JOIN enterprises e ON e.user_id = u.id"
                    " WHERE u.role = 'enterprise' AND e.id IS NULL")
    assert orphans == []
    for b, r in zip(same_uscc + same_name, answers):
        made = s.sql("SELECT 1 FROM users WHERE username = ?", b["username"])
        assert bool(made) == (r.status_code == 201 or b["username"] == name)
    assert len(s.sql("SELECT 1 FROM enterprises WHERE uscc = ?", uscc)) == 1
