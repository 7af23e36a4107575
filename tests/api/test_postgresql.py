"""The PostgreSQL driver behind the same `db` interface: `yunquan demo`,
`ledger check` and `audit verify` on a postgresql:// URL, and two server
processes on one database taking a rush of confirmations: 先到先补 holds
across processes (writers are serialised by one advisory lock), the pool is
never overdrawn, and the books check out. Needs PostgreSQL installed
(.ci/run installs it): the database and role are made on the suite's
throw-away cluster (dbs.pg_base(): YQ_PG_URL, or one started for the run)."""
import concurrent.futures as cf
import re
import subprocess
import time
import uuid

import pytest

import dbs
from conftest import YQ_BIN, Client, clean_env
from flows import catalog_line, enterprise_profile, make_uscc, next_org_body, ok

PASSWORD = "Demo-Passw0rd-2019"
NOW = "2019-07-01T09:00:00+08:00"
COUNTY = "370883"  # 邹城市: the demo funds it with ¥1,000 only
N = 40


@pytest.fixture(scope="module")
def pg_url():
    """A fresh database owned by a fresh role (not the cluster's superuser)."""
    name = "yq_" + uuid.uuid4().hex[:12]
    dbs.admin_exec(f"CREATE ROLE {name} LOGIN PASSWORD '{name}'",
                   f"CREATE DATABASE {name} OWNER {name}")
    host_port = dbs.pg_base().rsplit("@", 1)[1]
    yield f"postgresql://{name}:{name}@{host_port}/{name}"
    dbs.admin_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"DROP ROLE IF EXISTS {name}")


def yunquan(*args, **kw):
    env = dict(clean_env(), YUNQUAN_DEMO_PASSWORD=PASSWORD, YUNQUAN_NOW=NOW)
    return subprocess.run([YQ_BIN, *args], capture_output=True, text=True, env=env, timeout=600,
                          **kw)


class Proc:
    def __init__(self, url, tmp):
        self.out = open(tmp / f"out-{uuid.uuid4().hex[:6]}.txt", "w+")
        env = dict(clean_env(), YUNQUAN_NOW=NOW)
        self.proc = subprocess.Popen([YQ_BIN, "serve", "--db", url, "--listen", "127.0.0.1:0",
                                      "--threads", "8", "--access-log", "",
                                      # the rush signs up dozens of enterprises from one address
                                      "--signup-per-hour", "100000"],
                                     stdout=self.out, stderr=subprocess.STDOUT, env=env)
        for _ in range(600):
            self.out.seek(0)
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", self.out.read())
            if m:
                self.base = f"http://127.0.0.1:{m.group(1)}"
                return
            assert self.proc.poll() is None, "serve exited"
            time.sleep(0.05)
        raise AssertionError("serve did not start")

    def login(self, username, password=PASSWORD):
        c = Client(self.base)
        r = c.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert r.status_code == 200, r.text
        return c

    def stop(self):
        self.proc.terminate()
        rc = self.proc.wait(timeout=60)
        self.out.seek(0)
        text = self.out.read()
        assert rc == 0 and "AddressSanitizer" not in text and "runtime error:" not in text, text


@pytest.fixture(scope="module")
def servers(pg_url, tmp_path_factory):
    r = yunquan("demo", "--db", pg_url)
    assert r.returncode == 0, r.stdout + r.stderr
    tmp = tmp_path_factory.mktemp("pg")
    a, b = Proc(pg_url, tmp), Proc(pg_url, tmp)
    yield a, b
    a.stop()
    b.stop()


def test_demo_books_and_audit_chain_check_out_on_postgresql(pg_url, servers):
    r = yunquan("ledger", "check", "--db", pg_url)
    assert r.returncode == 0, r.stdout + r.stderr
    r = yunquan("audit", "verify", "--db", pg_url)
    assert r.returncode == 0 and "审计链完整" in r.stdout, r.stdout + r.stderr


def test_both_processes_serve_the_same_scoped_data(servers):
    a, b = servers
    for s in (a, b):
        c = s.login("county_it")
        items = ok(c.get("/api/v1/enterprises?page_size=200"))["items"]
        assert items and {e["county_code"] for e in items} == {"370811"}
        assert ok(c.get("/api/v1/public/catalog"))["total"] == 7
        x = c.get("/api/v1/enterprises?format=xlsx")
        assert x.status_code == 200 and x.content[:2] == b"PK"
        budgets = ok(s.login("county_finance").get("/api/v1/budgets?year=2019"))["items"]
        assert budgets[0]["funded_by_source"]["county"] > 0


