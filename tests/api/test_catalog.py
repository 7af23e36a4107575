"""The catalog (目录化管理): approved providers submit items mapped to the
reference catalog, the city publishes or rejects them, edits make new
versions; the published catalog, the provider pages and the negative list
are public and show nothing private."""
import json

import pytest
import requests

from conftest import assert_error, iso
from flows import (catalog_fields, find_strings, new_enterprise, new_provider, ok, published_item,
                   signup)

PRIVATE_KEYS = {"phone", "email", "bank_account", "bank_name", "reviewed_by", "evidence",
                "contact_name", "user_id", "reject_reason", "added_by", "lifted_by"}


def public(server, path, **params):
    """A GET without any cookie."""
    r = requests.get(server.url(path), params=params, timeout=60)
    assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:300]}"
    return r.json()


def public_ids(server, **params):
    body = public(server, "/api/v1/public/catalog", page_size=200, **params)
    return [i["id"] for i in body["items"]]


@pytest.fixture(scope="module")
def own_provider(shared_server, sessions):
    """An approved provider of this module (the demo ones stay untouched)."""
    return new_provider(shared_server, sessions["city_it"])


def test_submitted_item_waits_for_review_and_is_not_public(server, sessions, own_provider):
    fields = catalog_fields(name="待审核测试产品")
    r = own_provider.post("/api/v1/catalog-items", json=fields)
    item = ok(r, 201)
    assert item["status"] == "pending" and item["latest_version"] == 1
    assert item["published_version"] is None
    assert item["provider_id"] == own_provider.party["id"]
    v = item["versions"][0]
    assert v["version"] == 1 and v["name"] == "待审核测试产品" and v["version_status"] == "pending"
    assert v["category"] == "基础设施服务" and v["service"] == "云服务器"
    assert item["id"] not in public_ids(server)
    queue = ok(sessions["city_it"].get("/api/v1/catalog-items",
                                       params={"pending": "true", "page_size": 200}))["items"]
    assert item["id"] in {i["id"] for i in queue}
    # a provider sees only its own items
    mine = ok(own_provider.get("/api/v1/catalog-items", params={"page_size": 200}))["items"]
    assert {i["provider_id"] for i in mine} == {own_provider.party["id"]}
    assert_error(sessions["provider"].get(f"/api/v1/catalog-items/{item['id']}"), 404, "not_found")


def test_publish_puts_the_item_in_the_public_catalog(server, sessions, own_provider):
    item = ok(own_provider.post("/api/v1/catalog-items",
                                json=catalog_fields(name="发布测试对象存储", reference_service_id=9,
                                                    list_price_fen=88800, discount_price_fen=77700)),
              201)
    for role in ("county_it", "admin", "provider", "enterprise"):
        assert_error(sessions[role].post(f"/api/v1/catalog-items/{item['id']}/publish"), 403,
                     "forbidden")
    pub = ok(sessions["city_it"].post(f"/api/v1/catalog-items/{item['id']}/publish"))
    assert pub["status"] == "published" and pub["published_version"] == 1
    assert pub["versions"][0]["reviewed_by"] == "city_it"
    assert pub["versions"][0]["reviewed_at"] == iso(server.now)
    entry = next(i for i in public(server, "/api/v1/public/catalog", page_size=200)["items"]
                 if i["id"] == item["id"])
    assert entry["name"] == "发布测试对象存储" and entry["discount_price_fen"] == 77700
    assert entry["provider_name"] == own_provider.party["name"]
    assert entry["category"] == "基础设施服务" and entry["subcategory"] == "存储"
    assert_error(sessions["city_it"].post(f"/api/v1/catalog-items/{item['id']}/publish"), 409,
                 "invalid_state")


