#!/bin/sh
# Installs the Debian packages the project needs (as root), or prints the
# exact apt-get line and stops. Usage: scripts/deps.sh [build|test|bench]
set -eu
build_pkgs="meson ninja-build pkg-config gcc libc6-dev python3 libmicrohttpd-dev libjansson-dev
 libsqlite3-dev libsodium-dev libcmocka-dev libqrencode-dev libxlsxwriter-dev libpq-dev sqlite3"
# clang and its runtime (libFuzzer, sanitizers) build the fuzz targets.
test_pkgs="python3-pytest python3-requests python3-openpyxl python3-psycopg2 chromium fonts-wqy-microhei wrk
 postgresql clang libclang-rt-14-dev nginx-light openssl"
# make bench: wrk drives the reads, nginx serves the static reference.
bench_pkgs="python3-pytest python3-requests wrk nginx-light"
pkgs="$build_pkgs"
[ "${1:-build}" = test ] && pkgs="$pkgs $test_pkgs"
[ "${1:-build}" = bench ] && pkgs="$pkgs $bench_pkgs"
# Node.js and npm build the web UI; a machine that already has node keeps it.
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "缺少软件包（missing packages）。请以 root 运行："
  echo "  sudo apt-get install -y$missing"
  exit 1
fi
echo "正在安装：$missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
apt-get install -y -q $missing >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null; }
