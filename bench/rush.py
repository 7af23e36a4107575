#!/usr/bin/python3
"""The voucher rush measured with a client that is not the bottleneck
(issue 12), against the naive SQLite ceiling measured in the same run.

Run from the repository root, after `ninja -C build` (which builds
build/bench/rush and build/bench/ceiling):

    /usr/bin/python3 bench/rush.py                      # 2,000 contracts, 64 connections
    /usr/bin/python3 bench/rush.py -n 10000 -c 64       # the issue's full size
    /usr/bin/python3 bench/rush.py --modes FULL

For each synchronous mode: a copy of a demo database (clock 2019-07-01)
gets N approved enterprises with one draft contract each (tests/api/flows.py
rush_seed), the 太白湖新区 pool is funded for about 60 % of the demand, and
`yunquan serve --synchronous MODE --per-ip-connections 0` starts. Then, in
this order, all in the same minutes on the same disk:
1. the client's capacity: `rush` sends N×CAPACITY_FACTOR GET /healthz over
   the same connections (it must exceed 5× the confirmation rate, or the
   figure measures the client);
2. the rush: `rush` POSTs /contracts/{id}/confirm for every contract in
   seeding order as the provider, C connections, keep-alive;
3. the ceiling: `ceiling` runs N transactions of one guarded pool UPDATE and
   one INSERT from a C loop at the same synchronous level, in the same
   folder.
Afterwards it checks what must hold (every answer 201 or 202, no overspend:
the pool's available balance is not negative, 先到先补: nobody confirmed
later holds a voucher while someone earlier waits, serials in confirmation
order) and runs `yunquan ledger check`; it prints one table with the rates
and their ratios to the ceiling, and exits 1 when a check fails.
"""
import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "api"))
sys.path.insert(0, str(ROOT / "bench"))

from conftest import YQ_BIN  # noqa: E402
from flows import RushServer, ledger_check, rush_start  # noqa: E402
from vouchers import make_template  # noqa: E402
from benchlib import cpu_seconds, rss_kb, thread_written  # noqa: E402

BENCH_BIN = Path(os.environ.get("YQ_BENCH_BIN", str(Path(YQ_BIN).parent / "bench")))
COUNTY, YEAR, RATIO = "370872", 2019, 2500
CAPACITY_FACTOR = 5


