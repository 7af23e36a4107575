"""Issue 9, deliver 3: a bad-input sweep over every documented route that
takes a body. Each route is called by a role the route table allows, with
real ids where the path has {id}, and sent malformed JSON, wrong types,
missing and extra fields, huge strings, hostile money figures, invalid
UTF-8, NUL bytes, SQL and script payloads, deep nesting and duplicate
keys. Expected every time: never a 5xx, a JSON error with a Chinese
message (and the field where one is at fault), and nothing written — a
logical dump of the database is compared before and after."""
import json

import pytest
import requests

import dbs
from conftest import ROLES, TIMEOUT, has_cjk

# Tables that a refused request may legitimately touch (throttles and
# sessions) are left out of the comparison.
VOLATILE = {"login_throttle", "sessions", "public_throttle", "idempotency_keys"}

MONEY = [9223372036854775807, -1, 1e30, "12.5", 0.1, 18446744073709551616]
# Texts no field accepts (script and SQL payloads are valid text: they are
# stored literally, which tests/browser and test_registration check).
STRINGS = ["x" * 100_000, "", " ", "a\u0000b", "\u0007"]
# (null is "absent" for an optional field, so it is no bad input there.)
WRONG_TYPES = [True, 0, [], {}, 1.5]


def bad_bodies():
    """(label, raw bytes) pairs; raw bytes so invalid JSON and UTF-8 go out."""
    yield "not json", b"{"
    yield "array", b"[]"
    yield "string", b'"x"'
    yield "invalid utf-8", b'{"reason": "\xff\xfe"}'
    yield "nul byte", b'{"reason": "a\\u0000b"}'
    yield "deep nesting", b'{"a":' * 10000 + b"1" + b"}" * 10000
    yield "duplicate keys", b'{"reason": "a", "reason": "b"}'
    yield "unknown field", b'{"no_such_field_at_all": 1}'


FIELDS = ["amount_fen", "claim_fen", "fee_fen", "adjustment_fen", "reason", "county_code",
          "period", "items", "redemption_ids", "opens_on", "paid_on", "reference", "decision",
          "scores", "name", "contact", "text", "uscc", "lines", "contract_no", "source",
          "voucher_id", "redemption_id", "evidence", "password", "username", "role"]


def typed_bodies():
    for f in FIELDS:
        values = MONEY if f.endswith("_fen") else STRINGS + WRONG_TYPES
        for v in values:
            if f == "reason" and v in ("", " "):
                continue  # an empty optional note (approve) is no note
            yield f"{f}={str(v)[:20]!r}", json.dumps({f: v}).encode()


def dump(server):
    con = dbs.connect(server.db, readonly=True)
    if not dbs.is_pg(server.db):
        con.text_factory = bytes
    out = {}
    for name in dbs.tables(con):
        name = name.decode() if isinstance(name, bytes) else name
        if name in VOLATILE or name.startswith("sqlite_"):
            continue
        out[name] = sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr)
    con.close()
    return out


@pytest.fixture(scope="module")
def doc(shared_server):
    return requests.get(shared_server.url("/api/v1/openapi.json"), timeout=TIMEOUT).json()


def real_ids(server):
    """An existing id for each kind of {id}, so that requests reach the
    validation of real records."""
    one = lambda sql: (server.sql(sql) or [[ "01NOSUCH0000000000000000000"]])[0][0]
    return {
        "/users/": one("SELECT id FROM users WHERE username = 'qiye02'"),
        "/enterprises/": one("SELECT id FROM enterprises WHERE status = 'submitted'"),
        "/providers/": one("SELECT id FROM providers"),
        "/catalog-items/": one("SELECT id FROM catalog_items"),
        "/contracts/": one("SELECT id FROM contracts WHERE status = 'draft'"),
        "/programs/": "jining-2018",
        "/negative-list/": one("SELECT id FROM negative_list"),
        "/redemptions/": one("SELECT id FROM redemptions"),
        "/notices/": one("SELECT id FROM notices"),
        "/public/notices/": one("SELECT id FROM notices"),
        "/objections/": one("SELECT id FROM objections"),
        "/payouts/": one("SELECT id FROM payouts"),
    }


