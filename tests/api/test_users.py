"""Accounts: county scope (404 outside it), creating officials, and what a
bad request does (a JSON error naming the field, nothing written)."""
import json

import pytest

from conftest import (HOME_COUNTY, has_cjk, OTHER_COUNTY, ROLES, all_pages, assert_error, audit_total,
                      new_official, users_total)


@pytest.fixture(scope="module")
def other_county_official(shared_server, sessions):
    """A county_it account of 兖州区, made by admin."""
    return new_official(sessions["admin"], "yanzhou_it", county=OTHER_COUNTY)


def test_county_official_gets_404_for_another_countys_account(server, sessions, other_county_official):
    county_it = sessions["county_it"]
    r = county_it.get(f"/api/v1/users/{other_county_official['id']}")
    err = assert_error(r, 404, "not_found")
    # exactly what a made-up id answers: existence does not leak
    assert county_it.get("/api/v1/users/01ZZZZZZZZZZZZZZZZZZZZZZZZ").json()["error"] == err
    # a same-county account is readable
    same = sessions["county_finance"].user
    r = county_it.get(f"/api/v1/users/{same['id']}")
    assert r.status_code == 200 and r.json()["user"]["username"] == "county_finance"
    # county_finance has the same scope
    assert_error(sessions["county_finance"].get(f"/api/v1/users/{other_county_official['id']}"),
                 404, "not_found")


def test_county_official_lists_only_its_own_countys_accounts(server, sessions, other_county_official):
    items = all_pages(sessions["county_it"], "/api/v1/users")
    assert {u["county_code"] for u in items} == {HOME_COUNTY}
    names = {u["username"] for u in items}
    assert {"county_it", "county_finance", "evaluator"} <= names
    assert "yanzhou_it" not in names and "admin" not in names
    # searching for the other county's account finds nothing either
    r = sessions["county_it"].get("/api/v1/users", params={"q": "yanzhou"})
    assert r.json() == {"items": [], "total": 0}


def test_city_wide_readers_see_every_county(server, sessions, other_county_official):
    for role in ("admin", "auditor"):
        c = sessions[role]
        r = c.get(f"/api/v1/users/{other_county_official['id']}")
        assert r.status_code == 200 and r.json()["user"]["county_code"] == OTHER_COUNTY
        names = {u["username"] for u in all_pages(c, "/api/v1/users")}
        assert {"yanzhou_it", "admin", "county_it"} <= names


def test_users_list_pages_and_searches(server, sessions):
    admin = sessions["admin"]
    total = users_total(admin)
    assert total >= 9
    assert set(ROLES) <= {u["username"] for u in all_pages(admin, "/api/v1/users")}
    p1 = admin.get("/api/v1/users", params={"page_size": 4, "page": 1}).json()
    p2 = admin.get("/api/v1/users", params={"page_size": 4, "page": 2}).json()
    assert p1["total"] == p2["total"] == total
    assert len(p1["items"]) == 4 and len(p2["items"]) >= 1
    assert not {u["id"] for u in p1["items"]} & {u["id"] for u in p2["items"]}
    found = admin.get("/api/v1/users", params={"q": "审计"}).json()["items"]  # 济宁市审计局 …
    assert "auditor" in [u["username"] for u in found]
    assert all("审计" in u["username"] + u["display_name"] for u in found)
    # LIKE wildcards are literal
    assert admin.get("/api/v1/users", params={"q": "%"}).json()["total"] == 0
    assert admin.get("/api/v1/users", params={"q": "_"}).json()["total"] >= 2  # county_it …
    for bad in ({"page": "0"}, {"page": "x"}, {"page_size": "201"}, {"page_size": "0"},
                {"page": "99999999999999999999"}):
        field = next(iter(bad))
        assert_error(admin.get("/api/v1/users", params=bad), 422, "invalid_field", field)


