"""Login throttling. Each test has its own server and moves its test clock:
the server never waits in real time.

Policy (core/lockout.c): failures are counted per (account, address) pair
and per address; neither ever locks. Per pair, failures 1–2 are free; after
failure n > 2 the next attempt must wait 2^(n-3) s, at most 15 min; a quiet
day forgets them. Per address (across accounts): 10 free, then the same
doubling; a quiet hour forgets them. A wait is answered 429 with
Retry-After. (tests/api/test_auth_hardening.py: the owner elsewhere, proxies,
unlocking.)"""
import concurrent.futures as cf

from conftest import DEMO_PASSWORD, Server, assert_error, iso

WRONG = "Wrong-Password-9"


def retry_after(r):
    return int(r.headers["Retry-After"])


def test_failures_from_one_address_slow_down_and_double_but_never_lock(fresh_server):
    s = fresh_server
    for _ in range(3):
        assert_error(s.try_login("enterprise", WRONG), 401, "invalid_credentials")
    # after the 3rd failure: wait 1 s, even with the right password
    for pw in (WRONG, DEMO_PASSWORD):
        r = s.try_login("enterprise", pw)
        err = assert_error(r, 429, "login_throttled")
        assert retry_after(r) == 1 and "1 秒" in err["message"]
    s.advance(seconds=1)
    assert_error(s.try_login("enterprise", WRONG), 401, "invalid_credentials")  # 4th
    r = s.try_login("enterprise", WRONG)
    assert_error(r, 429, "login_throttled")
    assert retry_after(r) == 2
    s.advance(seconds=1)
    r = s.try_login("enterprise", WRONG)
    assert_error(r, 429, "login_throttled")
    assert retry_after(r) == 1
    s.advance(seconds=1)
    assert_error(s.try_login("enterprise", WRONG), 401, "invalid_credentials")  # 5th: no lock
    r = s.try_login("enterprise", DEMO_PASSWORD)
    assert_error(r, 429, "login_throttled")
    assert retry_after(r) == 4
    s.advance(seconds=4)
    s.login("enterprise")  # the wait is over: the right password goes through


def test_the_wait_stops_growing_at_15_minutes(fresh_server):
    s = fresh_server
    waits = []
    while len(waits) < 12:
        r = s.try_login("provider", WRONG)
        if r.status_code == 429:
            waits.append(retry_after(r))
            s.advance(seconds=retry_after(r))
            continue
        assert_error(r, 401, "invalid_credentials")
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert_error(s.try_login("provider", WRONG), 401, "invalid_credentials")
    r = s.try_login("provider", DEMO_PASSWORD)
    err = assert_error(r, 429, "login_throttled")
    assert retry_after(r) == 15 * 60 and "15 分钟" in err["message"]
    s.advance(minutes=15)
    s.login("provider")


def test_a_quiet_day_forgets_the_failures(fresh_server):
    s = fresh_server
    for _ in range(3):
        assert_error(s.try_login("city_it", WRONG), 401)
    s.advance(hours=23, minutes=59)
    # not forgotten yet: the 4th failure makes the next attempt wait 2 s
    assert_error(s.try_login("city_it", WRONG), 401, "invalid_credentials")
    assert_error(s.try_login("city_it", WRONG), 429, "login_throttled")
    s.advance(hours=24)
    # had the old failures counted, the 2nd attempt here would have to wait 4 s
    assert_error(s.try_login("city_it", WRONG), 401, "invalid_credentials")
    assert_error(s.try_login("city_it", WRONG), 401, "invalid_credentials")
    assert_error(s.try_login("city_it", WRONG), 401, "invalid_credentials")
    assert_error(s.try_login("city_it", WRONG), 429, "login_throttled")


def test_a_successful_login_clears_the_accounts_failures(fresh_server):
    s = fresh_server
    assert_error(s.try_login("auditor", WRONG), 401)
    assert_error(s.try_login("auditor", WRONG), 401)
    s.login("auditor")
    for _ in range(3):
        assert_error(s.try_login("auditor", WRONG), 401, "invalid_credentials")
    assert_error(s.try_login("auditor", WRONG), 429, "login_throttled")


def test_throttling_one_account_leaves_other_accounts_and_sessions_alone(fresh_server):
    s = fresh_server
    existing = s.login("county_finance")
    for _ in range(6):
        r = s.try_login("county_finance", WRONG)
        if r.status_code == 429:
            s.advance(seconds=retry_after(r))
            r = s.try_login("county_finance", WRONG)
        assert_error(r, 401)
    assert_error(s.try_login("county_finance", DEMO_PASSWORD), 429, "login_throttled")
    # other accounts from the same address still sign in
    s.login("county_it")
    # a throttle is about signing in; a session already open keeps working
    assert existing.get("/api/v1/auth/me").status_code == 200


