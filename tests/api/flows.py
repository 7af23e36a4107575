"""Shared steps for the registration, catalog, contract and voucher tests:
valid USCCs, signing parties up and through review, drafting contracts,
the ledger and audit commands, and seeding a rush of confirmations straight
into the SQLite file (2,000 sign-ups through the API would cost 2,000
Argon2id hashes).

Used by test_registration.py, test_catalog.py, test_contracts.py,
test_concurrency.py, test_crash.py and bench/vouchers.py.
"""
import itertools
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

import dbs
from conftest import SANITIZER_MARKS, START, Client, Server, iso, run_cli

# -- USCC (GB 32100-2015 with the GB 11714 organisation code) -----------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_check_char(org8):
    """GB 11714: check digit over 8 characters (digits, letters A=10 … Z=35)."""
    total = 0
    for ch, w in zip(org8, ORG_WEIGHTS):
        v = int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10
        total += v * w
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_check_char(first17):
    """GB 32100: check character over the first 17 characters."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    c = 31 - total % 31
    return USCC_ALPHABET[0 if c == 31 else c]


def make_uscc(division="370811", org_body=None, kind="91"):
    """A valid 18-character USCC: kind (2) + division (6) + organisation
    code (8 + check digit) + check character."""
    if org_body is None:
        org_body = next_org_body()
    assert len(division) == 6 and len(org_body) == 8
    first16 = kind + division + org_body + org_check_char(org_body)
    return first16 + uscc_check_char(first16)


assert make_uscc("350100", "M000100Y") == "91350100M000100Y43"
assert make_uscc("110000", "60003734") == "91110000600037341L"

# Random start so that two runs on one database do not collide; the demo
# uses organisation codes "MA3C….", these are all digits.
_org_counter = itertools.count(random.randrange(10_000_000, 90_000_000))
_org_lock = threading.Lock()


def next_org_body():
    with _org_lock:
        return f"{next(_org_counter):08d}"


_unique = itertools.count(random.randrange(1000, 9000) * 10_000)


def unique_number():
    with _org_lock:
        return next(_unique)


def unique_phone():
    return "137" + f"{unique_number() % 100_000_000:08d}"


def with_wrong_check_char(code):
    """The same string with a different last character (from the USCC alphabet)."""
    last = code[-1]
    other = next(c for c in USCC_ALPHABET if c != last)
    return code[:-1] + other


# -- sign-up and review ---------------------------------------------------------

SIGNUP_PASSWORD = "Signup-Passw0rd-2019"


def signup(server, role, uscc=None, name=None, county="370811", username=None,
           password=SIGNUP_PASSWORD):
    """POST /auth/signup; returns (Client, response). The client is signed in
    when the answer is 201."""
    n = unique_number()
    c = server.client()
    body = {"role": role, "username": username or f"{role[:3]}{n}", "password": password,
            "uscc": uscc or make_uscc(county if role == "enterprise" else "370811"), "consent": True,
            "name": name or (f"测试企业{n}有限公司" if role == "enterprise" else f"测试云服务商{n}有限公司")}
    if county is not None and role == "enterprise":
        body["county_code"] = county
    r = c.post("/api/v1/auth/signup", json=body)
    if r.status_code == 201:
        c.user = r.json()["user"]
        c.party = r.json()[role]
    return c, r


def enterprise_profile(**over):
    n = unique_number()
    p = {"legal_rep": f"法人{n}", "address": f"济宁市测试路 {n % 1000} 号",
         "phone": unique_phone(), "email": f"e{n}@qiye.example.cn",
         "independent_legal_person": True, "industry": "C", "employees": 50,
         "priority_flags": ["tech"], "key_industry_tags": ["高端装备"]}
    p.update(over)
    return p


def provider_profile(**over):
    n = unique_number()
    p = {"kind": "platform", "qualifications": "ISO 27001；可信云服务认证",
         "contact_name": f"联系人{n % 1000}", "phone": unique_phone(),
         "email": f"p{n}@cloud.example.cn", "address": "济宁市高新区测试大道 1 号",
         "bank_name": "中国工商银行济宁分行", "bank_account": f"6222{n:012d}"[:19]}
    p.update(over)
    return p


def ok(r, status=200):
    assert r.status_code == status, f"expected {status}, got {r.status_code}: {r.text[:800]}"
    return r.json()


def new_enterprise(server, reviewer=None, county="370811", profile=None, name=None, uscc=None,
                   state="approved"):
    """An enterprise signed up, with a full profile, and taken to `state`
    (draft, submitted, approved, rejected) by `reviewer` (the county's
    county_it client). Returns the enterprise's signed-in Client (.party)."""
    c, r = signup(server, "enterprise", county=county, name=name, uscc=uscc)
    ok(r, 201)
    pid = c.party["id"]
    c.party = ok(c.patch(f"/api/v1/enterprises/{pid}", json=profile or enterprise_profile()))
    if state == "draft":
        return c
    c.party = ok(c.post(f"/api/v1/enterprises/{pid}/submit"))
    if state == "submitted":
        return c
    if state == "approved":
        c.party = ok(reviewer.post(f"/api/v1/enterprises/{pid}/approve"))
    elif state == "rejected":
        c.party = ok(reviewer.post(f"/api/v1/enterprises/{pid}/reject",
                                   json={"reason": "材料不全"}))
    assert c.party["status"] == state
    return c


