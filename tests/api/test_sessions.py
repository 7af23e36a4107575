"""Session timeouts on the test clock: 30 min idle, 12 h absolute. The
idle timer is refreshed at most once a minute, so the tests stay a minute
or more away from the edges they do not test."""
from conftest import DEMO_PASSWORD, assert_error


def test_session_survives_29_minutes_idle_and_expires_at_30(fresh_server):
    s = fresh_server
    c = s.login("county_it")
    s.advance(minutes=29, seconds=59)
    assert c.get("/api/v1/auth/me").status_code == 200  # activity: refreshes the idle timer
    s.advance(minutes=29, seconds=59)
    assert c.get("/api/v1/counties").status_code == 200
    s.advance(minutes=30)
    err = assert_error(c.get("/api/v1/auth/me"), 401, "session_expired")
    assert "30 分钟" in err["message"]
    # the expired session is gone for good, even if time went back
    s.advance(minutes=-30)
    assert_error(c.get("/api/v1/auth/me"), 401, "unauthenticated")


def test_idle_expiry_also_refuses_state_changes_with_a_valid_csrf_token(fresh_server):
    s = fresh_server
    admin = s.login("admin")
    snap = s.snapshot(tables=("users", "audit_log"))
    s.advance(minutes=31)
    r = admin.post("/api/v1/users", json={"username": "late_user", "password": "Late-Pass-2019",
                                          "role": "city_it", "display_name": "迟到"})
    assert_error(r, 401, "session_expired")
    assert s.snapshot(tables=("users", "audit_log")) == snap


def test_an_active_session_ends_12_hours_after_login(fresh_server):
    s = fresh_server
    c = s.login("auditor")
    for _ in range(24):  # a request every 29 min: 11 h 36 min of activity
        s.advance(minutes=29)
        assert c.get("/api/v1/auth/me").status_code == 200
    s.set_clock(s.now.replace(hour=20, minute=59, second=59))  # 11:59:59 after login
    assert c.get("/api/v1/auth/me").status_code == 200
    s.advance(seconds=1)  # 12:00:00 after login
    err = assert_error(c.get("/api/v1/auth/me"), 401, "session_expired")
    assert "12 小时" in err["message"]
    # signing in again gives a new session
    assert s.login("auditor").get("/api/v1/auth/me").status_code == 200


def test_expired_sessions_are_removed_from_the_database(fresh_server):
    s = fresh_server
    c = s.login("provider")
    mine = "SELECT COUNT(*) FROM sessions WHERE user_id = ?"
    assert s.sql(mine, c.user["id"])[0][0] == 1
    s.advance(minutes=45)
    assert_error(c.get("/api/v1/auth/me"), 401, "session_expired")
    assert s.sql(mine, c.user["id"])[0][0] == 0


# -- issue 9, deliver 5: session renewal and ending every session ------------

