"""The audit log through the API: who sees it, what an entry holds, the
filters, and a chain that stays whole under concurrent writes."""
import concurrent.futures as cf
import time

from conftest import (HOME_COUNTY, ROLES, all_pages, assert_error, audit_total, iso, new_official,
                      run_cli)


def test_audit_entries_name_who_when_what_and_form_a_chain(server, sessions):
    admin, auditor = sessions["admin"], sessions["auditor"]
    u = new_official(admin, "audit_probe_user", role="city_it", county=None)
    r = admin.post(f"/api/v1/users/{u['id']}/lock", json={"locked": True},
                   headers={"X-Request-Id": "audit-lock-probe"})
    assert r.status_code == 200
    items = all_pages(auditor, "/api/v1/audit")
    seqs = [i["seq"] for i in items]
    assert seqs == sorted(seqs, reverse=True), "newest first"
    assert seqs == list(range(seqs[0], seqs[0] - len(seqs), -1)), "no gaps"
    assert len({i["hash"] for i in items}) == len(items)
    lock = next(i for i in items if i["request_id"] == "audit-lock-probe")
    assert lock["entity"] == "user" and lock["entity_id"] == u["id"]
    assert lock["actor_username"] == "admin" and lock["actor_role"] == "admin"
    assert lock["client_addr"] == "127.0.0.1" and lock["at"] == iso(server.now)
    assert lock["before"]["locked"] is False and lock["after"]["locked"] is True
    # the demo set-up is in the log too: its accounts were made by the command line
    made_by_cli = {i["after"]["username"] for i in items if i["actor_role"] == "operator"
                   and i["entity"] == "user" and i["action"] == "create"}
    assert set(ROLES) <= made_by_cli
    assert all(i["actor_username"].startswith("cli:") for i in items if i["actor_role"] == "operator")
    assert min(seqs) == 1
    oldest = auditor.get("/api/v1/audit", params={"page": 10000, "page_size": 1})
    assert oldest.status_code == 200 and oldest.json()["items"] == []


def test_audit_filters_by_entity_actor_and_dates(server, sessions):
    auditor = sessions["auditor"]
    total = audit_total(auditor)
    users = auditor.get("/api/v1/audit", params={"entity": "user", "page_size": 200}).json()
    assert 9 <= users["total"] < total
    assert {i["entity"] for i in users["items"]} == {"user"}
    by_admin = auditor.get("/api/v1/audit", params={"actor": "admin", "page_size": 200}).json()
    assert by_admin["total"] >= 1 and {i["actor_username"] for i in by_admin["items"]} == {"admin"}
    both = auditor.get("/api/v1/audit", params={"actor": "admin", "entity": "session"}).json()
    assert {(i["actor_username"], i["entity"]) for i in both["items"]} == {("admin", "session")}
    # every entry so far is on 2019-07-01 (the test clock)
    assert auditor.get("/api/v1/audit", params={"from": "2019-07-01"}).json()["total"] == total
    assert auditor.get("/api/v1/audit", params={"to": "2019-07-01"}).json()["total"] == total
    assert auditor.get("/api/v1/audit", params={"from": "2019-07-02"}).json()["total"] == 0
    assert auditor.get("/api/v1/audit", params={"to": "2019-06-30"}).json()["total"] == 0
    assert auditor.get("/api/v1/audit", params={"from": "2019-07-01T09:00:01+08:00"}).json()["total"] == 0
    assert auditor.get("/api/v1/audit", params={"entity": "", "actor": ""}).json()["total"] == total
    page = auditor.get("/api/v1/audit", params={"page_size": 3, "page": 2}).json()
    assert page["total"] == total and len(page["items"]) == 3


def test_audit_rejects_bad_filters_by_name(server, sessions):
    auditor = sessions["auditor"]
    for params, field in [({"from": "2019-13-01"}, "from"), ({"from": "yesterday"}, "from"),
                          ({"to": "2019-02-30"}, "to"), ({"to": "2019-07-01T25:00:00Z"}, "to"),
                          ({"page_size": "500"}, "page_size"), ({"page": "-1"}, "page")]:
        assert_error(auditor.get("/api/v1/audit", params=params), 422, "invalid_field", field)


def test_only_auditor_and_admin_read_the_audit_log(server, sessions):
    for role, c in sessions.items():
        r = c.get("/api/v1/audit")
        if role in ("auditor", "admin"):
            assert r.status_code == 200
        else:
            assert_error(r, 403, "forbidden")


def test_concurrent_changes_keep_one_unbroken_audit_chain(server, sessions, tmp_path):
    admin, auditor = sessions["admin"], sessions["auditor"]
    before = audit_total(auditor)
    cookies = admin.cookies.get_dict()

    def retried(send):
        # each of these hashes a password: the Argon2id gate answers 503
        # (Retry-After: 1) rather than let hashing hold every worker
        while True:
            r = send()
            if r.status_code != 503:
                return r.status_code
            assert r.headers.get("Retry-After") == "1"
            time.sleep(0.05)

    def create(i):
        c = server.client()
        for k, v in cookies.items():
            c.cookies.set(k, v)
        return retried(lambda: c.post("/api/v1/users", json={
            "username": f"burst_{i:02d}", "password": "Burst-Pass-2019", "role": "county_it",
            "display_name": f"并发 {i}", "county_code": HOME_COUNTY}))

    def sign_in(role):
        # one connection for all the retries: a new client per retry would
        # leave sockets open until collected and, on a slow machine, run
        # into the server's per-address connection cap (64)
        with server.client() as c:
            return retried(lambda: c.post("/api/v1/auth/login", json={
                "username": role, "password": "Demo-Passw0rd-2019"}))

    with cf.ThreadPoolExecutor(max_workers=12) as ex:
        creates = [ex.submit(create, i) for i in range(24)]
        logins = [ex.submit(sign_in, r) for r in ("provider", "city_it", "evaluator", "auditor") * 2]
        statuses = [f.result() for f in creates]
        login_statuses = [f.result() for f in logins]
    assert statuses == [201] * 24
    assert login_statuses == [200] * 8
    assert audit_total(auditor) == before + 24 + 8
    p = run_cli(["audit", "verify", "--db", str(server.db)], cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "审计链完整" in p.stdout