def test_public_catalog_filters(server, sessions, own_provider):
    city_it = sessions["city_it"]
    a = published_item(own_provider, city_it, name="筛选测试甲 云服务器", reference_service_id=1,
                       list_price_fen=12345, discount_price_fen=12000)
    b = published_item(own_provider, city_it, name="筛选测试乙 对象存储", reference_service_id=9,
                       list_price_fen=99999, discount_price_fen=54321)
    assert {a["id"], b["id"]} <= set(public_ids(server))
    # category / subcategory / service (reference ids)
    infra = public(server, "/api/v1/public/catalog", category="基础设施服务", page_size=200)["items"]
    assert {a["id"], b["id"]} <= {i["id"] for i in infra}
    assert all(i["category"] == "基础设施服务" for i in infra)
    apps = public(server, "/api/v1/public/catalog", category="业务应用服务", page_size=200)["items"]
    assert apps and all(i["category"] == "业务应用服务" for i in apps)
    assert not {a["id"], b["id"]} & {i["id"] for i in apps}
    storage = public_ids(server, subcategory="存储")
    assert b["id"] in storage and a["id"] not in storage
    by_service = public(server, "/api/v1/public/catalog", service=1, page_size=200)["items"]
    assert a["id"] in {i["id"] for i in by_service} and b["id"] not in {i["id"] for i in by_service}
    assert all(i["reference_service_id"] == 1 for i in by_service)
    # provider
    assert set(public_ids(server, provider=own_provider.party["id"])) >= {a["id"], b["id"]}
    assert all(i["provider_id"] == own_provider.party["id"] for i in
               public(server, "/api/v1/public/catalog", provider=own_provider.party["id"])["items"])
    # price in fen, on the discounted price, bounds included
    between = public(server, "/api/v1/public/catalog", price_min=12000, price_max=54321,
                     page_size=200)["items"]
    assert {a["id"], b["id"]} <= {i["id"] for i in between}
    assert all(12000 <= i["discount_price_fen"] <= 54321 for i in between)
    assert a["id"] not in public_ids(server, price_min=12001)
    assert b["id"] not in public_ids(server, price_max=54320)
    # free text: item name, provider name or service
    assert public_ids(server, q="筛选测试乙") == [b["id"]]
    assert set(public_ids(server, q=own_provider.party["name"])) >= {a["id"], b["id"]}
    assert public_ids(server, q="没有这种产品") == []
    # combined
    assert public_ids(server, category="基础设施服务", q="筛选测试", price_max=20000) == [a["id"]]
    for bad in ({"price_min": "abc"}, {"price_max": "-1"}, {"service": "x"}, {"page_size": "999"}):
        r = requests.get(server.url("/api/v1/public/catalog"), params=bad, timeout=60)
        assert_error(r, 422, None, next(iter(bad)))


def test_public_catalog_offers_items_within_their_validity(server, sessions):
    """SPEC §4 有效期: the public sees what is on offer (the server's day is
    2019-07-01): an item whose validity ended yesterday is gone from the
    catalog, the provider page and the directory's count, yet is found for
    a signing date within its validity (valid_on, what the contract editor
    asks); its owner still lists it with its dates."""
    city_it = sessions["city_it"]
    assert server.now.date().isoformat() == "2019-07-01"
    prov = new_provider(server, city_it)
    ended = published_item(prov, city_it, name="有效期测试 已过期", valid_from="2019-01-01",
                           valid_until="2019-06-30")
    last_day = published_item(prov, city_it, name="有效期测试 今日截止", valid_from="2019-01-01",
                              valid_until="2019-07-01")
    future = published_item(prov, city_it, name="有效期测试 尚未开始", valid_from="2019-08-01",
                            valid_until="2019-12-31")
    pid = prov.party["id"]
    assert set(public_ids(server, provider=pid)) == {last_day["id"], future["id"]}
    assert set(public_ids(server, provider=pid, valid_on="2019-06-30")) == {ended["id"],
                                                                          last_day["id"]}
    assert set(public_ids(server, provider=pid, valid_on="2019-07-01")) == {last_day["id"]}
    assert set(public_ids(server, provider=pid, valid_on="2019-08-01")) == {future["id"]}
    page = public(server, f"/api/v1/public/providers/{pid}")
    assert {i["id"] for i in page["items"]} == {last_day["id"], future["id"]}
    listed = next(p for p in public(server, "/api/v1/public/providers", q=prov.party["name"])["items"]
                  if p["id"] == pid)
    assert listed["published_items"] == 2
    mine = {i["id"]: i for i in ok(prov.get("/api/v1/catalog-items", params={"page_size": 200}))["items"]}
    assert (mine[ended["id"]]["valid_from"], mine[ended["id"]]["valid_until"]) == ("2019-01-01",
                                                                                 "2019-06-30")
    for bad in ("2019-02-30", "tomorrow"):
        r = requests.get(server.url("/api/v1/public/catalog"), params={"valid_on": bad}, timeout=60)
        assert_error(r, 422, "invalid_field", "valid_on")


