"""`yunquan audit verify` finds rows of the audit log altered or deleted
directly in the database file."""
import hashlib
import json
import re
import sqlite3

import pytest

from conftest import all_pages, new_official, run_cli


@pytest.fixture(scope="module")
def written_db(tmp_path_factory, template_db):
    """A database the server has written to (logins, an account made, a lock),
    then stopped. Returns (path, {seq: entry}) with the audit entries."""
    from conftest import Server
    s = Server(tmp_path_factory.mktemp("verify"), template_db).start()
    try:
        admin = s.login("admin")
        u = new_official(admin, "verify_probe", role="auditor", county=None)
        assert admin.post(f"/api/v1/users/{u['id']}/lock", json={"locked": True}).status_code == 200
        s.login("county_it")
        entries = {e["seq"]: e for e in all_pages(s.login("auditor"), "/api/v1/audit")}
    finally:
        probs = s.stop()
    assert not probs, probs
    return s.db, entries


def tampered_copy(src, dest, *statements):
    s = sqlite3.connect(str(src))
    d = sqlite3.connect(str(dest))
    s.backup(d)
    s.close()
    for st in statements:
        d.execute(st)
    d.commit()
    d.close()
    return dest


def verify(db, cwd):
    return run_cli(["audit", "verify", "--db", str(db)], cwd=cwd)


def bad_seq(p):
    m = re.search(r"第 (\d+) 条", p.stdout)
    assert m, p.stdout + p.stderr
    return int(m.group(1))


def test_verify_passes_on_an_untouched_database(written_db, tmp_path):
    db, entries = written_db
    p = verify(db, tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "审计链完整" in p.stdout and f"共 {max(entries)} 条" in p.stdout


def test_verify_names_an_altered_entry(written_db, tmp_path):
    db, entries = written_db
    seq = next(k for k, e in entries.items() if e["action"] == "create" and e["entity_id"]
               and e["after"] and e["after"].get("username") == "verify_probe")
    copy = tampered_copy(db, tmp_path / "altered.db",
                         f"UPDATE audit_log SET after_json = replace(after_json, 'verify_probe',"
                         f" 'someone_else') WHERE seq = {seq}")
    p = verify(copy, tmp_path)
    assert p.returncode == 3, p.stdout + p.stderr
    assert bad_seq(p) == seq
    assert "被破坏" in p.stdout


def test_verify_names_an_entry_whose_actor_was_rewritten(written_db, tmp_path):
    db, entries = written_db
    seq = next(k for k, e in entries.items() if e["action"] == "lock")
    copy = tampered_copy(db, tmp_path / "actor.db",
                         f"UPDATE audit_log SET actor_username = 'auditor' WHERE seq = {seq}")
    p = verify(copy, tmp_path)
    assert p.returncode == 3 and bad_seq(p) == seq


def test_verify_names_a_deleted_entry(written_db, tmp_path):
    db, entries = written_db
    seq = sorted(entries)[len(entries) // 2]
    copy = tampered_copy(db, tmp_path / "deleted.db", f"DELETE FROM audit_log WHERE seq = {seq}")
    p = verify(copy, tmp_path)
    assert p.returncode == 3 and bad_seq(p) == seq


def test_verify_notices_entries_cut_off_the_end(written_db, tmp_path):
    db, entries = written_db
    last = max(entries)
    copy = tampered_copy(db, tmp_path / "cut.db", f"DELETE FROM audit_log WHERE seq >= {last - 1}")
    p = verify(copy, tmp_path)
    assert p.returncode == 3 and bad_seq(p) == last - 1


COLUMNS = ["seq", "at", "actor_id", "actor_username", "actor_role", "entity", "entity_id",
           "action", "before_json", "after_json", "request_id", "client_addr"]


def entry_hash(prev, row):
    """sha256(prev_hash || canonical JSON of the row), as store/audit.c computes it."""
    names = {"before_json": "before", "after_json": "after"}
    canon = json.dumps({names.get(k, k): row[k] for k in COLUMNS}, sort_keys=True,
                       separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev + canon).encode("utf-8")).hexdigest()


def test_verify_notices_an_altered_entry_whose_own_hash_was_recomputed(written_db, tmp_path):
    """Recomputing the altered row's hash is not enough: the next row's link breaks."""
    db, entries = written_db
    con = sqlite3.connect(str(db))
    con.row_factory = sqlite3.Row
    seq = next(k for k, e in entries.items() if e["action"] == "lock")
    row = dict(con.execute("SELECT * FROM audit_log WHERE seq = ?", (seq,)).fetchone())
    con.close()
    assert entry_hash(row["prev_hash"], row) == row["hash"]  # the recipe is right
    row["after_json"] = row["after_json"].replace('"locked":true', '"locked":false')
    forged = entry_hash(row["prev_hash"], row)
    copy = tampered_copy(db, tmp_path / "rehash.db",
                         f"UPDATE audit_log SET after_json = '{row['after_json']}',"
                         f" hash = '{forged}' WHERE seq = {seq}")
    p = verify(copy, tmp_path)
    assert p.returncode == 3, p.stdout
    assert bad_seq(p) == seq + 1


def test_verify_on_the_live_database_while_the_server_runs(fresh_server, tmp_path):
    s = fresh_server
    admin = s.login("admin")
    new_official(admin, "live_probe", role="city_it", county=None)
    p = verify(s.db, tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    (seq,) = s.sql("SELECT seq FROM audit_log WHERE entity = 'user' AND action = 'create'"
                   " ORDER BY seq DESC LIMIT 1")[0]
    con = sqlite3.connect(str(s.db), timeout=30)
    con.execute("UPDATE audit_log SET at = at + 1 WHERE seq = ?", (seq,))
    con.commit()
    con.close()
    p = verify(s.db, tmp_path)
    assert p.returncode == 3 and bad_seq(p) == seq
    # the server keeps serving (and keeps appending) after the tampering
    assert admin.get("/api/v1/audit").status_code == 200


def test_verify_usage_errors_exit_2(tmp_path, template_db):
    p = run_cli(["audit", "--db", str(template_db)], cwd=tmp_path)
    assert p.returncode == 2 and "用法" in p.stderr
    p = run_cli(["audit", "check", "--db", str(template_db)], cwd=tmp_path)
    assert p.returncode == 2
