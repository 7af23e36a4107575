"""Public verification reads from a snapshot that a server thread keeps
across requests (src/store/db_sqlite_reuse.h, issue 12's read path): it is
never behind a commit of the server itself, at most a moment behind another
process's (the command line), and an idle thread's snapshot never holds
back a checkpoint."""
import sqlite3
import time

import pytest
import requests

from conftest import HOME_COUNTY, Server
from flows import ok

LOOKS = 24  # separate connections, so that every server thread answers some


def issued_voucher(s):
    rows = s.sql("SELECT v.code, v.verify_token, v.contract_id, v.enterprise_id FROM vouchers v"
                 " WHERE v.status = 'issued' AND v.county_code = ? ORDER BY v.code LIMIT 1",
                 HOME_COUNTY)
    assert rows, "the demo has an issued voucher in the home county"
    return rows[0]


def look(s, code, token):
    """The public page of the voucher through new connections, as QR scans come."""
    return [ok(requests.get(s.url(f"/api/v1/public/vouchers/{code}"), params={"token": token},
                            headers={"Connection": "close"}, timeout=60))
            for _ in range(LOOKS)]


@pytest.fixture
def patient_server(tmp_path_factory, template_db):
    """Snapshots kept a minute: only the server's own commits end them."""
    s = Server(tmp_path_factory.mktemp("snap"), template_db,
               extra_args=["--public-snapshot-ms", "60000"]).start()
    yield s
    probs = s.stop()
    if probs:
        pytest.fail("server problems: " + "; ".join(probs))


def test_the_servers_own_commit_shows_at_once(patient_server):
    s = patient_server
    code, token, contract_id, _ = issued_voucher(s)
    assert {p["status"] for p in look(s, code, token)} == {"issued"}
    county_it = s.login("county_it")
    ok(county_it.post(f"/api/v1/contracts/{contract_id}/terminate",
                      json={"reason": "服务商未开通服务"}))
    # every thread, right after the answer: none shows the voucher as still valid
    assert {p["status"] for p in look(s, code, token)} == {"terminated"}


@pytest.mark.sqlite_only("another process writing the SQLite file")
def test_another_processs_commit_shows_within_a_moment(fresh_server):
    s = fresh_server
    code, token, _, enterprise_id = issued_voucher(s)
    before = {p["holder"] for p in look(s, code, token)}
    assert len(before) == 1 and not next(iter(before)).startswith("泰安")
    con = sqlite3.connect(str(s.db), timeout=10)
    con.execute("UPDATE enterprises SET name = '泰安快照核验有限公司' WHERE id = ?", (enterprise_id,))
    con.commit()
    con.close()
    time.sleep(0.3)  # the snapshot's limit is 50 ms
    assert all(p["holder"].startswith("泰安") for p in look(s, code, token))


@pytest.mark.sqlite_only("the SQLite write-ahead log")
def test_an_idle_threads_snapshot_does_not_hold_back_a_checkpoint(fresh_server):
    s = fresh_server
    code, token, _, _ = issued_voucher(s)
    s.login("county_it")  # a commit: the log has pages, so a reader there would hold it
    look(s, code, token)
    time.sleep(0.3)
    con = sqlite3.connect(str(s.db), timeout=2)
    busy, _, _ = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    con.close()
    assert busy == 0, "a server thread still reads an old snapshot"
