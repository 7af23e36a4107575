"""`yunquan migrate --from SQLITE --to TARGET` (issue 13): a whole
installation copied with every row, refusing a target that has tables and
changing nothing then; the target verified (`ledger check`, `audit verify`
printed by the command) and serving the same data through the API. The
PostgreSQL target uses the throw-away cluster of test_postgresql.py. The
source is always a SQLite file, so on a PostgreSQL run of the suite the
source is a demo made for this file."""
import shutil
import sqlite3
import subprocess

import pytest

import dbs
from conftest import DEMO_PASSWORD, START, YQ_BIN, Server, clean_env, iso, run_cli
from test_postgresql import pg_url  # noqa: F401 (fixture)
from test_postgresql import fresh_database, yunquan

TABLES_SQL = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"


def row_counts(db):
    con = sqlite3.connect(str(db))
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for (t,) in con.execute(TABLES_SQL).fetchall()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory, template_db):
    """The demo as a SQLite file (the suite's template, or one made here)."""
    if not dbs.is_pg(template_db):
        return template_db
    d = tmp_path_factory.mktemp("sqlitedemo")
    (d / "clock").write_text(iso(START) + "\n")
    p = subprocess.run([YQ_BIN, "demo", "--db", str(d / "t.db"), "--clock-file", str(d / "clock")],
                       cwd=str(d), env=clean_env(YUNQUAN_DEMO_PASSWORD=DEMO_PASSWORD),
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    con = sqlite3.connect(str(d / "t.db"))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return d / "t.db"


@pytest.mark.sqlite_only("SQLite file to SQLite file; the PostgreSQL target is tested below")
def test_sqlite_to_a_new_sqlite_file_copies_every_row_and_verifies(tmp_path, template_db):
    src = tmp_path / "src.db"
    shutil.copy(template_db, src)
    dst = tmp_path / "dst.db"
    p = run_cli(["migrate", "--from", str(src), "--to", str(dst)], cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "已迁移" in p.stdout and "目标账簿校验通过" in p.stdout and "目标审计链完整" in p.stdout
    assert row_counts(dst) == row_counts(src)
    # the copy serves: same vouchers through the API
    s = Server(tmp_path / "srv", dst)
    s.start()
    try:
        r = s.login("city_finance").get("/api/v1/vouchers?page_size=100")
        assert r.status_code == 200
        con = sqlite3.connect(str(src))
        codes = {c for (c,) in con.execute("SELECT code FROM vouchers")}
        con.close()
        assert {v["code"] for v in r.json()["items"]} == codes
    finally:
        s.stop()


@pytest.mark.sqlite_only("compares the target file's bytes; the PostgreSQL target is tested below")
def test_a_target_with_tables_is_refused_and_left_alone(tmp_path, template_db):
    src, dst = tmp_path / "src.db", tmp_path / "dst.db"
    shutil.copy(template_db, src)
    shutil.copy(template_db, dst)
    before = dst.read_bytes()
    p = run_cli(["migrate", "--from", str(src), "--to", str(dst)], cwd=tmp_path)
    assert p.returncode == 2 and "只能迁移到空数据库" in p.stderr, p.stdout + p.stderr
    assert dst.read_bytes() == before
    p = run_cli(["migrate", "--from", str(tmp_path / "missing.db"), "--to",
                 str(tmp_path / "new.db")], cwd=tmp_path)
    assert p.returncode == 1 and "不存在" in p.stderr
    p = run_cli(["migrate", "--to", str(tmp_path / "new.db")], cwd=tmp_path)
    assert p.returncode == 2 and "--from" in p.stderr


def test_sqlite_to_postgresql(tmp_path, sqlite_demo, pg_url):  # noqa: F811
    src = tmp_path / "src.db"
    shutil.copy(sqlite_demo, src)
    r = yunquan("migrate", "--from", str(src), "--to", pg_url, cwd=str(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "目标账簿校验通过" in r.stdout and "目标审计链完整" in r.stdout, r.stdout
    con = sqlite3.connect(str(src))
    codes = {c for (c,) in con.execute("SELECT code FROM vouchers")}
    audit = con.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    con.close()
    r = yunquan("audit", "verify", "--db", pg_url)
    assert r.returncode == 0 and f"共 {audit} 条记录" in r.stdout, r.stdout + r.stderr
    # a second run finds tables there and changes nothing
    r = yunquan("migrate", "--from", str(src), "--to", pg_url, cwd=str(tmp_path))
    assert r.returncode == 2 and "只能迁移到空数据库" in r.stderr
    r = yunquan("audit", "verify", "--db", pg_url)
    assert f"共 {audit} 条记录" in r.stdout, r.stdout
    s = Server(tmp_path / "pgsrv", src)
    s.db = pg_url  # the server serves the migrated database, not the copy
    s.start()
    try:
        c = s.login("city_finance", DEMO_PASSWORD)
        r = c.get("/api/v1/vouchers?page_size=100")
        assert r.status_code == 200
        assert {v["code"] for v in r.json()["items"]} == codes
    finally:
        s.stop()


@pytest.mark.sqlite_only("about SQLite files that are not Yunquan's")
def test_a_source_that_is_not_a_yunquan_database_is_refused_and_nothing_is_made(tmp_path):
    """The source is only read: another program's database (or an empty
    file) is neither given a table nor switched to WAL, and the target file
    the refusal would have left behind is not made."""
    for name in ("other.db", "empty.db"):
        src, dst = tmp_path / name, tmp_path / ("to-" + name)
        if name == "other.db":
            con = sqlite3.connect(str(src))
            con.executescript("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('x');")
            con.close()
        else:
            src.write_bytes(b"")
        before = src.read_bytes()
        p = run_cli(["migrate", "--from", str(src), "--to", str(dst)], cwd=tmp_path)
        assert p.returncode == 2 and "不是云券数据库" in p.stderr, p.stdout + p.stderr
        assert src.read_bytes() == before, f"{name} was changed"
        assert not dst.exists() and not list(tmp_path.glob("to-*"))


def test_a_copy_that_fails_leaves_the_postgresql_target_without_a_table(tmp_path, sqlite_demo):
    """A row PostgreSQL refuses (text that is not UTF-8, which SQLite keeps)
    stops the copy: the target used to keep the whole schema the migrations
    had made (while the command said 目标数据库未改动), and every later run
    was refused for its tables. Now schema and rows are one transaction."""
    src = tmp_path / "src.db"
    shutil.copyfile(sqlite_demo, src)
    con = sqlite3.connect(str(src))
    con.execute("UPDATE counties SET name = CAST(X'E4B8FF' AS TEXT)"
                " WHERE code = (SELECT MIN(code) FROM counties)")
    con.commit()
    con.close()
    url, drop = fresh_database()
    try:
        r = yunquan("migrate", "--from", str(src), "--to", url, cwd=str(tmp_path))
        assert r.returncode != 0 and "目标数据库未改动" in r.stderr, r.stdout + r.stderr
        target = dbs.connect(url)
        try:
            assert dbs.tables(target) == []
        finally:
            target.close()
        shutil.copyfile(sqlite_demo, src)
        r = yunquan("migrate", "--from", str(src), "--to", url, cwd=str(tmp_path))
        assert r.returncode == 0 and "目标审计链完整" in r.stdout, r.stdout + r.stderr
    finally:
        drop()