def test_throttling_and_its_longest_wait_are_recorded_in_the_audit_log(fresh_server):
    s = fresh_server
    auditor = s.login("auditor")
    times = {}
    for n in range(1, 14):
        r = s.try_login("city_finance", WRONG)
        if r.status_code == 429:
            s.advance(seconds=retry_after(r))
            r = s.try_login("city_finance", WRONG)
        assert_error(r, 401)
        times[n] = s.now
    entries = auditor.get("/api/v1/audit", params={"entity": "login", "page_size": 200}).json()["items"]
    mine = {e["action"]: e for e in entries if e["entity_id"] == "city_finance"}
    assert set(mine) == {"throttled", "locked"}, entries[:5]
    for action, n, wait in (("throttled", 3, 1), ("locked", 13, 15 * 60)):
        e = mine[action]
        assert e["at"] == iso(times[n])
        assert e["client_addr"] == "127.0.0.1"
        # the typed username is not an identity: the actor is the anonymous caller
        assert e["actor_username"] is None and e["actor_role"] is None
        assert e["after"] == {"scope": "account_address", "username": "city_finance",
                              "client_addr": "127.0.0.1", "failures": n, "wait_s": wait}


def test_the_address_throttle_slows_spraying_but_not_other_addresses(fresh_server):
    s = fresh_server
    bad, good = "127.0.0.2", "127.0.0.3"
    failures = 0
    attempts = 0
    waits = []
    while failures < 20:
        attempts += 1
        assert attempts < 60
        # a different made-up account each time: only the address accumulates
        r = s.try_login(f"ghost{failures}", WRONG, source=bad)
        if r.status_code == 429:
            assert failures >= 11, f"throttled after only {failures} failures"
            assert_error(r, 429, "login_throttled")
            waits.append(retry_after(r))
            s.advance(seconds=retry_after(r))
            continue
        assert_error(r, 401, "invalid_credentials")
        failures += 1
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256]
    # the address must wait, even for a real account with the right password
    r = s.try_login("admin", DEMO_PASSWORD, source=bad)
    err = assert_error(r, 429, "login_throttled")
    assert retry_after(r) == 512 and "9 分钟" in err["message"]
    # a forwarded-for header from an untrusted peer does not make it someone else
    r = s.client(source=bad).post("/api/v1/auth/login",
                                  json={"username": "admin", "password": DEMO_PASSWORD},
                                  headers={"X-Forwarded-For": "10.9.8.7", "X-Real-IP": "10.9.8.7"})
    assert_error(r, 429, "login_throttled")
    # another address is not affected
    s.login("admin", source=good)
    s.advance(seconds=512)
    s.login("admin", source=bad)


def test_admin_lock_refuses_the_right_password_with_403_and_ends_sessions(fresh_server):
    s = fresh_server
    admin = s.login("admin")
    victim = s.login("enterprise")
    vid = victim.user["id"]
    r = admin.post(f"/api/v1/users/{vid}/lock", json={"locked": True})
    assert r.status_code == 200 and r.json()["user"]["locked"] is True
    assert_error(victim.get("/api/v1/auth/me"), 401)
    err = assert_error(s.try_login("enterprise", DEMO_PASSWORD), 403, "account_locked")
    assert "管理员" in err["message"]
    # a wrong password still answers 401: the lock is only revealed to the right password
    assert_error(s.try_login("enterprise", WRONG), 401, "invalid_credentials")
    r = admin.post(f"/api/v1/users/{vid}/lock", json={"locked": False})
    assert r.status_code == 200 and r.json()["user"]["locked"] is False
    s.login("enterprise")
    # the change is audited with before and after
    items = admin.get("/api/v1/audit", params={"entity": "user", "actor": "admin"}).json()["items"]
    actions = [(i["entity_id"], i["before"]["locked"], i["after"]["locked"]) for i in items
               if i["entity_id"] == vid]
    assert (vid, False, True) in actions and (vid, True, False) in actions


def test_admin_cannot_lock_their_own_account(fresh_server):
    admin = fresh_server.login("admin")
    snap = fresh_server.snapshot()
    assert_error(admin.post(f"/api/v1/users/{admin.user['id']}/lock", json={"locked": True}),
                 409, "cannot_lock_self")
    assert fresh_server.snapshot() == snap
    assert admin.get("/api/v1/auth/me").status_code == 200


def test_admin_password_reset_ends_sessions_and_replaces_the_password(fresh_server):
    s = fresh_server
    admin = s.login("admin")
    victim = s.login("evaluator")
    r = admin.post(f"/api/v1/users/{victim.user['id']}/password",
                   json={"password": "Brand-New-Pass-2019"})
    assert r.status_code == 200, r.text
    assert_error(victim.get("/api/v1/auth/me"), 401)
    assert_error(s.try_login("evaluator", DEMO_PASSWORD), 401, "invalid_credentials")
    s.login("evaluator", "Brand-New-Pass-2019")
    # the audit says the password changed but never holds it or its hash
    items = admin.get("/api/v1/audit", params={"entity": "user"}).json()["items"]
    assert any(i["entity_id"] == victim.user["id"] for i in items)
    raw = str(items)
    assert "Brand-New-Pass-2019" not in raw and "argon2" not in raw


