"""Sign-up consent and the business licence (issue 11): a sign-up that
declines the user agreement and privacy notice is refused and leaves
nothing; the consent is recorded with its version and time (a client of
the SPEC's sign-up body, which has no consent member, signs up with none
recorded); the licence
(营业执照) is checked by content and size, stored with the registration,
shown to the reviewer, and fetched only by the applicant and reviewers.
The site's footer comes from the operator's configuration."""
import hashlib

import requests

from conftest import HOME_COUNTY, Server, assert_error, new_official
from flows import (JPEG_BYTES, PDF_BYTES, PNG_BYTES, HTML_BYTES, SIGNUP_PASSWORD, make_uscc,
                   new_enterprise, ok, signup, unique_number)


def body(**over):
    n = unique_number()
    b = {"role": "enterprise", "username": f"cons{n}", "password": SIGNUP_PASSWORD,
         "uscc": make_uscc(HOME_COUNTY), "name": f"同意测试企业{n}有限公司",
         "county_code": HOME_COUNTY}
    b.update(over)
    return b


def upload(client, kind, pid, data, name="营业执照.pdf"):
    return client.post(f"/api/v1/{kind}/{pid}/licence",
                       files={"file": (name, data, "application/octet-stream")})


def test_sign_up_without_consent_is_refused_and_leaves_nothing(server):
    users = server.sql("SELECT COUNT(*) FROM users")[0][0]
    for b in (body(consent=False), body(consent=False, consent_version="2026-1")):
        r = requests.post(server.url("/api/v1/auth/signup"), json=b, timeout=60)
        err = assert_error(r, 400, "consent_required", "consent")
        assert "用户协议" in err["message"] and "隐私政策" in err["message"]
        assert "yq_session" not in r.cookies
    assert_error(requests.post(server.url("/api/v1/auth/signup"), json=body(consent="yes"),
                               timeout=60), 422, "wrong_type", "consent")
    assert server.sql("SELECT COUNT(*) FROM users")[0][0] == users


def test_the_specs_sign_up_body_signs_up_with_no_consent_recorded(server):
    """SPEC §13's body: {role, username, password, uscc, name, county_code}."""
    r = requests.post(server.url("/api/v1/auth/signup"), json=body(), timeout=60)
    assert r.status_code == 201, r.text
    uid = r.json()["user"]["id"]
    assert server.sql("SELECT COUNT(*) FROM signup_consents WHERE user_id = ?", uid)[0][0] == 0


def test_consent_is_recorded_with_the_version_shown(server):
    agreements = ok(requests.get(server.url("/api/v1/public/agreements"), timeout=30))
    assert agreements["version"] and "用户协议" in agreements["user_agreement"]
    assert "隐私政策" in agreements["privacy_notice"]
    stale = body(consent=True, consent_version="1999-0")
    assert_error(requests.post(server.url("/api/v1/auth/signup"), json=stale, timeout=60), 409,
                 "agreement_changed", "consent_version")
    b = body(consent=True, consent_version=agreements["version"])
    r = requests.post(server.url("/api/v1/auth/signup"), json=b, timeout=60)
    assert r.status_code == 201, r.text
    uid = r.json()["user"]["id"]
    (version, at, addr), = server.sql(
        "SELECT version, accepted_at, client_addr FROM signup_consents WHERE user_id = ?", uid)
    assert version == agreements["version"] and at > 0 and addr


def test_licence_is_checked_by_content_and_size(server):
    c, r = signup(server, "enterprise")
    eid = c.party["id"]
    assert_error(upload(c, "enterprises", eid, HTML_BYTES, "营业执照.pdf"), 422, field="file")
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)
    assert_error(upload(c, "enterprises", eid, big), 413, "file_too_large", "file")
    assert c.get(f"/api/v1/enterprises/{eid}").json().get("licence") is None
    for data, ctype in ((PNG_BYTES, "image/png"), (JPEG_BYTES, "image/jpeg"),
                        (PDF_BYTES, "application/pdf")):
        a = ok(upload(c, "enterprises", eid, data), 201)
        assert a["content_type"] == ctype and a["size"] == len(data)
    # the last one replaces the ones before
    lic = ok(c.get(f"/api/v1/enterprises/{eid}"))["licence"]
    assert lic["content_type"] == "application/pdf" and lic["filename"] == "营业执照.pdf"
    assert list((server.dir / "var" / "files").rglob(hashlib.sha256(PDF_BYTES).hexdigest()))
    got = c.get(f"/api/v1/enterprises/{eid}/licence")
    assert got.status_code == 200 and got.content == PDF_BYTES
    assert got.headers["Content-Type"].startswith("application/pdf")
    # a provider's licence, too
    p, _ = signup(server, "provider")
    ok(upload(p, "providers", p.party["id"], PNG_BYTES, "执照.png"), 201)
    assert p.get(f"/api/v1/providers/{p.party['id']}/licence").content == PNG_BYTES


