"""CSV import of enterprises by a county's 经信 department (issue 10):
UTF-8 and GBK files, every row's errors by line and column in a preview,
then all rows or none; the command line does the same."""
import pytest

from conftest import HOME_COUNTY, OTHER_COUNTY, assert_error, new_official, run_cli

IMPORT = "/api/v1/enterprises/import"
HEADER = ["统一社会信用代码", "企业名称", "法定代表人", "注册地址", "手机号码", "电子邮箱",
          "是否独立法人", "所属行业", "员工人数"]

ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(serial, division=HOME_COUNTY):
    """A valid code (GB 32100) registered in `division`."""
    org8 = f"MA{serial:06d}"
    s = sum((int(c) if c.isdigit() else ord(c) - 55) * w
            for c, w in zip(org8, [3, 7, 9, 10, 5, 8, 4, 2]))
    org_check = {10: "X", 11: "0"}.get(11 - s % 11, str(11 - s % 11))
    first17 = "91" + division + org8 + org_check
    c = 31 - sum(ALPHA.index(ch) * w for ch, w in zip(first17, WEIGHTS)) % 31
    return first17 + ALPHA[0 if c == 31 else c]


def wrong_check(code):
    """The same code with another check character (character 18)."""
    return code[:17] + ALPHA[(ALPHA.index(code[17]) + 1) % 31]


def row(code, name, n, **over):
    r = {"统一社会信用代码": code, "企业名称": name, "法定代表人": f"法人{n}",
         "注册地址": f"任城区测试路 {n} 号", "手机号码": f"139{n:08d}",
         "电子邮箱": f"e{n}@example.com", "是否独立法人": "是", "所属行业": "C 制造业",
         "员工人数": str(10 + n)}
    r.update(over)
    return r


def sheet(rows, header=HEADER):
    def cell(v):
        return f'"{v}"' if "," in v or '"' in v else v
    lines = [",".join(header)] + [",".join(cell(r.get(h, "")) for h in header) for r in rows]
    return "\r\n".join(lines) + "\r\n"


def send(client, data, dry_run, **params):
    if dry_run:
        params["dry_run"] = "1"
    return client.post(IMPORT, params=params,
                       files={"file": ("企业名单.csv", data, "text/csv")})


def errors_of(body):
    return sorted((e["line"], e["column"], e["code"]) for e in body["errors"])


def test_template_is_utf8_with_bom_and_only_county_it_may_import(server, sessions):
    r = sessions["county_it"].get(IMPORT + "/template.csv")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    header = r.content[3:].decode("utf-8").strip().split(",")
    assert header[:len(HEADER)] == HEADER and "两化融合证书编号" in header
    before = server.snapshot()
    for role in ("enterprise", "provider", "county_finance", "city_it", "auditor", "admin"):
        assert_error(send(sessions[role], sheet([row(uscc(1), "越权公司", 1)]), False), 403)
        assert_error(sessions[role].get(IMPORT + "/template.csv"), 403)
    assert server.snapshot() == before


def gbk_file_with_every_kind_of_error(server, sessions):
    listed = uscc(120)
    r = sessions["city_it"].post("/api/v1/negative-list", json={
        "uscc": listed, "reason": "骗取补贴", "evidence": "济经信字〔2019〕1号"})
    assert r.status_code == 201, r.text
    registered = uscc(110)
    r = send(sessions["county_it"], sheet([row(registered, "济宁先导入有限公司", 110)]), False)
    assert r.status_code == 201, r.text
    ok = uscc(100)
    rows = [
        row(ok, "济宁正常科技有限公司", 1),                         # line 2: fine
        row(wrong_check(uscc(101)), "校验位错误公司", 2),            # line 3
        row(ok, "重复公司", 3),                                       # line 4
        row(registered, "已注册公司", 4),                # line 5
        row(listed, "负面清单公司", 5),                               # line 6
        row(uscc(102, OTHER_COUNTY), "兖州的公司", 6),                # line 7
        row(uscc(103), "缺电话公司", 7, 手机号码="", 电子邮箱="not-an-email"),  # line 8
        row(uscc(104), "非独立法人公司", 8, 是否独立法人="否", 所属行业="制造业",
            员工人数="很多"),                                         # line 9
    ]
    return sheet(rows).encode("gbk")


EXPECTED = sorted([
    (3, "统一社会信用代码", "bad_uscc"),
    (4, "统一社会信用代码", "duplicate_in_file"),
    (5, "统一社会信用代码", "already_registered"),
    (6, "统一社会信用代码", "negative_listed"),
    (7, "统一社会信用代码", "division_outside_county"),
    (8, "手机号码", "missing_field"),
    (8, "电子邮箱", "invalid_field"),
    (9, "是否独立法人", "not_independent_legal_person"),
    (9, "所属行业", "invalid_field"),
    (9, "员工人数", "invalid_field"),
])