def test_login_renews_the_session_id_and_ends_the_one_the_browser_held(fresh_server):
    s = fresh_server
    browser = s.login("auditor")
    before = browser.cookies["yq_session"]
    # another account signs in from the same browser: a new id, the old one dead
    r = browser.post("/api/v1/auth/login", json={"username": "city_it",
                                                 "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    after = browser.cookies["yq_session"]
    assert after != before
    assert browser.get("/api/v1/auth/me").json()["user"]["username"] == "city_it"
    replay = s.client()
    replay.cookies.set("yq_session", before)
    assert_error(replay.get("/api/v1/auth/me"), 401, "unauthenticated")
    # the same account signing in again gets a new id too
    r = browser.post("/api/v1/auth/login", json={"username": "city_it",
                                                 "password": DEMO_PASSWORD})
    assert r.status_code == 200 and browser.cookies["yq_session"] not in (before, after)
    replay.cookies.set("yq_session", after)
    assert_error(replay.get("/api/v1/auth/me"), 401, "unauthenticated")
    # a value planted before the login (session fixation) is never adopted
    planted = "ab" * 32
    victim = s.client()
    victim.cookies.update(s.login("enterprise").cookies)  # the jar's domain and path
    victim.cookies.set("yq_session", planted, domain=next(iter(victim.cookies)).domain, path="/")
    assert victim.post("/api/v1/auth/login", json={"username": "county_it",
                                                   "password": DEMO_PASSWORD}).status_code == 200
    assert victim.cookies["yq_session"] != planted
    attacker = s.client()
    attacker.cookies.set("yq_session", planted)
    assert_error(attacker.get("/api/v1/auth/me"), 401, "unauthenticated")
    # a wrong password leaves the browser's session as it was
    kept = victim.cookies["yq_session"]
    r = victim.post("/api/v1/auth/login", json={"username": "county_it", "password": "wrong-one"})
    assert r.status_code == 401
    assert victim.get("/api/v1/auth/me").json()["user"]["username"] == "county_it"
    assert victim.cookies["yq_session"] == kept


def two_browsers(s, username, password=DEMO_PASSWORD):
    return s.login(username, password), s.login(username, password, source="127.0.0.2")


def sessions_of(s, user_id):
    return s.sql("SELECT COUNT(*) FROM sessions WHERE user_id = ?", user_id)[0][0]


def test_logout_ends_every_session_of_the_account_server_side(fresh_server):
    s = fresh_server
    office, phone = two_browsers(s, "county_finance")
    bystander = s.login("county_it")
    assert sessions_of(s, office.user["id"]) == 2
    assert office.post("/api/v1/auth/logout").status_code == 200
    assert sessions_of(s, office.user["id"]) == 0
    assert_error(office.get("/api/v1/auth/me"), 401)
    assert_error(phone.get("/api/v1/auth/me"), 401, "unauthenticated")
    # another account is not touched
    assert bystander.get("/api/v1/auth/me").status_code == 200


def test_changing_ones_own_password_ends_every_other_session(fresh_server):
    s = fresh_server
    office, phone = two_browsers(s, "evaluator")
    uid = office.user["id"]
    hash_before = s.sql("SELECT password_hash FROM users WHERE id = ?", uid)[0][0]
    # a wrong current password changes nothing and ends nothing
    err = assert_error(office.post("/api/v1/auth/password", json={
        "current_password": "not-my-password", "new_password": "Evaluator-New-2019"}),
        422, "wrong_password", "current_password")
    assert "当前密码" in err["message"]
    assert phone.get("/api/v1/auth/me").status_code == 200
    assert s.sql("SELECT password_hash FROM users WHERE id = ?", uid)[0][0] == hash_before
    # a weak new password is refused by the password rules
    assert_error(office.post("/api/v1/auth/password", json={
        "current_password": DEMO_PASSWORD, "new_password": "123"}), 422, None, "new_password")
    r = office.post("/api/v1/auth/password", json={
        "current_password": DEMO_PASSWORD, "new_password": "Evaluator-New-2019"})
    assert r.status_code == 200, r.text
    assert office.get("/api/v1/auth/me").status_code == 200  # this browser stays signed in
    assert_error(phone.get("/api/v1/auth/me"), 401, "unauthenticated")
    assert sessions_of(s, uid) == 1
    assert s.sql("SELECT password_hash FROM users WHERE id = ?", uid)[0][0].startswith("$argon2id$")
    assert s.try_login("evaluator", DEMO_PASSWORD).status_code == 401
    assert s.login("evaluator", "Evaluator-New-2019")
    audit = s.login("auditor").get("/api/v1/audit", params={"actor": "evaluator"}).json()["items"]
    assert [e["action"] for e in audit if e["entity"] == "user"][:1] == ["change_password"]
    # anonymous callers cannot use it
    assert_error(s.client().post("/api/v1/auth/password", json={
        "current_password": "x", "new_password": "Evaluator-New-2020"}), 401)


def test_an_admin_password_reset_ends_every_session_of_the_account(fresh_server):
    s = fresh_server
    office, phone = two_browsers(s, "provider")
    admin = s.login("admin")
    r = admin.post(f"/api/v1/users/{office.user['id']}/password",
                   json={"password": "Provider-Reset-2019"})
    assert r.status_code == 200, r.text
    for c in (office, phone):
        assert_error(c.get("/api/v1/auth/me"), 401)
    assert sessions_of(s, office.user["id"]) == 0
    assert admin.get("/api/v1/auth/me").status_code == 200


def test_wrong_current_passwords_are_throttled_like_logins(fresh_server):
    s = fresh_server
    c = s.login("city_finance")
    body = {"current_password": "guess-0000", "new_password": "CityFinance-New-2019"}
    answers = [c.post("/api/v1/auth/password", json=body).status_code for _ in range(4)]
    assert answers[:2] == [422, 422] and answers[-1] == 429, answers
    # even the right password waits, then goes through
    r = c.post("/api/v1/auth/password", json={**body, "current_password": DEMO_PASSWORD})
    assert_error(r, 429)
    assert int(r.headers["Retry-After"]) >= 1
    s.advance(minutes=1)
    r = c.post("/api/v1/auth/password", json={**body, "current_password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    assert s.login("city_finance", "CityFinance-New-2019")