def rush(port, connections, extra, out=None):
    """Runs build/bench/rush; returns its summary as a dict."""
    cmd = [str(BENCH_BIN / "rush"), "--port", str(port), "-c", str(connections), *extra]
    if out:
        cmd += ["--out", str(out)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if p.returncode != 0:
        sys.exit(f"rush failed: {p.stderr or p.stdout}")
    words = p.stdout.split()
    return {words[i]: float(words[i + 1]) for i in range(0, len(words) - 1, 2)}


def ceiling(folder, n, mode):
    p = subprocess.run([str(BENCH_BIN / "ceiling"), str(folder / "ceiling.db"), str(n), mode],
                       capture_output=True, text=True, timeout=1800)
    if p.returncode != 0:
        sys.exit(f"ceiling failed: {p.stderr}")
    words = p.stdout.split()
    return float(words[words.index("rate") + 1])


def checks(db):
    """What must hold after a rush: a list of failures (empty when sound)."""
    con = sqlite3.connect(str(db))
    try:
        fails = []
        (available,) = con.execute(
            "SELECT credits_posted - debits_posted - debits_pending FROM ledger_accounts"
            " WHERE id = ?", (f"pool:{COUNTY}:{YEAR}",)).fetchone()
        if available < 0:
            fails.append(f"pool overspent: available {available} fen")
        rows = con.execute(
            "SELECT c.confirmed_at, v.code, w.position FROM contracts c LEFT JOIN vouchers v ON"
            " v.contract_id = c.id LEFT JOIN waitlist w ON w.contract_id = c.id WHERE c.id LIKE"
            " 'rushC%' ORDER BY c.confirmed_at, c.id").fetchall()
        held = [r for r in rows if r[1]]
        waiting = [r for r in rows if r[2] is not None]
        if held and waiting and max(r[0] for r in held) > min(r[0] for r in waiting):
            fails.append("先到先补 broken: a later confirmation holds a voucher while an earlier"
                         " one waits")
        times = [r[0] for r in sorted(held, key=lambda r: r[1])]
        if times != sorted(times):
            fails.append("a later confirmation got an earlier voucher serial")
        places = [r[0] for r in sorted(waiting, key=lambda r: r[2])]
        if places != sorted(places):
            fails.append("a later confirmation got an earlier waitlist place")
        return fails, len(held), len(waiting)
    finally:
        con.close()


def group_metrics(s):
    """(group commits, use cases in them) so far, from the server's /metrics."""
    text = s.client().get("/metrics").text
    got = {}
    for name in ("yunquan_group_commits_total", "yunquan_group_writes_total"):
        m = re.search(r"^%s (\d+)$" % name, text, re.M)
        got[name] = int(m.group(1)) if m else 0
    return got["yunquan_group_commits_total"], got["yunquan_group_writes_total"]


def run(mode, template, folder, n, connections, server_threads, server_args=()):
    folder.mkdir(parents=True, exist_ok=True)
    s = RushServer(folder, template, extra_args=[
        "--synchronous", mode, "--threads", str(server_threads), "--per-ip-connections", "0",
        *server_args])
    seeded = rush_start(s, n, COUNTY, YEAR, RATIO, reference="bench")
    try:
        provider = s.login("provider")
        cookie = "; ".join(f"{k}={provider.cookies.get(k)}" for k in ("yq_session", "yq_csrf"))
        headers = ["-H", f"Cookie: {cookie}", "-H", f"X-CSRF-Token: {provider.cookies.get('yq_csrf')}"]
        paths = folder / "paths.txt"
        paths.write_text("".join(f"/api/v1/contracts/{c}/confirm\n" for c, _, _ in seeded))
        port = int(s.base.rsplit(":", 1)[1])
        cap = rush(port, connections, ["-m", "GET", "--repeat", str(n * CAPACITY_FACTOR),
                                       "--path", "/healthz"])
        cpu0, threads0 = cpu_seconds(s.proc.pid)
        written0 = thread_written(s.proc.pid)
        groups0 = group_metrics(s)
        got = rush(port, connections, ["-m", "POST", "--paths", str(paths), *headers],
                   out=folder / "answers.txt")
        cpu1, threads1 = cpu_seconds(s.proc.pid)
        written1 = thread_written(s.proc.pid)
        groups1 = group_metrics(s)
        rss_after = rss_kb(s.proc.pid)
    finally:
        problems = s.stop()
    roof = ceiling(folder, n, mode)
    fails, held, waiting = checks(s.db)
    answered = int(got.get("status_201", 0) + got.get("status_202", 0))
    if answered != n:
        fails.append(f"{n - answered} confirmations not answered 201/202: "
                     + ", ".join(f"{k} {int(v)}" for k, v in got.items() if k.startswith("status_")))
    lc = ledger_check(s.db)
    if lc.returncode != 0:
        fails.append(f"ledger check exit {lc.returncode}: {lc.stdout[-500:]}")
    if problems:
        fails.append(f"server problems: {problems}")
    if cap["rate"] < 5 * got["rate"]:
        fails.append(f"the client measured itself: /healthz {cap['rate']:.0f}/s is under 5× the"
                     f" rush's {got['rate']:.0f}/s")
    vouchers_s = held / got["seconds"]
    return {"mode": mode, "n": n, "conns": connections, "rate": got["rate"],
            "vouchers_s": vouchers_s, "p50": got["p50_ms"], "p99": got["p99_ms"],
            "healthz": cap["rate"], "ceiling": roof, "held": held, "waiting": waiting,
            "rss_kb": rss_after,
            # server CPU per confirmation, whole process and the writer thread
            "cpu_ms": (cpu1 - cpu0) * 1000 / n,
            "writer_cpu_ms": (threads1.get("yq-writer", 0) - threads0.get("yq-writer", 0)) * 1000 / n,
            # what the writer thread wrote (WAL frames, checkpoints) per confirmation
            "writer_kb": (written1.get("yq-writer", 0) - written0.get("yq-writer", 0)) / 1024 / n,
            # use cases per group commit during the rush (the writer's /metrics counters)
            "group": ((groups1[1] - groups0[1]) / max(1, groups1[0] - groups0[0])),
            "fails": fails}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=2000, help="contracts to confirm (default 2000)")
    ap.add_argument("-c", "--connections", type=int, default=64, help="connections (default 64)")
    ap.add_argument("--server-threads", type=int, default=16, help="server threads (default 16)")
    ap.add_argument("--modes", default="FULL,NORMAL", help="synchronous modes (default FULL,NORMAL)")
    ap.add_argument("--server-args", default="",
                    help="more yunquan serve flags, e.g. '--group-commit false'")
    args = ap.parse_args()
    for prog in ("rush", "ceiling"):
        if not (BENCH_BIN / prog).is_file():
            sys.exit(f"{BENCH_BIN / prog} not found: run ninja -C build")
    tmp = Path(tempfile.mkdtemp(prefix="yq-rush-"))
    try:
        template = make_template(tmp)
        rows = [run(m.strip().upper(), template, tmp / m.strip().lower(), args.n,
                    args.connections, args.server_threads, args.server_args.split())
                for m in args.modes.split(",")]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'mode':<7}{'confirm/s':>10}{'vouchers/s':>11}{'p50 ms':>8}{'p99 ms':>8}"
          f"{'ceiling tx/s':>13}{'vouchers/ceiling':>17}{'client /healthz/s':>18}{'client ×':>9}"
          f"{'CPU ms':>12}{'writer ms':>10}{'writer KB':>10}{'per group':>10}")
    for r in rows:
        print(f"{r['mode']:<7}{r['rate']:>10.1f}{r['vouchers_s']:>11.1f}{r['p50']:>8.1f}"
              f"{r['p99']:>8.1f}{r['ceiling']:>13.1f}{r['vouchers_s'] / r['ceiling']:>17.3f}"
              f"{r['healthz']:>18.0f}{r['healthz'] / r['rate']:>9.1f}{r['cpu_ms']:>12.3f}"
              f"{r['writer_cpu_ms']:>10.3f}{r['writer_kb']:>10.1f}{r['group']:>10.1f}")
    bad = False
    for r in rows:
        print(f"{r['mode']}: {r['n']} confirmations over {r['conns']} connections: {r['held']}"
              f" vouchers, {r['waiting']} waiting; " + ("; ".join(r["fails"]) or
                                                         "no overspend, 先到先补 held, ledger check clean"))
        bad = bad or bool(r["fails"])
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
