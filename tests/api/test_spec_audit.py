"""Findings of an outside check against SPEC.md §1–§6 (black box: the API
only), each a rule a tester following the SPEC would check."""
import datetime as dt
import re

from conftest import CST, assert_error, has_cjk
from flows import (SERVER_8C, assert_ledger_sound, catalog_line, demo_item, draft_by_provider,
                   new_enterprise, ok, relogin)

ISO_INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")
ZOUCHENG = "370883"  # the demo funds it with ¥1,000 and one application waits


def assert_instant(value, what):
    """SPEC §13: instants are ISO 8601 with an offset, never epoch numbers."""
    assert isinstance(value, str) and ISO_INSTANT.match(value), f"{what}: {value!r}"
    return dt.datetime.fromisoformat(value)


def test_the_confirmation_answer_shows_its_instants_in_iso_8601(server, sessions):
    """The voucher issued (201) and the place in the waitlist (202) that a
    confirmation answers with carry their instants like every other answer."""
    item = demo_item(server, SERVER_8C)
    prov = sessions["provider"]
    e = new_enterprise(server, sessions["county_it"])
    c = draft_by_provider(prov, e.party["id"], [catalog_line(item, 3, 99000)])
    body = ok(e.post(f"/api/v1/contracts/{c['id']}/confirm"), 201)
    at = assert_instant(body["voucher"]["issued_at"], "voucher.issued_at")
    assert at == server.now.astimezone(CST)
    assert body["voucher"]["issued_at"] == ok(e.get(f"/api/v1/vouchers/{body['voucher']['id']}"))["issued_at"]

    zit = server.login("county_it_" + ZOUCHENG)
    w = new_enterprise(server, zit, county=ZOUCHENG)
    c = draft_by_provider(prov, w.party["id"], [catalog_line(item, 10, 99000)])
    body = ok(w.post(f"/api/v1/contracts/{c['id']}/confirm"), 202)
    assert_instant(body["waitlist"]["confirmed_at"], "waitlist.confirmed_at")
    listed = ok(zit.get("/api/v1/waitlist", params={"county": ZOUCHENG, "page_size": 200}))["items"]
    assert [x["confirmed_at"] for x in listed if x["id"] == body["waitlist"]["id"]] == \
        [body["waitlist"]["confirmed_at"]]
    assert_ledger_sound(server)


def test_ledger_transfers_show_their_instants_in_iso_8601(server, sessions):
    items = ok(sessions["auditor"].get("/api/v1/ledger/transfers", params={"page_size": 20}))["items"]
    assert items
    for t in items:
        assert_instant(t["created_at"], f"transfer {t['id']} created_at")


def test_city_it_closes_the_queue_after_the_window_and_what_waits_lapses(fresh_server):
    """SPEC §5: after the program's window ends, city_it may close the
    queue; what still waits then lapses, with notice to the enterprise (its
    contract shows the application lapsed and why). Before the end: 409 and
    nothing changes; other roles: 403."""
    s = fresh_server
    item = demo_item(s, SERVER_8C)
    zit = s.login("county_it_" + ZOUCHENG)
    e = new_enterprise(s, zit, county=ZOUCHENG)
    c = draft_by_provider(s.login("provider"), e.party["id"], [catalog_line(item, 10, 99000)])
    ok(e.post(f"/api/v1/contracts/{c['id']}/confirm"), 202)
    city_it = s.login("city_it")
    path = "/api/v1/programs/jining-2018/waitlist/close"

    def waiting():
        return ok(city_it.get("/api/v1/waitlist", params={"county": ZOUCHENG}))["total"]

    assert waiting() == 2  # the demo's application and this one
    before = s.snapshot(["waitlist", "waitlist_queues"])
    err = assert_error(city_it.post(path, json={}), 409, "program_window_open")
    assert "2020-12-31" in err["message"]
    for role in ("county_it", "city_finance", "auditor", "admin"):
        assert_error(s.login(role).post(path, json={}), 403)
    assert_error(city_it.post("/api/v1/programs/no-such-program/waitlist/close", json={}), 404)
    assert s.snapshot(["waitlist", "waitlist_queues"]) == before

    s.set_clock(dt.datetime(2021, 1, 4, 9, 0, tzinfo=CST))
    city_it = s.login("city_it")
    before = s.snapshot(["waitlist", "waitlist_queues"])
    assert_error(city_it.post(path, json={"reason": "坏\u0001原因"}), 422, field="reason")
    assert_error(city_it.post(path, json={"reason": "长" * 501}), 422, field="reason")
    assert s.snapshot(["waitlist", "waitlist_queues"]) == before
    body = ok(city_it.post(path))
    assert body["lapsed"] == 2 and body["program_id"] == "jining-2018"
    assert waiting() == 0
    lapsed = ok(city_it.get("/api/v1/waitlist", params={"county": ZOUCHENG, "status": "lapsed"}))
    assert lapsed["total"] == 2
    assert {(x["status"], x["status_name"]) for x in lapsed["items"]} == {("lapsed", "已失效")}
    mine = ok(relogin(s, e).get(f"/api/v1/contracts/{c['id']}"))["waitlist"]
    assert mine["status"] == "lapsed" and has_cjk(mine["close_reason"])
    # money that comes free later serves nobody from a closed queue
    fin = s.login("city_finance")
    ok(fin.post(f"/api/v1/budgets/{ZOUCHENG}/2020/fund", json={
        "amount_fen": 10_000_000, "source": "city_award", "reference": "关闭后拨入"}), 201)
    assert ok(fin.get("/api/v1/vouchers", params={"county": ZOUCHENG}))["total"] == 0
    assert ok(city_it.post(path, json={"reason": "再次关闭"}))["lapsed"] == 0
    audit = ok(s.login("auditor").get("/api/v1/audit", params={"entity": "waitlist", "page_size": 50}))
    lapses = [a for a in audit["items"] if a.get("action") == "lapse"]
    assert len(lapses) == 2 and all(has_cjk(a["action_name"]) for a in lapses), lapses
    assert_ledger_sound(s)