def test_admin_creates_a_county_official_who_can_then_sign_in(server, sessions):
    admin, auditor = sessions["admin"], sessions["auditor"]
    before_audit = audit_total(auditor)
    r = admin.post("/api/v1/users", json={
        "username": "rencheng_fin2", "password": "Fin-Pass-2019x", "role": "county_finance",
        "display_name": "任城区财政局 钱会计", "county_code": HOME_COUNTY},
        headers={"X-Request-Id": "create-user-probe"})
    assert r.status_code == 201, r.text
    u = r.json()["user"]
    assert u["username"] == "rencheng_fin2" and u["role"] == "county_finance"
    assert u["county_code"] == HOME_COUNTY and u["county_name"] == "任城区"
    assert u["display_name"] == "任城区财政局 钱会计" and u["locked"] is False
    assert audit_total(auditor) == before_audit + 1
    entry = auditor.get("/api/v1/audit", params={"page_size": 1}).json()["items"][0]
    assert entry["entity"] == "user" and entry["entity_id"] == u["id"]
    assert entry["actor_username"] == "admin" and entry["actor_role"] == "admin"
    assert entry["request_id"] == "create-user-probe" and entry["client_addr"] == "127.0.0.1"
    assert entry["before"] is None and entry["after"]["username"] == "rencheng_fin2"
    assert "Fin-Pass-2019x" not in json.dumps(entry, ensure_ascii=False)
    c = server.login("rencheng_fin2", "Fin-Pass-2019x")
    assert c.user["county_code"] == HOME_COUNTY


BASE = {"username": "new_official", "password": "Official-Pass-2019", "role": "county_it",
        "display_name": "新区县账号", "county_code": HOME_COUNTY}


def with_(**changes):
    b = dict(BASE)
    for k, v in changes.items():
        if v is ...:
            b.pop(k, None)
        else:
            b[k] = v
    return b


BAD_BODIES = [
    # (name, body, status, code, field)
    ("username_number", with_(username=12345), 422, "wrong_type", "username"),
    ("password_list", with_(password=["a"]), 422, "wrong_type", "password"),
    ("role_object", with_(role={"x": 1}), 422, "wrong_type", "role"),
    ("display_name_bool", with_(display_name=True), 422, "wrong_type", "display_name"),
    ("county_code_number", with_(county_code=370811), 422, "wrong_type", "county_code"),
    ("unknown_field", with_(email="a@b.cn"), 422, "unknown_field", "email"),
    ("missing_username", with_(username=...), 422, "missing_field", "username"),
    ("null_password", with_(password=None), 422, "missing_field", "password"),
    ("missing_display_name", with_(display_name=...), 422, "missing_field", "display_name"),
    ("blank_display_name", with_(display_name="   "), 422, "missing_field", "display_name"),
    ("control_char_display_name", with_(display_name="a\u0007b"), 422, "invalid_field", "display_name"),
    ("display_name_65_chars", with_(display_name="名" * 65), 422, "invalid_field", "display_name"),
    ("uppercase_username", with_(username="NewOfficial"), 422, "invalid_field", "username"),
    ("short_username", with_(username="ab"), 422, "invalid_field", "username"),
    ("chinese_username", with_(username="张三丰"), 422, "invalid_field", "username"),
    ("short_password", with_(password="short1"), 422, "invalid_field", "password"),
    ("same_char_password", with_(password="aaaaaaaaaaaa"), 422, "invalid_field", "password"),
    ("long_password", with_(password="Ab1" * 50), 422, "invalid_field", "password"),
    ("unknown_role", with_(role="mayor"), 422, "invalid_field", "role"),
    ("enterprise_role", with_(role="enterprise", county_code=...), 422, "invalid_field", "role"),
    ("county_role_without_county", with_(county_code=...), 422, "missing_field", "county_code"),
    ("evaluator_without_county", with_(role="evaluator", county_code=""), 422, "missing_field", "county_code"),
    ("unknown_county", with_(county_code="999999"), 422, "invalid_field", "county_code"),
    ("city_role_with_county", with_(role="city_it"), 422, "invalid_field", "county_code"),
    ("taken_username", with_(username="county_it"), 409, "username_taken", "username"),
]


