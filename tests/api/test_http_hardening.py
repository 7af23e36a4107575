"""Issue 9 (security review): the HTTP layer under hostile clients.

1. Anonymous resource exhaustion: connections per client address are
   capped; a request that trickles in is cut off at its deadline; a route
   that needs a session refuses an anonymous request before reading a byte
   of its body.
2. Identical uploads racing each other all succeed.
3. Security headers on pages, answers and errors; HSTS and Secure cookies
   behind https; /metrics only for loopback clients or a token.
4. Static files never follow symbolic links; thousands of query parameters
   get a JSON 414; numbers out of range name their field; a body of
   whitespace is no body.

Every test is bounded: a few connections, a few seconds. Only loopback
addresses are used (127.0.0.2 stands for "another client").
"""
import concurrent.futures as cf
import hashlib
import json
import os
import re
import select
import socket
import threading
import time
from pathlib import Path

import pytest
import requests

from conftest import REPO, TIMEOUT, Server, assert_error, has_cjk
from flows import (PDF_BYTES, SERVER_8C, catalog_line, demo_item, draft_by_provider,
                   new_enterprise, ok, session_copies)

MI_B = 1024 * 1024
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
API_CSP = "default-src 'none'; frame-ancestors 'none'"


@pytest.fixture
def make_server(tmp_path_factory, template_db):
    """Starts servers with extra flags (and YUNQUAN_* variables); stops them
    after the test, failing it if one crashed."""
    made = []

    def make(*args, env=None):
        s = Server(tmp_path_factory.mktemp("hardening"), template_db, extra_args=args,
                   env=env).start()
        made.append(s)
        return s

    yield make
    for s in made:
        probs = s.stop()
        assert not probs, "; ".join(probs) + "\n" + s.stderr()[-4000:]


# -- raw sockets -------------------------------------------------------------------

def connect(server, source="127.0.0.1", timeout=10):
    return socket.create_connection(("127.0.0.1", server.port), timeout=timeout,
                                    source_address=(source, 0))


def read_answer(sock, timeout=10):
    """Reads one answer (status, lower-case headers, body) or until the
    server closes; status 0 when it closed without answering."""
    sock.settimeout(timeout)
    data = b""
    while True:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if sep:
            m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if m and len(rest) >= int(m.group(1)):
                break
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not chunk:
            break
        data += chunk
    if not data:
        return 0, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers[k.strip().lower().decode("latin-1")] = v.strip().decode("latin-1")
    return int(lines[0].split()[1]), headers, body


