"""The operators' command line, used on the database a server is serving."""
import re
import shutil
import sqlite3

import pytest

import dbs
from conftest import DEMO_PASSWORD, OTHER_COUNTY, assert_error, new_db, run_cli

SUBCOMMANDS = ["init", "demo", "serve", "user", "audit", "backup", "import", "export"]


def test_version_prints_version_and_schema(tmp_path):
    p = run_cli(["version"], cwd=tmp_path)
    assert p.returncode == 0
    assert re.fullmatch(r"yunquan \S+ \(schema \d+\)\n", p.stdout), p.stdout


def test_top_level_help_lists_the_commands(tmp_path):
    p = run_cli(["--help"], cwd=tmp_path)
    assert p.returncode == 0
    for cmd in SUBCOMMANDS + ["version"]:
        assert cmd in p.stdout
    p = run_cli([], cwd=tmp_path)
    assert p.returncode == 2 and "用法" in p.stderr
    p = run_cli(["frobnicate"], cwd=tmp_path)
    assert p.returncode == 2 and "未知命令" in p.stderr
    # an unknown action of a command is named as such, before any option is asked for
    p = run_cli(["user", "frobnicate"], cwd=tmp_path)
    assert p.returncode == 2 and "未知操作 frobnicate" in p.stderr, p.stderr