def concrete(path, ids):
    for prefix, value in ids.items():
        if prefix + "{id}" in path:
            path = path.replace("{id}", value)
    path = path.replace("{id}", "01NOSUCH0000000000000000000")
    return (path.replace("{county_code}", "370811").replace("{year}", "2019")
            .replace("{sha256}", "0" * 64).replace("{code}", "YQ2019-370811-000001-F"))


def write_routes(doc):
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if method in ("post", "patch") and "multipart/form-data" not in json.dumps(op):
                if path.endswith("/auth/login") or path.endswith("/auth/logout"):
                    continue
                yield method.upper(), path, op["x-roles"]


def caller(server, sessions, roles):
    if "public" in roles:
        return server.client()
    for r in ROLES:
        if "any" in roles or r in roles:
            return sessions[r]
    raise AssertionError(roles)


def test_every_write_route_refuses_bad_input_and_writes_nothing(server, sessions, doc):
    ids = real_ids(server)
    before = dump(server)
    sent = 0
    routes = list(write_routes(doc))
    assert len(routes) >= 40
    for method, path, roles in routes:
        client = caller(server, sessions, roles)
        url = concrete(path, ids)
        for label, raw in list(bad_bodies()) + list(typed_bodies()):
            r = client.request(method, url, data=raw,
                               headers={"Content-Type": "application/json"})
            sent += 1
            where = f"{method} {path} [{label}]"
            assert r.status_code < 500, f"{where}: {r.status_code} {r.text[:300]}"
            if r.status_code >= 400:
                body = r.json()
                assert set(body) == {"error"} and has_cjk(body["error"]["message"]), where
        server.assert_alive()
        after = dump(server)
        changed = [t for t in before if before[t] != after[t]]
        assert not changed, f"bad input to {method} {path} changed tables: {changed}"
    assert sent > 3000


