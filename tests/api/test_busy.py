"""A database that stays busy (lock waits that time out, deadlocks,
serialization failures on PostgreSQL) is tried again a few times with short
pauses, then answered 503 busy with Retry-After, quickly and with nothing
changed (YUNQUAN_FAULT=busy_begins:N makes the next N writing transactions
find the database busy; the retries themselves are counted by the unit
tests of service/tx.c)."""
import time

from conftest import DEMO_PASSWORD, Server


def test_a_write_that_stays_busy_is_answered_503_with_retry_after(tmp_path, template_db):
    s = Server(tmp_path, template_db, extra_args=["--group-commit", "false"],
               env={"YUNQUAN_FAULT": "busy_begins:100000"}).start()
    try:
        c = s.client()
        (before,) = s.sql("SELECT COUNT(*) FROM sessions")[0]
        t0 = time.monotonic()
        r = c.post("/api/v1/auth/login", json={"username": "admin", "password": DEMO_PASSWORD})
        took = time.monotonic() - t0
        assert r.status_code == 503, r.text
        assert r.headers["Retry-After"] == "1"
        err = r.json()["error"]
        assert err["code"] == "busy" and "繁忙" in err["message"]
        # the bounded retries (5 tries, pauses of about 200 ms in all) and
        # the slow password check stay well under the client's patience
        assert took < 3, took
        # nothing was written: no session came back, and reads still serve
        assert not r.cookies.get("yq_session")
        assert c.get("/api/v1/public/catalog").status_code == 200
        assert s.sql("SELECT COUNT(*) FROM sessions")[0][0] == before
    finally:
        probs = s.stop()
    assert not probs, probs