def relogin(server, client, password=SIGNUP_PASSWORD):
    """A fresh sign-in for a signed-up party (after the clock moved past the
    session timeouts); keeps .party."""
    c = server.login(client.user["username"], password)
    c.party = client.party
    return c


def new_provider(server, city_it=None, state="approved", profile=None):
    c, r = signup(server, "provider", county=None)
    ok(r, 201)
    pid = c.party["id"]
    c.party = ok(c.patch(f"/api/v1/providers/{pid}", json=profile or provider_profile()))
    if state == "draft":
        return c
    c.party = ok(c.post(f"/api/v1/providers/{pid}/submit"))
    if state == "approved":
        c.party = ok(city_it.post(f"/api/v1/providers/{pid}/approve"))
    assert c.party["status"] == state
    return c


def catalog_fields(**over):
    f = {"reference_service_id": 1, "name": f"测试云主机 {unique_number()}",
         "description": "测试用云服务器，含 7×24 小时支持。", "specification": "4 vCPU / 8 GiB",
         "unit": "月", "list_price_fen": 50000, "discount_price_fen": 45000,
         "valid_from": "2019-01-01", "valid_until": "2025-12-31"}
    f.update(over)
    return f


def published_item(provider, city_it, **over):
    item = ok(provider.post("/api/v1/catalog-items", json=catalog_fields(**over)), 201)
    return ok(city_it.post(f"/api/v1/catalog-items/{item['id']}/publish"))


# -- demo data lookups ------------------------------------------------------------

def demo_item(server, name):
    """The id of a published demo catalog item by its name."""
    rows = server.sql("SELECT i.id FROM catalog_items i JOIN catalog_item_versions v ON"
                      " v.item_id = i.id AND v.version = i.published_version WHERE v.name = ?",
                      name)
    assert rows, name
    return rows[0][0]


SERVER_8C = "计算型云服务器 8核16G"  # provider "provider": list 120000, discount 99000 fen
SERVER_2C = "通用型云服务器 2核4G"  # list 30000, discount 25500
ERP = "云 ERP 进销存 标准版"  # provider "prov_app"


def demo_party_id(server, table, name):
    rows = server.sql(f"SELECT id FROM {table} WHERE name = ?", name)
    assert rows, name
    return rows[0][0]


# -- contracts -----------------------------------------------------------------