def test_gbk_preview_lists_every_error_by_line_and_column_and_commit_writes_nothing(
        server, sessions):
    data = gbk_file_with_every_kind_of_error(server, sessions)
    it = sessions["county_it"]
    before = server.snapshot()
    r = send(it, data, dry_run=True)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["encoding"] == "GBK" and body["rows"] == 8 and body["committed"] is False
    assert body["county_code"] == HOME_COUNTY and body["county_name"] == "任城区"
    assert errors_of(body) == EXPECTED
    by_code = {e["code"]: e["message"] for e in body["errors"]}
    assert "第 2 行" in by_code["duplicate_in_file"]
    assert "370812" in by_code["division_outside_county"] and "任城区" in by_code[
        "division_outside_county"]
    assert "校验" in by_code["bad_uscc"]
    assert server.snapshot() == before

    r = send(it, data, dry_run=False)
    err = assert_error(r, 422, "import_has_errors", "file")
    assert errors_of(err) == EXPECTED and err["rows"] == 8
    assert "未导入任何企业" in err["message"]
    assert server.snapshot() == before


def test_utf8_import_commits_every_row_approved_and_a_second_import_is_already_registered(
        server, sessions):
    it, auditor = sessions["county_it"], sessions["auditor"]
    codes = [uscc(200 + i) for i in range(3)]
    # Columns in another order, optional columns, a UTF-8 BOM, lower-case
    # codes and a blank trailing row as Excel leaves them.
    header = ["企业名称", "统一社会信用代码", "所属行业", "员工人数", "是否独立法人", "法定代表人",
              "注册地址", "电子邮箱", "手机号码", "优先支持类别"]
    rows = [row(c.lower(), f"济宁导入{i}号有限公司", 200 + i, 优先支持类别="科技型、专精特新",
                员工人数="1,200") for i, c in enumerate(codes)]
    data = ("\ufeff" + sheet(rows, header) + ",,,,,,,,,\r\n").encode("utf-8")
    audit_before = auditor.get("/api/v1/audit", params={"page_size": 1}).json()["total"]

    r = send(it, data, dry_run=True)
    assert r.status_code == 200 and r.json()["errors"] == [] and r.json()["rows"] == 3
    assert r.json()["encoding"].startswith("UTF-8")
    assert server.sql("SELECT COUNT(*) FROM enterprises WHERE uscc IN (?,?,?)", *codes)[0][0] == 0

    r = send(it, data, dry_run=False)
    assert r.status_code == 201, r.text
    assert r.json()["committed"] is True and r.json()["rows"] == 3
    listed = {e["uscc"]: e for e in it.get("/api/v1/enterprises",
                                            params={"q": "济宁导入", "page_size": 50}).json()["items"]}
    assert set(listed) == set(codes)
    for c in codes:
        e = it.get(f"/api/v1/enterprises/{listed[c]['id']}").json()
        e = e.get("enterprise", e)
        assert e["status"] == "approved" and e["county_code"] == HOME_COUNTY
        assert e["employees"] == 1200 and e["industry"] == "C"
        assert e["priority_flags"] == ["tech", "specialized"]
        assert e["independent_legal_person"] is True
    # One audit entry for the import, with its row count.
    entries = auditor.get("/api/v1/audit", params={"page_size": 5}).json()
    assert entries["total"] == audit_before + 1
    (imp,) = [x for x in entries["items"] if x["entity"] == "enterprise_import"
              and sorted(x["after"]["usccs"]) == sorted(codes)]
    assert imp["action"] == "import" and imp["after"]["rows"] == 3

    # The same file again: every row is already registered, nothing changes.
    before = server.snapshot()
    err = assert_error(send(it, data, dry_run=False), 422, "import_has_errors")
    assert errors_of(err) == [(line, "统一社会信用代码", "already_registered")
                              for line in (2, 3, 4)]
    assert server.snapshot() == before


def test_imported_enterprise_signs_in_once_the_administrator_hands_the_account_over(
        server, sessions):
    code = uscc(300)
    r = send(sessions["county_it"], sheet([row(code, "济宁待激活有限公司", 300)]), False)
    assert r.status_code == 201, r.text
    username = code.lower()
    # No password works before the administrator sets one.
    assert server.try_login(username, "Whatever-Pass-2019").status_code in (401, 403)
    admin = sessions["admin"]
    (uid,) = server.sql("SELECT id FROM users WHERE username = ?", username)[0]
    assert admin.post(f"/api/v1/users/{uid}/password",
                      json={"password": "Handover-Pass-2019"}).status_code == 200
    assert admin.post(f"/api/v1/users/{uid}/lock", json={"locked": False}).status_code == 200
    c = server.login(username, "Handover-Pass-2019")
    mine = c.get("/api/v1/enterprises/mine").json()
    mine = mine.get("enterprise", mine)
    assert mine["uscc"] == code and mine["status"] == "approved"


