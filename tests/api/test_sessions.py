"""Session timeouts on the test clock: 30 min idle, 12 h absolute. The
idle timer is refreshed at most once a minute, so the tests stay a minute
or more away from the edges they do not test."""
from conftest import assert_error


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
