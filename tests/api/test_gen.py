"""`yunquan gen` (issue 10): the province-scale benchmark data set, here at
a small size (2 cities, 2,000 enterprises). What an operator relies on:
the books and the audit chain check out, the counts are as asked, a seed
always gives the same database and another seed another one, a server on
it answers the county progress report, and bad arguments are refused in
Chinese."""
import subprocess

import pytest

import dbs
from conftest import YQ_BIN, Server, clean_env, has_cjk, new_db, run_cli

SIZE = ["--cities", "2", "--enterprises", "2000"]
JINING_AND_JINAN = 14 + 9  # data/jining-counties.csv + 济南's units in gen_places.c
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_ok(code):
    """GB 32100-2015, as SPEC §3 states it."""
    if len(code) != 18 or any(c not in ALPHABET for c in code):
        return False
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    check = (31 - sum(ALPHABET.index(c) * w for c, w in zip(code, weights)) % 31) % 31
    if ALPHABET[check] != code[17]:
        return False
    org = code[8:16]
    val = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in org]
    d = 11 - sum(v * w for v, w in zip(val, [3, 7, 9, 10, 5, 8, 4, 2])) % 11
    return code[16] == {10: "X", 11: "0"}.get(d, str(d))


def gen(tmp_path, name, seed, extra=()):
    db = new_db(tmp_path / name)
    p = run_cli(["gen", "--db", str(db), *SIZE, "--seed", str(seed), "--synchronous", "OFF",
                 *extra], tmp_path, timeout=600)
    return db, p


def dump(db):
    con = dbs.connect(db)
    try:
        if dbs.is_pg(db):
            return "\n".join(f"{t}: {r!r}" for t in dbs.tables(con)
                             for r in sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))))
        return "\n".join(con.iterdump())
    finally:
        con.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gen")
    db, p = gen(tmp, "a.db", 7)
    assert p.returncode == 0, p.stderr
    return tmp, db, p


def q(db, sql):
    con = dbs.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_books_and_the_audit_chain_check_out(generated):
    tmp, db, _ = generated
    ledger = run_cli(["ledger", "check", "--db", str(db)], tmp)
    assert ledger.returncode == 0, ledger.stdout + ledger.stderr
    audit = run_cli(["audit", "verify", "--db", str(db)], tmp)
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_counts_are_as_asked_and_the_data_is_realistic(generated):
    tmp, db, p = generated
    assert "2000 家企业" in p.stdout
    assert q(db, "SELECT count(*) FROM enterprises")[0][0] == 2000
    assert q(db, "SELECT count(*) FROM counties")[0][0] == JINING_AND_JINAN
    assert {r[0] for r in q(db, "SELECT substr(code, 1, 4) FROM counties")} == {"3708", "3701"}
    usccs = [r[0] for r in q(db, "SELECT uscc FROM enterprises UNION ALL SELECT uscc FROM providers")]
    assert all(uscc_ok(u) for u in usccs)
    states = dict(q(db, "SELECT status, count(*) FROM enterprises GROUP BY status"))
    assert set(states) == {"approved", "submitted", "draft", "rejected"}
    assert states["approved"] > 1500
    # Every approved enterprise signed; budgets ran out, so some still wait.
    assert q(db, "SELECT count(*) FROM contracts WHERE status = 'confirmed'")[0][0] == states["approved"]
    vouchers = q(db, "SELECT count(*) FROM vouchers")[0][0]
    waiting = q(db, "SELECT count(*) FROM waitlist WHERE status = 'waiting'")[0][0]
    served = q(db, "SELECT count(*) FROM waitlist WHERE status = 'served'")[0][0]
    assert vouchers > 1000 and waiting > 0 and served > 0
    assert vouchers + waiting == states["approved"]
    # Every half-year of the program was redeemed and paid.
    periods = {r[0] for r in q(db, "SELECT DISTINCT period FROM redemptions WHERE status = 'paid'")}
    assert periods == {f"{y}H{h}" for y in (2018, 2019, 2020) for h in (1, 2)}
    assert q(db, "SELECT count(*) FROM payouts WHERE status = 'paid'")[0][0] > 0
    # The two-phase ledger: reservations, posts, payments and voids.
    kinds = {r[0] for r in q(db, "SELECT DISTINCT kind FROM ledger_transfers")}
    assert {"pending", "post", "plain", "void"} <= kinds


