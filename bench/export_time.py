#!/usr/bin/python3
"""Time whole-list exports on an existing database (issue 10's target: a
100,000-row xlsx export under 3 s and 100 MB peak RSS).

    /usr/bin/python3 bench/export_time.py --db COPY.db --user NAME --password PW \
        [--clock-file F] [--runs 5] [--list /api/v1/vouchers] [--formats xlsx csv]

Starts `yunquan serve --threads 4` on the database (use a copy: the server
migrates it), signs in (the account must see the list: e.g. city_finance),
and runs each export `--runs` times, printing each run's wall time, the
server's CPU time for it (utime + stime from /proc) and its size, then the
median, and the server's peak resident memory (VmHWM) at the end.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from benchlib import free_port, rss_kb  # noqa: E402
YQ_BIN = os.environ.get("YQ_BIN", str(ROOT / "build" / "yunquan"))



def cpu_s(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--clock-file", default=None)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--list", default="/api/v1/vouchers")
    ap.add_argument("--formats", nargs="+", default=["xlsx", "csv"])
    a = ap.parse_args()
    port = free_port()
    cmd = [YQ_BIN, "serve", "--db", a.db, "--listen", f"127.0.0.1:{port}", "--threads", "4",
           "--access-log", ""]
    if a.clock_file:
        cmd += ["--clock-file", a.clock_file]
    srv = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.1)
        s = requests.Session()
        r = s.post(base + "/api/v1/auth/login", json={"username": a.user, "password": a.password})
        r.raise_for_status()
        for fmt in a.formats:
            walls = []
            for i in range(a.runs):
                c0, t0 = cpu_s(srv.pid), time.monotonic()
                r = s.get(f"{base}{a.list}?format={fmt}")
                wall, cpu = time.monotonic() - t0, cpu_s(srv.pid) - c0
                if r.status_code != 200:
                    sys.exit(f"{fmt}: HTTP {r.status_code} {r.text[:200]}")
                walls.append(wall)
                print(f"{a.list}?format={fmt:5} run {i + 1}: {wall:6.2f} s wall  {cpu:6.2f} s "
                      f"server CPU  {len(r.content):>10,} bytes", flush=True)
            print(f"{a.list}?format={fmt:5} median {statistics.median(walls):.2f} s of {a.runs}")
        print(f"server peak RSS {rss_kb(srv.pid, 'VmHWM'):,} kB")
    finally:
        srv.terminate()
        srv.wait()


if __name__ == "__main__":
    main()