def test_parallel_guesses_cannot_outrun_the_throttle(fresh_server):
    """12 wrong passwords sent at the same moment (the clock does not move):
    the policy lets at most 3 be checked (failures 1-2 free, then wait 1 s)."""
    s = fresh_server
    with cf.ThreadPoolExecutor(max_workers=12) as ex:
        statuses = list(ex.map(lambda _: s.try_login("enterprise", WRONG).status_code, range(12)))
    assert set(statuses) <= {401, 429}
    checked = statuses.count(401)
    (failures,) = s.sql("SELECT failures FROM login_throttle WHERE key = 'pair:127.0.0.1|enterprise'")[0]
    assert failures == checked
    # got 6 with the default 4 server threads (12 with --threads 12): the
    # throttle is read before the slow password check and written after it
    assert checked <= 3, f"{checked} passwords were tried at once"


def test_right_password_on_an_admin_locked_account_keeps_answering_403(fresh_server):
    """Knowing the password of a disabled account is not a failed guess:
    it must not run into the throttle, nor lock the account for 15 min
    once the administrator re-enables it."""
    s = fresh_server
    admin = s.login("admin")
    vid = s.login("city_it").user["id"]
    assert admin.post(f"/api/v1/users/{vid}/lock", json={"locked": True}).status_code == 200
    for _ in range(6):
        assert_error(s.try_login("city_it", DEMO_PASSWORD), 403, "account_locked")
        s.advance(seconds=10)
    assert admin.post(f"/api/v1/users/{vid}/lock", json={"locked": False}).status_code == 200
    s.login("city_it")


def fail_from(s, source, n, prefix):
    """n wrong logins from `source`, each for a different made-up account,
    waiting out the address throttle as told by Retry-After."""
    done = 0
    while done < n:
        r = s.try_login(f"{prefix}{done}", WRONG, source=source)
        if r.status_code == 429:
            assert_error(r, 429, "login_throttled")
            s.advance(seconds=retry_after(r))
            continue
        assert_error(r, 401, "invalid_credentials")
        done += 1


def test_a_successful_login_never_locks_the_address(fresh_server):
    """19 failures from an address, then a success: that is not 20 failures."""
    s = fresh_server
    addr = "127.0.0.4"
    fail_from(s, addr, 19, "ghost")
    while True:
        r = s.try_login("admin", DEMO_PASSWORD, source=addr)
        if r.status_code != 429:
            break
        assert_error(r, 429, "login_throttled")
        s.advance(seconds=retry_after(r))
    assert r.status_code == 200, r.text
    for _ in range(5):  # the address may still have to wait, but it is not locked
        r = s.try_login("auditor", DEMO_PASSWORD, source=addr)
        if r.status_code == 200:
            break
        err = assert_error(r, 429)
        assert err["code"] == "login_throttled", err
        s.advance(seconds=retry_after(r))
    assert r.status_code == 200


def test_parallel_guesses_at_many_accounts_cannot_outrun_the_address_throttle(tmp_path, template_db):
    """Password spraying: 24 wrong passwords for 24 different accounts, sent
    at once from one address to a server with 12 worker threads. The address
    policy lets at most 11 be checked (10 free, the 11th, then wait 1 s)."""
    s = Server(tmp_path / "spray", template_db, extra_args=["--threads", "12"]).start()
    try:
        with cf.ThreadPoolExecutor(max_workers=24) as ex:
            statuses = list(ex.map(
                lambda i: s.try_login(f"sprayed{i}", WRONG, source="127.0.0.5").status_code, range(24)))
        checked = statuses.count(401)
        assert set(statuses) <= {401, 429}
        # got 16-19: the address is read before the password check and charged after it
        assert checked <= 11, f"{checked} passwords were tried at once from one address"
    finally:
        probs = s.stop()
    assert not probs, probs


def test_a_throttled_login_retried_with_the_same_idempotency_key_goes_through_after_the_wait(fresh_server):
    s = fresh_server
    for _ in range(3):
        assert_error(s.try_login("county_it", WRONG), 401)
    key = {"Idempotency-Key": "login-retry-1"}
    body = {"username": "county_it", "password": DEMO_PASSWORD}
    r = s.client().post("/api/v1/auth/login", json=body, headers=key)
    assert_error(r, 429, "login_throttled")
    s.advance(seconds=retry_after(r) + 5)
    c = s.client()
    r = c.post("/api/v1/auth/login", json=body, headers=key)
    assert r.status_code == 200, r.text  # got the stored 429 again, for 24 h
    assert c.get("/api/v1/auth/me").status_code == 200
