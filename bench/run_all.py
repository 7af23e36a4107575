#!/usr/bin/python3
"""`make bench` (issue 12): the write path, the read path and the footprint
in one run, every figure next to a reference measured in the same run on
the same machine, printed as one table.

    /usr/bin/python3 bench/run_all.py            # small sizes, under 3 minutes
    /usr/bin/python3 bench/run_all.py --full     # 10,000-contract rush, 20 s reads,
                                                 # start-up on a 200,000-enterprise data set
    /usr/bin/python3 bench/run_all.py --only rush reads footprint

1. rush: bench/rush.py (the C client's /healthz capacity, the confirmations,
   the naive SQLite ceiling; FULL and NORMAL; overspend, 先到先补 and the
   ledger checked).
2. reads: wrk against nginx serving a static file as large as the public
   verification answer, then the public verification page's API (the QR
   link: code and token, no throttle write) and an authenticated list
   (GET /api/v1/vouchers?page_size=20 as city_finance), same connections.
3. footprint: the server's RSS idle, with 256 idle keep-alive connections,
   and after a rush; its start-up time (until /healthz answers) on a
   generated data set (`yunquan gen`: 2,000 enterprises small, 200,000 full;
   generation itself is not timed here).
Needs wrk and nginx (scripts/deps.sh bench installs them).
"""
import argparse
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from benchlib import cpu_seconds, free_port, rss_kb  # noqa: E402
sys.path.insert(0, str(ROOT / "tests" / "api"))
sys.path.insert(0, str(ROOT / "bench"))

from conftest import DEMO_PASSWORD, START, YQ_BIN, clean_env, iso  # noqa: E402
import rush as rushbench  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"



def wait_up(port, timeout=120):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
                c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if c.recv(16).startswith(b"HTTP/1.1 200"):
                    return time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.01)
    sys.exit(f"port {port} did not answer /healthz")


