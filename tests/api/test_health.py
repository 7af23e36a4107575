"""Health, metrics, the OpenAPI document, static files and the access log."""
import json
import re

import requests

from conftest import ROLES, TIMEOUT, assert_error, json_lines


def metric_lines(text):
    """{(name, frozenset(labels)): value} of a Prometheus text page."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)", line)
        assert m, f"not a Prometheus sample line: {line!r}"
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        out[(m.group(1), labels)] = float(m.group(4))
    return out


def count_of(samples, method, route, status):
    key = ("yunquan_http_requests_total",
           frozenset({("method", method), ("route", route), ("status", str(status))}))
    return samples.get(key, 0.0)


def test_healthz_reports_server_and_database_ok(server):
    r = requests.get(server.url("/healthz"), timeout=TIMEOUT)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == {"status": "ok", "database": "ok"}
    assert r.headers.get("Cache-Control") == "no-store"
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert r.headers.get("X-Request-Id")


def test_request_id_is_echoed_when_sane_and_replaced_when_not(server):
    r = requests.get(server.url("/healthz"), headers={"X-Request-Id": "trace-42_a.b"},
                     timeout=TIMEOUT)
    assert r.headers["X-Request-Id"] == "trace-42_a.b"
    for bad in ["has space", "x" * 65, "semi;colon", "中文"]:
        r = requests.get(server.url("/healthz"), headers={"X-Request-Id": bad.encode("utf-8")},
                         timeout=TIMEOUT)
        assert r.status_code == 200
        rid = r.headers["X-Request-Id"]
        assert rid != bad.encode("utf-8").decode("latin-1")
        assert re.fullmatch(r"[0-9A-Za-z]{10,64}", rid), rid


def test_metrics_count_requests_by_route_and_status(server):
    # One keep-alive connection: each request is counted when it completes,
    # before the next request on the same connection is read.
    c = server.client()
    before = metric_lines(c.get("/metrics").text)
    for _ in range(3):
        c.get("/healthz")
    c.get("/api/v1/auth/me")  # 401
    c.get("/api/v1/no-such-thing")  # 404, no route
    r = c.get("/metrics")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    after = metric_lines(r.text)
    assert count_of(after, "GET", "/healthz", 200) - count_of(before, "GET", "/healthz", 200) == 3
    assert count_of(after, "GET", "/api/v1/auth/me", 401) - count_of(before, "GET", "/api/v1/auth/me", 401) == 1
    # the /metrics request that produced `before` is counted by now
    assert count_of(after, "GET", "/metrics", 200) - count_of(before, "GET", "/metrics", 200) == 1
    assert ("yunquan_db_seconds_total", frozenset()) in after


def test_metrics_histogram_is_consistent_with_the_counters(server):
    c = server.client()
    c.get("/healthz")
    s = metric_lines(c.get("/metrics").text)
    buckets = sorted(
        ((float("inf") if dict(lbl)["le"] == "+Inf" else float(dict(lbl)["le"])), v)
        for (name, lbl), v in s.items() if name == "yunquan_http_request_duration_seconds_bucket")
    assert len(buckets) >= 5 and buckets[-1][0] == float("inf")
    values = [v for _, v in buckets]
    assert values == sorted(values), "histogram buckets must be cumulative"
    count = s[("yunquan_http_request_duration_seconds_count", frozenset())]
    assert values[-1] == count
    total = sum(v for (name, _), v in s.items() if name == "yunquan_http_requests_total")
    assert total == count, "every request is counted once by route and once in the histogram"
    assert s[("yunquan_http_request_duration_seconds_sum", frozenset())] > 0


def test_openapi_document_lists_every_route_with_its_roles(server):
    r = requests.get(server.url("/api/v1/openapi.json"), timeout=TIMEOUT)
    assert r.status_code == 200
    doc = r.json()
    assert str(doc.get("openapi", "")).startswith("3.")
    paths = doc["paths"]
    for p in ["/healthz", "/metrics", "/api/v1/openapi.json", "/api/v1/auth/login",
              "/api/v1/auth/logout", "/api/v1/auth/me", "/api/v1/users", "/api/v1/users/{id}",
              "/api/v1/users/{id}/lock", "/api/v1/users/{id}/password", "/api/v1/counties",
              "/api/v1/audit"]:
        assert p in paths, p
    for p, ops in paths.items():
        for method, op in ops.items():
            if method == "parameters":
                continue
            roles = op.get("x-roles")
            assert roles, f"{method} {p} has no x-roles"
            assert set(roles) <= set(ROLES) | {"public", "any"}, (p, roles)


def test_web_root_serves_the_app_its_assets_and_client_side_routes(server):
    r = requests.get(server.url("/"), timeout=TIMEOUT)
    assert r.status_code == 200 and "云券" in r.text
    assert r.headers["Content-Type"].startswith("text/html")
    r = requests.get(server.url("/assets/app-1234.js"), timeout=TIMEOUT)
    assert r.status_code == 200 and "immutable" in r.headers.get("Cache-Control", "")
    # a client-side route (no extension) gets the app
    r = requests.get(server.url("/enterprises/123"), timeout=TIMEOUT)
    assert r.status_code == 200 and "云券" in r.text
    # a missing file with an extension is a real 404
    assert_error(requests.get(server.url("/assets/missing.js"), timeout=TIMEOUT), 404, "not_found")


def test_path_traversal_does_not_escape_the_web_root(server):
    for path in ["/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt",
                 "/assets/..%2f..%2fsecret.txt", "/.%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
                 "/..%5csecret.txt"]:
        r = requests.get(server.url(path), timeout=TIMEOUT)
        assert "TOP-SECRET" not in r.text, path
        assert r.status_code in (200, 400, 404), (path, r.status_code)


def test_access_log_has_one_json_line_per_request_without_secrets(server, sessions):
    admin = sessions["admin"]
    r = admin.get("/api/v1/auth/me", headers={"X-Request-Id": "access-log-probe-1"})
    assert r.status_code == 200
    mine = json_lines(server.wait_log(b'"access-log-probe-1"'))
    assert len(mine) == 1
    entry = mine[0]
    assert entry["method"] == "GET" and entry["path"] == "/api/v1/auth/me"
    assert entry["status"] == 200 and entry["user"] == "admin" and entry["addr"] == "127.0.0.1"
    assert entry["at"] == "2019-07-01T09:00:00+08:00"  # the test clock
    raw = b"\n".join(server.access_log_lines())
    assert admin.cookies["yq_session"].encode() not in raw
    assert b"Demo-Passw0rd" not in raw


def test_access_log_lines_stay_valid_json_for_undecodable_paths(server):
    requests.get(server.url("/api/v1/%FF%FE"), headers={"X-Request-Id": "bad-bytes-path"},
                 timeout=TIMEOUT)
    raw = server.wait_log(b"bad-bytes-path")
    assert len(raw) == 1
    entry = json.loads(raw[0].decode("utf-8"))  # fails: raw 0xFF bytes are written into the log
    assert entry["request_id"] == "bad-bytes-path"
