"""The deployment files of deploy/ (issue 13): the shipped nginx site passes
`nginx -t`, and a real nginx built from it terminates TLS, serves the web UI
itself with the security headers and balances /api across two `yunquan
serve` processes on one database (both answer; when one stops, reads go on
through the other). The systemd unit passes `systemd-analyze verify` where
systemd is present and keeps its hardening."""
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from conftest import DEMO_PASSWORD, YQ_BIN, clean_env, copy_of

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "yunquan.conf"
UNIT = ROOT / "deploy" / "yunquan@.service"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# nginx and openssl are installed by scripts/deps.sh test: their absence is a
# failure, not a skip. The warnings are about the test's own certificate.
pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def self_signed(tmp):
    key, cert = tmp / "site.key", tmp / "site.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=yunquan.test", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return key, cert


def site_for_test(tmp, upstreams, http_port, https_port, web_root):
    """The shipped site with only its machine-specific values replaced:
    certificate paths, web root, listen ports and the upstream servers."""
    key, cert = self_signed(tmp)
    text = SITE.read_text()
    text = text.replace("/etc/ssl/certs/yunquan.example.gov.cn.pem", str(cert))
    text = text.replace("/etc/ssl/private/yunquan.example.gov.cn.key", str(key))
    text = text.replace("/usr/local/share/yunquan/web", str(web_root))
    text = re.sub(r"listen 80;", f"listen 127.0.0.1:{http_port};", text)
    text = re.sub(r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", text)
    text = re.sub(r"\s*listen \[::\]:\d+[^;]*;", "", text)
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n"
                      for p in upstreams)
    text = re.sub(r"(    server 127\.0\.0\.1:808\d [^\n]*\n)+", servers, text)
    site = tmp / "yunquan.conf"
    site.write_text(text)
    main = tmp / "nginx.conf"
    # as root nginx would serve as nobody, who cannot read the test's folders
    user = "user root root;\n" if os.geteuid() == 0 else ""
    main.write_text(f"""{user}daemon off; worker_processes 1; pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  access_log {tmp}/access.log;
  client_body_temp_path {tmp}/cb; proxy_temp_path {tmp}/px; fastcgi_temp_path {tmp}/fc;
  uwsgi_temp_path {tmp}/uw; scgi_temp_path {tmp}/sc;
  include {site};
}}
""")
    return main


def web_root(tmp):
    dist = ROOT / "web" / "dist"
    if (dist / "index.html").exists():
        return dist
    root = tmp / "web"
    root.mkdir()
    (root / "index.html").write_text("<!doctype html><title>云券</title>")
    return root


def test_the_shipped_site_passes_nginx_t(tmp_path):
    main = site_for_test(tmp_path, [free_port(), free_port()], free_port(), free_port(),
                         web_root(tmp_path))
    p = subprocess.run([NGINX, "-t", "-c", str(main), "-e", str(tmp_path / "error.log")],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "test is successful" in p.stderr


def test_the_unit_is_hardened_and_verifies(tmp_path):
    text = UNIT.read_text()
    for line in ("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes",
                 "ReadWritePaths=/var/lib/yunquan", "User=yunquan", "ProtectHome=yes",
                 "CapabilityBoundingSet=\n"):
        assert line in text, f"{line.strip()} missing from {UNIT.name}"
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze is not installed")
    unit = tmp_path / "yunquan@8081.service"
    # verify looks for the binary it starts: point it at this build
    unit.write_text(text.replace("/usr/local/bin/yunquan", YQ_BIN))
    p = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60)
    problems = [line for line in (p.stdout + p.stderr).splitlines()
                if "yunquan" in line and "Documentation" not in line]
    assert not problems, "\n".join(problems)


