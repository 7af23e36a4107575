"""On PostgreSQL an audit entry's INSERT and its head's UPDATE are queued
(libpq pipeline mode): they travel with the transaction's next statement
or its COMMIT instead of waiting for their own answers. Their failure
must still fail the whole confirmation exactly as before: nothing
written, the same answer, a busy database retried and then answered 503.
The failures are injected with triggers on the real tables. Needs
PostgreSQL installed (the suite's throw-away cluster, as
test_postgresql.py)."""
import re
import threading
import time

import pytest

from flows import rush_seed
from test_postgresql import Proc, fresh_database, psql, yunquan

COUNTY = "370872"


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """A demo with a few draft contracts in COUNTY, copied to a fresh
    PostgreSQL database, and a provider logged in to one server on it:
    (url, [contract ids], client)."""
    tmp = tmp_path_factory.mktemp("pgqueued")
    src = tmp / "src.db"
    r = yunquan("demo", "--db", str(src))
    assert r.returncode == 0, r.stdout + r.stderr
    rows = rush_seed(src, 10, COUNTY, provider_name="济宁工业互联网平台有限公司",
                     item_name="工业大数据分析平台 标准版", seed=77, prefix="pq", qty=(10, 12))
    url, drop = fresh_database()
    r = yunquan("migrate", "--from", str(src), "--to", url, cwd=str(tmp))
    assert r.returncode == 0, r.stdout + r.stderr
    proc = Proc(url, tmp, running_clock=True)
    yield url, [cid for cid, _, _ in rows], proc.login("prov_industry")
    proc.stop()
    drop()


def state(url, cid):
    """What a confirmation writes: the contract's status, its vouchers,
    the county pool, and the audit log and heads."""
    return (psql(url, f"SELECT status FROM contracts WHERE id = '{cid}'"),
            psql(url, f"SELECT COUNT(*) FROM vouchers WHERE contract_id = '{cid}'"),
            psql(url, "SELECT credits_posted, debits_posted, debits_pending FROM ledger_accounts"
                      f" WHERE id = 'pool:{COUNTY}:2019'"),
            psql(url, "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM audit_log"),
            psql(url, "SELECT shard, seq, hash FROM audit_heads ORDER BY shard"))


def confirm(provider, cid):
    """Logged in before any fault: a login writes an audit entry too."""
    return provider.post(f"/api/v1/contracts/{cid}/confirm")


def trigger(url, table, when, body):
    psql(url, "CREATE OR REPLACE FUNCTION yq_test_fault() RETURNS trigger LANGUAGE plpgsql AS"
              f" $$ BEGIN {body} END $$")
    psql(url, f"CREATE TRIGGER yq_test_fault BEFORE {when} ON {table} FOR EACH ROW"
              " EXECUTE FUNCTION yq_test_fault()")


def untrigger(url, table):
    psql(url, f"DROP TRIGGER IF EXISTS yq_test_fault ON {table}")


def books_check_out(url):
    r = yunquan("ledger", "check", "--db", url)
    assert r.returncode == 0, r.stdout + r.stderr
    r = yunquan("audit", "verify", "--db", url)
    assert r.returncode == 0 and "审计链完整" in r.stdout, r.stdout + r.stderr


def test_a_failed_audit_insert_fails_the_whole_confirmation(faulty):
    url, cids, provider = faulty
    before = state(url, cids[0])
    trigger(url, "audit_log", "INSERT", "RAISE EXCEPTION 'injected';")
    try:
        r = confirm(provider, cids[0])
    finally:
        untrigger(url, "audit_log")
    assert r.status_code == 500, r.text
    assert state(url, cids[0]) == before
    r = confirm(provider, cids[0])  # the next one on the same connections is whole again
    assert r.status_code in (201, 202), r.text
    assert state(url, cids[0])[0] == [["confirmed"]]
    books_check_out(url)


def test_an_audit_head_that_moved_fails_the_whole_confirmation(faulty):
    url, cids, provider = faulty
    before = state(url, cids[1])
    trigger(url, "audit_heads", "UPDATE", "RETURN NULL;")  # the guarded UPDATE changes 0 rows
    try:
        r = confirm(provider, cids[1])
    finally:
        untrigger(url, "audit_heads")
    assert r.status_code == 500, r.text
    assert state(url, cids[1]) == before
    books_check_out(url)


def test_a_deadlock_on_the_audit_insert_is_retried(faulty):
    url, cids, provider = faulty
    psql(url, "CREATE SEQUENCE IF NOT EXISTS yq_test_busy")
    # the first two tries meet a deadlock; the third goes through
    trigger(url, "audit_log", "INSERT",
            "IF nextval('yq_test_busy') <= 2 THEN RAISE EXCEPTION 'injected deadlock'"
            " USING ERRCODE = '40P01'; END IF; RETURN NEW;")
    try:
        r = confirm(provider, cids[2])
    finally:
        untrigger(url, "audit_log")
    assert r.status_code in (201, 202), r.text
    # two tries met the deadlock, the third wrote its audit entries
    assert int(psql(url, "SELECT last_value FROM yq_test_busy")[0][0]) >= 3
    vouchers = [["1"]] if r.status_code == 201 else [["0"]]  # 202: waits for the pool
    assert state(url, cids[2])[:2] == ([["confirmed"]], vouchers)
    books_check_out(url)


