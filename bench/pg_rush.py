#!/usr/bin/python3
"""The voucher rush on PostgreSQL (issue 13): one and two `yunquan serve`
processes on one database, four counties rushing at once, next to
`pgbench -N -c 16` on the same cluster in the same session.

Run from the repository root, after `ninja -C build` (build/bench/rush),
as root or as a user that may run initdb (root runs the cluster as
`postgres` through runuser):

    /usr/bin/python3 bench/pg_rush.py                   # 4 counties × 500
    /usr/bin/python3 bench/pg_rush.py -n 250 -c 32 --pgbench-seconds 20

What it does, all in one throw-away cluster (initdb in a temporary folder,
a free port, synchronous_commit=on, fsync on, pg_stat_statements loaded;
removed afterwards):
1. a SQLite demo (clock 2019-07-01) gets N approved enterprises with one
   draft contract each in each of four counties (tests/api/flows.py
   rush_seed); `yunquan migrate` copies it into a fresh database for each
   run;
2. the rush with ONE server (`--threads T`): build/bench/rush POSTs every
   confirmation as the provider, the four counties interleaved, C
   connections;
3. the rush with TWO servers (T threads each), each taking every other
   confirmation of every county (two rush clients at once);
4. `pgbench -i -s 10` then `pgbench -N -c 16 -j 2 -T S` on the same cluster;
5. the statements that took the time in the two-server run
   (pg_stat_statements, top 8 by total time).
Each rush run is checked: every answer 201/202, no county overspent,
先到先补 per county (no voucher for a confirmation later than one that
waits), `yunquan ledger check` and `yunquan audit verify` clean. Prints
one table: vouchers/s, confirmations/s, p50/p99, ratio to pgbench tps,
and two servers against one. Exits 1 when a check fails.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "api"))

from conftest import YQ_BIN, Client, clean_env  # noqa: E402
from flows import rush_seed  # noqa: E402

BENCH_BIN = Path(os.environ.get("YQ_BENCH_BIN", str(Path(YQ_BIN).parent / "bench")))
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
COUNTIES = ("370872", "370873", "370827", "370829")
PASSWORD = "Demo-Passw0rd-2019"
NOW = "2019-07-01T09:00:00+08:00"


def as_pg(args, **kw):
    cmd = ["runuser", "-u", "postgres", "--", *map(str, args)] if os.geteuid() == 0 else args
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, folder):
        self.dir = folder / "pgdata"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        r = as_pg([PGBIN / "initdb", "-D", self.dir, "-U", "postgres", "--auth=trust", "-E",
                   "UTF8", "--locale=C"])
        if r.returncode:
            sys.exit(f"initdb: {r.stderr}")
        with open(self.dir / "postgresql.conf", "a") as f:
            f.write(f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{folder}'\nsynchronous_commit = on\nfsync = on\n"
                    "max_connections = 200\nshared_buffers = 256MB\n"
                    "shared_preload_libraries = 'pg_stat_statements'\n"
                    "pg_stat_statements.track = all\n")
        r = as_pg([PGBIN / "pg_ctl", "-D", self.dir, "-l", folder / "pg.log", "-w", "start"])
        if r.returncode:
            sys.exit(f"pg_ctl start: {r.stderr} {r.stdout}")

    def url(self, db):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def psql(self, sql, db="postgres"):
        r = subprocess.run(["psql", self.url(db), "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                           capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"psql: {r.stderr}")
        return [line.split("|") for line in r.stdout.splitlines() if line]

    def stop(self):
        as_pg([PGBIN / "pg_ctl", "-D", self.dir, "-m", "fast", "-w", "stop"])


def yunquan(*args, **kw):
    env = dict(clean_env(), YUNQUAN_DEMO_PASSWORD=PASSWORD, YUNQUAN_NOW=NOW)
    return subprocess.run([YQ_BIN, *args], capture_output=True, text=True, env=env, **kw)


def make_template(folder, n):
    src = folder / "src.db"
    r = yunquan("demo", "--db", str(src))
    if r.returncode:
        sys.exit(f"demo: {r.stderr}")
    seeded = {}
    for k, county in enumerate(COUNTIES):
        rows = rush_seed(src, n, county, seed=60 + k, prefix=f"b{county}")
        seeded[county] = [cid for cid, _, _ in rows]
    return src, seeded


SERVER_ARGS = []


class Serve:
    def __init__(self, url, folder, threads):
        self.log = open(folder / f"serve-{time.monotonic_ns()}.log", "w+")
        self.proc = subprocess.Popen(
            [YQ_BIN, "serve", "--db", url, "--listen", "127.0.0.1:0", "--threads", str(threads),
             "--access-log", "", "--per-ip-connections", "0", "--now", NOW, *SERVER_ARGS],
            stdout=self.log, stderr=subprocess.STDOUT, env=clean_env())
        for _ in range(600):
            self.log.seek(0)
            text = self.log.read()
            if "http://127.0.0.1:" in text:
                self.port = int(text.split("http://127.0.0.1:")[1].split("/")[0])
                return
            time.sleep(0.05)
        sys.exit("serve did not start: " + text)

    def login(self, user):
        c = Client(f"http://127.0.0.1:{self.port}")
        r = c.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD})
        if r.status_code != 200:
            sys.exit(f"login: {r.text}")
        return c

    def round_trips(self):
        """yunquan_db_round_trips_total from /metrics; None when the binary
        does not count them (before the fifth session)."""
        text = Client(f"http://127.0.0.1:{self.port}").get("/metrics").text
        got = {line.split()[0]: int(line.split()[1]) for line in text.splitlines()
               if line.startswith(("yunquan_db_round_trips_total ", "yunquan_db_prepares_total "))}
        if len(got) < 2:
            return None
        # the first uses' PQprepare apart: they do not recur once a
        # connection has run every statement once
        return (got["yunquan_db_round_trips_total"] - got["yunquan_db_prepares_total"],
                got["yunquan_db_prepares_total"])

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)


def rush_client(port, conns, paths, cookie, csrf, out):
    cmd = [str(BENCH_BIN / "rush"), "--port", str(port), "-c", str(conns), "-m", "POST",
           "--paths", str(paths), "-H", f"Cookie: {cookie}", "-H", f"X-CSRF-Token: {csrf}",
           "--out", str(out)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def parse(stdout):
    w = stdout.split()
    return {w[i]: float(w[i + 1]) for i in range(0, len(w) - 1, 2)}


def checks(cluster, db, url, seeded):
    fails = []
    for county in COUNTIES:
        (avail,) = cluster.psql("SELECT credits_posted - debits_posted - debits_pending FROM"
                                f" ledger_accounts WHERE id = 'pool:{county}:2019'", db)[0]
        if int(avail) < 0:
            fails.append(f"{county} overspent")
        rows = cluster.psql(
            "SELECT c.confirmed_at, v.id IS NOT NULL, w.id IS NOT NULL FROM contracts c"
            " LEFT JOIN vouchers v ON v.contract_id = c.id LEFT JOIN waitlist w ON"
            f" w.contract_id = c.id AND w.status = 'waiting' WHERE c.id LIKE 'b{county}C%'", db)
        held = [int(r[0]) for r in rows if r[1] == "t"]
        wait = [int(r[0]) for r in rows if r[2] == "t"]
        if held and wait and max(held) > min(wait):
            fails.append(f"{county}: 先到先补 broken")
    for cmd in (("ledger", "check"), ("audit", "verify")):
        r = yunquan(*cmd, "--db", url)
        if r.returncode:
            fails.append(f"{' '.join(cmd)}: {r.stdout[-300:]}")
    (held,) = cluster.psql("SELECT COUNT(*) FROM vouchers v JOIN contracts c ON"
                           " c.id = v.contract_id WHERE c.id LIKE 'b%C%'", db)[0]
    return fails, int(held)


def run(cluster, template, seeded, folder, servers, threads, conns, tag):
    db = f"rush_{tag}"
    cluster.psql(f"CREATE DATABASE {db}")
    url = cluster.url(db)
    r = yunquan("migrate", "--from", str(template), "--to", url, cwd=str(folder))
    if r.returncode:
        sys.exit(f"migrate: {r.stdout[-500:]} {r.stderr}")
    procs = [Serve(url, folder, threads) for _ in range(servers)]
    order = []
    for i in range(max(len(v) for v in seeded.values())):
        order += [seeded[c][i] for c in COUNTIES if i < len(seeded[c])]
    try:
        clients = []
        for k, p in enumerate(procs):
            prov = p.login("provider")
            cookie = "; ".join(f"{n}={prov.cookies.get(n)}" for n in ("yq_session", "yq_csrf"))
            paths = folder / f"paths-{tag}-{k}.txt"
            paths.write_text("".join(f"/api/v1/contracts/{c}/confirm\n"
                                     for c in order[k::servers]))
            clients.append((p.port, paths, cookie, prov.cookies.get("yq_csrf")))
        cluster.psql("SELECT pg_stat_statements_reset()")
        trips0 = [p.round_trips() for p in procs]
        t0 = time.monotonic()
        running = [rush_client(port, conns // servers, paths, cookie, csrf,
                               folder / f"out-{tag}-{k}.txt")
                   for k, (port, paths, cookie, csrf) in enumerate(clients)]
        outs = [parse(p.communicate()[0]) for p in running]
        seconds = time.monotonic() - t0
        trips1 = [p.round_trips() for p in procs]
    finally:
        for p in procs:
            p.stop()
    top = cluster.psql(
        "SELECT calls, round(total_exec_time::numeric, 0), round(mean_exec_time::numeric, 3),"
        " left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM pg_stat_statements WHERE"
        f" dbid = (SELECT oid FROM pg_database WHERE datname = '{db}')"
        " ORDER BY total_exec_time DESC LIMIT 8")
    by_calls = cluster.psql(
        "SELECT calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) FROM"
        " pg_stat_statements WHERE"
        f" dbid = (SELECT oid FROM pg_database WHERE datname = '{db}')"
        " ORDER BY calls DESC LIMIT 40")
    (calls, total_ms) = cluster.psql(
        "SELECT SUM(calls), round(SUM(total_exec_time)::numeric, 0) FROM pg_stat_statements"
        f" WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '{db}')")[0]
    # Round trips: counted by the servers (yunquan_db_round_trips_total,
    # over the rush; /metrics itself needs none); a binary that does not
    # count them sent one per statement: the top-level ones (the others are
    # PostgreSQL's own foreign-key checks), less the lock SELECTs that
    # travel in BEGIN's string.
    (trips,) = cluster.psql(
        "SELECT SUM(calls) FILTER (WHERE toplevel AND query NOT LIKE '%pg_advisory_xact_lock%')"
        f" FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '{db}')")[0]
    (lock_ms,) = cluster.psql(
        "SELECT round(COALESCE(SUM(total_exec_time), 0)::numeric, 0) FROM pg_stat_statements"
        f" WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '{db}') AND query LIKE"
        " '%pg_advisory_xact_lock%'")[0]
    prepares = 0
    if None not in trips0 + trips1:
        trips = sum(t[0] for t in trips1) - sum(t[0] for t in trips0)
        prepares = sum(t[1] for t in trips1) - sum(t[1] for t in trips0)
    fails, held = checks(cluster, db, url, seeded)
    answered = sum(int(o.get("status_201", 0) + o.get("status_202", 0)) for o in outs)
    if answered != len(order):
        fails.append(f"{len(order) - answered} not answered 201/202: {outs}")
    return {"servers": servers, "n": len(order), "seconds": seconds, "held": held,
            "vouchers_s": held / seconds, "confirm_s": len(order) / seconds,
            "p50": max(o["p50_ms"] for o in outs), "p99": max(o["p99_ms"] for o in outs),
            "fails": fails, "top": top, "calls": int(calls),
            "trips": int(trips), "prepares": prepares, "counted": None not in trips0 + trips1, "stmt_ms": float(total_ms),
            "lock_ms": float(lock_ms), "by_calls": by_calls}


def pgbench(cluster, seconds):
    r = as_pg(["createdb", "-h", "127.0.0.1", "-p", cluster.port, "bench"])
    r = subprocess.run(["pgbench", "-i", "-s", "10", "-q", cluster.url("bench")],
                       capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"pgbench -i: {r.stderr}")
    r = subprocess.run(["pgbench", "-N", "-c", "16", "-j", "2", "-T", str(seconds),
                        cluster.url("bench")], capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"pgbench: {r.stderr}")
    line = [x for x in r.stdout.splitlines() if x.startswith("tps")][0]
    return float(line.split("=")[1].split()[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=500, help="confirmations per county (default 500)")
    ap.add_argument("-c", "--connections", type=int, default=32,
                    help="client connections in all (default 32)")
    ap.add_argument("--server-threads", type=int, default=16,
                    help="threads of each server (default 16)")
    ap.add_argument("--pgbench-seconds", type=int, default=20)
    ap.add_argument("--server-args", default="",
                    help="more `yunquan serve` flags, e.g. \"--group-commit true\" (the writer"
                         " thread in front of PostgreSQL; default: concurrent writers)")
    args = ap.parse_args()
    SERVER_ARGS.extend(args.server_args.split())
    if not (BENCH_BIN / "rush").is_file():
        sys.exit(f"{BENCH_BIN / 'rush'} not found: run ninja -C build")
    tmp = Path(tempfile.mkdtemp(prefix="yq-pgrush-"))
    os.chmod(tmp, 0o755)
    cluster = None
    try:
        template, seeded = make_template(tmp, args.n)
        cluster = Cluster(tmp)
        cluster.psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        one = run(cluster, template, seeded, tmp, 1, args.server_threads, args.connections, "one")
        two = run(cluster, template, seeded, tmp, 2, args.server_threads, args.connections, "two")
        tps = pgbench(cluster, args.pgbench_seconds)
    finally:
        if cluster:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores;"
          f" pgbench -N -c 16: {tps:.0f} tps")
    print(f"{'servers':<8}{'confirm':>8}{'vouchers':>9}{'s':>7}{'vouchers/s':>11}"
          f"{'confirm/s':>10}{'p50 ms':>8}{'p99 ms':>8}{'v/s ÷ tps':>10}")
    for r in (one, two):
        print(f"{r['servers']:<8}{r['n']:>8}{r['held']:>9}{r['seconds']:>7.1f}"
              f"{r['vouchers_s']:>11.1f}{r['confirm_s']:>10.1f}{r['p50']:>8.1f}{r['p99']:>8.1f}"
              f"{r['vouchers_s'] / tps:>10.3f}")
    print(f"two servers ÷ one: {two['vouchers_s'] / one['vouchers_s']:.2f}×")
    for r in (one, two):
        n = r["n"]
        how = (f"counted by the servers, besides {r['prepares'] / n:.2f} first uses of a"
               " statement on a connection" if r["counted"] else "one per statement")
        print(f"{r['servers']} server(s), per confirmation: {r['trips'] / n:.2f} round trips"
              f" ({how}),"
              f" {r['calls'] / n:.1f} statements,"
              f" {(r['stmt_ms'] - r['lock_ms']) / n:.2f} ms executing them,"
              f" {r['lock_ms'] / n:.1f} ms waiting for locks (of"
              f" {r['seconds'] * 1000 / n * len(COUNTIES):.1f} ms per confirmation and county)")
    print("where the time went (two servers; pg_stat_statements: calls, total ms, mean ms):")
    for calls, total, mean, q in two["top"]:
        print(f"  {calls:>7} {total:>8} {mean:>8}  {q}")
    if os.environ.get("YQ_BENCH_CALLS"):
        print("statements by calls (two servers):")
        for calls, q in two["by_calls"]:
            print(f"  {int(calls) / two['n']:>5.2f}  {q}")
    bad = False
    for r in (one, two):
        print(f"{r['servers']} server(s): " + ("; ".join(r["fails"]) or
              "every answer 201/202, no county overspent, 先到先补 per county,"
              " ledger check and audit verify clean"))
        bad = bad or bool(r["fails"])
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