@pytest.mark.parametrize("cmd", SUBCOMMANDS)
def test_every_command_answers_help_without_touching_anything(cmd, tmp_path):
    p = run_cli([cmd, "--help", "--db", str(tmp_path / "never.db")], cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "用法" in p.stdout
    assert not (tmp_path / "never.db").exists()


def test_unknown_option_is_a_usage_error(tmp_path):
    p = run_cli(["backup", "--frobnicate", "x"], cwd=tmp_path)
    assert p.returncode == 2 and "未知选项" in p.stderr


def test_user_add_makes_an_account_that_signs_in_through_the_api(fresh_server, tmp_path):
    s = fresh_server
    p = run_cli(["user", "add", "--db", str(s.db), "--username", "yanzhou_fin", "--role",
                 "county_finance", "--county", OTHER_COUNTY, "--display-name", "兖州区财政局",
                 "--password-stdin"], cwd=tmp_path, input_text="Cli-Pass-2019x\n")
    assert p.returncode == 0, p.stderr
    assert "yanzhou_fin" in p.stdout
    c = s.login("yanzhou_fin", "Cli-Pass-2019x")
    assert c.user["county_code"] == OTHER_COUNTY and c.user["display_name"] == "兖州区财政局"
    # audited as the operator
    entries = s.login("auditor").get("/api/v1/audit", params={"entity": "user"}).json()["items"]
    e = next(i for i in entries if i["entity_id"] == c.user["id"])
    assert e["actor_username"].startswith("cli:") and e["actor_role"] == "operator"
    assert "Cli-Pass-2019x" not in str(e)


@pytest.mark.parametrize("args,stdin,message", [
    (["--username", "bad_role", "--role", "mayor"], "Cli-Pass-2019x\n", "角色"),
    (["--username", "no_county", "--role", "county_it"], "Cli-Pass-2019x\n", "区县"),
    (["--username", "bad_county", "--role", "county_it", "--county", "999999"], "Cli-Pass-2019x\n", "区县"),
    (["--username", "admin", "--role", "admin"], "Cli-Pass-2019x\n", "已被使用"),
    (["--username", "weak_pw", "--role", "auditor"], "short\n", "密码"),
    (["--username", "Bad Name", "--role", "auditor"], "Cli-Pass-2019x\n", "用户名"),
    (["--username", "no_stdin", "--role", "auditor"], "", "密码"),
    # An enterprise or provider account made here would have no enterprise
    # or provider behind it and could do nothing: they sign up themselves.
    (["--username", "ent_cli", "--role", "enterprise", "--county", "370811"], "Cli-Pass-2019x\n",
     "注册"),
    (["--username", "prov_cli", "--role", "provider"], "Cli-Pass-2019x\n", "注册"),
], ids=["unknown_role", "county_missing", "county_unknown", "taken", "weak_password",
        "bad_username", "empty_stdin", "enterprise", "provider"])
def test_user_add_refuses_bad_input_with_exit_2_and_writes_nothing(fresh_server, tmp_path, args, stdin,
                                                                   message):
    s = fresh_server
    snap = s.snapshot()
    p = run_cli(["user", "add", "--db", str(s.db), *args, "--password-stdin"], cwd=tmp_path,
                input_text=stdin)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert message in p.stderr
    assert s.snapshot() == snap


def test_user_add_requires_password_on_stdin(tmp_path, template_db):
    p = run_cli(["user", "add", "--db", str(template_db), "--username", "x_user", "--role", "auditor"],
                cwd=tmp_path)
    assert p.returncode == 2 and "--password-stdin" in p.stderr


def test_user_passwd_replaces_the_password_and_ends_sessions(fresh_server, tmp_path):
    s = fresh_server
    old = s.login("city_it")
    p = run_cli(["user", "passwd", "--db", str(s.db), "--username", "city_it", "--password-stdin"],
                cwd=tmp_path, input_text="Rotated-Pass-2019\n")
    assert p.returncode == 0, p.stderr
    assert_error(old.get("/api/v1/auth/me"), 401)
    assert_error(s.try_login("city_it", DEMO_PASSWORD), 401, "invalid_credentials")
    s.login("city_it", "Rotated-Pass-2019")
    p = run_cli(["user", "passwd", "--db", str(s.db), "--username", "nobody_here", "--password-stdin"],
                cwd=tmp_path, input_text="Rotated-Pass-2019\n")
    assert p.returncode == 2 and "nobody_here" in p.stderr


def test_user_lock_and_unlock_from_the_command_line(fresh_server, tmp_path):
    s = fresh_server
    open_session = s.login("provider")
    p = run_cli(["user", "lock", "--db", str(s.db), "--username", "provider"], cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert_error(open_session.get("/api/v1/auth/me"), 401)
    assert_error(s.try_login("provider", DEMO_PASSWORD), 403, "account_locked")
    p = run_cli(["user", "lock", "--db", str(s.db), "--username", "provider", "--unlock"], cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    s.login("provider")
    users = s.login("admin").get("/api/v1/users", params={"q": "provider"}).json()["items"]
    assert [u["locked"] for u in users if u["username"] == "provider"] == [False]


@pytest.mark.sqlite_only("copies the .db file (PostgreSQL: pg_dump, test_postgresql.py)")
def test_backup_of_a_live_database_is_complete_and_verifies(fresh_server, tmp_path):
    s = fresh_server
    admin = s.login("admin")
    r = admin.post("/api/v1/users", json={"username": "before_backup", "password": "Backup-Pass-2019",
                                          "role": "city_finance", "display_name": "备份前"})
    assert r.status_code == 201
    out = tmp_path / "backup.db"
    p = run_cli(["backup", "--db", str(s.db), str(out)], cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    con = sqlite3.connect(str(out))
    names = {r[0] for r in con.execute("SELECT username FROM users")}
    n_audit = con.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    con.close()
    assert "before_backup" in names and "admin" in names
    assert n_audit == s.sql("SELECT COUNT(*) FROM audit_log")[0][0]
    p = run_cli(["audit", "verify", "--db", str(out)], cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    # the server carries on after the backup
    assert admin.get("/api/v1/auth/me").status_code == 200


def test_backup_without_a_destination_is_a_usage_error(tmp_path, template_db):
    p = run_cli(["backup", "--db", str(template_db)], cwd=tmp_path)
    assert p.returncode == 2 and "备份文件" in p.stderr


def test_demo_on_an_existing_database_keeps_accounts_and_passwords(fresh_server, tmp_path):
    s = fresh_server
    users = s.snapshot(tables=["users"])
    p = run_cli(["demo", "--db", str(s.db)], cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "已存在" in p.stdout
    s.login("admin")  # the demo password still works
    assert s.snapshot(tables=["users"]) == users


def test_init_makes_a_new_database_with_the_counties(tmp_path):
    db = new_db(tmp_path / "sub" / "new.db")
    p = run_cli(["init", "--db", str(db)], cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    con = dbs.connect(db)
    assert con.execute("SELECT COUNT(*) FROM counties").fetchone()[0] == 14
    assert con.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0
    con.close()
    assert run_cli(["audit", "verify", "--db", str(db)], cwd=tmp_path).returncode == 0


@pytest.mark.sqlite_only("edits a copy of the .db file (the runner is the same code on both)")
def test_init_applies_a_migration_missing_below_the_highest(tmp_path, template_db):
    """A branch's migration merged after a later-numbered one (here: 17,
    the queue-count index, taken away with its record from a database that
    has 18) is still applied by the next start, and only it."""
    db = tmp_path / "gap.db"
    shutil.copyfile(template_db, db)
    con = sqlite3.connect(str(db))
    con.executescript("DROP INDEX waitlist_ahead; DELETE FROM schema_migrations WHERE"
                      " version = 17;")
    before = con.execute("SELECT version, applied_at FROM schema_migrations WHERE version <> 17"
                         " ORDER BY version").fetchall()
    con.close()
    p = run_cli(["init", "--db", str(db)], cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    con = sqlite3.connect(str(db))
    try:
        assert con.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'waitlist_ahead'"
                           ).fetchone()[0] == 1
        after = con.execute("SELECT version, applied_at FROM schema_migrations WHERE version <> 17"
                            " ORDER BY version").fetchall()
        assert after == before
        assert con.execute("SELECT COUNT(*) FROM schema_migrations WHERE version = 17"
                           ).fetchone()[0] == 1
    finally:
        con.close()


@pytest.mark.sqlite_only("about a SQLite file that does not exist")
@pytest.mark.parametrize("args", [["ledger", "check"], ["audit", "verify"],
                                  ["backup", "{out}"], ["jobs", "run"],
                                  ["user", "add", "--username", "typo_admin", "--role", "admin",
                                   "--password-stdin"],
                                  ["user", "lock", "--username", "admin"],
                                  ["import", "enterprises", "{out}", "--county", "370811"]])
def test_commands_on_a_database_that_does_not_exist_fail(args, tmp_path):
    """A mistyped --db must not "pass" (账簿校验通过 / 审计链完整：共 0 条)
    or add an account to a new empty database made on the spot: exit 1 in
    Chinese, no file."""
    missing, out = tmp_path / "typo.db", tmp_path / "copy.db"
    if "import" in args:
        out = tmp_path / "e.csv"
        out.write_text("统一社会信用代码\n", encoding="utf-8")
    p = run_cli([a.replace("{out}", str(out)) for a in args] + ["--db", str(missing)],
                cwd=tmp_path, input_text="Typo-Passw0rd-2019\n")
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert "不存在" in p.stderr and "通过" not in p.stdout and "完整" not in p.stdout
    assert not missing.exists()
    assert "import" in args or not out.exists()


@pytest.mark.sqlite_only("tampers with a SQLite copy")
def test_ledger_check_names_the_balance_that_disagrees_with_both_figures(tmp_path, template_db):
    """An account whose credited balance was altered by one fen: the breach
    names 贷方已入账 with the figure the transfers give and the account's,
    not the debits (which agree), and the exit code is 3."""
    db = tmp_path / "t.db"
    shutil.copyfile(template_db, db)
    con = sqlite3.connect(db)
    acct, posted = con.execute("SELECT id, credits_posted FROM ledger_accounts WHERE id LIKE"
                               " 'pool:%' AND credits_posted > 0 ORDER BY id LIMIT 1").fetchone()
    con.execute("UPDATE ledger_accounts SET credits_posted = credits_posted + 1 WHERE id = ?",
                (acct,))
    con.commit()
    con.close()
    p = run_cli(["ledger", "check", "--db", str(db)], cwd=tmp_path)
    assert p.returncode == 3, p
    line = next(x for x in p.stdout.splitlines() if acct in x)
    assert f"贷方已入账 {posted} 分，账户上为 {posted + 1} 分" in line, line
    assert "借方" not in line, line


@pytest.mark.sqlite_only("tampers with a SQLite copy")
def test_ledger_check_names_a_voucher_whose_clawed_back_figure_disagrees(tmp_path, template_db):
    """What a voucher says was clawed back (and so is no longer claimable)
    must be what its clawbacks add up to; one altered figure is a breach
    naming the voucher and both amounts."""
    db = tmp_path / "t.db"
    shutil.copyfile(template_db, db)
    con = sqlite3.connect(db)
    code, = con.execute("SELECT code FROM vouchers ORDER BY code LIMIT 1").fetchone()
    con.execute("UPDATE vouchers SET clawed_back_fen = 5 WHERE code = ?", (code,))
    con.commit()
    con.close()
    p = run_cli(["ledger", "check", "--db", str(db)], cwd=tmp_path)
    assert p.returncode == 3, p
    assert f"券 {code} 记为已追回 5 分，追回记录合计 0 分" in p.stdout, p.stdout


@pytest.mark.sqlite_only("about a SQLite file")
def test_backup_onto_the_database_itself_is_refused(tmp_path, template_db):
    """`yunquan backup --db t.db ./t.db` used to print 已备份到 with no copy
    made at all; it is a usage error (exit 2) and the database is intact."""
    db = tmp_path / "t.db"
    shutil.copyfile(template_db, db)
    p = run_cli(["backup", "--db", str(db), "./t.db"], cwd=tmp_path)
    assert p.returncode == 2 and "数据库本身" in p.stderr, p
    assert "已备份" not in p.stdout
    assert run_cli(["audit", "verify", "--db", str(db)], cwd=tmp_path).returncode == 0


def foreign_files(tmp_path):
    """Another program's SQLite database, and an empty file."""
    other = tmp_path / "other.db"
    con = sqlite3.connect(str(other))
    con.executescript("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('别人的数据');")
    con.close()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    return [other, empty]


@pytest.mark.sqlite_only("about SQLite files that are not Yunquan's")
@pytest.mark.parametrize("args", [["ledger", "check"], ["audit", "verify"], ["backup", "{out}"],
                                  ["jobs", "run"]])
def test_commands_on_a_file_that_is_not_a_yunquan_database_change_nothing(args, tmp_path):
    """A --db naming another program's database (or an empty file) used to
    get Yunquan's whole schema written into it (and WAL mode), then
    "账簿校验通过" or "已备份到": it is refused in Chinese, byte for byte
    unchanged, no copy made."""
    out = tmp_path / "copy.db"
    for db in foreign_files(tmp_path):
        before = db.read_bytes()
        p = run_cli([a.replace("{out}", str(out)) for a in args] + ["--db", str(db)],
                    cwd=tmp_path)
        assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
        assert "不是云券数据库" in p.stderr and "通过" not in p.stdout and "已备份" not in p.stdout
        assert db.read_bytes() == before, f"{db.name} was changed"
        assert not out.exists()


@pytest.mark.sqlite_only("edits a copy of the .db file")
def test_backup_copies_the_database_as_it_is_without_migrating_it(tmp_path, template_db):
    """A backup never writes to its source: a database missing a migration
    (an older installation's) is copied as it is, the migration applied to
    neither (it used to be applied to the source first)."""
    db = tmp_path / "old.db"
    shutil.copyfile(template_db, db)
    con = sqlite3.connect(str(db))
    con.executescript("DROP INDEX waitlist_ahead; DELETE FROM schema_migrations WHERE"
                      " version = 17;")
    con.close()
    p = run_cli(["backup", "--db", str(db), str(tmp_path / "copy.db")], cwd=tmp_path)
    assert p.returncode == 0 and "已备份到" in p.stdout, p.stdout + p.stderr
    for f in (db, tmp_path / "copy.db"):
        con = sqlite3.connect(str(f))
        try:
            assert con.execute("SELECT COUNT(*) FROM schema_migrations WHERE version = 17"
                               ).fetchone()[0] == 0, f.name
            assert con.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'waitlist_ahead'"
                               ).fetchone()[0] == 0, f.name
        finally:
            con.close()


@pytest.mark.sqlite_only("about the command line's words, the database a SQLite copy")
@pytest.mark.parametrize("args,says", [
    (["backup", "--db", "{db}", "copy.db", "extra"], "多余的参数：extra"),
    (["backup", "--db", "{db}", ""], "请给出备份文件路径"),
    (["migrate", "--from", "{db}", "--to", "new.db", "extra"], "多余的参数：extra"),
    (["migrate", "--from", "{db}", "--to", "mysql://db.example/yq"], "postgresql://"),
])
def test_backup_and_migrate_name_what_is_wrong_with_their_words(args, says, tmp_path,
                                                                template_db):
    """An extra word used to be answered "请给出备份文件路径" (it was given),
    an empty path "已备份到 " (SQLite's "" is a temporary database: no copy
    at all), and an address of another kind was opened as a file name
    (exit 1, "unable to open database file"): exit 2 saying what is wrong,
    nothing made."""
    db = tmp_path / "t.db"
    shutil.copyfile(template_db, db)
    p = run_cli([a.replace("{db}", str(db)) for a in args], cwd=tmp_path)
    assert p.returncode == 2 and says in p.stderr, (p.returncode, p.stderr)
    assert "已备份" not in p.stdout
    assert sorted(f.name for f in tmp_path.iterdir()) == ["t.db"]


@pytest.mark.sqlite_only("about a SQLite copy's file")
def test_a_backup_is_readable_by_its_owner_only(tmp_path, template_db):
    """The copy holds password hashes and every party's records; with the
    shell's usual umask (022) it used to be made world-readable (0644)."""
    import os
    import stat
    db = tmp_path / "t.db"
    shutil.copyfile(template_db, db)
    out = tmp_path / "copy.db"
    old = os.umask(0o022)
    try:
        p = run_cli(["backup", "--db", str(db), str(out)], cwd=tmp_path)
    finally:
        os.umask(old)
    assert p.returncode == 0, p.stderr
    assert stat.S_IMODE(out.stat().st_mode) & 0o077 == 0, oct(out.stat().st_mode)