def test_edit_makes_version_2_while_the_public_keeps_version_1(server, sessions, own_provider):
    city_it = sessions["city_it"]
    item = published_item(own_provider, city_it, name="版本测试 云主机", discount_price_fen=40000)
    iid = item["id"]
    edited = ok(own_provider.patch(f"/api/v1/catalog-items/{iid}",
                                   json={"name": "版本测试 云主机（升级版）", "discount_price_fen": 42000}))
    assert edited["latest_version"] == 2 and edited["published_version"] == 1
    assert edited["status"] == "published", "the published version stays on offer"
    v2, v1 = edited["versions"]
    assert (v2["version"], v2["version_status"], v2["name"]) == (2, "pending", "版本测试 云主机（升级版）")
    assert (v1["version"], v1["version_status"], v1["name"]) == (1, "published", "版本测试 云主机")
    assert v2["specification"] == v1["specification"], "unchanged fields are carried over"
    seen = next(i for i in public(server, "/api/v1/public/catalog", page_size=200)["items"]
                if i["id"] == iid)
    assert seen["name"] == "版本测试 云主机" and seen["discount_price_fen"] == 40000
    assert seen["version"] == 1
    # a second edit replaces the pending version: only the latest waits
    edited = ok(own_provider.patch(f"/api/v1/catalog-items/{iid}", json={"discount_price_fen": 41000}))
    assert [v["version_status"] for v in edited["versions"]] == ["pending", "superseded", "published"]
    pub = ok(city_it.post(f"/api/v1/catalog-items/{iid}/publish"))
    assert pub["published_version"] == 3
    assert [v["version_status"] for v in pub["versions"]] == ["published", "superseded", "superseded"]
    seen = next(i for i in public(server, "/api/v1/public/catalog", page_size=200)["items"]
                if i["id"] == iid)
    assert seen["name"] == "版本测试 云主机（升级版）" and seen["discount_price_fen"] == 41000
    assert seen["version"] == 3
    assert public_ids(server, q="版本测试").count(iid) == 1, "listed once, not once per version"


def test_bad_item_fields_are_refused_by_name(server, own_provider):
    cases = [({"reference_service_id": 99999}, "reference_service_id"),
             ({"reference_service_id": "1"}, "reference_service_id"),
             ({"discount_price_fen": 60000, "list_price_fen": 50000}, "discount_price_fen"),
             ({"list_price_fen": 0}, "list_price_fen"),
             ({"list_price_fen": 123.5}, "list_price_fen"),
             ({"valid_until": "2018-12-31"}, "valid_until"),
             ({"valid_from": "2019-02-29"}, "valid_from"),
             ({"unit": "每个月的云主机使用费"}, "unit"),
             ({"name": ""}, "name"),
             ({"colour": "red"}, "colour")]
    before = ok(own_provider.get("/api/v1/catalog-items", params={"page_size": 1}))["total"]
    for change, field in cases:
        assert_error(own_provider.post("/api/v1/catalog-items", json=catalog_fields(**change)), 422,
                     None, field)
    assert ok(own_provider.get("/api/v1/catalog-items", params={"page_size": 1}))["total"] == before
    missing = catalog_fields()
    del missing["reference_service_id"]
    assert_error(own_provider.post("/api/v1/catalog-items", json=missing), 422, "missing_field",
                 "reference_service_id")