# Query strings: raw (already percent-encoded) so that invalid UTF-8 and NUL
# bytes reach the server as sent.
QUERY_VALUES = ["9223372036854775807", "18446744073709551616", "-1", "1e30", "12.5", "0.1",
                "x" * 20_000, "", "%20", "%FF%FE", "a%00b", "%07",
                "%27%20OR%201%3D1--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                "2019-13-45", "9999-99-99T99:99:99Z", "2019H3", "..%2F..%2Fetc%2Fpasswd"]
COMMON_PARAMS = ["page", "page_size", "format"]


def read_routes(doc):
    for path, ops in doc["paths"].items():
        op = ops.get("get")
        if op is None:
            continue
        params = [p["name"] for p in op.get("parameters", []) + ops.get("parameters", [])
                  if p.get("in") == "query"]
        yield path, op["x-roles"], params


def test_every_read_route_refuses_bad_query_parameters_and_writes_nothing(server, sessions, doc):
    ids = real_ids(server)
    before = dump(server)
    sent = 0
    routes = list(read_routes(doc))
    assert len(routes) >= 40 and sum(1 for _, _, p in routes if p) >= 20
    for path, roles, params in routes:
        client = caller(server, sessions, roles)
        url = concrete(path, ids)
        for name in params + COMMON_PARAMS:
            for value in QUERY_VALUES + ["REPEATED"]:
                query = (f"{name}=1&{name}=2" if value == "REPEATED" else f"{name}={value}")
                r = client.get(f"{url}?{query}")
                sent += 1
                where = f"GET {path}?{name}={value[:30]}"
                assert r.status_code < 500, f"{where}: {r.status_code} {r.text[:300]}"
                if r.status_code >= 400 and r.status_code != 404:
                    body = r.json()
                    assert set(body) == {"error"} and has_cjk(body["error"]["message"]), where
                    if r.status_code in (400, 422) and body["error"].get("field"):
                        # (a required parameter left out is named instead)
                        assert body["error"]["field"] in params + COMMON_PARAMS, (where, body)
        server.assert_alive()
    after = dump(server)
    assert [t for t in before if before[t] != after[t]] == []
    assert sent > 2000
    print(f"bad query strings sent: {sent} over {len(routes)} read routes")


def bad_multiparts():
    """(label, content type, raw body): none of them is an acceptable upload."""
    b = "yqb"
    ct = f"multipart/form-data; boundary={b}"
    part = lambda head, data: (f"--{b}\r\n{head}\r\n\r\n".encode() + data + f"\r\n--{b}--\r\n".encode())
    disp = 'Content-Disposition: form-data; name="file"; filename="{}"'
    yield "no boundary", "multipart/form-data", part(disp.format("a.pdf"), b"%PDF-1.4\n")
    yield "truncated", ct, f"--{b}\r\n{disp.format('a.pdf')}\r\n\r\n%PDF".encode()
    yield "no parts", ct, f"--{b}--\r\n".encode()
    yield "not multipart", "application/json", b'{"file": "x"}'
    yield "other field name", ct, part('Content-Disposition: form-data; name="doc"; filename="a.pdf"',
                                       b"%PDF-1.4\n")
    yield "empty file", ct, part(disp.format("a.pdf"), b"")
    yield "html as pdf", ct, part(disp.format("a.pdf"), b"<html><script>alert(1)</script></html>")
    yield "executable", ct, part(disp.format("a.pdf"), b"\x7fELF\x02\x01\x01" + b"\0" * 64)
    yield "invalid utf-8 name", ct, part(disp.format("\udcff").encode("utf-8", "surrogateescape")
                                         .decode("latin-1"), b"")
    yield "huge header", ct, part(disp.format("a" * 100_000 + ".pdf"), b"")
    yield "nul in name", ct, part(disp.format("a\0.pdf"), b"")
    yield "no disposition", ct, part("Content-Type: application/pdf", b"%PDF-1.4\n")


def upload_routes(server, sessions):
    """Each multipart route with a record its caller owns: qiye03's draft
    contract, a claim filed now by a new provider (the test clock is in
    2019H1's filing window), the county's enterprise import, and the
    business licence of a new enterprise and of a new provider."""
    from flows import ok, signup
    from test_redemptions import file, item, provider_with_voucher
    (contract,) = server.sql("SELECT c.id FROM contracts c JOIN enterprises e"
                             " ON e.id = c.enterprise_id JOIN users u ON u.id = e.user_id"
                             " WHERE u.username = 'qiye03' AND c.status = 'draft'")[0]
    prov, v = provider_with_voucher(server, sessions)
    redemption = ok(file(prov, [item(v, 100_000)]), 201)["id"]
    ent, _ = signup(server, "enterprise")
    lic, _ = signup(server, "provider")
    return [(server.login("qiye03"), f"/api/v1/contracts/{contract}/attachments"),
            (prov, f"/api/v1/redemptions/{redemption}/attachments"),
            (sessions["county_it"], "/api/v1/enterprises/import"),
            (ent, f"/api/v1/enterprises/{ent.party['id']}/licence"),
            (lic, f"/api/v1/providers/{lic.party['id']}/licence")]


def test_every_upload_route_refuses_bad_multipart_bodies_and_writes_nothing(server, sessions, doc):
    routes = upload_routes(server, sessions)
    documented = {p for p, ops in doc["paths"].items()
                  for op in ops.values() if "multipart/form-data" in json.dumps(op)}
    assert len(documented) == len(routes)
    before = dump(server)
    codes = set()
    for client, url in routes:
        for label, ctype, raw in bad_multiparts():
            r = client.post(url, data=raw if isinstance(raw, bytes) else raw.encode(),
                                    headers={"Content-Type": ctype})
            where = f"{url} [{label}]"
            assert 400 <= r.status_code < 500, f"{where}: {r.status_code} {r.text[:300]}"
            body = r.json()
            assert set(body) == {"error"} and has_cjk(body["error"]["message"]), where
            codes.add(body["error"]["code"])
        server.assert_alive()
    assert dump(server) == before
    print(sorted(codes))
