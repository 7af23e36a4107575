"""SPEC, data files: the official holiday calendar covers 2018–2026, "the
operator adds each new year when it is published". `yunquan calendar
import FILE` loads a newly published year into the database; a running
server finds it without a restart (notices and /calendar/workdays), and
bad files, a year loaded twice or a year skipped are refused with the
reason, changing nothing.

The 2027 days below are made up for the test (marked 测试), not the
State Council's schedule."""
import time

from conftest import run_cli

FILE_2027 = ("date,kind,name\n"
             "2027-01-01,holiday,元旦（测试）\n"
             "2027-01-05,holiday,测试假日\n"
             "2027-01-09,workday,测试调休\n")


def workdays(server, start):
    return server.client().get("/api/v1/calendar/workdays", params={"from": start, "n": 5})


def test_the_operator_imports_a_new_year_and_the_running_server_uses_it(fresh_server, tmp_path):
    s = fresh_server
    db = str(s.db)
    r = workdays(s, "2027-01-04")
    assert r.status_code == 422 and r.json()["error"]["code"] == "calendar_not_published"
    shown = run_cli(["calendar", "show", "--db", db], cwd=tmp_path)
    assert shown.returncode == 0 and "2018—2026" in shown.stdout

    f = tmp_path / "2027.csv"
    f.write_text(FILE_2027, encoding="utf-8")
    p = run_cli(["calendar", "import", str(f), "--db", db], cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "2027" in p.stdout and "2018—2027" in p.stdout
    # the running server reads the new year on the next request that needs it
    deadline = time.monotonic() + 10
    while (r := workdays(s, "2027-01-04")).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.3)
    assert r.status_code == 200, r.text
    # Tuesday the 5th is off, Saturday the 9th a working day
    assert r.json()["days"] == ["2027-01-06", "2027-01-07", "2027-01-08", "2027-01-09",
                                "2027-01-11"]
    entries = s.login("auditor").get("/api/v1/audit", params={"entity": "calendar"}).json()["items"]
    assert [(e["action"], e["entity_id"]) for e in entries] == [("import", "2027-2027")]
    assert run_cli(["audit", "verify", "--db", db], cwd=tmp_path).returncode == 0


def test_a_year_loaded_twice_skipped_or_malformed_is_refused_and_changes_nothing(fresh_server,
                                                                                   tmp_path):
    s = fresh_server
    db = str(s.db)
    before = s.snapshot(["calendar_days", "audit_log"])
    cases = [
        ("date,kind,name\n2026-10-01,holiday,国庆节\n", "2026 年的节假日安排已载入"),
        ("date,kind,name\n2028-01-01,holiday,元旦\n", "须先载入 2027 年"),
        ("date,kind,name\n2017-10-01,holiday,国庆节\n", "只能载入 2026 年以后"),
        ("date,kind,name\n2027-13-01,holiday,元旦\n", "文件格式不正确"),
        ("date,kind,name\n2027-01-01,vacation,元旦\n", "文件格式不正确"),
        ("date,kind,name\n2027-01-09,workday,调休\n", "文件格式不正确"),  # no holiday: no year
        ("date,kind,name\n2027-01-01,holiday,\"元旦,假\"\n", "名称不能含逗号"),
        ("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n", "已在日历中或重复"),
    ]
    for i, (text, message) in enumerate(cases):
        f = tmp_path / f"bad{i}.csv"
        f.write_text(text, encoding="utf-8")
        p = run_cli(["calendar", "import", str(f), "--db", db], cwd=tmp_path)
        assert p.returncode == 1 and message in p.stderr, (text, p.stderr)
    assert run_cli(["calendar", "import", str(tmp_path / "missing.csv"), "--db", db],
                   cwd=tmp_path).returncode == 1
    assert run_cli(["calendar", "import", "--db", db], cwd=tmp_path).returncode == 2
    assert s.snapshot(["calendar_days", "audit_log"]) == before
    assert workdays(s, "2027-01-04").status_code == 422