def test_reject_needs_a_reason_and_the_provider_sees_it(server, sessions, own_provider):
    city_it = sessions["city_it"]
    item = ok(own_provider.post("/api/v1/catalog-items", json=catalog_fields(name="退回测试产品")), 201)
    iid = item["id"]
    assert_error(city_it.post(f"/api/v1/catalog-items/{iid}/reject", json={}), 422, None, "reason")
    r = ok(city_it.post(f"/api/v1/catalog-items/{iid}/reject", json={"reason": "规格描述与参考目录不符"}))
    assert r["status"] == "rejected"
    assert r["versions"][0]["reject_reason"] == "规格描述与参考目录不符"
    mine = ok(own_provider.get(f"/api/v1/catalog-items/{iid}"))
    assert mine["versions"][0]["reject_reason"] == "规格描述与参考目录不符"
    assert iid not in public_ids(server)
    # corrected, it goes back to review as version 2
    again = ok(own_provider.patch(f"/api/v1/catalog-items/{iid}", json={"specification": "4 vCPU / 8 GiB / 100 GiB"}))
    assert again["status"] == "pending" and again["latest_version"] == 2
    # rejecting an edit of a published item keeps the published version on offer
    pub = published_item(own_provider, city_it, name="退回修改测试产品")
    ok(own_provider.patch(f"/api/v1/catalog-items/{pub['id']}", json={"name": "退回修改测试产品（改）"}))
    r = ok(city_it.post(f"/api/v1/catalog-items/{pub['id']}/reject", json={"reason": "名称不规范"}))
    assert r["status"] == "published" and r["published_version"] == 1
    seen = [i for i in public(server, "/api/v1/public/catalog", q="退回修改测试产品")["items"]]
    assert [i["name"] for i in seen] == ["退回修改测试产品"]


def test_withdraw_removes_the_item_from_the_public_catalog(server, sessions, own_provider):
    city_it = sessions["city_it"]
    item = published_item(own_provider, city_it, name="下架测试产品")
    iid = item["id"]
    assert iid in public_ids(server)
    other = new_provider(server, city_it)
    assert_error(other.post(f"/api/v1/catalog-items/{iid}/withdraw"), 404, "not_found")
    assert_error(other.patch(f"/api/v1/catalog-items/{iid}", json={"name": "别人的"}), 404, "not_found")
    r = ok(own_provider.post(f"/api/v1/catalog-items/{iid}/withdraw"))
    assert r["status"] == "withdrawn"
    assert iid not in public_ids(server)
    page = public(server, f"/api/v1/public/providers/{own_provider.party['id']}")
    assert iid not in {i["id"] for i in page["items"]}
    assert_error(own_provider.post(f"/api/v1/catalog-items/{iid}/withdraw"), 409, "invalid_state")
    assert_error(own_provider.patch(f"/api/v1/catalog-items/{iid}", json={"name": "复活"}), 409,
                 "withdrawn")
    assert_error(city_it.post(f"/api/v1/catalog-items/{iid}/publish"), 409, "invalid_state")
    # the city may withdraw too
    item2 = published_item(own_provider, city_it, name="市里下架测试产品")
    assert ok(city_it.post(f"/api/v1/catalog-items/{item2['id']}/withdraw"))["status"] == "withdrawn"
    assert item2["id"] not in public_ids(server)


def test_the_item_list_filters_by_status_and_refuses_an_unknown_one(server, sessions,
                                                                   own_provider):
    """GET /catalog-items?status= takes the item states (pending, published,
    rejected, withdrawn); anything else is a 422 naming status, like every
    other list, rather than an empty list that looks like "no items"."""
    city_it = sessions["city_it"]
    item = published_item(own_provider, city_it, name="状态筛选测试产品")
    published = ok(city_it.get("/api/v1/catalog-items", params={"status": "published",
                                                                 "page_size": 200}))
    assert published["items"] and all(i["status"] == "published" for i in published["items"])
    mine = ok(own_provider.get("/api/v1/catalog-items", params={"status": "published"}))
    assert item["id"] in {i["id"] for i in mine["items"]}
    for bad in ("bogus", "superseded", "PUBLISHED"):
        assert_error(city_it.get("/api/v1/catalog-items", params={"status": bad}), 422,
                     "invalid_field", "status")


def test_public_provider_list_filters_by_kind_and_refuses_an_unknown_one(server):
    """The public provider list's kind (policy 附件1: platform, industry,
    application) narrows the list; an unknown kind is a 422 naming kind,
    not an empty list that says the city has no such providers."""
    everyone = public(server, "/api/v1/public/providers", page_size=200)["items"]
    platforms = public(server, "/api/v1/public/providers", kind="platform", page_size=200)["items"]
    assert platforms and all(p["kind"] == "platform" for p in platforms)
    assert len(platforms) < len(everyone)
    r = requests.get(server.url("/api/v1/public/providers"), params={"kind": "bank"}, timeout=30)
    assert_error(r, 422, "invalid_field", "kind")


