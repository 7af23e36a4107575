"""`yunquan backup` while the server keeps writing (issue 13): a rush of
confirmations runs during the copy; the backup finishes (it copies one
snapshot in one step instead of restarting after every write), and the copy
restores: `ledger check` and `audit verify` pass on it, and a server started
on it serves the vouchers it holds."""
import sqlite3
import threading
import time

import pytest

from conftest import run_cli
from flows import RushServer, assert_ledger_sound, confirm_all, rush_start, session_copies


@pytest.mark.sqlite_only("SQLite online backup of the .db file (PostgreSQL: pg_dump)")
def test_backup_completes_under_a_steady_write_load_and_restores(tmp_path_factory, template_db,
                                                                tmp_path):
    s = RushServer(tmp_path_factory.mktemp("backuplive"), template_db,
                   extra_args=["--threads", "8", "--per-ip-connections", "0"])
    # 80 MB of filler: a copy of many steps, as a real installation's is
    con = sqlite3.connect(str(s.db))
    con.execute("CREATE TABLE backup_filler (id INTEGER PRIMARY KEY, pad BLOB)")
    con.executemany("INSERT INTO backup_filler (pad) VALUES (randomblob(4000))",
                    ([] for _ in range(20000)))
    con.commit()
    con.close()
    ids = [c for c, _, _ in rush_start(s, 1500, "370872", reference="备份测试")]
    try:
        provider = s.login("provider")
        stop = threading.Event()
        answers = {}

        def rush():
            for k in range(0, len(ids), 100):
                if stop.is_set():
                    return
                answers.update(confirm_all(session_copies(provider, 8), ids[k:k + 100],
                                           threads=8))
        writer = threading.Thread(target=rush)
        writer.start()
        while len(answers) < 100:  # the rush is under way
            time.sleep(0.01)
        out = tmp_path / "live-backup.db"
        t0 = time.monotonic()
        p = run_cli(["backup", "--db", str(s.db), str(out)], cwd=tmp_path, timeout=60)
        took = time.monotonic() - t0
        during = len(answers)
        stop.set()
        writer.join()
        assert p.returncode == 0, p.stdout + p.stderr
        assert during < len(ids), \
            f"the backup finished only after the rush ended ({took:.1f} s): it restarts on writes"
    finally:
        probs = s.stop()
    assert not probs, probs
    print(f"\nbackup took {took:.2f} s while {during} confirmations had been answered")
    # the copy is a consistent snapshot: the books and the audit chain check out
    assert_ledger_sound(out)
    p = run_cli(["audit", "verify", "--db", str(out)], cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    con = sqlite3.connect(str(out))
    confirmed = con.execute("SELECT COUNT(*) FROM contracts WHERE id LIKE 'rushC%' AND"
                            " status = 'confirmed'").fetchone()[0]
    outcomes = con.execute("SELECT (SELECT COUNT(*) FROM vouchers WHERE contract_id LIKE 'rushC%')"
                           " + (SELECT COUNT(*) FROM waitlist WHERE contract_id LIKE 'rushC%')"
                           ).fetchone()[0]
    con.close()
    assert 0 < confirmed == outcomes, (confirmed, outcomes)


def test_the_pg_dump_command_printed_for_postgresql_runs_as_printed(tmp_path):
    """`yunquan backup` on a PostgreSQL URL says exactly what to run: pasted
    into a shell, the command makes the dump, with the URL's own settings
    (sslmode here) kept and a file name holding a quote still quoted right
    (it was cut at the quote; sslmode and the like were dropped)."""
    import shlex
    import subprocess
    from test_postgresql import fresh_database, yunquan
    url, drop = fresh_database()
    try:
        assert yunquan("init", "--db", url).returncode == 0
        name, rest = url.split("://", 1)
        cred, hostpart = rest.split("@", 1)
        user, password = cred.split(":", 1)
        # the password stays out of the command: pg_dump gets it from PGPASSWORD
        out = tmp_path / "it's a dump"
        r = yunquan("backup", "--db", url + "?sslmode=disable&application_name=yq-backup",
                    str(out))
        assert r.returncode != 0 and not out.exists()
        line = next(x.strip() for x in r.stderr.splitlines() if x.strip().startswith("pg_dump"))
        assert "sslmode=disable" in line and "password" not in line, line
        assert f":{password}@" not in line, line
        p = subprocess.run(["sh", "-c", line], capture_output=True, text=True, timeout=120,
                           env={"PATH": "/usr/bin:/bin", "PGPASSWORD": password})
        assert p.returncode == 0, (line, p.stderr)
        assert out.exists() and out.stat().st_size > 0
        assert shlex.split(line)[0] == "pg_dump"
    finally:
        drop()
