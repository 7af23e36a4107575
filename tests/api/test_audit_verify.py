"""`yunquan audit verify` finds rows of the audit log altered or deleted
directly in the database file."""
import hashlib
import json
import re
import sqlite3

import pytest

import dbs
from conftest import ROLES, all_pages, copy_of, has_cjk, new_official, run_cli


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
    dest = copy_of(src, dest)
    d = dbs.connect(dest)
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


def test_verify_names_the_first_bad_entry_of_all_shards(written_db, tmp_path):
    """SPEC §10: the command names the first entry that does not match. The
    county shards interleave with the global one by seq, so an altered
    county entry before an altered global one is the one named."""
    db, _ = written_db
    con = dbs.connect(db)
    county = con.execute("SELECT MIN(seq) FROM audit_log WHERE shard <> 'global'").fetchone()[0]
    later = con.execute("SELECT MAX(seq) FROM audit_log WHERE shard = 'global'").fetchone()[0]
    con.close()
    assert county and later > county, "the demo writes county-scoped entries before the last global one"
    copy = tampered_copy(db, tmp_path / "two.db",
                         f"UPDATE audit_log SET actor_username = 'evil' WHERE seq IN ({county}, {later})")
    p = verify(copy, tmp_path)
    assert p.returncode == 3 and bad_seq(p) == county, p.stdout
    assert f"之前 {county - 1} 条完好" in p.stdout, p.stdout


COLUMNS = ["seq", "at", "actor_id", "actor_username", "actor_role", "entity", "entity_id",
           "action", "before_json", "after_json", "request_id", "client_addr"]


def entry_hash(prev, row):
    """sha256(prev_hash || canonical JSON of the row), as store/audit.c computes it:
    an entry written since the shards (chain 2) covers its shard and place in it."""
    names = {"before_json": "before", "after_json": "after"}
    keys = COLUMNS + (["shard", "shard_seq"] if row.get("chain", 1) == 2 else [])
    canon = json.dumps({names.get(k, k): row[k] for k in keys}, sort_keys=True,
                       separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev + canon).encode("utf-8")).hexdigest()


def test_verify_notices_an_altered_entry_whose_own_hash_was_recomputed(written_db, tmp_path):
    """Recomputing the altered row's hash is not enough: the next row's link breaks."""
    db, entries = written_db
    con = dbs.connect(db)
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
    con = dbs.connect(s.db, timeout=30)
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


# -- the same check from the web API: POST /api/v1/audit/verify -------------

def restart(s):
    s.port = None
    s.base = None
    s.stopped = False
    s._clients = []
    return s.start()


def test_api_verify_reports_an_intact_chain_then_the_tampered_entry(fresh_server):
    s = fresh_server
    auditor = s.login("auditor")
    r = auditor.post("/api/v1/audit/verify")
    assert r.status_code == 200, r.text
    ok = r.json()
    (last, head) = s.sql("SELECT seq, hash FROM audit_heads WHERE shard = 'global'")[0]
    assert ok["ok"] is True and ok["bad_seq"] is None and ok["reason"] is None
    assert ok["checked"] >= last - 1 and ok["checked"] > 10
    if ok["checked"] == last:
        assert ok["head_hash"] == head
    assert admin_verify(s)["ok"] is True

    (seq,) = s.sql("SELECT seq FROM audit_log WHERE entity = 'contract' ORDER BY seq LIMIT 1")[0]
    probs = s.stop()
    assert not probs, probs
    con = dbs.connect(s.db)
    con.execute("UPDATE audit_log SET after_json = '{\"status\":\"confirmed\"}'"
                " WHERE seq = ?", (seq,))
    con.commit()
    con.close()
    restart(s)
    broken = s.login("auditor").post("/api/v1/audit/verify").json()
    assert broken["ok"] is False
    # every entry before the altered one is intact, whatever its shard
    (before,) = s.sql("SELECT COUNT(*) FROM audit_log WHERE seq < ?", seq)[0]
    assert broken["bad_seq"] == seq and broken["checked"] == before
    assert "改动" in broken["reason"]
    # the server goes on serving and appending after it has reported the breach
    assert s.login("admin").get("/api/v1/audit").status_code == 200


def admin_verify(s):
    r = s.login("admin").post("/api/v1/audit/verify")
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("auditor", "admin")])
def test_api_verify_is_refused_to_other_roles(server, role):
    r = server.login(role).post("/api/v1/audit/verify")
    assert r.status_code == 403, r.text


def test_api_verify_needs_a_session(server):
    assert server.client().post("/api/v1/audit/verify").status_code in (401, 403)