def closed_by_server(sock, timeout):
    """Seconds until the server closes sock (EOF or reset), or None."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        r, _, _ = select.select([sock], [], [], 0.2)
        if r:
            try:
                if sock.recv(65536) == b"":
                    return time.monotonic() - t0
            except (ConnectionResetError, BrokenPipeError):
                return time.monotonic() - t0
    return None


def healthz(server, source=None):
    c = server.client(source=source)
    try:
        return c.get("/healthz", timeout=10).status_code
    except requests.ConnectionError:
        return 0
    finally:
        c.close()


def metric(server, name):
    text = requests.get(server.url("/metrics"), timeout=TIMEOUT).text
    m = re.search(rf"^{name} (\S+)$", text, re.M)
    return float(m.group(1)) if m else None


def rss_kib(server, field):
    status = Path(f"/proc/{server.proc.pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1))


def json_error(status, headers, body):
    assert headers.get("content-type", "").startswith("application/json"), headers
    err = json.loads(body.decode("utf-8"))["error"]
    assert has_cjk(err["message"]), err
    return err


# == 1a. connections per address and request deadlines ====================================

def test_connections_from_one_address_are_capped_and_others_still_served(make_server):
    server = make_server("--per-ip-connections", "4")
    me = "127.0.0.3"  # an address nothing else in the test uses
    held = [connect(server, source=me) for _ in range(4)]
    try:
        for s in held:  # served, so surely accepted and counted; kept open
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_answer(s)[0] == 200
        extra = connect(server, source=me)
        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_answer(extra, timeout=5)[0] == 0, "a fifth connection was served"
        extra.close()
        assert healthz(server, source="127.0.0.2") == 200, "another address is still served"
        # the held connections are still served as usual
        held[0].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_answer(held[0])[0] == 200
    finally:
        for s in held:
            s.close()
    deadline = time.monotonic() + 10
    while healthz(server, source=me) != 200:
        assert time.monotonic() < deadline, f"{me} not served again after closing"
        time.sleep(0.1)


def test_headers_trickled_in_are_cut_off_at_the_request_deadline(make_server):
    server = make_server("--request-timeout", "2")
    before = metric(server, "yunquan_http_deadline_closed_total")
    s = connect(server)
    t0 = time.monotonic()
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    took = None
    try:
        for i in range(40):  # one header line every 0.25 s: never idle
            took = closed_by_server(s, 0.25)
            if took is not None:
                break
            s.sendall(f"X-Slow-{i}: {i}\r\n".encode())
    except (BrokenPipeError, ConnectionResetError):
        pass
    took = time.monotonic() - t0
    s.close()
    assert 1.5 <= took <= 6, f"closed after {took:.1f} s (limit 2 s, idle timeout 30 s)"
    assert metric(server, "yunquan_http_deadline_closed_total") == before + 1
    assert healthz(server) == 200


def test_a_body_trickled_in_is_cut_off_at_the_request_deadline(make_server):
    server = make_server("--request-timeout", "2")
    s = connect(server)
    t0 = time.monotonic()
    s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1000\r\n\r\n{")
    try:
        for _ in range(40):
            if closed_by_server(s, 0.25) is not None:
                break
            s.sendall(b" ")
    except (BrokenPipeError, ConnectionResetError):
        pass
    took = time.monotonic() - t0
    s.close()
    assert 1.5 <= took <= 6, f"closed after {took:.1f} s (limit 2 s)"
    assert healthz(server) == 200


def test_the_deadline_is_per_request_not_per_keep_alive_connection(make_server):
    server = make_server("--request-timeout", "2")
    s = connect(server)
    try:
        for _ in range(4):  # 4 quick requests over 3 s on one connection
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            status, headers, body = read_answer(s)
            assert status == 200, body
            time.sleep(1)
    finally:
        s.close()


# == 1b. no body is read before the session is checked =====================================

def upload_head(path, length, extra=""):
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: multipart/form-data; boundary=yq\r\n"
            f"Content-Length: {length}\r\n{extra}\r\n").encode()


def refused_upload(server, path="/api/v1/contracts/x/attachments", extra=""):
    """Announces a 20 MiB upload, sends 4 KiB, and reads the answer without
    sending the rest; then tries to send the rest. Returns (status, headers,
    body, seconds to the answer, bytes the server took after answering)."""
    s = connect(server)
    try:
        t0 = time.monotonic()
        s.sendall(upload_head(path, 20 * MI_B, extra) + b"--yq\r\n" + b"x" * 4096)
        status, headers, body = read_answer(s, timeout=10)
        took = time.monotonic() - t0
        sent = 0
        s.settimeout(5)
        try:
            for _ in range(20):
                sent += s.send(b"x" * MI_B)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        return status, headers, body, took, sent
    finally:
        s.close()


def test_anonymous_upload_gets_401_before_its_body_is_sent(server):
    status, headers, body, took, sent = refused_upload(server)
    assert status == 401, (status, body[:300])
    assert json_error(status, headers, body)["code"] == "unauthenticated"
    assert took < 5, f"answered after {took:.1f} s"
    assert headers.get("connection", "").lower() == "close"
    assert sent < 20 * MI_B, "the server kept reading the refused body"


def test_a_refused_request_without_a_body_keeps_its_connection(server):
    s = connect(server)
    try:
        s.sendall(b"GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\n\r\n")
        status, headers, body = read_answer(s)
        assert status == 401 and headers.get("connection", "").lower() != "close"
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_answer(s)[0] == 200
    finally:
        s.close()


def test_refusals_before_the_body_cover_csrf_roles_and_chunked_uploads(server, sessions):
    county_it = sessions["county_it"]
    cookie = "; ".join(f"{k}={v}" for k, v in county_it.cookies.get_dict().items())
    # a signed-in role that may not upload: 403, before the body
    status, headers, body, took, _ = refused_upload(
        server, extra=f"Cookie: {cookie}\r\nX-CSRF-Token: {county_it.cookies['yq_csrf']}\r\n")
    assert status == 403 and json_error(status, headers, body)["code"] == "forbidden"
    # a provider without the CSRF header: 403 csrf_failed, before the body
    prov = sessions["provider"]
    cookie = "; ".join(f"{k}={v}" for k, v in prov.cookies.get_dict().items())
    status, headers, body, took, _ = refused_upload(server, extra=f"Cookie: {cookie}\r\n")
    assert status == 403 and json_error(status, headers, body)["code"] == "csrf_failed"
    # chunked, anonymous: 401 at once
    s = connect(server)
    try:
        s.sendall(b"POST /api/v1/redemptions/x/attachments HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: multipart/form-data; boundary=yq\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n1000\r\n" + b"x" * 4096 + b"\r\n")
        status, headers, body = read_answer(s, timeout=10)
    finally:
        s.close()
    assert status == 401 and json_error(status, headers, body)["code"] == "unauthenticated"
    # Expect: 100-continue gets the refusal instead of a 100
    s = connect(server)
    try:
        s.sendall(upload_head("/api/v1/contracts/x/attachments", 20 * MI_B,
                              "Expect: 100-continue\r\n"))
        status, headers, body = read_answer(s, timeout=10)
    finally:
        s.close()
    assert status == 401


def test_sixteen_refused_uploads_leave_the_server_small(make_server):
    server = make_server()
    hwm_before = rss_kib(server, "VmHWM")
    with cf.ThreadPoolExecutor(max_workers=16) as ex:
        answers = list(ex.map(lambda _: refused_upload(server), range(16)))
    assert [a[0] for a in answers] == [401] * 16
    assert max(a[3] for a in answers) < 10
    grew = rss_kib(server, "VmHWM") - hwm_before
    assert grew < 16 * 1024, f"peak RSS grew by {grew} KiB for 16 refused 20 MiB uploads"
    assert rss_kib(server, "VmRSS") < 200 * 1024
    assert healthz(server) == 200


# == 2. identical uploads at once =====================================================================

def test_twelve_identical_uploads_at_once_all_succeed_and_store_one_file(server, sessions):
    provider = sessions["provider"]
    e = new_enterprise(server, sessions["county_it"])
    cid = draft_by_provider(provider, e.party["id"],
                            [catalog_line(demo_item(server, SERVER_8C), 1, 99_000)],
                            program_id="jining-2018")["id"]
    clients = session_copies(provider, 12)
    shas = []
    for _ in range(3):  # three rounds, each a file new to the store (512 KiB)
        pdf = PDF_BYTES + b"%" + os.urandom(256 * 1024).hex().encode() + b"\n"
        start = threading.Barrier(12)

        def upload(c):
            start.wait()
            r = c.post(f"/api/v1/contracts/{cid}/attachments",
                       files={"file": ("合同.pdf", pdf, "application/pdf")})
            return r.status_code, r.text

        with cf.ThreadPoolExecutor(max_workers=12) as ex:
            answers = list(ex.map(upload, clients))
        assert [s for s, _ in answers] == [201] * 12, [(s, t[:200]) for s, t in answers]
        sha = hashlib.sha256(pdf).hexdigest()
        assert all(json.loads(t)["sha256"] == sha for _, t in answers)
        r = provider.get(f"/api/v1/contracts/{cid}/attachments/{sha}")
        assert r.status_code == 200 and r.content == pdf
        shas.append(sha)
    for c in clients:
        c.close()
    got = ok(provider.get(f"/api/v1/contracts/{cid}"))["attachments"]
    assert sorted(a["sha256"] for a in got) == sorted(shas)
    stored = [p for p in (server.dir / "var" / "files").rglob("*") if p.is_file()]
    assert [p for p in stored if p.name.endswith(".tmp")] == [], "temporary files left behind"
    for sha in shas:
        assert len([p for p in stored if sha in p.name]) == 1


# == 3. headers ========================================================================================

def assert_security_headers(r, csp, hsts=False):
    h = r.headers
    where = f"{r.request.method} {r.request.path_url} → {r.status_code}"
    assert h.get("Content-Security-Policy") == csp, where
    assert h.get("X-Content-Type-Options") == "nosniff", where
    assert h.get("X-Frame-Options") == "DENY", where
    assert h.get("Referrer-Policy") == "no-referrer", where
    assert h.get("Permissions-Policy") == "camera=(), microphone=(), geolocation=()", where
    if hsts:
        assert h.get("Strict-Transport-Security") == "max-age=31536000", where
    else:
        assert "Strict-Transport-Security" not in h, where


def test_pages_answers_and_errors_carry_the_security_headers(server, sessions):
    page = requests.get(server.url("/"), timeout=TIMEOUT)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert_security_headers(page, PAGE_CSP)
    route = requests.get(server.url("/enterprises/123"), timeout=TIMEOUT)  # client-side route
    assert_security_headers(route, PAGE_CSP)
    asset = requests.get(server.url("/assets/app-1234.js"), timeout=TIMEOUT)
    assert asset.status_code == 200
    assert_security_headers(asset, API_CSP)
    me = sessions["admin"].get("/api/v1/auth/me")
    assert me.status_code == 200
    assert_security_headers(me, API_CSP)
    for r, status in [(requests.get(server.url("/api/v1/auth/me"), timeout=TIMEOUT), 401),
                      (requests.get(server.url("/api/v1/nowhere"), timeout=TIMEOUT), 404),
                      (requests.get(server.url("/assets/missing.js"), timeout=TIMEOUT), 404),
                      (sessions["county_it"].post("/api/v1/users", json={}), 403)]:
        assert_error(r, status)
        assert_security_headers(r, API_CSP)
    # answers made before the body is read carry them too
    status, headers, body, _, _ = refused_upload(server)
    assert status == 401 and headers.get("content-security-policy") == API_CSP
    assert headers.get("x-frame-options") == "DENY"
    # cookies of an http deployment are not Secure (browsers would drop them)
    r = server.client().post("/api/v1/auth/login",
                             json={"username": "auditor", "password": "Demo-Passw0rd-2019"})
    cookies = r.raw.headers.getlist("Set-Cookie")
    assert len(cookies) == 2 and not any("Secure" in c for c in cookies), cookies


def test_https_public_url_sends_hsts_and_secure_cookies(make_server):
    server = make_server("--public-url", "https://yq.jining.example.gov.cn")
    r = server.client().post("/api/v1/auth/login",
                             json={"username": "auditor", "password": "Demo-Passw0rd-2019"})
    assert r.status_code == 200
    assert_security_headers(r, API_CSP, hsts=True)
    cookies = r.raw.headers.getlist("Set-Cookie")
    assert len(cookies) == 2
    for c in cookies:
        assert "; Secure" in c and "SameSite=Strict" in c, c
    assert_security_headers(requests.get(server.url("/"), timeout=TIMEOUT), PAGE_CSP, hsts=True)
    assert_security_headers(requests.get(server.url("/api/v1/nowhere"), timeout=TIMEOUT), API_CSP,
                            hsts=True)


def test_hsts_max_age_is_configurable_either_way(make_server):
    # two years behind a TLS proxy; none at all on an https deployment that asks so
    longer = make_server("--public-url", "https://yq.example.gov.cn", "--hsts-max-age", "63072000")
    r = requests.get(longer.url("/api/v1/nowhere"), timeout=TIMEOUT)
    assert r.headers.get("Strict-Transport-Security") == "max-age=63072000"
    off = make_server("--public-url", "https://yq.example.gov.cn", "--hsts-max-age", "0")
    assert "Strict-Transport-Security" not in requests.get(off.url("/"), timeout=TIMEOUT).headers


def test_cookie_secure_false_still_overrides_an_https_public_url(make_server):
    server = make_server("--public-url", "https://yq.example.gov.cn", "--cookie-secure", "false")
    r = server.client().post("/api/v1/auth/login",
                             json={"username": "auditor", "password": "Demo-Passw0rd-2019"})
    assert r.status_code == 200
    assert not any("Secure" in c for c in r.raw.headers.getlist("Set-Cookie"))


def test_metrics_need_loopback_or_the_token(make_server):
    token = "scrape-" + os.urandom(12).hex()
    # Loopback is not trusted here, as behind a reverse proxy on the same host.
    server = make_server("--metrics-loopback", "false", env={"YUNQUAN_METRICS_TOKEN": token})
    for headers in [{}, {"Authorization": "Bearer wrong-" + token},
                    {"Authorization": "Bearer " + token[:-1]}, {"Authorization": token},
                    {"Authorization": "Basic " + token}]:
        r = requests.get(server.url("/metrics"), headers=headers, timeout=TIMEOUT)
        err = assert_error(r, 403, "forbidden")
        assert "yunquan_http_requests_total" not in r.text
        assert_security_headers(r, API_CSP)
    r = requests.get(server.url("/metrics"), headers={"Authorization": "Bearer " + token},
                     timeout=TIMEOUT)
    assert r.status_code == 200 and "yunquan_http_requests_total" in r.text
    assert r.headers["Content-Type"].startswith("text/plain")


def test_metrics_on_loopback_need_no_token_by_default(server):
    r = requests.get(server.url("/metrics"), timeout=TIMEOUT)
    assert r.status_code == 200 and "yunquan_http_requests_total" in r.text


def test_built_index_html_has_no_inline_script():
    index = REPO / "web" / "dist" / "index.html"
    if not index.exists():
        pytest.skip("web/dist is not built (cd web && npm ci && npm run build)")
    html = index.read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S | re.I)
    assert scripts, "the page loads its app"
    for attrs, inner in scripts:
        assert "src=" in attrs and not inner.strip(), f"inline script: {attrs} {inner[:80]}"
    assert not re.search(r"\son[a-z]+\s*=", html, re.I), "inline event handler"


# == 4. odds and ends ===================================================================================

@pytest.mark.parametrize("walk", [False, True], ids=["openat2", "component_walk"])
def test_static_files_never_follow_symbolic_links(make_server, walk):
    server = make_server(env={"YUNQUAN_NO_OPENAT2": "1"} if walk else None)
    web = server.web_root
    (web / "leak.txt").symlink_to("/etc/passwd")
    (web / "assets" / "leak.js").symlink_to(server.dir / "secret.txt")
    (web / "assets" / "inside.js").symlink_to(web / "assets" / "app-1234.js")
    (web / "etc").symlink_to("/etc")
    (web / "up").symlink_to(server.dir)
    for path in ["/leak.txt", "/assets/leak.js", "/assets/inside.js", "/etc/passwd",
                 "/etc/hostname", "/up/secret.txt", "/up/t.db"]:
        r = requests.get(server.url(path), timeout=TIMEOUT)
        assert "root:" not in r.text and "TOP-SECRET" not in r.text, path
        assert "SQLite" not in r.text, path
        if "." in path.rsplit("/", 1)[1]:
            assert_error(r, 404, "not_found")
        else:  # no extension: the app's client-side route
            assert r.status_code == 200 and "云券" in r.text, path
    r = requests.get(server.url("/assets/app-1234.js"), timeout=TIMEOUT)
    assert r.status_code == 200 and "console.log" in r.text


@pytest.mark.parametrize("count", [201, 1000, 1500])
def test_hundreds_of_query_parameters_get_a_json_414(server, sessions, count):
    query = "&".join(f"k{i}=v" for i in range(count))
    for client, path in [(requests, server.url("/healthz")),
                         (sessions["admin"], "/api/v1/users")]:
        try:
            r = client.get(path + "?" + query, timeout=10)
        except requests.ConnectionError as e:
            pytest.fail(f"{count} parameters: connection closed without an answer: {e}")
        assert_error(r, 414, "too_many_parameters")
        assert "200" in r.json()["error"]["message"]
    assert healthz(server) == 200


def test_a_request_line_longer_than_the_connection_memory_gets_414(server):
    """20,000 parameters, a 169 KB request line: more than a connection's
    32 KiB of memory holds (the size that keeps idle connections cheap,
    docs/benchmarks.md). It is answered 414 by libmicrohttpd itself and
    closed; the server goes on serving."""
    query = "&".join(f"k{i}=v" for i in range(20000))
    r = requests.get(server.url("/healthz?" + query), timeout=10)
    assert r.status_code == 414
    assert healthz(server) == 200


def test_two_hundred_query_parameters_are_still_served(server):
    """More than any screen sends (a list's filters are about ten)."""
    r = requests.get(server.url("/healthz?" + "&".join(f"k{i}=v" for i in range(200))),
                     timeout=10)
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_integers_beyond_64_bits_name_their_field(server, sessions):
    provider = sessions["provider"]
    e = new_enterprise(server, sessions["county_it"])
    item = demo_item(server, SERVER_8C)
    snap = server.snapshot(["contracts"])
    for price, field in [("18446744073709551616", "lines[0].unit_price_fen"),
                         ("-99999999999999999999", "lines[0].unit_price_fen"),
                         ("1e99999", "lines[0].unit_price_fen")]:
        body = json.dumps({"enterprise_id": e.party["id"], "contract_no": "HT-BIG",
                           "signed_on": "2019-06-28", "service_start": "2019-07-01",
                           "service_end": "2020-06-30", "program_id": "jining-2018",
                           "lines": [{"catalog_item_id": item, "quantity": 1,
                                      "unit_price_fen": 0}]})
        body = body.replace('"unit_price_fen": 0', f'"unit_price_fen": {price}')
        r = provider.post("/api/v1/contracts", data=body.encode(),
                          headers={"Content-Type": "application/json"})
        err = assert_error(r, 400, "malformed_json", field)
        assert field in err["message"]
    pid = ok(provider.get("/api/v1/providers/mine"))["id"]
    r = provider.patch(f"/api/v1/providers/{pid}", data=b'{"name": "x", "bank": {"no": 1e400}}',
                       headers={"Content-Type": "application/json"})
    assert_error(r, 400, "malformed_json", "bank.no")
    assert server.snapshot(["contracts"]) == snap


def test_a_whitespace_body_is_no_body_whatever_its_content_type(server, sessions):
    provider = sessions["provider"]
    pid = ok(provider.get("/api/v1/providers/mine"))["id"]
    program = ok(sessions["city_it"].get("/api/v1/programs"))["items"][0]["id"]
    for client, path in [(provider, f"/api/v1/providers/{pid}"),
                         (sessions["city_it"], f"/api/v1/programs/{program}/parameters")]:
        answers = set()
        for body in [b"", b"   ", b" \r\n\t ", b"{}"]:
            for ctype in [None, "application/json", "text/plain"]:
                if body == b"{}" and ctype != "application/json":
                    continue
                r = client.patch(path, data=body,
                                 headers={"Content-Type": ctype} if ctype else {})
                err = assert_error(r, 422)
                answers.add((r.status_code, err["code"], err.get("field")))
        assert len(answers) == 1, (path, answers)
        status, code, field = answers.pop()
        assert field or code == "empty_change", (path, code)


def test_an_encoded_nul_in_the_address_is_refused_not_cut_short(server):
    """`%00` decoded would end the C string early: a voucher code followed
    by %00 verified as the genuine voucher, and `?q=abc%00xyz` searched for
    "abc". In the path it is a 400 naming the cause; in a value, a 422
    naming the parameter."""
    vouchers = server.login("county_it").get("/api/v1/vouchers", params={"page_size": 1}).json()
    good = vouchers["items"][0]["code"]
    assert requests.get(server.url(f"/api/v1/public/vouchers/{good}"), timeout=TIMEOUT).status_code == 200
    for path in (f"/api/v1/public/vouchers/{good}%00", f"/api/v1/public/vouchers/{good}%00X"):
        r = requests.get(server.url(path), timeout=TIMEOUT)
        assert_error(r, 400, "bad_request")
        assert "%00" in r.json()["error"]["message"] and has_cjk(r.json()["error"]["message"])
    # in a value: refused naming the parameter, as any value that is not text
    r = requests.get(server.url("/api/v1/public/catalog?page=1&q=abc%00xyz"), timeout=TIMEOUT)
    assert_error(r, 422, "invalid_field", field="q")
    # the connection stays usable for the next request
    s = requests.Session()
    assert s.get(server.url(f"/api/v1/public/vouchers/{good}%00"), timeout=TIMEOUT).status_code == 400
    assert s.get(server.url(f"/api/v1/public/vouchers/{good}"), timeout=TIMEOUT).status_code == 200
