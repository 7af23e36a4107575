"""`yunquan export` (SPEC §12): a list exported at the command line, without
a server, is the file the web's export button gives for the same list,
filters and scope."""
import csv
import io
import subprocess
import zipfile

import pytest

import dbs
from conftest import (HOME_COUNTY, OTHER_COUNTY, SANITIZER_MARKS, START, YQ_BIN, clean_env,
                      copy_of, iso, run_cli)

CSV_VOUCHERS = ["券号", "企业", "云服务商", "所属区县", "券面金额", "已兑现", "已追回", "剩余可用",
                "状态", "发放时间", "服务结束"]


@pytest.fixture
def demo(tmp_path, template_db):
    """A copy of the demo database, and a test clock at the demo's day."""
    db = copy_of(template_db, tmp_path / "t.db")
    (tmp_path / "clock").write_text(iso(START) + "\n")
    return db


def sql(db, query, *args):
    con = dbs.connect(db, readonly=True)
    try:
        return con.execute(query, args).fetchall()
    finally:
        con.close()


def export(db, cwd, *args):
    return run_cli(["export", "--db", str(db), "--clock-file", str(cwd / "clock"), *args], cwd=cwd)


def run_bytes(args, cwd):
    """`yunquan ARGS` with its output as bytes (a file on stdout)."""
    p = subprocess.run([YQ_BIN, *args], cwd=str(cwd), env=clean_env(), capture_output=True,
                       timeout=120)
    for mark in SANITIZER_MARKS:
        assert mark.encode() not in p.stderr, p.stderr.decode(errors="replace")
    return p


def written(d):
    """Files in d other than the database and the clock."""
    return sorted(x.name for x in d.iterdir() if x.name != "clock" and not x.name.startswith("t.db"))


def rows_of(raw):
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:20]
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_of_the_vouchers_holds_every_voucher_of_the_database(demo, tmp_path):
    p = export(demo, tmp_path, "--format", "csv", "vouchers")
    assert p.returncode == 0, p.stderr
    # the web download's name, in the current directory, and said so
    out = tmp_path / "云服务券列表-2019-07-01.csv"
    assert out.is_file()
    codes = {r[0] for r in sql(demo, "SELECT code FROM vouchers")}
    assert len(codes) >= 2
    assert p.stdout.strip() == f"已导出 {len(codes)} 行：{out.name}"
    rows = rows_of(out.read_bytes())
    assert rows[0] == CSV_VOUCHERS
    assert len(rows) - 1 == sql(demo, "SELECT COUNT(*) FROM vouchers")[0][0]
    assert {r[0] for r in rows[1:]} == codes


def test_a_filter_narrows_the_export_as_on_the_web(demo, tmp_path):
    issued = {r[0] for r in sql(demo, "SELECT code FROM vouchers WHERE status = 'issued'")}
    assert issued and issued != {r[0] for r in sql(demo, "SELECT code FROM vouchers")}
    p = export(demo, tmp_path, "--format", "csv", "--out", "issued.csv", "vouchers", "status=issued")
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == f"已导出 {len(issued)} 行：issued.csv"
    rows = rows_of((tmp_path / "issued.csv").read_bytes())
    assert {r[0] for r in rows[1:]} == issued
    assert {r[8] for r in rows[1:]} == {"已发放"}


@pytest.mark.parametrize("path,params", [
    ("vouchers", {}),
    ("vouchers", {"status": "issued"}),
    ("ledger/transfers", {}),
    ("audit", {"entity": "voucher"}),
])
def test_the_command_line_gives_the_bytes_a_signed_in_auditor_downloads(server, tmp_path, path,
                                                                         params):
    """The same database, the same list and filters: the CSV over HTTP and
    at the command line are the same file (CSV has no export-time line)."""
    r = server.login("auditor").get(f"/api/v1/{path}", params={**params, "format": "csv"})
    assert r.status_code == 200, r.text
    web = rows_of(r.content)
    assert len(web) > 1
    (tmp_path / "clock").write_text(iso(server.now) + "\n")
    p = run_bytes(["export", "--db", str(server.db), "--clock-file", str(tmp_path / "clock"),
                   "--format", "csv", "--out", "-", path, *[f"{k}={v}" for k, v in params.items()]],
                  tmp_path)
    assert p.returncode == 0, p.stderr.decode()
    # what a user would notice: the same header and the same rows, in order
    assert rows_of(p.stdout)[0] == web[0]
    assert rows_of(p.stdout) == web
    assert p.stdout == r.content
    assert p.stderr.decode().strip() == f"已导出 {len(web) - 1} 行：标准输出"


def test_as_a_county_official_exports_only_that_county(demo, tmp_path):
    home = {r[0] for r in sql(demo, "SELECT code FROM vouchers WHERE county_code = ?", HOME_COUNTY)}
    other = {r[0] for r in sql(demo, "SELECT code FROM vouchers WHERE county_code = ?",
                               OTHER_COUNTY)}
    assert home and other
    p = run_bytes(["export", "--db", str(demo), "--as", "county_it", "--format", "csv", "--out",
                   "-", "vouchers"], tmp_path)
    assert p.returncode == 0, p.stderr.decode()
    rows = rows_of(p.stdout)
    assert rows[0] == CSV_VOUCHERS
    assert {r[0] for r in rows[1:]} == home
    assert {r[3] for r in rows[1:]} == {"任城区"}