def test_audit_list_names_types_actions_and_business_codes_in_chinese(server):
    auditor = server.login("auditor")
    items = all_pages(auditor, "/api/v1/audit")
    for e in items:
        assert has_cjk(e["entity_name"]), e
        assert has_cjk(e["action_name"]), e
    contract = {e["action"]: e for e in items if e["entity"] == "contract"}
    number = server.sql("SELECT contract_no FROM contracts WHERE id = ?",
                        contract["confirm"]["entity_id"])[0][0]
    assert contract["confirm"]["entity_name"] == "合同"
    assert contract["confirm"]["action_name"] == "确认"
    assert contract["confirm"]["entity_code"] == number
    assert contract["cancel"]["action_name"] == "撤销草稿"
    voucher = next(e for e in items if e["entity"] == "voucher" and e["action"] == "issue")
    code, name = server.sql("SELECT v.code, e.name FROM vouchers v JOIN enterprises e"
                            " ON e.id = v.enterprise_id WHERE v.id = ?", voucher["entity_id"])[0]
    assert voucher["entity_name"] == "云服务券" and voucher["action_name"] == "发放"
    assert voucher["entity_code"] == code and voucher["entity_label"] == name
    ent = next(e for e in items if e["entity"] == "enterprise" and e["action"] == "approve")
    uscc, ename = server.sql("SELECT uscc, name FROM enterprises WHERE id = ?", ent["entity_id"])[0]
    assert (ent["entity_code"], ent["entity_label"]) == (uscc, ename)
    user = next(e for e in items if e["entity"] == "user" and e["action"] == "create")
    assert user["entity_code"] == server.sql("SELECT username FROM users WHERE id = ?",
                                             user["entity_id"])[0][0]
    # the filter by type keeps working with the codes the select sends
    only = auditor.get("/api/v1/audit", params={"entity": "voucher"}).json()["items"]
    assert only and all(e["entity_name"] == "云服务券" for e in only)


def test_audit_export_names_actions_and_the_command_line_in_words(server):
    import csv
    import io
    r = server.login("auditor").get("/api/v1/audit", params={"format": "csv"})
    assert r.status_code == 200, r.text[:300]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header_at = next(i for i, row in enumerate(rows) if "动作" in row)
    header = rows[header_at]
    body = [row for row in rows[header_at + 1:] if len(row) == len(header) and row[0].isdigit()]
    assert body
    act, who, role = header.index("动作"), header.index("操作人"), header.index("角色")
    assert all(has_cjk(row[act]) for row in body), [row[act] for row in body][:10]
    assert not any(row[who].startswith("cli:") for row in body)
    assert not any(row[role] == "operator" for row in body)
    assert any(row[who] == "系统命令行（运维）" for row in body)


REWRITES_THE_FILE = pytest.mark.sqlite_only(
    "rewrites a copy of the .db file with sqlite3 (the verifier is the same code on both;"
    " test_postgresql.py checks the county shards there)")


# -- migration 16: the chain written before the shards -----------------------

def as_before_shards(src, dest):
    """A copy of `src` as a database of schema 14 held it: one gapless chain
    in seq order (the old hash form), one head row, no shard columns.
    Returns (path, {seq: hash})."""
    dest = tampered_copy(src, dest)
    con = sqlite3.connect(str(dest))
    cur = con.execute("SELECT * FROM audit_log ORDER BY seq")
    names = [d[0] for d in cur.description]
    old = [dict(zip(names, r)) for r in cur.fetchall()]
    con.execute("DELETE FROM audit_log")
    prev = "0" * 64
    for n, row in enumerate(old, 1):
        row.update(seq=n, prev_hash=prev)
        row["hash"] = prev = entry_hash(prev, dict(row, chain=1))  # the old form
        con.execute(f"INSERT INTO audit_log({', '.join(COLUMNS)}, prev_hash, hash)"
                    f" VALUES ({', '.join('?' * (len(COLUMNS) + 2))})",
                    [row[k] for k in COLUMNS] + [row["prev_hash"], row["hash"]])
    con.commit()
    con.executescript(
        "DROP INDEX audit_shard_seq; ALTER TABLE audit_log DROP COLUMN shard;"
        " ALTER TABLE audit_log DROP COLUMN shard_seq; ALTER TABLE audit_log DROP COLUMN chain;"
        " CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL,"
        " hash TEXT NOT NULL); DROP TABLE audit_heads; DROP INDEX IF EXISTS contracts_county_confirmed;"
        " DELETE FROM schema_migrations WHERE version = 16;")
    con.execute("INSERT INTO audit_head(id, seq, hash) VALUES (1, ?, ?)", (len(old), prev))
    con.commit()
    con.close()
    return dest, {n: r["hash"] for n, r in enumerate(old, 1)}