@pytest.mark.parametrize("name,body,status,code,field", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_account_fields_are_named_and_nothing_is_written(server, sessions, name, body, status,
                                                             code, field):
    admin = sessions["admin"]
    snap = server.snapshot()
    users_before, audit_before = users_total(admin), audit_total(sessions["auditor"])
    assert_error(admin.post("/api/v1/users", json=body), status, code, field)
    assert users_total(admin) == users_before
    assert audit_total(sessions["auditor"]) == audit_before
    assert server.snapshot() == snap


MALFORMED = [
    # (name, raw body, content type, status, code)
    ("truncated_json", b'{"username": "x", ', "application/json", 400, "malformed_json"),
    ("json_array", b"[]", "application/json", 400, "malformed_json"),
    ("json_string", b'"hello"', "application/json", 400, "malformed_json"),
    ("trailing_garbage", json.dumps(BASE).encode() + b" x", "application/json", 400, "malformed_json"),
    ("duplicate_key", b'{"username":"dup_a","username":"dup_b"}', "application/json", 400, "malformed_json"),
    ("single_quotes", b"{'username': 'x'}", "application/json", 400, "malformed_json"),
    ("invalid_utf8", json.dumps(BASE).encode().replace(b"\\u65b0", b"\xff\xfe"), "application/json",
     400, "malformed_json"),
    ("nul_escape", json.dumps(with_(display_name="a\u0000b")).encode(), "application/json", 400, "malformed_json"),
    ("lone_surrogate", json.dumps(BASE).encode().replace(b"\\u65b0", b"\\ud800"), "application/json",
     400, "malformed_json"),
    ("huge_integer", b'{"username": 1' + b"0" * 400 + b"}", "application/json", 400, "malformed_json"),
    ("deep_nesting", b'{"username":' + b"[" * 100000 + b"]" * 100000 + b"}", "application/json", 400,
     "malformed_json"),
    ("text_plain", json.dumps(BASE).encode(), "text/plain", 415, "unsupported_media_type"),
    ("form_encoded", b"username=x&password=y", "application/x-www-form-urlencoded", 415,
     "unsupported_media_type"),
    ("multipart", b"--b\r\n\r\n--b--", "multipart/form-data; boundary=b", 415, "unsupported_media_type"),
    ("no_content_type", json.dumps(BASE).encode(), None, 415, "unsupported_media_type"),
]


@pytest.mark.parametrize("name,raw,ctype,status,code", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_bodies_get_a_json_error_and_nothing_is_written(server, sessions, name, raw, ctype,
                                                                  status, code):
    admin = sessions["admin"]
    snap = server.snapshot()
    headers = {"Content-Type": ctype} if ctype else {}
    r = admin.post("/api/v1/users", data=raw, headers=headers)
    if ctype is None:
        # requests would add no Content-Type for raw bytes; make sure of it
        assert "Content-Type" not in r.request.headers
    err = assert_error(r, status, code, NAMED.get(name))
    # Said in Chinese, not in the JSON parser's English.
    assert has_cjk(err["message"]), err
    assert not any(w in err["message"] for w in ("near", "allowed", "decode", "maximum", "expected")), err
    assert server.snapshot() == snap


# The bad bodies whose field can be told, and the field named.
NAMED = {"duplicate_key": "username", "nul_escape": "display_name"}


def test_lock_and_password_bodies_are_checked_before_anything_changes(server, sessions):
    admin = sessions["admin"]
    target = sessions["city_it"].user["id"]
    snap = server.snapshot()
    for body, code, field in [({"locked": "true"}, "wrong_type", "locked"),
                              ({"locked": 1}, "wrong_type", "locked"),
                              ({}, "missing_field", "locked"),
                              ({"locked": True, "reason": "x"}, "unknown_field", "reason")]:
        assert_error(admin.post(f"/api/v1/users/{target}/lock", json=body), 422, code, field)
    for body, code, field in [({"password": 1234567890}, "wrong_type", "password"),
                              ({"password": "short"}, "invalid_field", "password"),
                              ({}, "missing_field", "password")]:
        assert_error(admin.post(f"/api/v1/users/{target}/password", json=body), 422, code, field)
    assert_error(admin.post("/api/v1/users/01NOSUCHUSER0000000000000/lock", json={"locked": True}),
                 404, "not_found")
    assert_error(admin.post("/api/v1/users/01NOSUCHUSER0000000000000/password",
                            json={"password": "Valid-Pass-2019"}), 404, "not_found")
    assert server.snapshot() == snap
    assert sessions["city_it"].get("/api/v1/auth/me").status_code == 200


def test_counties_are_listed_with_their_2018_targets(server, sessions):
    r = sessions["enterprise"].get("/api/v1/counties")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == len(body["items"]) == 14
    by_code = {c["code"]: c for c in body["items"]}
    assert by_code[HOME_COUNTY]["name"] == "任城区" and by_code[HOME_COUNTY]["target_2018"] == 75
    assert by_code[OTHER_COUNTY]["name"] == "兖州区"
    assert sum(c["target_2018"] for c in body["items"]) == 1000


# --- bugs found: answers that depend on how long a Chinese text is -----------

def test_display_name_of_64_chinese_characters_is_stored_and_returned_whole(server, sessions):
    admin = sessions["admin"]
    name = "济" * 64  # 64 characters is within the documented limit
    r = admin.post("/api/v1/users", json=with_(username="long_name_official", display_name=name))
    assert r.status_code == 201, r.text  # got 500: the name is cut at 127 bytes mid-character
    assert r.json()["user"]["display_name"] == name


def test_an_account_with_a_43_character_name_stays_readable(server, sessions):
    admin = sessions["admin"]
    admin.post("/api/v1/users", json=with_(username="name43_official", display_name="宁" * 43))
    rows = server.sql("SELECT id FROM users WHERE username = 'name43_official'")
    assert len(rows) == 1  # it was written (the answer was 500 nevertheless)
    r = admin.get(f"/api/v1/users/{rows[0][0]}")
    assert r.status_code == 200, r.text  # got 500
    body = admin.get("/api/v1/users", params={"q": "name43", "page_size": 200}).json()
    assert body["total"] == len(body["items"]) == 1  # got total 1 with no items


def test_unknown_county_error_survives_a_long_chinese_county_code(server, sessions):
    snap = server.snapshot()
    r = sessions["admin"].post("/api/v1/users", json=with_(county_code="a" + "县" * 100))
    assert_error(r, 422, "invalid_field", "county_code")  # got 500 internal
    assert server.snapshot() == snap


def test_unknown_field_with_a_long_chinese_name_is_still_named(server, sessions):
    key = "a" + "字" * 30
    r = sessions["admin"].post("/api/v1/users", json=with_(**{key: 1}))
    err = assert_error(r, 422, "unknown_field")
    assert err.get("field") and key.startswith(err["field"])  # got no "field" at all


def test_audit_entry_of_an_account_with_a_long_name_keeps_its_values(server, sessions):
    sessions["admin"].post("/api/v1/users", json=with_(username="name44_official",
                                                       display_name="鲁" * 44))
    rows = server.sql("SELECT a.after_json FROM audit_log a JOIN users u ON u.id = a.entity_id"
                      " WHERE u.username = 'name44_official' AND a.entity = 'user'")
    assert len(rows) == 1
    assert rows[0][0] is not None and "name44_official" in rows[0][0]  # got NULL: "after" lost
