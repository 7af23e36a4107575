"""The PostgreSQL driver behind the same `db` interface: `yunquan demo`,
`ledger check` and `audit verify` on a postgresql:// URL, and two server
processes on one database taking a rush of confirmations: 先到先补 holds
across processes, the pool is never overdrawn, and the books check out.
The rush split across two processes and four counties (each county's
writers serialised by its own lock, the counties in parallel): no county
overspends, each county's confirmation instants follow the order in which
they were acknowledged, and a kill -9 of one process mid-rush loses no
acknowledged voucher. Needs PostgreSQL installed (.ci/run installs it):
the databases and roles are made on the suite's throw-away cluster
(dbs.pg_base(): YQ_PG_URL, or one started for the run)."""
import concurrent.futures as cf
import re
import sqlite3
import subprocess
import threading
import time
import uuid

import pytest
import requests

import dbs
from conftest import YQ_BIN, Client, clean_env
from flows import catalog_line, enterprise_profile, make_uscc, next_org_body, ok, rush_seed

PASSWORD = "Demo-Passw0rd-2019"
NOW = "2019-07-01T09:00:00+08:00"
COUNTY = "370883"  # 邹城市: the demo funds it with ¥1,000 only
N = 40


def fresh_database():
    """A new, empty database owned by a new role (not the cluster's
    superuser), on the suite's cluster: (url, drop)."""
    name = "yq_" + uuid.uuid4().hex[:12]
    dbs.admin_exec(f"CREATE ROLE {name} LOGIN PASSWORD '{name}'",
                   f"CREATE DATABASE {name} OWNER {name}")
    host_port = dbs.pg_base().rsplit("@", 1)[1]

    def drop():
        dbs.admin_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
                       f"DROP ROLE IF EXISTS {name}")
    return f"postgresql://{name}:{name}@{host_port}/{name}", drop


@pytest.fixture(scope="module")
def pg_url():
    url, drop = fresh_database()
    yield url
    drop()


def yunquan(*args, **kw):
    env = dict(clean_env(), YUNQUAN_DEMO_PASSWORD=PASSWORD, YUNQUAN_NOW=NOW)
    return subprocess.run([YQ_BIN, *args], capture_output=True, text=True, env=env, timeout=600,
                          **kw)


class Proc:
    def __init__(self, url, tmp, running_clock=False, args=()):
        """running_clock: the clock starts at NOW and runs (--now), so that
        confirmation instants differ; else it stands at NOW."""
        self.out = open(tmp / f"out-{uuid.uuid4().hex[:6]}.txt", "w+")
        env = dict(clean_env()) if running_clock else dict(clean_env(), YUNQUAN_NOW=NOW)
        clock = ["--now", NOW, "--per-ip-connections", "0"] if running_clock else []
        self.proc = subprocess.Popen([YQ_BIN, "serve", "--db", url, "--listen", "127.0.0.1:0",
                                      "--threads", "8", "--access-log", "",
                                      # the rush signs up dozens of enterprises from one address
                                      "--signup-per-hour", "100000", *clock, *args],
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
    # a Yunquan database (an empty one is refused), whichever test ran first
    assert yunquan("init", "--db", pg_url).returncode == 0
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


# -- many counties, two processes, parallel writers (issue 13 deliverable 3) --


CAP = 5_000_000  # every rush voucher is capped (base ≥ 20,000,000 fen)
# four small pools for the rush (each runs dry: the rest wait), two larger
# ones for the kill -9
RUSH_COUNTIES = ("370872", "370873", "370827", "370829")
KILL_COUNTIES = ("370830", "370831")
LOCK_COUNTIES = ("370881", "370812")  # six contracts each, for the lock tests
PER_COUNTY = 20
KILL_PER_COUNTY = 30


@pytest.fixture(scope="module")
def counties_db(tmp_path_factory):
    """A demo installation with PER_COUNTY draft contracts in each rush
    county and KILL_PER_COUNTY in each kill county (each worth one capped
    voucher), copied into a fresh PostgreSQL database by `yunquan
    migrate`. Yields (url, {county: [contract ids]}, {county: pool before})."""
    tmp = tmp_path_factory.mktemp("pgcounties")
    src = tmp / "src.db"
    r = yunquan("demo", "--db", str(src))
    assert r.returncode == 0, r.stdout + r.stderr
    seeded = {}
    for k, county in enumerate(RUSH_COUNTIES + KILL_COUNTIES + LOCK_COUNTIES):
        n = (PER_COUNTY if county in RUSH_COUNTIES else KILL_PER_COUNTY if county in KILL_COUNTIES
             else 6)
        rows = rush_seed(src, n, county, provider_name="济宁工业互联网平台有限公司",
                         item_name="工业大数据分析平台 标准版", seed=40 + k,
                         prefix=f"pc{county}", qty=(10, 12))
        seeded[county] = [cid for cid, _, _ in rows]
    con = sqlite3.connect(str(src))
    pools = {c: con.execute("SELECT credits_posted - debits_posted - debits_pending FROM"
                            " ledger_accounts WHERE id = ?", (f"pool:{c}:2019",)).fetchone()[0]
             for c in seeded}
    waiting = con.execute("SELECT COUNT(*) FROM waitlist WHERE status = 'waiting' AND"
                          f" county_code IN ({','.join('?' * len(seeded))})",
                          tuple(seeded)).fetchone()[0]
    con.close()
    assert waiting == 0 and all(CAP <= pools[c] < len(seeded[c]) * CAP
                                for c in RUSH_COUNTIES + KILL_COUNTIES), pools
    url, drop = fresh_database()
    r = yunquan("migrate", "--from", str(src), "--to", url, cwd=str(tmp))
    assert r.returncode == 0, r.stdout + r.stderr
    yield url, seeded, pools, tmp
    drop()


def confirm_all(procs, items, on_answer=None, workers=16):
    """POSTs /contracts/{id}/confirm for every (county, contract) in
    `items`, spread over the processes (item i to procs[i % len]), from
    `workers` threads, one provider session per process.
    (An item's third value, when given, chooses the process instead.)
    Returns [(county, contract, proc index, sent, received, status, body)];
    status is None when the connection failed (a killed process)."""
    sessions = [p.login("prov_industry") for p in procs]
    for s in sessions:
        s.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=workers))

    def session(k):
        return sessions[k]

    def one(arg):
        i, (county, cid, *which) = arg
        k = (which[0] if which else i) % len(procs)
        try:
            c = session(k)
        except (OSError, requests.RequestException) as e:  # the process is gone
            return (county, cid, k, time.monotonic(), time.monotonic(), None, repr(e))
        sent = time.monotonic()
        try:
            r = c.post(f"/api/v1/contracts/{cid}/confirm")
            status, body = r.status_code, (r.json() if r.content else None)
        except (OSError, requests.RequestException) as e:
            status, body = None, repr(e)
        got = time.monotonic()
        if on_answer:
            on_answer()
        return (county, cid, k, sent, got, status, body)

    with cf.ThreadPoolExecutor(max_workers=workers) as ex:
        return list(ex.map(one, enumerate(items)))