def test_a_provider_not_yet_approved_cannot_submit_items(server, sessions):
    fresh, r = signup(server, "provider", county=None)
    assert r.status_code == 201
    assert_error(fresh.post("/api/v1/catalog-items", json=catalog_fields()), 409,
                 "provider_not_approved")
    submitted = new_provider(server, state="submitted")
    assert_error(submitted.post("/api/v1/catalog-items", json=catalog_fields()), 409,
                 "provider_not_approved")
    assert_error(sessions["enterprise"].post("/api/v1/catalog-items", json=catalog_fields()), 403,
                 "forbidden")
    assert_error(sessions["city_it"].post("/api/v1/catalog-items", json=catalog_fields()), 403,
                 "forbidden")


def test_public_endpoints_need_no_login_and_show_nothing_private(server, sessions):
    secrets = set()
    for row in server.sql("SELECT phone, email, bank_account, contact_name FROM providers"):
        secrets |= {v for v in row if v}
    for row in server.sql("SELECT evidence FROM negative_list"):
        secrets |= {v for v in row if v}
    assert secrets
    providers = public(server, "/api/v1/public/providers", page_size=200)
    assert providers["total"] >= 3 and all(p["kind"] for p in providers["items"])
    names = {p["name"] for p in providers["items"]}
    assert "齐鲁云计算服务有限公司" in names
    pages = [public(server, f"/api/v1/public/providers/{p['id']}") for p in providers["items"]]
    assert any(pg["items"] for pg in pages)
    bodies = {
        "catalog": public(server, "/api/v1/public/catalog", page_size=200),
        "providers": providers,
        "provider pages": pages,
        "negative list": public(server, "/api/v1/public/negative-list", page_size=200),
        "reference catalog": public(server, "/api/v1/public/reference-catalog"),
    }
    assert bodies["negative list"]["total"] >= 1
    for what, body in bodies.items():
        assert find_strings(body, PRIVATE_KEYS) == [], what
        text = json.dumps(body, ensure_ascii=False)
        leaked = [s for s in secrets if s in text]
        assert leaked == [], f"{what} shows {leaked}"
    # reviewers' workflow fields stay out of the public catalog
    item = bodies["catalog"]["items"][0]
    assert "status" not in item and "version_status" not in item and "reviewed_at" not in item
    # a provider that is not approved has no public page
    draft, _ = signup(server, "provider", county=None)
    assert_error(requests.get(server.url(f"/api/v1/public/providers/{draft.party['id']}"), timeout=60),
                 404, "not_found")
    ref = bodies["reference catalog"]
    assert ref["total"] == 93 and len({i["category"] for i in ref["items"]}) == 3


