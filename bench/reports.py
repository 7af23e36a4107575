#!/usr/bin/python3
"""City-level reads on a generated province (issue 10): p50/p99 of the
county progress report and the other city dashboard reads, and an xlsx
export's time and the server's peak memory.

Run from the repository root, after `ninja -C build` and `yunquan gen`:

    build/yunquan gen --db /tmp/p.db --cities 16 --enterprises 200000 --seed 2019 --synchronous OFF
    /usr/bin/python3 bench/reports.py --db /tmp/p.db
    /usr/bin/python3 bench/reports.py --db /tmp/p.db --duration 20 --connections 1 8

It adds a `bench_city` (city_it) account if there is none, starts
`yunquan serve --threads 4 --access-log ""` on the database, signs in, and
runs wrk (`--latency`) against each endpoint for each connection count.
`GET /healthz` runs first and last in the same server as the reference:
wrk and the server share the machine, so every figure is also given as a
ratio of the healthz rate measured in the same run (the load generator's
own ceiling). Then it restarts the server and exports pages of
`GET /api/v1/enterprises?format=xlsx`, timing each and reading the
server's VmHWM (peak resident memory) from /proc before and after.
"""
import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from benchlib import free_port  # noqa: E402
YQ_BIN = os.environ.get("YQ_BIN", str(ROOT / "build" / "yunquan"))
USER, PASSWORD = "bench_city", "Bench-Passw0rd-2019"
ENDPOINTS = [
    "/healthz",
    "/api/v1/reports/county-progress?year=2019",
    "/api/v1/reports/completion?year=2019",
    "/api/v1/reports/dashboard/city?year=2019",
    "/api/v1/budgets?year=2019",
    "/api/v1/counties",
    "/api/v1/waitlist?page_size=50",
    "/api/v1/vouchers?page_size=50",
    "/api/v1/work/pending",
    "/healthz",
]



def ensure_user(db):
    p = subprocess.run([YQ_BIN, "user", "add", "--db", db, "--username", USER, "--role", "city_it",
                        "--password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True)
    if p.returncode != 0 and "已存在" not in p.stderr and "exists" not in p.stderr:
        # an existing account is fine; anything else is not
        if USER not in p.stderr:
            sys.exit(f"user add: {p.stderr}")


# The server's clock: just after the last payouts of the generated data
# (January 2021), so that the expiry job finds next to nothing to do while
# we measure (on today's clock it would expire vouchers during the run).
# BENCH_CLOCK overrides it (a database made by a run stopped earlier).
CLOCK = "2021-01-31T10:00:00+08:00"


def start(db, threads):
    port = free_port()
    clock = Path(db).with_suffix(".clock")
    clock.write_text(os.environ.get("BENCH_CLOCK", CLOCK) + "\n")
    proc = subprocess.Popen([YQ_BIN, "serve", "--db", db, "--listen", f"127.0.0.1:{port}",
                             "--threads", str(threads), "--access-log", "",
                             "--clock-file", str(clock)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return proc, base
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    proc.kill()
    sys.exit("server did not start")


def login(base):
    s = requests.Session()
    r = s.post(base + "/api/v1/auth/login", json={"username": USER, "password": PASSWORD})
    r.raise_for_status()
    return s, s.cookies.get("yq_session")


def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    v = float(m.group(1))
    return {"us": v / 1000, "ms": v, "s": v * 1000}[m.group(2)]


def wrk(url, cookie, connections, duration):
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency",
                          "-H", f"Cookie: yq_session={cookie}", url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p50, p99, int(bad.group(1)) if bad else 0


def vm_hwm_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--connections", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--export-pages", type=int, default=10,
                    help="pages of 10,000 rows (0: no export)")
    ap.add_argument("--only", nargs="*", default=None,
                    help="only the endpoints containing one of these (healthz always runs)")
    a = ap.parse_args()
    ensure_user(a.db)
    proc, base = start(a.db, a.threads)
    try:
        _, cookie = login(base)
        for c in a.connections:
            print(f"== {c} connection(s), {a.duration} s each, yunquan serve --threads {a.threads}")
            print(f"{'endpoint':48} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs healthz':>10}")
            ref = None
            for path in ENDPOINTS:
                if a.only and path != "/healthz" and not any(o in path for o in a.only):
                    continue
                rate, p50, p99, bad = wrk(base + path, cookie, c, a.duration)
                if path == "/healthz" and ref is None:
                    ref = rate
                note = f" ({bad} non-2xx)" if bad else ""
                print(f"{path:48} {rate:9.1f} {p50:8.2f} {p99:8.2f} {rate / ref:10.4f}{note}",
                      flush=True)
    finally:
        proc.terminate()
        proc.wait()
    if a.export_pages == 0:
        return
    # The export, on a fresh server so that VmHWM is its own.
    proc, base = start(a.db, a.threads)
    try:
        s, _ = login(base)
        before = vm_hwm_kb(proc.pid)
        print(f"== xlsx export: GET /api/v1/enterprises?format=xlsx&page_size=10000&page=N"
              f" (VmHWM at start {before / 1024:.1f} MiB)")
        r = s.get(base + "/api/v1/enterprises?format=xlsx&page_size=100000")
        print(f"one request for 100,000 rows: HTTP {r.status_code} {r.text[:160]!r}")
        total_t, total_b = 0.0, 0
        for page in range(1, a.export_pages + 1):
            t0 = time.monotonic()
            r = s.get(base + f"/api/v1/enterprises?format=xlsx&page_size=10000&page={page}")
            dt = time.monotonic() - t0
            r.raise_for_status()
            total_t += dt
            total_b += len(r.content)
            print(f"page {page:2}: {dt * 1000:8.1f} ms, {len(r.content) / 1e6:6.2f} MB,"
                  f" VmHWM {vm_hwm_kb(proc.pid) / 1024:7.1f} MiB", flush=True)
        print(f"{a.export_pages * 10000} rows in {total_t:.2f} s, {total_b / 1e6:.1f} MB of xlsx,"
              f" peak RSS (VmHWM) {vm_hwm_kb(proc.pid) / 1024:.1f} MiB")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