def test_a_database_that_stays_busy_is_answered_503(faulty):
    url, cids, provider = faulty
    before = state(url, cids[3])
    trigger(url, "audit_log", "INSERT",
            "RAISE EXCEPTION 'injected deadlock' USING ERRCODE = '40P01';")
    try:
        r = confirm(provider, cids[3])
    finally:
        untrigger(url, "audit_log")
    assert r.status_code == 503 and r.headers.get("Retry-After"), (r.status_code, r.text)
    assert state(url, cids[3]) == before
    books_check_out(url)


def test_a_failed_read_sent_ahead_fails_the_whole_confirmation(faulty, tmp_path):
    """The confirmation's answer reads the county, the lines and the
    attachments in one round trip (db_send_ahead), once their statements
    are prepared on the connection: one write thread, which a first
    confirmation prepares. The lines' read fails here, between the other
    two: the confirmation writes nothing and is answered 500, never a
    record with empty lines; the next one on the same connection is whole
    again."""
    url, cids, _ = faulty
    proc = Proc(url, tmp_path, running_clock=True, args=("--write-threads", "1"))
    try:
        provider = proc.login("prov_industry")
        assert confirm(provider, cids[5]).status_code in (201, 202)
        before = state(url, cids[4])
        psql(url, "CREATE FUNCTION yq_test_read_fault() RETURNS boolean LANGUAGE plpgsql AS"
                  " $$ BEGIN RAISE EXCEPTION 'injected'; END $$")
        psql(url, "ALTER TABLE contract_lines RENAME TO yq_test_lines")
        psql(url, "CREATE VIEW contract_lines AS SELECT * FROM yq_test_lines"
                  " WHERE yq_test_read_fault()")
        try:
            r = confirm(provider, cids[4])
        finally:
            psql(url, "DROP VIEW contract_lines")
            psql(url, "ALTER TABLE yq_test_lines RENAME TO contract_lines")
        assert r.status_code == 500, r.text
        assert state(url, cids[4]) == before
        r = confirm(provider, cids[4])
        assert r.status_code in (201, 202), r.text
        assert state(url, cids[4])[0] == [["confirmed"]]
        contract = r.json()["contract"]
        assert contract["lines"] and contract["county_name"], contract
        assert contract == provider.get(f"/api/v1/contracts/{cids[4]}").json()
    finally:
        proc.stop()
    books_check_out(url)


def test_in_a_group_commit_a_failed_queued_write_fails_its_confirmation_alone(faulty, tmp_path):
    """With the group-commit writer in front of PostgreSQL, a
    confirmation's queued writes ride in its savepoint. One of them fails
    (a trigger on enterprise_on_cloud, for one enterprise): that
    confirmation is answered 500 and writes nothing, while the others of
    the same group commit. The group is made by holding the writer: the
    first confirmation sleeps in the database while the next three
    queue up behind it."""
    url, cids, _ = faulty
    proc = Proc(url, tmp_path, running_clock=True, args=("--group-commit", "true"))
    slow, group = cids[6], cids[7:10]
    bad = group[1]
    ent = {c: psql(url, f"SELECT enterprise_id FROM contracts WHERE id = '{c}'")[0][0]
           for c in cids[6:10]}
    try:
        provider = proc.login("prov_industry")
        before = state(url, bad)
        trigger(url, "enterprise_on_cloud", "INSERT",
                f"IF NEW.enterprise_id = '{ent[slow]}' THEN PERFORM pg_sleep(1.5); END IF;"
                f" IF NEW.enterprise_id = '{ent[bad]}' THEN RAISE EXCEPTION 'injected'; END IF;"
                " RETURN NEW;")
        answers = {}

        def go(cid):
            answers[cid] = confirm(provider, cid)

        try:
            first = threading.Thread(target=go, args=(slow,))
            first.start()
            time.sleep(0.5)
            rest = [threading.Thread(target=go, args=(c,)) for c in group]
            for t in rest:
                t.start()
            for t in [first, *rest]:
                t.join(60)
        finally:
            untrigger(url, "enterprise_on_cloud")
        metrics = provider.get("/metrics").text
    finally:
        proc.stop()
    largest = int(re.search(r"^yunquan_group_largest (\d+)", metrics, re.M).group(1))
    assert largest >= 3, metrics  # the three did share a commit
    assert answers[bad].status_code == 500, answers[bad].text
    assert state(url, bad)[:2] == before[:2] == ([["draft"]], [["0"]])
    assert psql(url, "SELECT COUNT(*) FROM enterprise_on_cloud"
                     f" WHERE enterprise_id = '{ent[bad]}'") == [["0"]]
    for c in [slow, group[0], group[2]]:
        assert answers[c].status_code in (201, 202), answers[c].text
        assert state(url, c)[0] == [["confirmed"]]
    books_check_out(url)