def test_unknown_and_missing_columns_are_named(server, sessions):
    header = [h for h in HEADER if h != "手机号码"] + ["注册资本"]
    before = server.snapshot()
    r = send(sessions["county_it"], sheet([row(uscc(400), "列名有误公司", 400)], header), True)
    assert r.status_code == 200
    errs = {(e["line"], e["column"], e["code"]) for e in r.json()["errors"]}
    assert errs == {(1, "注册资本", "unknown_column"), (1, "手机号码", "missing_column")}
    assert any("注册资本" in e["message"] for e in r.json()["errors"])
    assert server.snapshot() == before


def test_a_file_neither_utf8_nor_gbk_names_its_line(server, sessions):
    data = sheet([row(uscc(500), "正常", 500)]).encode("utf-8") + b"\xff\xfe\xfd,x\r\n"
    before = server.snapshot()
    r = send(sessions["county_it"], data, True)
    assert r.status_code == 200
    (e,) = r.json()["errors"]
    assert e["code"] == "bad_encoding" and e["line"] == 3 and "第 3 行" in e["message"]
    assert_error(send(sessions["county_it"], data, False), 422, "import_has_errors")
    assert server.snapshot() == before


def test_another_county_is_refused(server, sessions):
    it = sessions["county_it"]
    data = sheet([row(uscc(600, OTHER_COUNTY), "兖州企业", 600)])
    yz = server.login(new_official(sessions["admin"], "yz_it_import", county=OTHER_COUNTY)[
        "username"], "Officer-Pass-2019")
    before = server.snapshot()
    assert_error(send(it, data, False, county_code=OTHER_COUNTY), 403, "forbidden_county")
    # 兖州区's own official imports its enterprises, but not 任城区's.
    r = send(yz, sheet([row(uscc(601), "任城企业", 601)]), True)
    assert r.json()["county_code"] == OTHER_COUNTY
    assert errors_of(r.json()) == [(2, "统一社会信用代码", "division_outside_county")]
    assert server.snapshot() == before
    r = send(yz, data, False)
    assert r.status_code == 201, r.text
    assert server.sql("SELECT county_code FROM enterprises WHERE uscc = ?",
                      uscc(600, OTHER_COUNTY)) == [(OTHER_COUNTY,)]


def test_size_and_row_limits_are_clear_errors(server, sessions):
    it = sessions["county_it"]
    before = server.snapshot()
    many = sheet([row(uscc(10000 + i), f"公司{i}", i) for i in range(5001)]).encode("utf-8")
    assert len(many) < 1024 * 1024
    err = assert_error(send(it, many, True), 413, "too_many_rows")
    assert "5000" in err["message"]
    big = sheet([row(uscc(700), "大文件公司", 700, 注册地址="路" * 400)] * 1).encode("utf-8")
    big += b"#" * (1024 * 1024)
    err = assert_error(send(it, big, False), 413, "file_too_large")
    assert "1 MiB" in err["message"]
    assert server.snapshot() == before


def test_cli_imports_gbk_with_the_same_errors_and_all_or_nothing(fresh_server, tmp_path):
    s = fresh_server
    bad = tmp_path / "bad.csv"
    good_codes = [uscc(800), uscc(801)]
    rows = [row(good_codes[0], "命令行一号公司", 800), row(good_codes[1], "命令行二号公司", 801)]
    bad.write_bytes(sheet(rows + [row(wrong_check(uscc(802)), "坏码公司", 802)]).encode("gbk"))
    good = tmp_path / "good.csv"
    good.write_bytes(sheet(rows).encode("gbk"))
    before = s.snapshot()
    p = run_cli(["import", "enterprises", str(bad), "--county", HOME_COUNTY, "--db", str(s.db)],
                cwd=tmp_path)
    assert p.returncode == 1
    assert "第 4 行［统一社会信用代码］：" in p.stdout and "校验" in p.stdout
    assert "未导入任何企业" in p.stderr and "\r[" not in p.stderr  # not a terminal: no bar
    assert s.snapshot() == before
    p = run_cli(["import", "enterprises", str(good), "--county", HOME_COUNTY, "--db", str(s.db),
                 "--dry-run"], cwd=tmp_path)
    assert p.returncode == 0 and "检查通过" in p.stdout and "GBK" in p.stdout
    assert s.snapshot() == before
    p = run_cli(["import", "enterprises", str(good), "--county", HOME_COUNTY, "--db", str(s.db)],
                cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "已导入 2 家企业到任城区" in p.stdout
    assert sorted(r[0] for r in s.sql(
        "SELECT name FROM enterprises WHERE uscc IN (?, ?) AND status = 'approved'",
        *good_codes)) == ["命令行一号公司", "命令行二号公司"]
    p = run_cli(["import", "enterprises", str(good), "--county", HOME_COUNTY, "--db", str(s.db)],
                cwd=tmp_path)
    assert p.returncode == 1 and p.stdout.count("已注册") == 2
    p = run_cli(["import", "enterprises", str(good), "--db", str(s.db)], cwd=tmp_path)
    assert p.returncode == 2 and "--county" in p.stderr
