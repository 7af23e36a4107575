#!/bin/sh
# HTTP throughput of /healthz and of one authenticated JSON read
# (GET /api/v1/counties), for several worker-thread counts.
# Usage: bench/http.sh [BUILD_DIR] [THREADS...]   (needs wrk: apt-get install wrk)
set -eu
build=${1:-build}
shift 2>/dev/null || true
threads=${*:-1 2 4 8}
bin=$(cd "$(dirname "$0")/.." && pwd)/$build/yunquan
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
YUNQUAN_DEMO_PASSWORD=bench-pass-123 "$bin" demo --db "$tmp/b.db" >/dev/null
for t in $threads; do
  port=$((18500 + t))
  "$bin" serve --db "$tmp/b.db" --listen 127.0.0.1:$port --threads "$t" --access-log "" >/dev/null 2>&1 &
  pid=$!
  sleep 0.5
  cookie=$(curl -s -c - -X POST "http://127.0.0.1:$port/api/v1/auth/login" \
    -H 'Content-Type: application/json' -d '{"username":"auditor","password":"bench-pass-123"}' |
    awk '/yq_session/ {print $7}')
  echo "== threads=$t"
  echo "-- GET /healthz"
  wrk -t2 -c64 -d10s "http://127.0.0.1:$port/healthz" | grep -E 'Latency|Requests/sec|Non-2xx'
  echo "-- GET /api/v1/counties (signed in)"
  wrk -t2 -c64 -d10s -H "Cookie: yq_session=$cookie" "http://127.0.0.1:$port/api/v1/counties" |
    grep -E 'Latency|Requests/sec|Non-2xx'
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