def test_only_the_applicant_and_reviewers_fetch_the_licence(server, sessions):
    c, _ = signup(server, "enterprise")
    eid = c.party["id"]
    ok(upload(c, "enterprises", eid, PDF_BYTES), 201)
    # the county's reviewer sees it in the record and fetches it
    reviewer = sessions["county_it"]
    lic = ok(reviewer.get(f"/api/v1/enterprises/{eid}"))["licence"]
    assert lic["size"] == len(PDF_BYTES)
    r = reviewer.get(f"/api/v1/enterprises/{eid}/licence")
    assert r.status_code == 200 and hashlib.sha256(r.content).digest() == hashlib.sha256(
        PDF_BYTES).digest()
    assert sessions["city_it"].get(f"/api/v1/enterprises/{eid}/licence").content == PDF_BYTES
    # another enterprise, a provider, another county's reviewer: nothing
    other, _ = signup(server, "enterprise")
    assert_error(other.get(f"/api/v1/enterprises/{eid}/licence"), 404)
    foreign = PDF_BYTES + f"%{unique_number()}\n".encode()
    assert_error(upload(other, "enterprises", eid, foreign), 404, "not_found")
    stored = list((server.dir / "var" / "files").rglob(hashlib.sha256(foreign).hexdigest()))
    assert stored == [], "another's upload stored nothing"
    assert_error(sessions["provider"].get(f"/api/v1/enterprises/{eid}/licence"), 403)
    n = unique_number()
    new_official(sessions["admin"], f"cit{n}", county="370812")
    far = server.login(f"cit{n}", "Officer-Pass-2019")
    assert_error(far.get(f"/api/v1/enterprises/{eid}/licence"), 404)
    # an official who is no reviewer sees the record but not the licence
    assert "licence" not in ok(sessions["auditor"].get(f"/api/v1/enterprises/{eid}"))
    assert_error(sessions["auditor"].get(f"/api/v1/enterprises/{eid}/licence"), 403)


def test_the_licence_no_longer_changes_once_approved(server, sessions):
    e = new_enterprise(server, sessions["county_it"])
    assert_error(upload(e, "enterprises", e.party["id"], PDF_BYTES), 409, "invalid_state")
    assert "licence" not in ok(e.get(f"/api/v1/enterprises/{e.party['id']}"))


def test_site_footer_comes_from_the_configuration(tmp_path, template_db):
    plain = Server(tmp_path / "plain", template_db).start()
    try:
        r = requests.get(plain.url("/api/v1/public/site"), timeout=30)
        assert r.status_code == 200 and r.json() == {}
        assert "max-age" in r.headers["Cache-Control"]
    finally:
        assert not plain.stop()
    agreement = tmp_path / "agreement.txt"
    agreement.write_text("本平台用户协议（测试文本）\n第一条……\n", encoding="utf-8")
    s = Server(tmp_path / "site", template_db,
               extra_args=["--site-host-org", "济宁市工业和信息化局", "--site-icp",
                           "鲁ICP备00000000号", "--agreement-file", str(agreement),
                           "--agreement-version", "2026-2"],
               env={"YUNQUAN_SITE_GOV_CODE": "3708000000"}).start()
    try:
        site = ok(requests.get(s.url("/api/v1/public/site"), timeout=30))
        assert site == {"host_org": "济宁市工业和信息化局", "icp": "鲁ICP备00000000号",
                        "gov_code": "3708000000"}
        a = ok(requests.get(s.url("/api/v1/public/agreements"), timeout=30))
        assert a["version"] == "2026-2" and a["user_agreement"].startswith("本平台用户协议（测试文本）")
        assert "隐私政策" in a["privacy_notice"]  # the built-in one
    finally:
        assert not s.stop()
