"""Findings of an outside check against SPEC.md §1–§6 (black box: the API
only), each a rule a tester following the SPEC would check."""
import datetime as dt
import re

from conftest import CST
from flows import (SERVER_8C, assert_ledger_sound, catalog_line, demo_item, draft_by_provider,
                   new_enterprise, ok)

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
