"""Issue 11: the home page's 待办 (GET /api/v1/work/pending) counts the work
waiting for a role outside redemption too: registrations and catalog
versions to review, contracts the other side drafted waiting for this side's
confirmation. Each count moves when that work appears, for the role (and
county) it waits for only."""
from conftest import HOME_COUNTY, OTHER_COUNTY
from flows import (SERVER_8C, catalog_fields, catalog_line, demo_item, draft_by_provider,
                   new_enterprise, new_provider, ok)

PROGRAM = "jining-2018"


def pending(client):
    return ok(client.get("/api/v1/work/pending"))


def test_reviews_waiting_are_counted_for_the_reviewer(server, sessions):
    county_it, city_it = sessions["county_it"], sessions["city_it"]
    before, city_before = pending(county_it), pending(city_it)
    assert "providers_to_review" not in before and "enterprises_to_review" not in city_before

    new_enterprise(server, state="submitted", county=HOME_COUNTY)
    new_enterprise(server, state="submitted", county=OTHER_COUNTY)  # not this county's work
    assert pending(county_it)["enterprises_to_review"] == before["enterprises_to_review"] + 1

    provider = new_provider(server, city_it=city_it)
    new_provider(server, state="submitted")
    ok(provider.post("/api/v1/catalog-items", json=catalog_fields()), 201)
    after = pending(city_it)
    assert after["providers_to_review"] == city_before["providers_to_review"] + 1
    assert after["catalog_to_review"] == city_before["catalog_to_review"] + 1
    for role in ("auditor", "admin", "evaluator"):
        assert not {"enterprises_to_review", "providers_to_review", "catalog_to_review",
                    "contracts_to_confirm"} & set(pending(sessions[role])), role


def test_a_contract_waits_for_the_side_that_did_not_draft_it(server, sessions):
    enterprise, provider = sessions["enterprise"], sessions["provider"]
    e0, p0 = pending(enterprise)["contracts_to_confirm"], pending(provider)["contracts_to_confirm"]
    eid = ok(enterprise.get("/api/v1/enterprises/mine"))["id"]
    item = demo_item(server, SERVER_8C)
    c = draft_by_provider(provider, eid, [catalog_line(item, 2, 99000)], program_id=PROGRAM)
    assert pending(enterprise)["contracts_to_confirm"] == e0 + 1
    assert pending(provider)["contracts_to_confirm"] == p0
    ok(provider.post(f"/api/v1/contracts/{c['id']}/cancel"))
    assert pending(enterprise)["contracts_to_confirm"] == e0