def interleave(seeded, counties):
    """Contracts of the counties in turn (every county rushes at once),
    each county's going to both processes in turn."""
    out = []
    for i in range(max(len(seeded[c]) for c in counties)):
        out += [(c, seeded[c][i], i + j) for j, c in enumerate(counties) if i < len(seeded[c])]
    return out


def psql(url, sql):
    r = subprocess.run(["psql", url, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return [line.split("|") for line in r.stdout.splitlines() if line]


def test_a_rush_over_four_counties_and_two_processes(counties_db):
    url, seeded, pools, tmp = counties_db
    a, b = Proc(url, tmp, running_clock=True), Proc(url, tmp, running_clock=True)
    try:
        answers = confirm_all((a, b), interleave(seeded, RUSH_COUNTIES))
        bad = [x for x in answers if x[5] not in (201, 202)]
        assert not bad, bad[:3]
        auditor = a.login("auditor")
        detail = {cid: ok(auditor.get(f"/api/v1/contracts/{cid}")) for _, cid, *_ in answers}
        budgets = {x["county_code"]: x for x in ok(auditor.get("/api/v1/budgets?year=2019"))
                   ["items"]}
    finally:
        a.stop()
        b.stop()
    for county in RUSH_COUNTIES:
        mine = [x for x in answers if x[0] == county]
        issued = [x for x in mine if x[5] == 201]
        # no overspend: exactly as many capped vouchers as the pool held
        assert len(issued) == pools[county] // CAP, (county, len(issued), pools[county])
        assert budgets[county]["available_fen"] == pools[county] % CAP
        assert budgets[county]["waitlist_count"] == len(mine) - len(issued)
        # 先到先补 within the county: nobody confirmed later holds a voucher
        # while someone earlier waits
        at = {cid: detail[cid]["confirmed_at"] for _, cid, *_ in mine}
        assert max(at[x[1]] for x in issued) <= min(at[x[1]] for x in mine if x[5] == 202)
        # instants in the order acknowledged, across both processes (whose
        # clocks differ: each started its own at NOW)
        for x in mine:
            for y in mine:
                if x[4] < y[3]:
                    assert at[x[1]] <= at[y[1]], (county, x[1], y[1])
        assert {x[2] for x in mine} == {0, 1}
    r = yunquan("ledger", "check", "--db", url)
    assert r.returncode == 0, r.stdout + r.stderr
    r = yunquan("audit", "verify", "--db", url)
    assert r.returncode == 0 and "审计链完整" in r.stdout, r.stdout + r.stderr
    # every county's confirmations chained in the county's own audit shard
    shards = dict(psql(url, "SELECT shard, COUNT(*) FROM audit_log WHERE entity = 'contract'"
                            " AND action = 'confirm' GROUP BY shard"))
    for county in RUSH_COUNTIES:
        assert int(shards[f"county:{county}"]) == PER_COUNTY


def test_kill_9_of_one_process_mid_rush_loses_no_acknowledged_voucher(counties_db):
    url, seeded, pools, tmp = counties_db
    a, c = Proc(url, tmp, running_clock=True), Proc(url, tmp, running_clock=True)
    items = interleave(seeded, KILL_COUNTIES)
    answered = [0]
    lock = threading.Lock()

    def kill_after_a_third():
        with lock:
            answered[0] += 1
            if answered[0] == len(items) // 3:
                c.proc.kill()
    try:
        answers = confirm_all((a, c), items, on_answer=kill_after_a_third, workers=8)
        c.proc.wait(timeout=30)
        assert any(x[5] is None for x in answers), "the kill came too late"
        auditor = a.login("auditor")
        vouchers = {}
        for county, cid, k, sent, got, status, body in answers:
            d = ok(auditor.get(f"/api/v1/contracts/{cid}"))
            if status == 201:  # acknowledged: the voucher is there, as answered
                assert d["status"] == "confirmed" and d["voucher"], (cid, d)
                assert d["voucher"]["code"] == body["voucher"]["code"]
                vouchers[cid] = d["voucher"]["code"]
            elif status == 202:
                assert d["status"] == "confirmed" and not d["voucher"], (cid, d)
            else:
                assert status is None and k == 1  # only the killed process failed
                assert d["status"] in ("draft", "confirmed")  # all or nothing
        # what the killed process never answered is confirmed through the other
        left = [(x[0], x[1]) for x in answers if x[5] is None
                and ok(auditor.get(f"/api/v1/contracts/{x[1]}"))["status"] == "draft"]
        again = confirm_all((a,), left)
        assert all(x[5] in (201, 202) for x in again), again[:3]
        budgets = {x["county_code"]: x for x in ok(auditor.get("/api/v1/budgets?year=2019"))
                   ["items"]}
    finally:
        a.stop()
        c.out.close()
    for county in KILL_COUNTIES:
        assert budgets[county]["available_fen"] >= 0
        n = sum(1 for cid in seeded[county]
                if psql(url, f"SELECT COUNT(*) FROM vouchers WHERE contract_id = '{cid}'")[0][0]
                == "1")
        assert n == pools[county] // CAP, (county, n)
    r = yunquan("ledger", "check", "--db", url)
    assert r.returncode == 0, r.stdout + r.stderr
    r = yunquan("audit", "verify", "--db", url)
    assert r.returncode == 0 and "审计链完整" in r.stdout, r.stdout + r.stderr


def scope_key(county):
    """The county lock's second key, as src/store/db_pg.c computes it."""
    h = 2166136261
    for b in county.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h & 0x7FFFFFFF


class Holder:
    """A psql session holding an advisory lock in an open transaction."""

    def __init__(self, url, lock_sql):
        self.p = subprocess.Popen(["psql", url, "-qAt", "-v", "ON_ERROR_STOP=1"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.p.stdin.write(f"BEGIN;\nSELECT 'held', {lock_sql};\n")
        self.p.stdin.flush()
        assert self.p.stdout.readline().startswith("held")

    def release(self):
        self.p.stdin.write("COMMIT;\n")
        self.p.stdin.close()
        self.p.wait(timeout=30)


def quiet(url):
    """Waits until no other session is in a transaction (the server's jobs
    thread, an exclusive writer, runs once at start): the lock waits below
    must stay well under the busy timeout (5 s)."""
    for _ in range(200):
        (n,) = psql(url, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname ="
                         " current_database() AND xact_start IS NOT NULL AND"
                         " pid <> pg_backend_pid()")[0]
        if n == "0":
            return
        time.sleep(0.1)
    raise AssertionError("the database never went quiet")


def waits_for_lock(url):
    """Waits until a session of the server waits for an advisory lock."""
    for _ in range(500):
        (n,) = psql(url, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname ="
                         " current_database() AND wait_event = 'advisory'")[0]
        if n != "0":
            return
        time.sleep(0.01)
    raise AssertionError("no session of the server waited for the lock")


def test_a_county_waits_only_for_its_own_lock_and_for_exclusive_writers(counties_db):
    url, seeded, pools, tmp = counties_db
    held, free = LOCK_COUNTIES
    a = Proc(url, tmp, running_clock=True)
    try:
        prov = a.login("prov_industry")
        prov.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=4))
        with cf.ThreadPoolExecutor(max_workers=2) as ex:
            def blocked(lock_sql, path, meanwhile=lambda: None):
                """`path` waits while another session holds `lock_sql`, and
                `meanwhile` runs in that time; then it goes through. A wait
                that outlasted the busy timeout (5 s, a loaded machine) is
                tried again."""
                waits = []
                for _ in range(3):
                    quiet(url)
                    h = Holder(url, lock_sql)
                    t0 = time.monotonic()
                    waiting = ex.submit(prov.post, path)
                    meanwhile()
                    time.sleep(0.3)
                    done = waiting.done()
                    h.release()
                    r = waiting.result(timeout=30)
                    waits.append(time.monotonic() - t0)
                    if r.status_code != 503:
                        assert not done, r.text
                        assert r.status_code == 201, r.text
                        return
                raise AssertionError(f"the lock waits outlasted the busy timeout: {waits}")

            # another writer holds county `held`: its confirmation waits,
            # the other county's goes through meanwhile. A libmicrohttpd
            # worker thread serves its connections one request at a time,
            # so the other county's request must not ride a keep-alive
            # connection of the thread that waits (CI saw it wait 5 s
            # there, three times over): it opens a connection of its own
            # once the first waits, which a thread still polling accepts.
            def free_goes_through():
                waits_for_lock(url)
                other = Client(a.base)
                other.cookies.update(prov.cookies)
                r = other.post(f"/api/v1/contracts/{seeded[free][0]}/confirm")
                other.close()
                assert r.status_code == 201 or "已确认" in r.text, r.text  # (a second try)
            blocked(f"pg_advisory_xact_lock({0x7973}, {scope_key(held)})",
                    f"/api/v1/contracts/{seeded[held][0]}/confirm", free_goes_through)
            # an exclusive writer (any use case not scoped) holds every county
            blocked(f"pg_advisory_xact_lock({0x7971})",
                    f"/api/v1/contracts/{seeded[free][1]}/confirm")
        # a contract of a county its enterprise has left belongs to no one
        # county (单个企业只享受一次 is decided in the enterprise's): it is
        # confirmed holding the whole database, its entry in the global shard
        cid = seeded[held][1]
        psql(url, f"UPDATE enterprises SET county_code = '{free}' WHERE id ="
                  f" (SELECT enterprise_id FROM contracts WHERE id = '{cid}')")
        r = prov.post(f"/api/v1/contracts/{cid}/confirm")
        assert r.status_code in (200, 201, 202), r.text
        assert psql(url, "SELECT shard FROM audit_log WHERE entity = 'contract' AND"
                         f" entity_id = '{cid}' AND action = 'confirm'") == [["global"]]
        first = seeded[held][0]
        assert psql(url, "SELECT shard FROM audit_log WHERE entity = 'contract' AND"
                         f" entity_id = '{first}' AND action = 'confirm'") == [[f"county:{held}"]]
    finally:
        a.stop()


def test_a_county_waiting_for_its_lock_holds_up_no_other_county(counties_db):
    """Writes run on a few write threads (two here). Confirmations of a
    county whose lock is held take two of them at most; the rest wait in
    the county's own line (http/writers.h), so another county's
    confirmation is answered at once. (All in one line, it waited for the
    held county: 10 s and more.)"""
    url, seeded, pools, tmp = counties_db
    held, free = LOCK_COUNTIES
    a = Proc(url, tmp, running_clock=True, args=("--write-threads", "2"))
    try:
        prov = a.login("prov_industry")

        def post(cid, timeout=60):
            c = Client(a.base)  # a connection of its own
            c.cookies.update(prov.cookies)
            for _ in range(3):  # a wait past the busy timeout (5 s) is tried again
                r = c.post(f"/api/v1/contracts/{cid}/confirm", timeout=timeout)
                if r.status_code != 503:
                    break
            c.close()
            return r

        quiet(url)
        h = Holder(url, f"pg_advisory_xact_lock({0x7973}, {scope_key(held)})")
        with cf.ThreadPoolExecutor(max_workers=4) as ex:
            try:
                waiting = [ex.submit(post, cid) for cid in seeded[held][2:6]]
                waits_for_lock(url)
                time.sleep(0.3)  # the four are in: two wait for the lock, two in line
                t0 = time.monotonic()
                try:
                    r = post(seeded[free][2], timeout=3)
                finally:
                    took = time.monotonic() - t0
                    done = [f.done() for f in waiting]
            finally:
                h.release()
            assert r.status_code == 201, r.text
            assert took < 1.5, took
            assert not any(done), done
            assert all(f.result(timeout=60).status_code in (201, 202) for f in waiting)
    finally:
        a.stop()
