#!/bin/sh
# Peak memory of one list export (issue 10): a demo database with N extra
# vouchers (copies of a demo voucher, inserted with SQL), the server on one
# thread, one GET /api/v1/vouchers?format=… as city_finance, then the
# server's peak resident set (VmHWM) and the CPU time the server spent on
# the request (utime + stime from /proc/PID/stat, steadier than wall time on
# a loaded machine). Usage: bench/export_rss.sh BUILD [N]
set -eu
BUILD=${1:-build}; N=${2:-100000}
BIN=$(cd "$BUILD" && pwd)/yunquan
DIR=$(mktemp -d); trap 'rm -rf "$DIR"' EXIT
echo "2019-09-10T10:00:00+08:00" > "$DIR/clock"
YUNQUAN_DEMO_PASSWORD=Bench-Passw0rd-1 "$BIN" demo --db "$DIR/demo.db" --clock-file "$DIR/clock" >/dev/null
/usr/bin/python3 - "$DIR/demo.db" "$N" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
c.execute("PRAGMA foreign_keys=OFF")  # the copies point at contracts that do not exist
cols = [r[1] for r in c.execute("PRAGMA table_info(vouchers)")]
d = dict(zip(cols, c.execute("SELECT * FROM vouchers WHERE status = 'issued' LIMIT 1").fetchone()))
def row(i):
    r = dict(d, id=f"BENCH{i:021d}", code=f"YQ2019-370811-{900000 + i:06d}-0",
             contract_id=f"BENCHC{i:020d}", verify_token=f"bench{i}", amount_fen=100000 + i,
             issued_at=d["issued_at"] + i * 1000)
    return tuple(r[k] for k in cols)
c.executemany(f"INSERT INTO vouchers ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
              (row(i) for i in range(n)))
c.commit(); c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.close()
PY
cpu() { # utime + stime of process $1, in clock ticks
    awk '{print $14 + $15}' "/proc/$1/stat"
}
run() { # $1: query string ("" = no export, the baseline)
    cp "$DIR/demo.db" "$DIR/run.db"
    "$BIN" serve --db "$DIR/run.db" --listen 127.0.0.1:18599 --clock-file "$DIR/clock" \
        --threads 1 --access-log "" >/dev/null 2>&1 &
    pid=$!; sleep 1
    cpu0=$(cpu $pid)
    /usr/bin/python3 - "$1" <<'PY'
import sys, time, requests
b = "http://127.0.0.1:18599"; s = requests.Session()
s.post(b + "/api/v1/auth/login", json={"username": "city_finance", "password": "Bench-Passw0rd-1"})
q = sys.argv[1]; t = time.time()
if q:
    r = s.get(b + "/api/v1/vouchers?" + q, timeout=900)
    print(f"{q:32} HTTP {r.status_code} {len(r.content):>10} bytes {time.time() - t:5.1f} s", end="  ")
else:
    print(f"{'(no export: baseline)':32}", " " * 34, end="  ")
PY
    cpu1=$(cpu $pid)
    printf 'cpu %s s  ' "$(echo "$cpu0 $cpu1 $(getconf CLK_TCK)" | awk '{printf "%.2f", ($2 - $1) / $3}')"
    grep VmHWM /proc/$pid/status; kill -TERM $pid; wait $pid || true
}
run ""
run "format=xlsx&page_size=1000"
run "format=xlsx&page_size=10000"
run "format=xlsx"
run "format=csv"