@REWRITES_THE_FILE
def test_migration_16_keeps_the_old_chain_verifiable_and_goes_on_from_it(written_db, tmp_path):
    db, _ = written_db
    old, hashes = as_before_shards(db, tmp_path / "old.db")
    p = run_cli(["init", "--db", str(old)], cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    con = sqlite3.connect(str(old))
    rows = con.execute("SELECT seq, hash, shard, shard_seq, chain FROM audit_log WHERE seq <= ?",
                       (len(hashes),)).fetchall()
    (total,) = con.execute("SELECT COUNT(*) FROM audit_log").fetchone()
    con.close()
    # every entry kept its hash, as the global shard's first entries
    assert {seq: h for seq, h, *_ in rows} == hashes
    assert all(shard == "global" and n == seq and chain == 1
               for seq, _, shard, n, chain in rows)
    p = verify(old, tmp_path)
    assert p.returncode == 0 and f"共 {total} 条" in p.stdout, p.stdout + p.stderr
    # new entries go on from the old chain's head
    p = run_cli(["user", "add", "--db", str(old), "--username", "after16", "--role", "auditor",
                 "--display-name", "迁移后", "--password-stdin"], cwd=tmp_path,
                input_text="Shard-Passw0rd-16\n")
    assert p.returncode == 0, p.stdout + p.stderr
    con = sqlite3.connect(str(old))
    # the first entry after the migration links to the old chain's last
    (shard, n, chain, prev) = con.execute(
        "SELECT shard, shard_seq, chain, prev_hash FROM audit_log WHERE seq = ?",
        (len(hashes) + 1,)).fetchone()
    (total,) = con.execute("SELECT COUNT(*) FROM audit_log").fetchone()
    con.close()
    assert (shard, n, chain, prev) == ("global", len(hashes) + 1, 2, hashes[len(hashes)])
    p = verify(old, tmp_path)
    assert p.returncode == 0 and f"共 {total} 条" in p.stdout, p.stdout + p.stderr
    # an old entry altered after the migration is still caught
    seq = len(hashes) // 2
    copy = tampered_copy(old, tmp_path / "old-altered.db",
                         f"UPDATE audit_log SET actor_username = 'x' WHERE seq = {seq}")
    p = verify(copy, tmp_path)
    assert p.returncode == 3 and bad_seq(p) == seq


# -- the county shards (a county's confirmations chain on their own) --------

def county_entries(db):
    con = sqlite3.connect(str(db))
    rows = con.execute("SELECT seq, shard FROM audit_log WHERE shard LIKE 'county:%'"
                       " ORDER BY shard, shard_seq").fetchall()
    con.close()
    assert len({s for _, s in rows}) >= 2, rows  # the demo confirms in several counties
    return rows


@REWRITES_THE_FILE
def test_verify_checks_every_county_shard_whole(written_db, tmp_path):
    db, _ = written_db
    rows = county_entries(db)
    seq, shard = rows[0]
    p = verify(db, tmp_path)
    assert p.returncode == 0, p.stdout
    altered = tampered_copy(db, tmp_path / "c-alt.db",
                            f"UPDATE audit_log SET at = at + 1 WHERE seq = {seq}")
    p = verify(altered, tmp_path)
    assert p.returncode == 3 and bad_seq(p) == seq and "改动" in p.stdout
    last = max(s for s, sh in rows if sh == shard)
    cut = tampered_copy(db, tmp_path / "c-cut.db", f"DELETE FROM audit_log WHERE seq = {last}")
    p = verify(cut, tmp_path)
    assert p.returncode == 3 and "缺失" in p.stdout
    gone = tampered_copy(db, tmp_path / "c-gone.db",
                         f"DELETE FROM audit_log WHERE shard = '{shard}'")
    p = verify(gone, tmp_path)
    assert p.returncode == 3 and "缺失" in p.stdout


@REWRITES_THE_FILE
def test_api_verify_names_an_entry_altered_in_a_county_shard(tmp_path, template_db):
    from conftest import Server
    rows = county_entries(template_db)
    seq = rows[len(rows) // 2][0]
    db = tampered_copy(template_db, tmp_path / "t.db",
                       f"UPDATE audit_log SET actor_username = 'someone' WHERE seq = {seq}")
    s = Server(tmp_path / "srv", db).start()
    try:
        broken = s.login("auditor").post("/api/v1/audit/verify").json()
    finally:
        s.stop()
    assert broken["ok"] is False and broken["bad_seq"] == seq, broken