def test_negative_list_disqualifies_is_public_and_blocks_sign_up_until_lifted(server, sessions):
    city_it = sessions["city_it"]
    county_it = sessions["county_it"]
    e = new_enterprise(server, county_it, name="负面清单测试企业有限公司")
    uscc = e.party["uscc"]
    for role in ("county_it", "admin", "auditor", "enterprise"):
        assert_error(sessions[role].post("/api/v1/negative-list", json={
            "uscc": uscc, "reason": "x", "evidence": "y"}), 403, "forbidden")
    for bad, field in (({"reason": ""}, "reason"), ({"evidence": ""}, "evidence"),
                       ({"uscc": uscc[:-1] + ("0" if uscc[-1] != "0" else "1")}, "uscc")):
        body = {"uscc": uscc, "reason": "虚报合同金额", "evidence": "检查记录", **bad}
        assert_error(city_it.post("/api/v1/negative-list", json=body), 422, None, field)
    entry = ok(city_it.post("/api/v1/negative-list", json={
        "uscc": uscc.lower(), "reason": "虚报云服务合同金额，套取财政补贴",
        "evidence": "专项检查记录 JN-TEST-042：合同与发票金额不符"}), 201)
    assert entry["uscc"] == uscc and entry["name"] == "负面清单测试企业有限公司"
    assert entry["added_by"] == "city_it" and entry["added_at"] == iso(server.now)
    assert_error(city_it.post("/api/v1/negative-list", json={
        "uscc": uscc, "reason": "重复", "evidence": "重复"}), 409, "already_listed", "uscc")
    # the party is disqualified
    assert ok(e.get("/api/v1/enterprises/mine"))["status"] == "disqualified"
    assert ok(county_it.get(f"/api/v1/enterprises/{e.party['id']}"))["status"] == "disqualified"
    # the public list shows it, without the evidence
    listed = public(server, "/api/v1/public/negative-list", page_size=200)["items"]
    row = next(i for i in listed if i["uscc"] == uscc)
    assert row["reason"] == "虚报云服务合同金额，套取财政补贴" and row["name"] == "负面清单测试企业有限公司"
    assert "evidence" not in row and "JN-TEST-042" not in json.dumps(listed, ensure_ascii=False)
    # officials with the right see the evidence
    full = ok(sessions["auditor"].get("/api/v1/negative-list", params={"page_size": 200}))["items"]
    assert next(i for i in full if i["id"] == entry["id"])["evidence"].startswith("专项检查记录")
    # the code cannot sign up again, under either role
    _, r = signup(server, "enterprise", uscc=uscc)
    assert_error(r, 403, "negative_list", "uscc")
    _, r = signup(server, "provider", uscc=uscc, county=None)
    assert_error(r, 403, "negative_list", "uscc")
    # lifting needs a reason, and sends the party back to review
    assert_error(city_it.post(f"/api/v1/negative-list/{entry['id']}/lift", json={}), 422, None, "reason")
    lifted = ok(city_it.post(f"/api/v1/negative-list/{entry['id']}/lift",
                             json={"reason": "复查后撤销处理决定"}))
    assert lifted["lifted_by"] == "city_it" and lifted["lift_reason"] == "复查后撤销处理决定"
    assert ok(e.get("/api/v1/enterprises/mine"))["status"] == "submitted"
    assert uscc not in {i["uscc"] for i in public(server, "/api/v1/public/negative-list",
                                                  page_size=200)["items"]}
    assert e.party["id"] in {x["id"] for x in ok(county_it.get(
        "/api/v1/enterprises", params={"status": "submitted", "page_size": 200}))["items"]}
    assert ok(county_it.post(f"/api/v1/enterprises/{e.party['id']}/approve"))["status"] == "approved"
    assert_error(city_it.post(f"/api/v1/negative-list/{entry['id']}/lift", json={"reason": "again"}),
                 409, "already_lifted")
    assert_error(city_it.post("/api/v1/negative-list/01ZZZZZZZZZZZZZZZZZZZZZZZZ/lift",
                              json={"reason": "x"}), 404, "not_found")
    # the history stays with the officials
    full = ok(city_it.get("/api/v1/negative-list", params={"page_size": 200}))["items"]
    assert next(i for i in full if i["id"] == entry["id"])["lifted_at"] == iso(server.now)


def test_listing_a_provider_takes_its_items_and_page_off_the_public_catalog(server, sessions):
    city_it = sessions["city_it"]
    p = new_provider(server, city_it)
    item = published_item(p, city_it, name="负面清单服务商的产品")
    assert item["id"] in public_ids(server)
    entry = ok(city_it.post("/api/v1/negative-list", json={
        "uscc": p.party["uscc"], "reason": "虚开发票", "evidence": "税务稽查通报"}), 201)
    assert ok(p.get("/api/v1/providers/mine"))["status"] == "disqualified"
    assert item["id"] not in public_ids(server)
    assert p.party["id"] not in {x["id"] for x in public(server, "/api/v1/public/providers",
                                                         page_size=200)["items"]}
    assert_error(requests.get(server.url(f"/api/v1/public/providers/{p.party['id']}"), timeout=60),
                 404, "not_found")
    assert_error(p.post("/api/v1/catalog-items", json=catalog_fields()), 409, "provider_not_approved")
    ok(city_it.post(f"/api/v1/negative-list/{entry['id']}/lift", json={"reason": "已整改"}))
    assert ok(p.get("/api/v1/providers/mine"))["status"] == "submitted"
    assert item["id"] not in public_ids(server), "back on offer only once approved again"
    ok(city_it.post(f"/api/v1/providers/{p.party['id']}/approve"))
    assert item["id"] in public_ids(server)
