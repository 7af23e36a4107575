"""A database that stays busy (lock waits that time out, deadlocks,
serialization failures on PostgreSQL) is tried again a few times with short
pauses, then answered 503 busy with Retry-After, quickly and with nothing
changed (YUNQUAN_FAULT=busy_begins:N makes the next N writing transactions
find the database busy; the retries themselves are counted by the unit
tests of service/tx.c)."""
import concurrent.futures as cf
import time

import dbs
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


def hold_the_write_lock(db):
    """Another process's writer holding the database past the server's busy
    timeout: SQLite's write lock, or PostgreSQL's writer lock (the advisory
    lock every plain writer takes, src/store/db_pg.c WRITER_LOCK)."""
    con = dbs.connect(db)
    if dbs.is_pg(db):
        con.execute("SELECT pg_advisory_lock(31089)")
    else:
        con.isolation_level = None
        con.execute("BEGIN IMMEDIATE")
    return con


def test_a_keyed_post_that_finds_the_database_busy_is_503_with_retry_after(tmp_path, template_db):
    """A POST with an Idempotency-Key opens its transaction before the use
    case runs; a busy database there is the same 503 busy with Retry-After,
    nothing changed, and the same key then runs the request once."""
    s = Server(tmp_path, template_db).start()
    try:
        c = s.login("enterprise")
        (hash_before,) = s.sql("SELECT password_hash FROM users WHERE username = 'enterprise'")[0]
        body = {"current_password": DEMO_PASSWORD, "new_password": "Busy-Retry-Passw0rd-2019"}
        key = {"Idempotency-Key": "busy-key-1"}
        holder = hold_the_write_lock(s.db)
        try:
            r = c.post("/api/v1/auth/password", json=body, headers=key)
        finally:
            holder.close()
        assert r.status_code == 503, r.text
        assert r.headers.get("Retry-After") == "1", dict(r.headers)
        err = r.json()["error"]
        assert err["code"] == "busy" and "繁忙" in err["message"]
        assert s.sql("SELECT password_hash FROM users WHERE username = 'enterprise'")[0][0] == \
            hash_before
        r = c.post("/api/v1/auth/password", json=body, headers=key)
        assert r.status_code < 300, r.text
        assert s.sql("SELECT password_hash FROM users WHERE username = 'enterprise'")[0][0] != \
            hash_before
    finally:
        probs = s.stop()
    assert not probs, probs


def test_a_write_waiting_for_the_database_holds_up_no_other_request(tmp_path, template_db):
    """One worker thread serves every connection here. A sign-in waits for
    the write lock another process holds; meanwhile a read on another
    connection is answered at once, and the sign-in goes through once the
    lock is let go. (Run on the worker itself, the waiting write held up
    every connection of its thread until the lock was released:
    `--write-threads 0` shows it.)"""
    s = Server(tmp_path, template_db, extra_args=["--threads", "1"]).start()
    try:
        reader = s.login("auditor")
        assert reader.get("/api/v1/counties").status_code == 200
        holder = hold_the_write_lock(s.db)
        with cf.ThreadPoolExecutor(max_workers=1) as ex:
            try:
                signing_in = ex.submit(lambda: s.client().post(
                    "/api/v1/auth/login",
                    json={"username": "enterprise", "password": DEMO_PASSWORD}, timeout=30))
                time.sleep(0.5)
                assert not signing_in.done()  # it waits for the lock
                t0 = time.monotonic()
                r = reader.get("/api/v1/counties", timeout=30)
                took = time.monotonic() - t0
                fresh = s.client().get("/api/v1/public/catalog", timeout=30)
                took_fresh = time.monotonic() - t0
                waiting_still = not signing_in.done()
            finally:
                holder.close()
            login = signing_in.result()
        assert r.status_code == 200 and fresh.status_code == 200
        assert took < 1.5 and took_fresh < 1.5, (took, took_fresh)
        assert waiting_still  # the reads did not wait for the write, nor it for them
        assert login.status_code == 200, login.text
        assert login.cookies.get("yq_session")
    finally:
        probs = s.stop()
    assert not probs, probs