def test_the_same_seed_gives_the_same_database_and_another_seed_another(generated):
    tmp, db, _ = generated
    again, p = gen(tmp, "b.db", 7)
    assert p.returncode == 0, p.stderr
    assert dump(again) == dump(db)
    other, p = gen(tmp, "c.db", 8)
    assert p.returncode == 0, p.stderr
    assert dump(other) != dump(db)
    assert q(other, "SELECT uscc FROM enterprises ORDER BY uscc LIMIT 50") != \
        q(db, "SELECT uscc FROM enterprises ORDER BY uscc LIMIT 50")


def test_a_server_on_the_generated_database_answers_the_county_progress_report(generated):
    tmp, db, _ = generated
    server = Server(tmp / "srv", db)
    add = run_cli(["user", "add", "--db", str(server.db), "--username", "bench_city",
                   "--role", "city_it", "--password-stdin"], tmp, input_text="Bench-Passw0rd-2019\n")
    assert add.returncode == 0, add.stderr
    server.start()
    try:
        city = server.login("bench_city", "Bench-Passw0rd-2019")
        r = city.get("/api/v1/reports/county-progress?year=2019")
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["total"] == JINING_AND_JINAN
        assert sum(row["enterprises_on_cloud"] for row in report["items"]) > 0
        assert sum(row["vouchers"] for row in report["items"]) > 0
    finally:
        server.stop()


@pytest.mark.parametrize("args, needle", [
    (["--cities", "17", "--enterprises", "10", "--seed", "1"], "--cities"),
    (["--cities", "0", "--enterprises", "10", "--seed", "1"], "--cities"),
    (["--cities", "2", "--enterprises", "0", "--seed", "1"], "--enterprises"),
    (["--cities", "2", "--enterprises", "1e5", "--seed", "1"], "--enterprises"),
    (["--cities", "2", "--enterprises", "10", "--seed", "abc"], "--seed"),
    (["--cities", "2", "--enterprises", "10"], "--seed"),
    (["--enterprises", "10", "--seed", "1"], "--cities"),
])
def test_bad_arguments_are_refused_in_chinese(tmp_path, args, needle):
    db = new_db(tmp_path / "bad.db")
    p = run_cli(["gen", "--db", str(db), *args], tmp_path)
    assert p.returncode != 0
    assert needle in p.stderr and has_cjk(p.stderr), p.stderr
    if dbs.is_pg(db):
        con = dbs.connect(db)
        assert dbs.tables(con) == []
        con.close()
    else:
        assert not db.exists()


def test_a_database_that_already_has_data_is_refused(tmp_path):
    db = new_db(tmp_path / "demo.db")
    assert run_cli(["demo", "--db", str(db)], tmp_path).returncode == 0
    p = run_cli(["gen", "--db", str(db), "--cities", "1", "--enterprises", "10", "--seed", "1"],
                tmp_path)
    assert p.returncode != 0 and "新的数据库" in p.stderr, p.stderr
    p = run_cli(["gen", "--cities", "1", "--enterprises", "10", "--seed", "1"], tmp_path)
    assert p.returncode != 0 and "--db" in p.stderr and has_cjk(p.stderr)


def test_running_gen_twice_on_one_database_is_refused_with_a_reason(tmp_path):
    """A second `gen` on a generated database (no demo contract in it) is
    refused up front in Chinese, not with a bare 数据库错误 half-way, and the
    database keeps exactly what the first run made."""
    db = new_db(tmp_path / "twice.db")
    args = ["gen", "--db", str(db), "--cities", "1", "--enterprises", "30", "--seed", "5",
            "--synchronous", "OFF"]
    assert run_cli(args, tmp_path, timeout=600).returncode == 0
    before = dump(db)
    p = run_cli(args, tmp_path, timeout=600)
    assert p.returncode != 0 and "新的数据库" in p.stderr, p.stderr
    assert dump(db) == before