def serve(db, port, *extra):
    return subprocess.Popen([YQ_BIN, "serve", "--db", str(db), "--listen", f"127.0.0.1:{port}",
                             "--access-log", "", "--per-ip-connections", "0", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=clean_env())



def wrk(url, seconds, conns, headers=()):
    cmd = ["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, float(p99.group(1)) * scale[p99.group(2)], int(non2xx.group(1)) if non2xx else 0


def demo_db(tmp):
    (tmp / "clock").write_text(iso(START) + "\n")
    db = tmp / "demo.db"
    subprocess.run([YQ_BIN, "demo", "--db", str(db), "--clock-file", str(tmp / "clock")],
                   cwd=str(tmp), env=clean_env(YUNQUAN_DEMO_PASSWORD=DEMO_PASSWORD), check=True,
                   capture_output=True, timeout=600)
    return db


def login_cookie(port, user):
    import requests
    r = requests.post(f"http://127.0.0.1:{port}/api/v1/auth/login",
                      json={"username": user, "password": DEMO_PASSWORD})
    r.raise_for_status()
    return f"yq_session={r.cookies.get('yq_session')}"


def reads(tmp, seconds, conns):
    db = demo_db(tmp)
    con = sqlite3.connect(str(db))
    code, token = con.execute("SELECT code, verify_token FROM vouchers LIMIT 1").fetchone()
    con.close()
    port = free_port()
    # no --clock-file: that test clock is a file read on every request
    srv = serve(db, port)
    rows = []
    ng = None
    try:
        wait_up(port)
        verify = f"http://127.0.0.1:{port}/api/v1/public/vouchers/{code}?token={token}"
        import requests
        size = len(requests.get(verify).content)
        www = tmp / "www"
        www.mkdir()
        (www / "verify.json").write_bytes(b"x" * size)
        nport = free_port()
        conf = tmp / "nginx.conf"
        conf.write_text(f"""daemon off; worker_processes auto; pid {tmp}/nginx.pid;
error_log {tmp}/nginx.err;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {tmp}/ncb; proxy_temp_path {tmp}/np;
  fastcgi_temp_path {tmp}/nf; uwsgi_temp_path {tmp}/nu; scgi_temp_path {tmp}/ns;
  server {{ listen 127.0.0.1:{nport}; root {www}; location / {{ default_type application/json; }} }} }}
""")
        ng = subprocess.Popen([NGINX, "-c", str(conf), "-e", str(tmp / "nginx.err")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        workers = [int(x) for x in Path(f"/proc/{ng.pid}/task/{ng.pid}/children").read_text().split()]
        ng0 = sum(cpu_seconds(w)[0] for w in workers)
        ref, ref_p99, _ = wrk(f"http://127.0.0.1:{nport}/verify.json", seconds, conns)
        ng_us = (sum(cpu_seconds(w)[0] for w in workers) - ng0) * 1e6 / max(1.0, ref * seconds)
        rows.append(("nginx static file (%d B)" % size, ref, ref_p99, 1.0,
                     f"reference, nginx CPU {ng_us:.1f} µs/request"))
        for name, url, headers in (
                ("/healthz", f"http://127.0.0.1:{port}/healthz", ()),
                ("public verification (QR link)", verify, ()),
                ("GET /api/v1/vouchers?page_size=20 (signed in)",
                 f"http://127.0.0.1:{port}/api/v1/vouchers?page_size=20",
                 (f"Cookie: {login_cookie(port, 'city_finance')}",))):
            cpu0, _ = cpu_seconds(srv.pid)
            rate, p99, bad = wrk(url, seconds, conns, headers)
            cpu1, _ = cpu_seconds(srv.pid)
            # the server's CPU per answer: hardly moved by other load on the machine
            us = (cpu1 - cpu0) * 1e6 / max(1.0, rate * seconds)
            rows.append((name, rate, p99, rate / ref,
                         f"server CPU {us:.1f} µs/request" + (f", {bad} non-2xx" if bad else "")))
    finally:
        srv.terminate()
        srv.wait()
        if ng:
            ng.terminate()
            ng.wait()
    return rows


def idle_connections(port, n):
    """n keep-alive connections, each after one answered request."""
    socks = []
    for _ in range(n):
        c = socket.create_connection(("127.0.0.1", port))
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        c.recv(4096)
        socks.append(c)
    return socks


def footprint(tmp, enterprises):
    rows = []
    db = demo_db(tmp)
    port = free_port()
    srv = serve(db, port, "--clock-file", str(tmp / "clock"))
    try:
        wait_up(port)
        time.sleep(0.5)
        idle = rss_kb(srv.pid)
        rows.append(("RSS idle (demo data)", idle, "target < 20 MB"))
        socks = idle_connections(port, 256)
        time.sleep(0.5)
        rows.append(("RSS with 256 idle keep-alive connections", rss_kb(srv.pid),
                     "target < 40 MB"))
        for c in socks:
            c.close()
    finally:
        srv.terminate()
        srv.wait()
    gen = tmp / "gen.db"
    t0 = time.monotonic()
    subprocess.run([YQ_BIN, "gen", "--db", str(gen), "--cities", "1", "--enterprises",
                    str(enterprises), "--seed", "2019", "--synchronous", "OFF"],
                   capture_output=True, check=True, timeout=7200, env=clean_env())
    gen_s = time.monotonic() - t0
    port = free_port()
    t0 = time.monotonic()
    srv = serve(gen, port)
    try:
        up = wait_up(port, timeout=600)
        rows.append((f"start-up until /healthz answers ({enterprises:,} enterprises)",
                     round(up * 1000), f"ms (generated in {gen_s:.0f} s)"))
        rows.append((f"RSS after start-up ({enterprises:,} enterprises)", rss_kb(srv.pid), ""))
    finally:
        srv.terminate()
        srv.wait()
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--only", nargs="*", default=["rush", "reads", "footprint"])
    a = ap.parse_args()
    n = 10000 if a.full else 2000
    seconds = 20 if a.full else 5
    enterprises = 200000 if a.full else 2000
    for tool in ("wrk", NGINX):
        if not shutil.which(tool) and not Path(tool).exists():
            sys.exit(f"{tool} not found: run scripts/deps.sh bench")
    tmp = Path(tempfile.mkdtemp(prefix="yq-benchall-"))
    out = []
    try:
        if "rush" in a.only:
            template = rushbench.make_template(tmp)
            for mode in ("FULL", "NORMAL"):
                r = rushbench.run(mode, template, tmp / f"rush-{mode.lower()}", n, 64, 16)
                out.append(("rush", r))
        if "reads" in a.only:
            (tmp / "reads").mkdir()
            out.append(("reads", reads(tmp / "reads", seconds, 64)))
        if "footprint" in a.only:
            (tmp / "fp").mkdir()
            out.append(("footprint", footprint(tmp / "fp", enterprises)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    bad = False
    print(f"\n== yunquan bench ({'full' if a.full else 'small'} sizes), {time.strftime('%Y-%m-%d %H:%M')}")
    for kind, r in out:
        if kind == "rush":
            print(f"rush {r['mode']:<6} {r['n']} confirmations / {r['conns']} conns: "
                  f"{r['rate']:.0f} confirmations/s, {r['vouchers_s']:.0f} vouchers/s, "
                  f"p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms | ceiling {r['ceiling']:.0f} tx/s "
                  f"→ vouchers/ceiling {r['vouchers_s'] / r['ceiling']:.3f} | client /healthz "
                  f"{r['healthz']:.0f}/s = {r['healthz'] / r['rate']:.1f}× the rush | server CPU "
                  f"{r['cpu_ms']:.3f} ms/confirmation (writer {r['writer_cpu_ms']:.3f}) | RSS after "
                  f"{r['rss_kb']:,} kB | "
                  + ("; ".join(r["fails"]) or "sound"))
            bad = bad or bool(r["fails"])
        elif kind == "reads":
            for name, rate, p99, ratio, note in r:
                print(f"read  {name:<48} {rate:>10.0f} req/s  p99 {p99:7.2f} ms  "
                      f"vs nginx {ratio:.3f}  {note}")
        else:
            for name, value, note in r:
                unit = "" if "start-up" in name else " kB"
                print(f"size  {name:<56} {value:>10,}{unit}  {note}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