def contract_body(other_key, other_id, lines, program_id=None, no=None, signed_on="2019-06-28",
                  service_start="2019-07-01", service_end="2020-06-30"):
    body = {other_key: other_id, "contract_no": no or f"HT-{unique_number()}",
            "signed_on": signed_on, "service_start": service_start, "service_end": service_end,
            "lines": lines}
    if program_id:
        body["program_id"] = program_id
    return body


def catalog_line(item_id, quantity, unit_price_fen):
    return {"catalog_item_id": item_id, "quantity": quantity, "unit_price_fen": unit_price_fen}


def text_line(description, quantity, unit_price_fen, unit="项"):
    return {"description": description, "unit": unit, "quantity": quantity,
            "unit_price_fen": unit_price_fen}


def draft_by_provider(provider, enterprise_id, lines, **kw):
    return ok(provider.post("/api/v1/contracts",
                            json=contract_body("enterprise_id", enterprise_id, lines, **kw)), 201)


def draft_by_enterprise(enterprise, provider_id, lines, **kw):
    return ok(enterprise.post("/api/v1/contracts",
                              json=contract_body("provider_id", provider_id, lines, **kw)), 201)


def expected_amount(base_fen, ratio_bp, cap_fen=5_000_000, bonus_bp=0):
    """SPEC §2: min(floor(base × ratio / 10000), cap × (10000 + bonus) / 10000)."""
    return min(base_fen * ratio_bp // 10000, cap_fen * (10000 + bonus_bp) // 10000)


# -- money, ledger and audit -------------------------------------------------------

def budget_row(client, county, year=2019):
    body = ok(client.get("/api/v1/budgets", params={"year": year}))
    rows = [r for r in body["items"] if r["county_code"] == county]
    assert len(rows) == 1, body
    return rows[0]


def transfers_total(client):
    return ok(client.get("/api/v1/ledger/transfers", params={"page_size": 1}))["total"]


def ledger_check(server_or_db, cwd=None):
    """Runs `yunquan ledger check`; returns the CompletedProcess."""
    db = getattr(server_or_db, "db", server_or_db)
    where = getattr(server_or_db, "dir", None) or (Path.cwd() if dbs.is_pg(db) else Path(db).parent)
    return run_cli(["ledger", "check", "--db", str(db)], cwd=cwd or where)


def assert_ledger_sound(server_or_db):
    p = ledger_check(server_or_db)
    assert p.returncode == 0, f"ledger check exit {p.returncode}:\n{p.stdout}\n{p.stderr}"


def assert_audit_sound(server):
    p = run_cli(["audit", "verify", "--db", str(server.db)], cwd=server.dir)
    assert p.returncode == 0, f"audit verify exit {p.returncode}:\n{p.stdout}\n{p.stderr}"


def pool_available(server, county, year=2019):
    rows = server.sql("SELECT credits_posted - debits_posted - debits_pending FROM"
                      " ledger_accounts WHERE id = ?", f"pool:{county}:{year}")
    return rows[0][0] if rows else 0


def find_strings(obj, keys):
    """Every (path, key) in a JSON value whose key is one of `keys`."""
    found = []

    def walk(o, path):
        if isinstance(o, dict):
            for k, v in o.items():
                if k in keys:
                    found.append((path, k))
                walk(v, f"{path}.{k}")
        elif isinstance(o, list):
            for i, v in enumerate(o):
                walk(v, f"{path}[{i}]")
    walk(obj, "$")
    return found


# -- multipart files ---------------------------------------------------------------

PDF_BYTES = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
             b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                          "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
JPEG_BYTES = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
HTML_BYTES = b"<!doctype html><html><body><script>alert(1)</script></body></html>\n"


# -- a rush of confirmations seeded in the database ----------------------------------

def rush_seed(db_path, n, county, provider_name="齐鲁云计算服务有限公司", item_name=SERVER_2C,
              program_id="jining-2018", seed=7, prefix="rush", qty=(1, 12)):
    """Inserts `n` approved enterprises of `county` (with user rows that
    cannot sign in) and one draft contract each, drafted by the enterprise
    with one catalog line of the provider's published item, so that the
    provider confirms. Quantities vary (`qty`, 1–12) so that amounts differ.
    Returns [(contract_id, enterprise_id, base_fen)] in insertion order."""
    rng = random.Random(seed)
    con = dbs.connect(db_path, timeout=60)
    if not dbs.is_pg(db_path):
        con.execute("PRAGMA foreign_keys = ON")
    try:
        (provider_id,) = con.execute("SELECT id FROM providers WHERE name = ?",
                                     (provider_name,)).fetchone()
        item_id, version, unit, list_price, disc = con.execute(
            "SELECT i.id, i.published_version, v.unit, v.list_price_fen, v.discount_price_fen"
            " FROM catalog_items i JOIN catalog_item_versions v ON v.item_id = i.id AND"
            " v.version = i.published_version WHERE v.name = ? AND i.provider_id = ?",
            (item_name, provider_id)).fetchone()
        now_ms = int(START.timestamp() * 1000) - 86_400_000
        out = []
        with con:
            for i in range(n):
                uid = f"{prefix}U{i:06d}"
                eid = f"{prefix}E{i:06d}"
                cid = f"{prefix}C{i:06d}"
                uscc = make_uscc(county, f"{seed % 100:02d}{i:06d}")
                con.execute(
                    "INSERT INTO users(id, username, password_hash, role, display_name,"
                    " county_code, locked, created_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,0,?,?)",
                    (uid, f"{prefix}{i:06d}", "!seeded-no-login", "enterprise",
                     f"抢券企业{i}", county, now_ms, now_ms))
                con.execute(
                    "INSERT INTO enterprises(id, user_id, uscc, name, county_code, legal_rep,"
                    " address, phone, email, independent_legal_person, industry, employees,"
                    " status, submitted_at, reviewed_at, reviewed_by, created_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,1,'C',20,'approved',?,?,'county_it',?,?)",
                    (eid, uid, uscc, f"抢券测试企业{i:04d}有限公司", county, f"代表{i}",
                     "济宁市测试路 1 号", f"136{i:08d}", f"rush{i}@qiye.example.cn",
                     now_ms, now_ms, now_ms, now_ms))
                q = rng.randint(*qty)
                amount = q * disc
                con.execute(
                    "INSERT INTO contracts(id, program_id, enterprise_id, provider_id,"
                    " county_code, contract_no, signed_on, service_start, service_end,"
                    " total_fen, base_fen, status, drafted_by_role, drafted_by, created_at,"
                    " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,'draft','enterprise',?,?,?)",
                    (cid, program_id, eid, provider_id, county, f"{prefix.upper()}-{i:06d}", "2019-06-28",
                     "2019-07-01", "2020-06-30", amount, amount, f"{prefix}{i:06d}", now_ms,
                     now_ms))
                con.execute(
                    "INSERT INTO contract_lines(contract_id, line_no, catalog_item_id,"
                    " catalog_version, description, quantity, unit, unit_price_fen, amount_fen)"
                    " VALUES (?,1,?,?,?,?,?,?,?)",
                    (cid, item_id, version, item_name, q, unit, disc, amount))
                out.append((cid, eid, amount))
        return out
    finally:
        con.close()


def rush_start(s, n, county, year=2019, ratio=2500, share=0.6, seed=7, reference="rush"):
    """Seeds n draft contracts of `county` (rush_seed), starts the server
    and funds the county's pool of `year` for about `share` of the demand
    (ratio in basis points of each base). Returns the seeded list."""
    seeded = rush_seed(s.db, n, county, seed=seed)
    demand = sum(b * ratio // 10000 for _, _, b in seeded)
    topup, _ = pool_topup_needed(s.db, county, year, demand, share)
    s.start()
    if topup:
        r = s.login("city_finance").post(f"/api/v1/budgets/{county}/{year}/fund", json={
            "amount_fen": topup, "source": "city_award", "reference": reference})
        if r.status_code != 201:
            s.stop()
            raise AssertionError(f"funding the pool: {r.status_code} {r.text}")
    return seeded


def pool_topup_needed(db_path, county, year, demand_fen, share=0.6):
    """How much to add so that the pool covers about `share` of the demand
    (0 if it already does)."""
    con = dbs.connect(db_path)
    try:
        row = con.execute("SELECT credits_posted - debits_posted - debits_pending FROM"
                          " ledger_accounts WHERE id = ?", (f"pool:{county}:{year}",)).fetchone()
    finally:
        con.close()
    have = row[0] if row else 0
    return max(0, int(demand_fen * share) - have), have


class RushServer(Server):
    """A Server whose clock runs (`--now`, no clock file) so that
    confirmation instants are distinct and ordered, and that can be killed
    with SIGKILL and started again on the same database."""

    # Without --clock-file: the server would try to open the missing file
    # on every clock reading (2-3 % of its CPU in a rush).
    clock_file = False

    def __init__(self, workdir, template_db, now=START, extra_args=(), env=None):
        super().__init__(workdir, template_db,
                         extra_args=["--now", iso(now), *extra_args], env=env)
        assert not self.clock_path.exists()

    def set_clock(self, when):
        """No clock file is written (it would win over --now): the clock runs."""
        self.now = when

    def kill9(self):
        """SIGKILL. Returns the problems seen before the kill: the process
        had exited by itself, or its stderr shows a sanitizer report."""
        probs = []
        if self.proc is not None and self.proc.poll() is not None and not self.stopped:
            probs.append(f"server exited by itself with returncode {self.proc.returncode}")
        self.stopped = True
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        if hasattr(self, "_out") and not self._out.closed:
            self._out.close()
            self._err.close()
        err = self.stderr()
        probs += [f"stderr contains {m!r}:\n{err[-4000:]}" for m in SANITIZER_MARKS if m in err]
        return probs

    def restart(self, now=None):
        """Starts again on the same database; `now` moves the running clock's
        starting instant (so that time does not go back across restarts)."""
        if now is not None:
            i = self.extra_args.index("--now")
            self.extra_args[i + 1] = iso(now)
        self.port = None
        self.base = None
        self.stopped = False
        return self.start()


def session_copies(client, n, base=None):
    """n independent requests sessions carrying the client's cookies (one per
    thread: a Session is not meant to be shared between threads), bound to
    `base` (default: the client's server address)."""
    out = []
    for _ in range(n):
        c = Client(base or client.base)
        for name in ("yq_session", "yq_csrf"):
            c.cookies.set(name, client.cookies.get(name))
        out.append(c)
    return out


def confirm_all(sessions, contract_ids, threads=32, on_answer=None):
    """POSTs /contracts/{id}/confirm for every id from `threads` threads
    (each with its own session). Returns {contract_id: (status, body or
    exception text, latency seconds)}."""
    results = {}
    lock = threading.Lock()
    ids = list(contract_ids)
    it = iter(ids)

    def worker(k):
        s = sessions[k % len(sessions)]
        while True:
            with lock:
                cid = next(it, None)
            if cid is None:
                return
            t0 = time.monotonic()
            try:
                r = s.post(f"/api/v1/contracts/{cid}/confirm")
                try:
                    body = r.json()
                except ValueError:
                    body = r.text
                ans = (r.status_code, body, time.monotonic() - t0)
            except requests.RequestException as e:
                ans = (None, repr(e), time.monotonic() - t0)
            with lock:
                results[cid] = ans
            if on_answer:
                on_answer(cid, ans)

    with ThreadPoolExecutor(max_workers=threads) as ex:
        list(ex.map(worker, range(threads)))
    return results


def percentile(values, q):
    v = sorted(values)
    if not v:
        return float("nan")
    k = min(len(v) - 1, max(0, int(round(q / 100 * (len(v) - 1)))))
    return v[k]