def test_as_an_unknown_or_locked_account_is_refused(demo, tmp_path):
    p = export(demo, tmp_path, "--as", "nosuchuser", "vouchers")
    assert p.returncode == 2 and "账号不存在" in p.stderr and "nosuchuser" in p.stderr
    p = run_cli(["user", "lock", "--db", str(demo), "--username", "county_it"], cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    p = export(demo, tmp_path, "--as", "county_it", "vouchers")
    assert p.returncode == 2 and "停用" in p.stderr
    assert written(tmp_path) == []


def test_a_list_the_role_may_not_read_is_refused_naming_the_role(demo, tmp_path):
    # the bank file is the county finance office's; the command line's own
    # identity has the auditor's rights only
    p = export(demo, tmp_path, "payouts/anything/bank.xlsx")
    assert p.returncode == 2 and "审计" in p.stderr and "无权" in p.stderr
    p = export(demo, tmp_path, "--as", "enterprise", "users")
    assert p.returncode == 2 and "企业" in p.stderr and "无权" in p.stderr
    assert not list(tmp_path.glob("*.xlsx"))


def test_xlsx_is_a_workbook_holding_the_vouchers(demo, tmp_path):
    p = export(demo, tmp_path, "--out", "v.xlsx", "/api/v1/vouchers")
    assert p.returncode == 0, p.stderr
    raw = (tmp_path / "v.xlsx").read_bytes()
    assert raw[:2] == b"PK"
    code = sql(demo, "SELECT code FROM vouchers ORDER BY code")[0][0]
    with zipfile.ZipFile(tmp_path / "v.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() \
            else ""
    assert code in sheet or code in strings
    # the default name is the web download's
    p = export(demo, tmp_path, "vouchers")
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "云服务券列表-2019-07-01.xlsx").read_bytes()[:2] == b"PK"


def test_a_bad_filter_exits_2_naming_the_field_and_writes_nothing(demo, tmp_path):
    p = export(demo, tmp_path, "--format", "csv", "vouchers", "status=nonsense")
    assert p.returncode == 2, p.stderr
    assert "status" in p.stderr and "nonsense" in p.stderr
    assert not list(tmp_path.glob("*.csv")) and not list(tmp_path.glob("*.part-*"))
    p = export(demo, tmp_path, "--out", "x.csv", "vouchers", "nonsense")
    assert p.returncode == 2 and "键=值" in p.stderr
    p = export(demo, tmp_path, "--format", "pdf", "vouchers")
    assert p.returncode == 2 and "xlsx" in p.stderr
    if not dbs.is_pg(demo):  # never renamed over the database itself
        p = export(demo, tmp_path, "--out", str(demo), "vouchers")
        assert p.returncode == 2 and "数据库本身" in p.stderr
        assert sql(demo, "SELECT COUNT(*) FROM vouchers")[0][0] >= 2
    assert written(tmp_path) == []


def test_an_unknown_list_exits_2(demo, tmp_path):
    for name in ("nosuchlist", "vouchers/123"):
        p = export(demo, tmp_path, name)
        assert p.returncode == 2, (name, p.stderr)
        assert "没有可导出的列表" in p.stderr and "--list" in p.stderr


def test_a_missing_database_exits_1_and_creates_nothing(tmp_path):
    p = run_cli(["export", "--db", str(tmp_path / "none.db"), "vouchers"], cwd=tmp_path)
    assert p.returncode == 1
    assert "数据库" in p.stderr and "不存在" in p.stderr
    assert list(tmp_path.iterdir()) == []


def test_list_names_every_exportable_list_with_its_title(tmp_path):
    p = run_cli(["export", "--list"], cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert any(line.split() == ["vouchers", "云服务券列表"] for line in lines)
    assert any(line.split() == ["ledger/transfers", "账簿转账记录"] for line in lines)
    assert len(lines) >= 30


def test_help_explains_the_command_in_chinese(tmp_path):
    p = run_cli(["export", "--help"], cwd=tmp_path)
    assert p.returncode == 0 and "用法：yunquan export" in p.stdout and "--as" in p.stdout
    p = run_cli(["--help"], cwd=tmp_path)
    assert "export" in p.stdout


def test_a_filter_the_list_does_not_have_is_ignored_as_on_the_web_but_said(demo, tmp_path):
    """Over HTTP an unknown parameter is ignored; at the command line a
    mistyped filter would silently export everything, so it is named."""
    total = sql(demo, "SELECT COUNT(*) FROM vouchers")[0][0]
    p = export(demo, tmp_path, "--format", "csv", "--out", "v.csv", "vouchers", "stauts=issued")
    assert p.returncode == 0, p.stderr
    assert "stauts" in p.stderr and "已忽略" in p.stderr and "status" in p.stderr
    assert len(rows_of((tmp_path / "v.csv").read_bytes())) - 1 == total
    p = export(demo, tmp_path, "--format", "csv", "--out", "v.csv", "vouchers", "status=issued")
    assert p.returncode == 0 and "已忽略" not in p.stderr
