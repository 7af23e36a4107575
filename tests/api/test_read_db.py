"""`yunquan serve --read-db URL` (issue 13): public verification and the
reports read from a replica, which may lag behind the primary; everything
else, and every write (the verification throttle's count too), goes to the
primary. Here the "replica" is a copy of the database changed behind the
server's back, so that what is read from where is visible."""
import shutil
import sqlite3

import pytest

from conftest import Server
from flows import ok


def replica_sql(path, query, *args):
    con = sqlite3.connect(str(path))
    try:
        rows = con.execute(query, args).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


@pytest.fixture
def pair(tmp_path_factory, template_db):
    d = tmp_path_factory.mktemp("readdb")
    replica = d / "replica.db"
    shutil.copyfile(template_db, replica)
    s = Server(d / "primary", template_db, extra_args=["--read-db", str(replica)]).start()
    yield s, replica
    probs = s.stop()
    assert not probs, probs


SQLITE_REPLICA = "a copy of the .db file stands in for the replica (PostgreSQL: a streaming replica)"


@pytest.mark.sqlite_only(SQLITE_REPLICA)
def test_verification_reads_the_replica_and_counts_lookups_on_the_primary(pair):
    s, replica = pair
    vid, code, token, amount = s.sql(
        "SELECT id, code, verify_token, amount_fen FROM vouchers WHERE status = 'issued'"
        " LIMIT 1")[0]
    public = f"/api/v1/public/vouchers/{code}"
    assert ok(s.client().get(public, params={"token": token}))["amount_fen"] == amount
    # The replica has not caught up with a change (here: made only there).
    replica_sql(replica, "UPDATE vouchers SET amount_fen = amount_fen + 100 WHERE id = ?", vid)
    assert ok(s.client().get(public, params={"token": token}))["amount_fen"] == amount + 100
    # A signed-in reader sees the primary.
    staff = s.login("county_finance")
    assert ok(staff.get(f"/api/v1/vouchers/{vid}"))["amount_fen"] == amount
    # A lookup by code alone is counted against the address: on the primary.
    before = s.sql("SELECT COUNT(*) FROM public_throttle")[0][0]
    ok(s.client().get(public))
    assert s.sql("SELECT COUNT(*) FROM public_throttle")[0][0] >= max(before, 1)
    assert replica_sql(replica, "SELECT COUNT(*) FROM public_throttle")[0][0] == 0


@pytest.mark.sqlite_only(SQLITE_REPLICA)
def test_reports_read_the_replica(pair):
    s, replica = pair
    county, year = s.sql("SELECT county_code, year FROM county_months WHERE vouchers > 0"
                         " ORDER BY year LIMIT 1")[0]
    city = s.login("city_it")
    before = ok(city.get("/api/v1/reports/completion", params={"year": year}))["totals"]
    replica_sql(replica, "UPDATE county_months SET vouchers = vouchers + 1000 WHERE"
                " county_code = ? AND year = ? AND month = (SELECT MIN(month) FROM county_months"
                " WHERE county_code = ? AND year = ?)", county, year, county, year)
    after = ok(city.get("/api/v1/reports/completion", params={"year": year}))["totals"]
    assert after["vouchers"] == before["vouchers"] + 1000
    dash = ok(city.get("/api/v1/reports/dashboard/city", params={"year": year}))
    assert dash["totals"]["vouchers"] == before["vouchers"] + 1000
    # The primary itself is unchanged.
    assert s.sql("SELECT SUM(vouchers) FROM county_months WHERE year = ?", year)[0][0] == \
        replica_sql(replica, "SELECT SUM(vouchers) FROM county_months WHERE year = ?",
                    year)[0][0] - 1000


@pytest.mark.sqlite_only(SQLITE_REPLICA)
@pytest.mark.parametrize("where", ["no/such/dir/r.db", "missing.db"])
def test_an_unreachable_replica_falls_back_to_the_primary(tmp_path_factory, template_db, where):
    """A wrong path is never created as an empty database."""
    d = tmp_path_factory.mktemp("readdb-missing")
    s = Server(d / "primary", template_db, extra_args=["--read-db", str(d / where)]).start()
    try:
        code, token, amount = s.sql(
            "SELECT code, verify_token, amount_fen FROM vouchers LIMIT 1")[0]
        r = ok(s.client().get(f"/api/v1/public/vouchers/{code}", params={"token": token}))
        assert r["amount_fen"] == amount and r["genuine"] is True
        assert "只读副本不可用" in s.stderr()
        assert not (d / where).exists()
    finally:
        probs = s.stop()
    assert not probs, probs


def test_a_replica_that_never_answers_does_not_hold_the_verification(tmp_path, template_db):
    """A replica host that accepts the connection and then says nothing (a
    hung machine, a half-open network path) used to hold every public
    verification for ever, and with it the worker threads: the connection
    attempt gives up after a few seconds, the verification is served from
    the primary, and for a while after that the replica is not tried again."""
    import socket
    import time
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(64)  # never accepts, never answers
    port = hung.getsockname()[1]
    s = Server(tmp_path, template_db,
               extra_args=["--read-db", f"postgresql://yq@127.0.0.1:{port}/yunquan"]).start()
    try:
        code, token, amount = s.sql(
            "SELECT code, verify_token, amount_fen FROM vouchers LIMIT 1")[0]
        c = s.client()
        t0 = time.monotonic()
        r = c.get(f"/api/v1/public/vouchers/{code}", params={"token": token}, timeout=30)
        first = time.monotonic() - t0
        assert r.status_code == 200 and r.json()["amount_fen"] == amount, r.text
        assert first < 10, f"the first verification waited {first:.1f} s for the replica"
        t0 = time.monotonic()
        for _ in range(5):
            r = c.get(f"/api/v1/public/vouchers/{code}", params={"token": token}, timeout=30)
            assert r.status_code == 200, r.text
        later = time.monotonic() - t0
        assert later < 2, f"five more verifications took {later:.1f} s (the replica tried again)"
        assert "只读副本不可用" in s.stderr()
    finally:
        probs = s.stop()
        hung.close()
    assert not probs, probs