def start_server(db, port, tmp):
    return subprocess.Popen([YQ_BIN, "serve", "--db", str(db), "--listen", f"127.0.0.1:{port}",
                             "--access-log", "", "--trusted-proxies", "127.0.0.1",
                             "--public-url", "https://yunquan.test"],
                            cwd=str(tmp), env=clean_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def wait_for(url, timeout=30, session=requests):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            return session.get(url, timeout=2)
        except requests.RequestException:
            time.sleep(0.05)
    raise AssertionError(f"{url} did not answer")


def api_requests_of(port):
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return sum(int(float(v)) for v in re.findall(
        r'^yunquan_http_requests_total\{[^}]*route="/api[^"]*"[^}]*\} (\S+)$', text, re.M))


def budget_funded(s, base):
    r = s.get(base + "/api/v1/budgets?year=2019")
    assert r.status_code == 200, r.text
    return next(i["funded_fen"] for i in r.json()["items"] if i["county_code"] == "370811")


def test_one_nginx_in_front_of_two_servers(tmp_path, template_db):
    db = copy_of(template_db, tmp_path / "t.db")
    a, b = free_port(), free_port()
    servers = [start_server(db, a, tmp_path), start_server(db, b, tmp_path)]
    ng = None
    try:
        for port in (a, b):
            assert wait_for(f"http://127.0.0.1:{port}/healthz").status_code == 200
        https = free_port()
        main = site_for_test(tmp_path, [a, b], free_port(), https, web_root(tmp_path))
        ng = subprocess.Popen([NGINX, "-c", str(main), "-e", str(tmp_path / "error.log")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"https://127.0.0.1:{https}"
        s = requests.Session()
        s.verify = False
        s.trust_env = False  # REQUESTS_CA_BUNDLE would override verify=False
        page = wait_for(base + "/vouchers", session=s)
        # the page comes from nginx itself, with the server's security headers
        assert page.status_code == 200 and "<!doctype html>" in page.text.lower()
        assert "frame-ancestors 'none'" in page.headers.get("Content-Security-Policy", "")
        assert page.headers.get("X-Content-Type-Options") == "nosniff"
        before = {p: api_requests_of(p) for p in (a, b)}
        r = s.post(base + "/api/v1/auth/login",
                   json={"username": "city_finance", "password": DEMO_PASSWORD})
        assert r.status_code == 200, r.text
        for _ in range(20):
            r = s.get(base + "/api/v1/vouchers?page_size=5")
            assert r.status_code == 200, r.text
        after = {p: api_requests_of(p) for p in (a, b)}
        assert all(after[p] > before[p] for p in (a, b)), \
            f"nginx did not use both servers: {before} → {after}"
        # a write through nginx, seen by both servers (one database)
        funded = budget_funded(s, base)
        r = s.post(base + "/api/v1/budgets/370811/2019/fund", json={
            "amount_fen": 123456, "source": "city_award", "reference": "经由 nginx"},
            headers={"X-CSRF-Token": s.cookies.get("yq_csrf")})
        assert r.status_code == 201, r.text
        for _ in range(4):  # round robin: both servers answer in turn
            assert budget_funded(s, base) == funded + 123456
        # one server stops: reads go on through the other
        servers[0].terminate()
        servers[0].wait(timeout=30)
        for _ in range(10):
            r = s.get(base + "/api/v1/vouchers?page_size=5")
            assert r.status_code == 200, r.text
        assert budget_funded(s, base) == funded + 123456
    finally:
        if ng:
            ng.terminate()
            ng.wait(timeout=30)
        for p in servers:
            if p.poll() is None:
                p.terminate()
                p.wait(timeout=30)


CONF = ROOT / "deploy" / "yunquan.conf.example"


def test_the_shipped_configuration_serves_every_connection_nginx_opens(tmp_path, template_db):
    """Behind the shipped nginx every client has nginx's address, and nginx
    opens as many connections to an instance as requests are in flight: the
    shipped configuration must not refuse them past the per-address cap
    (docs/reliability.md); the cap per real client is nginx's (limit_conn)."""
    db = copy_of(template_db, tmp_path / "t.db")
    port = free_port()
    proc = subprocess.Popen(
        [YQ_BIN, "serve", "--config", str(CONF), "--db", str(db), "--listen", f"127.0.0.1:{port}",
         "--data-dir", str(tmp_path / "files"), "--web-root", str(web_root(tmp_path)),
         "--access-log", ""],
        cwd=str(tmp_path), env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    socks = []
    try:
        assert wait_for(f"http://127.0.0.1:{port}/healthz").status_code == 200
        answered = 0
        for _ in range(100):  # one keep-alive connection per request nginx has in flight
            c = socket.create_connection(("127.0.0.1", port), timeout=10)
            socks.append(c)
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: yunquan.test\r\n\r\n")
            try:
                answered += c.recv(64).startswith(b"HTTP/1.1 200")
            except OSError:
                pass
        assert answered == 100, f"{answered} of 100 connections from nginx's address answered"
    finally:
        for c in socks:
            c.close()
        proc.terminate()
        proc.wait(timeout=30)


def test_the_shipped_site_caps_connections_per_client_address():
    """The per-address cap moves to nginx, where the client's address is known."""
    text = SITE.read_text()
    zone = re.search(r"limit_conn_zone \$binary_remote_addr zone=(\w+):", text)
    assert zone, "limit_conn_zone per client address missing from the site"
    assert re.search(rf"location /api/ \{{[^}}]*limit_conn {zone.group(1)} \d+;", text), \
        "/api/ has no limit_conn"


def test_nginx_lets_idle_connections_go_before_the_instances_close_them():
    """The instances close a keep-alive connection idle for 30 s
    (src/http/server.c, MHD_OPTION_CONNECTION_TIMEOUT); nginx's default
    upstream keepalive_timeout is 60 s, so it could send a request, a POST
    it must not retry, on a connection the instance is closing: a 502."""
    server_c = (ROOT / "src" / "http" / "server.c").read_text()
    idle = int(re.search(r"MHD_OPTION_CONNECTION_TIMEOUT, \(unsigned\)(\d+)", server_c).group(1))
    upstream = re.search(r"upstream yunquan_api \{([^}]*)\}", SITE.read_text()).group(1)
    m = re.search(r"^\s*keepalive_timeout (\d+)s;", upstream, re.M)
    assert m, "the upstream keeps nginx's default keepalive_timeout (60 s)"
    assert int(m.group(1)) < idle
