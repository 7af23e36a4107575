#!/usr/bin/python3
"""Voucher issuing under a rush: how many confirmations (and vouchers) per
second the server takes, and their latency, with SQLite synchronous=FULL
and then NORMAL.

Run from the repository root, after `ninja -C build`:

    /usr/bin/python3 bench/vouchers.py                 # 2,000 contracts, 32 threads
    /usr/bin/python3 bench/vouchers.py -n 5000 -t 64   # more
    YQ_BIN=build-asan/yunquan /usr/bin/python3 bench/vouchers.py -n 500

It makes a demo database once (`yunquan demo` with the clock at
2019-07-01), then for each synchronous mode: copies it, writes N approved
enterprises with one draft contract each straight into the SQLite file
(drafted by the enterprise, one catalog line of the demo provider, as in
tests/api/test_concurrency.py), funds the 太白湖新区 pool for about 60 % of
the demand, starts `yunquan serve --synchronous MODE` with a running clock,
and has the provider confirm them all from T threads. It prints vouchers
issued per second, confirmations per second and p50/p99 latency (of all
confirmations and of those that issued a voucher), then checks the ledger.
Needs Debian's python3 with python3-requests and python3-pytest (the
helpers live in tests/api/flows.py).
"""
import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "api"))

from conftest import DEMO_PASSWORD, START, YQ_BIN, clean_env, iso  # noqa: E402
from flows import (RushServer, confirm_all, ledger_check, percentile,  # noqa: E402
                   rush_start, session_copies)

COUNTY, YEAR, RATIO = "370872", 2019, 2500


def make_template(workdir):
    (workdir / "clock").write_text(iso(START) + "\n")
    db = workdir / "template.db"
    subprocess.run([YQ_BIN, "demo", "--db", str(db), "--clock-file", str(workdir / "clock")],
                   cwd=str(workdir), env=clean_env(YUNQUAN_DEMO_PASSWORD=DEMO_PASSWORD),
                   check=True, capture_output=True, timeout=600)
    con = sqlite3.connect(str(db))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return db


def run(mode, template, workdir, n, threads, server_threads):
    s = RushServer(workdir, template, extra_args=["--synchronous", mode,
                                                  "--threads", str(server_threads)])
    seeded = rush_start(s, n, COUNTY, YEAR, RATIO, reference="bench")
    try:
        provider = s.login("provider")
        sessions = session_copies(provider, threads)
        t0 = time.monotonic()
        answers = confirm_all(sessions, [c for c, _, _ in seeded], threads=threads)
        elapsed = time.monotonic() - t0
    finally:
        problems = s.stop()
    lat = [a[2] * 1000 for a in answers.values()]
    lat_v = [a[2] * 1000 for a in answers.values() if a[0] == 201]
    issued = sum(1 for a in answers.values() if a[0] == 201)
    waiting = sum(1 for a in answers.values() if a[0] == 202)
    failed = n - issued - waiting
    check = ledger_check(s.db)
    print(f"synchronous={mode:<6}  {n} confirmations, {threads} client threads,"
          f" {server_threads} server threads: {elapsed:.2f} s")
    print(f"  vouchers issued  {issued:6d}  {issued / elapsed:8.1f} /s"
          f"   p50 {percentile(lat_v, 50):7.1f} ms   p99 {percentile(lat_v, 99):7.1f} ms")
    print(f"  all confirmations{n:6d}  {n / elapsed:8.1f} /s"
          f"   p50 {percentile(lat, 50):7.1f} ms   p99 {percentile(lat, 99):7.1f} ms")
    print(f"  waitlisted {waiting}, failed {failed}; ledger check exit {check.returncode}"
          + (f"; server problems: {problems}" if problems else ""))
    return check.returncode == 0 and failed == 0 and not problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=2000, help="contracts to confirm (default 2000)")
    ap.add_argument("-t", "--threads", type=int, default=32, help="client threads (default 32)")
    ap.add_argument("--server-threads", type=int, default=16, help="server threads (default 16)")
    ap.add_argument("--modes", default="FULL,NORMAL", help="synchronous modes (default FULL,NORMAL)")
    args = ap.parse_args()
    if not os.path.isfile(YQ_BIN):
        sys.exit(f"binary not found: {YQ_BIN} (build it, or set YQ_BIN)")
    tmp = Path(tempfile.mkdtemp(prefix="yq-bench-"))
    try:
        template = make_template(tmp)
        good = True
        for mode in args.modes.split(","):
            good &= run(mode.strip().upper(), template, tmp / mode.lower(), args.n, args.threads,
                        args.server_threads)
        sys.exit(0 if good else 1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
