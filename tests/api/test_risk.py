"""Risk signals on contracts (SPEC §8): shown to officials, never to the
parties, and never acting by themselves (the contract still confirms)."""
from flows import (catalog_line, draft_by_provider, new_enterprise, new_provider, ok,
                   published_item, unique_phone, enterprise_profile, provider_profile)

PROGRAM = "jining-2018"  # the clock of the suite is in 2019: 25 %, cap ¥50,000


def codes(contract):
    return {w["code"] for w in contract.get("warnings", [])}


def test_related_party_and_base_just_above_the_cap_are_flagged(server, sessions):
    county_it, city_it = sessions["county_it"], sessions["city_it"]
    phone = unique_phone()
    provider = new_provider(server, city_it, profile=provider_profile(phone=phone))
    enterprise = new_enterprise(server, county_it, profile=enterprise_profile(phone=phone))
    item = published_item(provider, city_it, list_price_fen=30_000_000,
                          discount_price_fen=30_000_000)
    # ¥50,000 / 25 % = ¥200,000 is where the cap starts; ¥201,000 is just above it
    c = draft_by_provider(provider, enterprise.party["id"],
                          [catalog_line(item["id"], 1, 20_100_000)], program_id=PROGRAM)
    seen = ok(county_it.get(f"/api/v1/contracts/{c['id']}"))
    assert {"related_party_phone", "base_just_above_cap"} <= codes(seen)
    assert all(w["message"] for w in seen["warnings"])
    # the parties do not see the reviewers' signals
    assert "warnings" not in ok(enterprise.get(f"/api/v1/contracts/{c['id']}"))
    assert "warnings" not in ok(provider.get(f"/api/v1/contracts/{c['id']}"))
    # signals never act by themselves: the contract confirms and the voucher is capped
    r = enterprise.post(f"/api/v1/contracts/{c['id']}/confirm")
    assert r.status_code == 201, r.text
    assert r.json()["voucher"]["amount_fen"] == 5_000_000


def test_an_ordinary_contract_has_no_signals(server, sessions):
    county_it, city_it = sessions["county_it"], sessions["city_it"]
    provider = new_provider(server, city_it)
    enterprise = new_enterprise(server, county_it)
    item = published_item(provider, city_it)
    c = draft_by_provider(provider, enterprise.party["id"], [catalog_line(item["id"], 12, 45_000)],
                          program_id=PROGRAM)
    assert codes(ok(county_it.get(f"/api/v1/contracts/{c['id']}"))) == set()
    assert ok(sessions["auditor"].get(f"/api/v1/contracts/{c['id']}"))["warnings"] == []


def test_a_burst_of_contracts_by_one_provider_is_flagged(server, sessions):
    county_it, city_it = sessions["county_it"], sessions["city_it"]
    provider = new_provider(server, city_it)
    item = published_item(provider, city_it)
    enterprise = new_enterprise(server, county_it)
    last = None
    for _ in range(10):
        last = draft_by_provider(provider, enterprise.party["id"],
                                 [catalog_line(item["id"], 1, 45_000)], program_id=PROGRAM)
    assert "provider_burst" in codes(ok(county_it.get(f"/api/v1/contracts/{last['id']}")))