def test_a_rush_across_two_processes_keeps_first_come_first_served(pg_url, servers):
    a, b = servers
    admin = a.login("admin")
    ok(admin.post("/api/v1/users", json={"username": "zc_it", "password": PASSWORD,
                                         "role": "county_it", "display_name": "邹城审核",
                                         "county_code": COUNTY}), 201)
    reviewer = a.login("zc_it")
    provider = b.login("provider")
    item = ok(provider.get("/api/v1/public/catalog?q=8核16G"))["items"][0]["id"]
    enterprises = []
    for i in range(N):
        c = Client((a, b)[i % 2].base)
        uscc = make_uscc("370883", next_org_body())
        r = c.post("/api/v1/auth/signup", json={"role": "enterprise", "username": f"pgq{i:03d}",
                                                 "password": PASSWORD, "uscc": uscc,
                                                 "name": f"邹城测试企业{i:03d}有限公司",
                                                 "county_code": COUNTY, "consent": True})
        party = ok(r, 201)["enterprise"]
        ok(c.patch(f"/api/v1/enterprises/{party['id']}", json=enterprise_profile()))
        ok(c.post(f"/api/v1/enterprises/{party['id']}/submit"))
        enterprises.append((c, party["id"]))
    batch = ok(reviewer.post("/api/v1/enterprises/batch-approve",
                             json={"ids": [e for _, e in enterprises]}))
    assert len(batch["approved"]) == N and not batch["failed"]
    contracts = []
    for c, eid in enterprises:
        body = {"enterprise_id": eid, "program_id": "jining-2018", "contract_no": f"PG-{eid[-6:]}",
                "signed_on": "2019-06-28", "service_start": "2019-07-01",
                "service_end": "2020-06-30", "lines": [catalog_line(item, 12, 99000)]}
        contracts.append((c, ok(provider.post("/api/v1/contracts", json=body), 201)["id"]))
    # fund about 60 % of the rush (after the demo's waitlisted head is served)
    each = 1_188_000 * 2500 // 10000
    fin = a.login("city_finance")
    ok(fin.post(f"/api/v1/budgets/{COUNTY}/2019/fund",
                json={"amount_fen": 356_400 + each * (N * 6 // 10) + each // 2,
                      "source": "city_award", "reference": "PG-RUSH"}), 201)
    with cf.ThreadPoolExecutor(max_workers=16) as ex:
        answers = list(ex.map(lambda ce: ce[0].post(f"/api/v1/contracts/{ce[1]}/confirm"),
                              contracts))
    assert {r.status_code for r in answers} <= {201, 202}, [r.text for r in answers
                                                             if r.status_code not in (201, 202)]
    issued = sum(r.status_code == 201 for r in answers)
    assert issued == N * 6 // 10
    # first come, first served, across both processes: no voucher for a
    # confirmation later than one that waits
    auditor = b.login("auditor")
    rows = []
    for c, cid in contracts:
        d = ok(auditor.get(f"/api/v1/contracts/{cid}"))
        rows.append((d["confirmed_at"], d["voucher"] is not None))
    last_voucher = max(t for t, has in rows if has)
    first_wait = min(t for t, has in rows if not has)
    assert last_voucher <= first_wait
    pool = [x for x in ok(auditor.get("/api/v1/budgets?year=2019"))["items"]
            if x["county_code"] == COUNTY][0]
    assert pool["available_fen"] >= 0 and pool["waitlist_count"] == N - issued
    r = yunquan("ledger", "check", "--db", pg_url)
    assert r.returncode == 0, r.stdout + r.stderr


def test_backup_on_postgresql_says_exactly_what_to_run(pg_url, tmp_path):
    out = tmp_path / "yunquan.dump"
    r = yunquan("backup", "--db", pg_url, str(out))
    assert r.returncode != 0 and not out.exists()
    assert "pg_dump --format=custom" in r.stderr and str(out) in r.stderr, r.stderr
    assert "ledger check" in r.stderr and "audit verify" in r.stderr, r.stderr


def test_both_backends_get_the_same_schema_from_the_same_migrations(tmp_path):
    """One list of migrations for both engines; where a step branches on the
    driver (CHECK constraints on PostgreSQL, a pair of triggers on SQLite)
    the result must still match: same tables, same columns in the same
    order, same indexes, same applied versions, a CHECK for every trigger."""
    import sqlite3
    lite = tmp_path / "schema.db"
    pg = dbs.create_db()
    try:
        for db in (lite, pg):
            r = yunquan("init", "--db", str(db), cwd=str(tmp_path))
            assert r.returncode == 0, r.stdout + r.stderr
        s = sqlite3.connect(str(lite))
        p = dbs.connect(pg, readonly=True)
        try:
            names = [t for (t,) in s.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                              " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            assert names == dbs.tables(p)
            for t in names:
                lite_cols = [r[1] for r in s.execute(f'PRAGMA table_info("{t}")')]
                pg_cols = [r[0] for r in p.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema ="
                    " 'public' AND table_name = ? ORDER BY ordinal_position", (t,))]
                assert lite_cols == pg_cols, t
            lite_idx = {r[0] for r in s.execute("SELECT name FROM sqlite_master WHERE"
                                                " type = 'index' AND sql IS NOT NULL")}
            pg_idx = {r[0] for r in p.execute("SELECT indexname FROM pg_indexes WHERE"
                                              " schemaname = 'public'")}
            assert lite_idx and lite_idx <= pg_idx
            # every other PostgreSQL index is a primary key or UNIQUE column
            assert all(i.endswith(("_pkey", "_key")) for i in pg_idx - lite_idx), pg_idx - lite_idx
            versions = "SELECT version FROM schema_migrations ORDER BY version"
            assert s.execute(versions).fetchall() == p.execute(versions).fetchall()
            triggers = {r[0].rsplit("_", 1)[0] for r in s.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_check_%'")}
            checks = {r[0] for r in p.execute("SELECT conname FROM pg_constraint WHERE"
                                              " contype = 'c'")}
            assert triggers and triggers <= checks, triggers - checks
        finally:
            s.close()
            p.close()
    finally:
        dbs.drop_db(pg)
