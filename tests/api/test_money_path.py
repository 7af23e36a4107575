"""Issue 7: regression tests for defects on the money path.

Each test states the fixed behaviour (SPEC §5, §6, §8, §13) as a user
would notice it: statuses, amounts, states and the audit trail. Races
(defects 2, 5, 9) are provoked a bounded number of times; each prints how
often the wrong outcome was seen, so that a run on an unfixed binary says
how likely the defect is to show.

  1  a provider put on the negative list is not served from the waitlist
  2  the expiry job does not close vouchers from a stale read
  4  GET /enterprises with more than 16 bound parameters
  5  check-then-write across transactions (attach/cancel, sign-up/listing,
     draft/listing)
  7  funding references of 64 four-byte characters
  8  ?account= on /ledger/transfers is a prefix, not a LIKE pattern
  9  `ledger check` on PostgreSQL reads one snapshot
 10  Idempotency-Key after kill -9 and after a lost answer
 11  one waitlist per county and program across years
"""
import concurrent.futures as cf
import datetime as dt
import random
import signal
import subprocess
import threading
import time
import uuid

import pytest
import requests

import conftest
import dbs
from conftest import (CST, HOME_COUNTY, SANITIZER_MARKS, YQ_BIN, Client, Server,
                      all_pages, clean_env)
from flows import (PDF_BYTES, SERVER_8C, assert_audit_sound, assert_ledger_sound, budget_row,
                   catalog_line, confirm_all, demo_item, draft_by_provider, enterprise_profile,
                   make_uscc, new_enterprise, new_provider, ok, pool_topup_needed,
                   published_item, relogin, rush_seed, session_copies, signup)
from test_postgresql import PASSWORD as PG_PASSWORD, Proc as PgProc, pg_url  # noqa: F401
from test_postgresql import yunquan as pg_yunquan

PROGRAM = "jining-2018"  # 2018-01-23 … 2020-12-31; 2019: 25 %, 2020: 20 %; cap ¥50,000
CAP = 5_000_000
IN_2020 = dt.datetime(2020, 3, 2, 9, 0, tzinfo=CST)  # a Monday, a working day
SERVICE_2020 = {"signed_on": "2020-02-28", "service_start": "2020-03-01",
                "service_end": "2021-02-28"}


# -- helpers -----------------------------------------------------------------------------------

class CrashServer(Server):
    """A Server (test clock file) that can run with extra YUNQUAN_* variables,
    be killed with SIGKILL, and start again on the same database."""

    def __init__(self, workdir, template_db, env=None):
        super().__init__(workdir, template_db)
        self.env = dict(env or {})

    def start(self):
        # Server.start takes its environment from conftest.clean_env(): add ours.
        orig = conftest.clean_env
        conftest.clean_env = lambda **extra: orig(**{**self.env, **extra})
        try:
            return super().start()
        finally:
            conftest.clean_env = orig

    def _close_files(self):
        if hasattr(self, "_out") and not self._out.closed:
            self._out.close()
            self._err.close()

    def sanitizer_reports(self):
        err = self.stderr()
        return [f"stderr contains {m!r}:\n{err[-4000:]}" for m in SANITIZER_MARKS if m in err]

    def kill9(self):
        """SIGKILL; returns what went wrong before (exited by itself, sanitizer)."""
        probs = []
        if self.proc.poll() is not None and not self.stopped:
            probs.append(f"server exited by itself with returncode {self.proc.returncode}")
        self.stopped = True
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self._close_files()
        return probs + self.sanitizer_reports()

    def reap(self, timeout=30):
        """Waits for a process that is expected to exit by itself; returns its code."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        self.stopped = True
        self._close_files()
        return self.proc.returncode

    def restart(self, env=None):
        if env is not None:
            self.env = dict(env)
        self.port = self.base = None
        self.stopped = False
        return self.start()


@pytest.fixture
def make_server(tmp_path_factory, template_db):
    """make_server(prepare=None, cls=Server, **kw): a server of the test's own;
    `prepare(db_path)` runs on its database before it starts."""
    made = []

    def make(prepare=None, cls=Server, **kw):
        s = cls(tmp_path_factory.mktemp("money"), template_db, **kw)
        if prepare:
            prepare(s.db)
        made.append(s)
        return s.start()

    yield make
    probs = []
    for s in made:
        probs += s.stop()
    if probs:
        pytest.fail("server problems: " + "; ".join(probs))


def audit_entries(auditor, entity):
    """Every audit entry of an entity kind, oldest first (by seq)."""
    return sorted(all_pages(auditor, "/api/v1/audit", entity=entity), key=lambda e: e["seq"])


def seed_drainers(db_path, county, year=2019, prefix="drain", seed=31):
    """Seeds draft contracts (drafted by seeded enterprises, confirmed by the
    demo provider) whose vouchers, at 25 %, take all but less than ¥63.75
    of the county's pool: ⌊pool / cap⌋ capped ones and one for the rest.
    Returns (contract ids, what will be left in the pool)."""
    _, have = pool_topup_needed(db_path, county, year, 0)
    price = 25_500  # SERVER_2C's discounted price: 6,375 fen of voucher per unit at 25 %
    per_unit = price * 2500 // 10000
    full, rest = divmod(have, CAP)
    quantities = [800] * full + ([rest // per_unit] if rest >= per_unit else [])
    left = rest - (rest // per_unit) * per_unit
    seeded = rush_seed(db_path, len(quantities), county, prefix=prefix, seed=seed)
    con = dbs.connect(db_path)
    try:
        with con:
            for (cid, _, _), qty in zip(seeded, quantities):
                con.execute("UPDATE contract_lines SET quantity = ?, amount_fen = ? WHERE"
                            " contract_id = ?", (qty, qty * price, cid))
                con.execute("UPDATE contracts SET total_fen = ?, base_fen = ? WHERE id = ?",
                            (qty * price, qty * price, cid))
    finally:
        con.close()
    return [c for c, _, _ in seeded], left


def confirm_drainers(server, contract_ids, county, year=2019):
    provider = server.login("provider")
    answers = confirm_all(session_copies(provider, 2), contract_ids, threads=2)
    bad = {c: a[:2] for c, a in answers.items() if a[0] != 201}
    assert not bad, f"draining the pool: {list(bad.items())[:3]}"
    row = budget_row(server.login("auditor"), county, year)
    assert row["available_fen"] < 6375 and row["waitlist_count"] == 0, row
    return row["available_fen"]


def confirm(client, contract_id, **kw):
    return client.post(f"/api/v1/contracts/{contract_id}/confirm", **kw)


def fund(client, county, year, amount, source="county", reference=None, **kw):
    return client.post(f"/api/v1/budgets/{county}/{year}/fund", json={
        "amount_fen": amount, "source": source,
        "reference": reference or f"测试拨款-{uuid.uuid4().hex[:12]}"}, **kw)


def vouchers_of_contract(client, contract_id):
    return [v for v in all_pages(client, "/api/v1/vouchers") if v["contract_id"] == contract_id]


def list_on_negative_list(city_it, uscc):
    return city_it.post("/api/v1/negative-list", json={"uscc": uscc, **LISTING})


LISTING = {"reason": "虚假申报", "evidence": "核查报告 第1号"}


# -- 1: a provider put on the negative list is not served from the waitlist --------------------

def test_negative_listed_provider_gets_no_voucher_from_the_waitlist(fresh_server):
    """In 2020 the pool of 任城区 is empty: E1's contract with provider P and
    then E2's with the demo provider wait. city_it lists P; the application
    with P leaves the queue at once (cancelled). Funding for both then
    serves E2 only: no voucher for P's contract."""
    s = fresh_server
    s.set_clock(IN_2020)  # the 2020 pool of 任城区 holds nothing yet
    county_it, city_it = s.login("county_it"), s.login("city_it")
    demo_provider = s.login("provider")
    listed_p = new_provider(s, city_it)
    item_p = published_item(listed_p, city_it)["id"]
    e1, e2 = new_enterprise(s, county_it), new_enterprise(s, county_it)
    c1 = draft_by_provider(listed_p, e1.party["id"], [catalog_line(item_p, 10, 45_000)],
                           program_id=PROGRAM, **SERVICE_2020)
    c2 = draft_by_provider(demo_provider, e2.party["id"],
                           [catalog_line(demo_item(s, SERVER_8C), 4, 99_000)],
                           program_id=PROGRAM, **SERVICE_2020)
    r1, r2 = confirm(e1, c1["id"]), confirm(e2, c2["id"])
    assert r1.status_code == 202 and r2.status_code == 202, (r1.text, r2.text)
    w1, w2 = r1.json()["waitlist"], r2.json()["waitlist"]
    assert w1["amount_fen"] == 450_000 * 2000 // 10000 and w2["amount_fen"] == 396_000 * 2000 // 10000

    ok(list_on_negative_list(city_it, listed_p.party["uscc"]), 201)
    # at the listing, before any money comes: the application leaves the queue
    got = ok(e1.get(f"/api/v1/contracts/{c1['id']}"))
    assert got["waitlist"] is not None and got["waitlist"]["status"] == "cancelled", \
        f"the waitlisted application with a negative-listed provider is still {got['waitlist']}"
    queue = ok(county_it.get("/api/v1/waitlist", params={"county": HOME_COUNTY}))["items"]
    assert [w["contract_id"] for w in queue] == [c2["id"]], \
        f"queue after the listing: {[(w['contract_id'], w['status']) for w in queue]}"

    cf_ = s.login("county_finance")
    ok(fund(cf_, HOME_COUNTY, 2020, w1["amount_fen"] + w2["amount_fen"]), 201)
    got = ok(e1.get(f"/api/v1/contracts/{c1['id']}"))
    assert got["voucher"] is None, f"a voucher was issued for the listed provider: {got['voucher']}"
    assert got["waitlist"]["status"] == "cancelled"
    assert vouchers_of_contract(s.login("auditor"), c1["id"]) == [], \
        "GET /vouchers shows a voucher for the listed provider's contract"
    got2 = ok(e2.get(f"/api/v1/contracts/{c2['id']}"))
    assert got2["voucher"] and got2["voucher"]["amount_fen"] == w2["amount_fen"], \
        f"the application behind was not served by the funding: {got2['waitlist']}"
    assert got2["waitlist"]["status"] == "served"
    row = budget_row(cf_, HOME_COUNTY, 2020)
    assert row["available_fen"] == w1["amount_fen"] and row["waitlist_count"] == 0, row
    assert_ledger_sound(s)
    assert_audit_sound(s)


# -- 2: the expiry job does not close vouchers from a stale read --------------------------------

# Three rounds, one batch of vouchers each: the batch's service ends on the
# date given; the clock moves to 91 days later, when it alone is overdue.
EXPIRY_ROUNDS = [("2020-01-31", dt.datetime(2020, 5, 1, 9, 0, tzinfo=CST)),
                 ("2020-04-30", dt.datetime(2020, 7, 30, 9, 0, tzinfo=CST)),
                 ("2020-07-31", dt.datetime(2020, 10, 30, 9, 0, tzinfo=CST))]
N_EXPIRY = 60  # vouchers per round


def test_expiry_job_racing_terminations_never_closes_a_voucher_twice(make_server, tmp_path):
    """Three times, 60 vouchers are overdue and `yunquan jobs run` expires
    them while the provider terminates their contracts, newest first (the
    job goes oldest first; it starts when a quarter of the terminations
    are answered). Every voucher ends one way, and its status says the
    same as its audit trail."""
    batches = []

    def prepare(db):
        con = dbs.connect(db)
        try:
            for k, (service_end, _) in enumerate(EXPIRY_ROUNDS):
                batch = rush_seed(db, N_EXPIRY, HOME_COUNTY, prefix=f"exp{k}", seed=43 + k)
                with con:
                    con.executemany("UPDATE contracts SET service_end = ? WHERE id = ?",
                                    [(service_end, c) for c, _, _ in batch])
                batches.append([c for c, _, _ in batch])
        finally:
            con.close()

    s = make_server(prepare)
    provider = s.login("provider")
    answers = confirm_all(session_copies(provider, 4), [c for b in batches for c in b], threads=4)
    assert {a[0] for a in answers.values()} == {201}, answers
    voucher_of = {cid: a[1]["voucher"]["id"] for cid, a in answers.items()}
    terminated, outputs = {}, []
    lock = threading.Lock()

    for batch, (_, overdue_at) in zip(batches, EXPIRY_ROUNDS):
        s.set_clock(overdue_at)
        provider = s.login("provider")
        todo = iter(sorted(batch, key=lambda c: answers[c][1]["voucher"]["issued_at"],
                           reverse=True))
        answered = [0]

        def worker(sess):
            while True:
                with lock:
                    cid = next(todo, None)
                if cid is None:
                    return
                r = sess.post(f"/api/v1/contracts/{cid}/terminate", json={"reason": "未履行"})
                with lock:
                    terminated[cid] = r.status_code
                    answered[0] += 1

        # The job starts once a quarter of the terminations are answered, so
        # that it reads its list while the rest are still coming.
        with cf.ThreadPoolExecutor(max_workers=4) as ex:
            workers = [ex.submit(worker, c) for c in session_copies(provider, 4)]
            while answered[0] < N_EXPIRY // 4 and not all(w.done() for w in workers):
                time.sleep(0.001)
            job = subprocess.Popen([YQ_BIN, "jobs", "run", "--db", str(s.db), "--clock-file",
                                    str(s.clock_path)], cwd=str(tmp_path), env=clean_env(),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for w in workers:
                w.result()
        out, err = job.communicate(timeout=120)
        assert job.returncode == 0, f"jobs run exit {job.returncode}:\n{out}\n{err}"
        assert not [m for m in SANITIZER_MARKS if m in err], err
        outputs.append(out.strip())
    assert set(terminated.values()) <= {200, 409}, terminated

    auditor = s.login("auditor")
    final = {v["id"]: v for v in all_pages(auditor, "/api/v1/vouchers")}
    closes = {}  # voucher id -> [(seq, action)]
    for e in audit_entries(auditor, "voucher"):
        if e["action"] in ("terminate", "expire"):
            closes.setdefault(e["entity_id"], []).append((e["seq"], e["action"]))
    contract_terminated_at = {e["entity_id"]: e["seq"] for e in audit_entries(auditor, "contract")
                              if e["action"] == "terminate"}
    wrong = []
    for cid, vid in voucher_of.items():
        status = final[vid]["status"]
        acts = [a for _, a in closes.get(vid, [])]
        if len(acts) != 1:
            wrong.append(f"{vid}: closed {acts or 'never'} (status {status})")
        elif {"terminate": "terminated", "expire": "expired"}[acts[0]] != status:
            wrong.append(f"{vid}: audit says {acts[0]}, status is {status}")
        elif terminated.get(cid) == 200 and status != "terminated":
            # only an expiry that came first may leave a terminated contract's voucher expired
            expired_at = closes[vid][0][0]
            if not expired_at < contract_terminated_at.get(cid, 0):
                wrong.append(f"{vid}: termination answered 200, voucher {status} after it")
    print(f"\n{len(voucher_of)} overdue vouchers in {len(EXPIRY_ROUNDS)} rounds; terminations"
          f" {list(terminated.values()).count(200)} × 200; jobs: {outputs};"
          f" {len(wrong)} vouchers with a wrong ending")
    assert not wrong, f"{len(wrong)} of {len(voucher_of)} vouchers: " + "; ".join(wrong[:5])
    assert_ledger_sound(s)
    assert_audit_sound(s)


# -- 4: GET /enterprises with more than 16 bound parameters -------------------------------------

def test_evaluator_of_many_counties_filters_enterprises_with_every_filter(server, sessions):
    """An evaluator of 14 (then 13) counties lists enterprises with every
    filter at once: 14 county parameters + status, industry, tag, flag and
    q (twice) bind 20 parameters. The answer is 200 and the right list."""
    admin, county_it = sessions["admin"], sessions["county_it"]
    counties = [c["code"] for c in ok(admin.get("/api/v1/counties"))["items"]]
    assert len(counties) == 14 and HOME_COUNTY in counties
    other = "370812"
    token = f"滤{uuid.uuid4().hex[:6]}"
    # two matching enterprises (home county and 370812), one that differs only by industry
    match_home = signup(server, "enterprise", name=f"{token}甲有限公司")[0]
    match_other = signup(server, "enterprise", county=other, name=f"{token}乙有限公司")[0]
    miss = signup(server, "enterprise", county=other, name=f"{token}丙有限公司")[0]
    for c, industry in ((match_home, "C"), (match_other, "C"), (miss, "I")):
        pid = c.party["id"]
        ok(c.patch(f"/api/v1/enterprises/{pid}", json={
            "legal_rep": "张三", "address": "济宁市测试路 9 号", "phone": f"139{random.randrange(10**8):08d}",
            "email": f"{uuid.uuid4().hex[:8]}@qiye.example.cn", "independent_legal_person": True,
            "industry": industry, "employees": 30, "priority_flags": ["tech", "specialized"],
            "key_industry_tags": ["高端装备", "新一代信息技术"]}))
        ok(c.post(f"/api/v1/enterprises/{pid}/submit"))
    evaluator_id = sessions["evaluator"].user["id"]
    filters = {"status": "submitted", "industry": "C", "tag": "高端装备", "flag": "tech",
               "q": token, "warnings": "false", "page_size": 200}

    def listed(assign):
        ok(admin.post(f"/api/v1/users/{evaluator_id}/counties",
                      json={"county_codes": [c for c in assign if c != HOME_COUNTY]}))
        ev = server.login("evaluator")
        r = ev.get("/api/v1/enterprises", params=filters)
        assert r.status_code == 200, f"{len(assign)} counties, every filter: {r.status_code} {r.text[:300]}"
        body = r.json()
        assert body["total"] == len(body["items"]), body
        for e in body["items"]:
            assert (e["status"], e["industry"]) == ("submitted", "C") and token in e["name"], e
        # warnings=true narrows the same list, never fails
        r = ev.get("/api/v1/enterprises", params={**filters, "warnings": "true"})
        assert r.status_code == 200, f"warnings=true: {r.status_code} {r.text[:300]}"
        assert {e["id"] for e in r.json()["items"]} <= {e["id"] for e in body["items"]}
        return {e["id"] for e in body["items"]}

    try:
        got = listed(counties)
        assert got == {match_home.party["id"], match_other.party["id"]}, \
            "14 counties: the two matching enterprises, not the one of another industry"
        # 13 counties, 370812 left out: its enterprise is outside the evaluator's scope
        got = listed([c for c in counties if c != other])
        assert got == {match_home.party["id"]}, "370812 is outside the evaluator's counties"
        r = server.login("evaluator").get("/api/v1/enterprises",
                                          params={**filters, "q": match_other.party["uscc"]})
        assert r.status_code == 200 and r.json()["total"] == 0, r.text[:300]
    finally:
        ok(admin.post(f"/api/v1/users/{evaluator_id}/counties", json={"county_codes": []}))
    # a county official's view is unchanged: its county only
    mine = ok(county_it.get("/api/v1/enterprises", params=filters))["items"]
    assert {e["id"] for e in mine} == {match_home.party["id"]}


# -- 5: check-then-write across transactions ----------------------------------------------------

ROUNDS_ATTACH = 40
ROUNDS_SIGNUP = 12
ROUNDS_DRAFT = 80
ATTACHMENT_SIZE = 4 * 1024 * 1024


def warm(client=None, server=None):
    """A copy of a signed-in client (or a new anonymous one) with its own
    connection, opened beforehand: the server's worker threads each keep
    the connections they accepted, so two requests on one connection (or
    on two of one thread) never overlap, and opening one adds jitter."""
    c = session_copies(client, 1)[0] if client else server.client()
    assert c.get("/healthz").status_code == 200
    return c


def race(first, second, delay):
    """Runs first() and, `delay` seconds later, second(), from two threads
    (second() first when the delay is negative); returns their results."""
    with cf.ThreadPoolExecutor(max_workers=2) as ex:
        if delay < 0:
            b = ex.submit(second)
            time.sleep(-delay)
            a = ex.submit(first)
        else:
            a = ex.submit(first)
            time.sleep(delay)
            b = ex.submit(second)
        return a.result(), b.result()


class Staircase:
    """Delays for the second request of a race, kept near the point where
    the first one goes from refused (the second came first) to done (the
    first came first), where the window of a check-then-write defect
    lies; each delay is drawn around that point."""

    def __init__(self, typical, rng, start=0.0):
        self.delay, self.step, self.spread, self.rng = start, typical / 20, typical / 4, rng

    def next(self):
        return self.delay + self.rng.uniform(-self.spread, self.spread)

    def saw(self, refused):
        self.delay += self.step if refused else -self.step


def timed(fn, n=3):
    """The median time of n calls of fn()."""
    ts = []
    for _ in range(n):
        t0 = time.monotonic()
        fn()
        ts.append(time.monotonic() - t0)
    return sorted(ts)[n // 2]


def test_no_attachment_lands_on_a_cancelled_draft(server, sessions):
    """Upload an attachment to a draft while the other side cancels it,
    many times: the audit trail of a cancelled contract never shows an
    'attach' after its 'cancel' (the upload is refused instead)."""
    rng = random.Random(7)
    provider, auditor = sessions["provider"], sessions["auditor"]
    e = new_enterprise(server, sessions["county_it"])
    item = demo_item(server, SERVER_8C)

    def new_draft():
        return draft_by_provider(provider, e.party["id"], [catalog_line(item, 1, 99_000)],
                                 program_id=PROGRAM)["id"]

    def attach(client, cid):
        # new content each time, a few MiB: written and synced anew, a wide window
        pdf = PDF_BYTES + f"% {uuid.uuid4()}\n".encode() + b"0" * ATTACHMENT_SIZE
        return client.post(f"/api/v1/contracts/{cid}/attachments",
                           files={"file": ("合同扫描件.pdf", pdf, "application/pdf")}).status_code

    probe = new_draft()
    t_attach = timed(lambda: attach(e, probe))
    answers = {}
    stairs = Staircase(t_attach, rng, start=t_attach / 2)
    for _ in range(ROUNDS_ATTACH):
        cid = new_draft()
        ec, pc = warm(e), warm(provider)
        answers[cid] = race(lambda: attach(ec, cid),
                            lambda: pc.post(f"/api/v1/contracts/{cid}/cancel").status_code,
                            stairs.next())
        ec.close(), pc.close()
        stairs.saw(answers[cid][0] == 409)
    assert all(c == 200 for _, c in answers.values()), answers
    assert {a for a, _ in answers.values()} <= {200, 201, 409}, answers
    trail = {}
    for x in audit_entries(auditor, "contract"):
        if x["entity_id"] in answers:
            trail.setdefault(x["entity_id"], []).append(x["action"])
    late = [cid for cid, acts in trail.items()
            if "cancel" in acts and "attach" in acts[acts.index("cancel"):]]
    print(f"\n{ROUNDS_ATTACH} rounds (upload ≈ {t_attach * 1000:.0f} ms): uploads answered "
          f"201 × {sum(a == 201 for a, _ in answers.values())}, 409 × "
          f"{sum(a == 409 for a, _ in answers.values())}; {len(late)} cancelled drafts got an"
          f" attachment after the cancel")
    assert not late, f"{len(late)}/{ROUNDS_ATTACH} cancelled contracts have an 'attach' after" \
                     f" 'cancel', e.g. {late[0]}: {trail[late[0]]}"
    for cid in late:
        assert ok(auditor.get(f"/api/v1/contracts/{cid}"))["status"] == "cancelled"


def test_a_listed_uscc_never_ends_up_registered_in_good_standing(server, sessions):
    """Sign up a USCC while city_it puts it on the negative list: either the
    sign-up is refused or the party it made is disqualified."""
    rng = random.Random(11)
    city_it = sessions["city_it"]
    t_signup = timed(lambda: signup(server, "enterprise"))
    outcomes, wrong = [], []
    stairs = Staircase(t_signup, rng)
    for i in range(ROUNDS_SIGNUP):
        role = ("enterprise", "provider")[i % 2]
        uscc = make_uscc(HOME_COUNTY)
        body = {"role": role, "username": f"race{uuid.uuid4().hex[:10]}",
                "password": "Signup-Passw0rd-2019", "uscc": uscc, "consent": True,
                "name": f"抢注测试{uuid.uuid4().hex[:6]}有限公司"}
        if role == "enterprise":
            body["county_code"] = HOME_COUNTY
        sc, lc = warm(server=server), warm(city_it)
        r, listing = race(lambda: sc.post("/api/v1/auth/signup", json=body),
                          lambda: lc.post("/api/v1/negative-list", json={"uscc": uscc, **LISTING}),
                          stairs.next())
        sc.close(), lc.close()
        stairs.saw(r.status_code == 403)
        assert listing.status_code == 201, listing.text
        outcomes.append(r.status_code)
        if r.status_code == 201:
            table = "enterprises" if role == "enterprise" else "providers"
            party = ok(city_it.get(f"/api/v1/{table}/{r.json()[role]['id']}"))
            if party["status"] != "disqualified":
                wrong.append(f"{role} {uscc}: {party['status']}")
        else:
            assert r.status_code == 403 and r.json()["error"]["code"] == "negative_list", r.text
    print(f"\n{ROUNDS_SIGNUP} rounds (sign-up ≈ {t_signup * 1000:.0f} ms): sign-ups answered"
          f" {outcomes}; {len(wrong)} listed USCCs registered in good standing")
    assert not wrong, f"{len(wrong)}/{ROUNDS_SIGNUP} sign-ups of a listed USCC stand: {wrong}"


def test_no_contract_is_drafted_after_its_party_is_listed(server, sessions):
    """Draft a contract (100 catalog lines) while city_it lists the
    enterprise; then lift the listing and approve the enterprise again.
    No contract's 'draft' audit entry comes after the listing it raced."""
    rng = random.Random(13)
    provider, city_it, county_it = sessions["provider"], sessions["city_it"], sessions["county_it"]
    auditor = sessions["auditor"]
    e = new_enterprise(server, county_it)
    uscc, eid = e.party["uscc"], e.party["id"]
    lines = [catalog_line(demo_item(server, SERVER_8C), 1, 99_000)] * 100

    def draft(client=provider):
        return client.post("/api/v1/contracts", json={
            "enterprise_id": eid, "program_id": PROGRAM, "contract_no": f"HT-{uuid.uuid4().hex[:10]}",
            "signed_on": "2019-06-28", "service_start": "2019-07-01", "service_end": "2020-06-30",
            "lines": lines})

    t_draft = timed(lambda: ok(draft(), 201))
    rounds = []  # (contract id or None, listing id)
    stairs = Staircase(t_draft, rng)
    for _ in range(ROUNDS_DRAFT):
        pc, lc = warm(provider), warm(city_it)
        d, listing = race(lambda: draft(pc),
                          lambda: lc.post("/api/v1/negative-list", json={"uscc": uscc, **LISTING}),
                          stairs.next())
        pc.close(), lc.close()
        stairs.saw(d.status_code == 409)
        assert listing.status_code == 201, listing.text
        assert d.status_code in (201, 409), d.text
        if d.status_code == 409:
            assert d.json()["error"]["code"] == "party_disqualified", d.text
        lid = listing.json()["id"]
        rounds.append((d.json()["id"] if d.status_code == 201 else None, lid))
        ok(city_it.post(f"/api/v1/negative-list/{lid}/lift", json={"reason": "复核后移出"}))
        ok(county_it.post(f"/api/v1/enterprises/{eid}/approve"))
    drafted_at = {x["entity_id"]: x["seq"] for x in audit_entries(auditor, "contract")
                  if x["action"] == "draft"}
    listed_at = {x["entity_id"]: x["seq"] for x in audit_entries(auditor, "negative_list")
                 if x["action"] == "add"}
    late = [cid for cid, lid in rounds if cid and drafted_at[cid] > listed_at[lid]]
    print(f"\n{ROUNDS_DRAFT} rounds (draft ≈ {t_draft * 1000:.0f} ms):"
          f" {sum(1 for c, _ in rounds if c)} drafts made, {len(late)} of them after the listing")
    assert not late, f"{len(late)}/{ROUNDS_DRAFT} contracts drafted after their enterprise was" \
                     f" listed, e.g. {late[0]}"


# -- 7: funding references of 64 four-byte characters -------------------------------------------

def test_fundings_whose_long_references_differ_only_at_the_end_are_both_booked(server, sessions):
    """Two fundings of one pool whose references are 64 characters of
    4-byte UTF-8 (256 bytes), differing only in the last character, with
    different amounts: both are booked. The same funding sent again
    still books once."""
    cf_, auditor = sessions["county_finance"], sessions["auditor"]
    stem = "𠀀" * 63
    ref_a, ref_b = stem + "𠀁", stem + "𠀂"
    assert len(ref_a) == 64 and len(ref_a.encode()) == 256
    pool = f"pool:{HOME_COUNTY}:2019"
    before = budget_row(cf_, HOME_COUNTY)["funded_fen"]
    a = fund(cf_, HOME_COUNTY, 2019, 111_111, reference=ref_a)
    assert a.status_code in (200, 201), a.text
    b = fund(cf_, HOME_COUNTY, 2019, 222_222, reference=ref_b)
    assert b.status_code in (200, 201), \
        f"a second funding whose reference differs in its 64th character: {b.status_code} {b.text}"
    assert budget_row(cf_, HOME_COUNTY)["funded_fen"] == before + 333_333
    again = fund(cf_, HOME_COUNTY, 2019, 111_111, reference=ref_a)
    assert again.status_code in (200, 201), again.text
    assert budget_row(cf_, HOME_COUNTY)["funded_fen"] == before + 333_333, "booked twice"
    transfers = [t for t in all_pages(auditor, "/api/v1/ledger/transfers", account=pool)
                 if t["reference"] in (ref_a, ref_b)]
    assert sorted((t["reference"], t["amount_fen"], t["kind"]) for t in transfers) == \
        [(ref_a, 111_111, "plain"), (ref_b, 222_222, "plain")], transfers
    assert len({t["id"] for t in transfers}) == 2
    assert_ledger_sound(server)


# -- 8: ?account= is a prefix, not a LIKE pattern ----------------------------------------------

@pytest.mark.parametrize("pattern", ["%", "_", "pool_370811:", "%370811%", "pool:3708__:"])
def test_transfers_account_filter_takes_wildcards_literally(server, sessions, pattern):
    auditor = sessions["auditor"]
    assert ok(auditor.get("/api/v1/ledger/transfers", params={"page_size": 1}))["total"] > 0
    r = ok(auditor.get("/api/v1/ledger/transfers", params={"account": pattern}))
    assert r["total"] == 0 and r["items"] == [], \
        f"account={pattern!r} matched {r['total']} transfers: no account starts with it"


def test_transfers_account_filter_still_matches_a_prefix(server, sessions):
    auditor = sessions["auditor"]
    prefix = f"pool:{HOME_COUNTY}:"
    items = all_pages(auditor, "/api/v1/ledger/transfers", account=prefix)
    assert items, "the pool of 任城区 has transfers (the demo funds it)"
    for t in items:
        assert t["debit_account"].startswith(prefix) or t["credit_account"].startswith(prefix), t
    everything = all_pages(auditor, "/api/v1/ledger/transfers")
    assert len(items) == sum(1 for t in everything if t["debit_account"].startswith(prefix)
                             or t["credit_account"].startswith(prefix))


# -- 9: `ledger check` on PostgreSQL reads one snapshot ---------------------------------------

N_PG_CHECKS = 30


@pytest.fixture(scope="module")
def pg_server(pg_url, tmp_path_factory):
    r = pg_yunquan("demo", "--db", pg_url)
    assert r.returncode == 0, r.stdout + r.stderr
    p = PgProc(pg_url, tmp_path_factory.mktemp("pgmoney"))
    yield p
    p.stop()


def test_ledger_check_on_postgresql_passes_while_money_moves(pg_url, pg_server):
    """`yunquan ledger check --db postgresql://…` run 30 times while
    another thread funds pools and confirms contracts through the API:
    every run sees one consistent state of the books and passes."""
    s = pg_server
    county_it, provider = s.login("county_it"), s.login("provider")
    cf_, city_fin = s.login("county_finance"), s.login("city_finance")
    item = ok(provider.get("/api/v1/public/catalog", params={"q": "8核16G"}))["items"][0]["id"]
    counties = [c["code"] for c in ok(city_fin.get("/api/v1/counties"))["items"]]
    ents = []
    for i in range(8):
        c = Client(s.base)
        party = ok(c.post("/api/v1/auth/signup", json={
            "role": "enterprise", "username": f"pgsnap{uuid.uuid4().hex[:8]}",
            "password": PG_PASSWORD, "uscc": make_uscc(HOME_COUNTY), "county_code": HOME_COUNTY,
            "name": f"快照测试企业{i:02d}有限公司", "consent": True}), 201)["enterprise"]
        ok(c.patch(f"/api/v1/enterprises/{party['id']}", json=enterprise_profile()))
        ok(c.post(f"/api/v1/enterprises/{party['id']}/submit"))
        ents.append((c, party["id"]))
    assert not ok(county_it.post("/api/v1/enterprises/batch-approve",
                                 json={"ids": [e for _, e in ents]}))["failed"]
    drafts = [(c, ok(provider.post("/api/v1/contracts", json={
        "enterprise_id": eid, "program_id": PROGRAM, "contract_no": f"PGS-{eid[-8:]}",
        "signed_on": "2019-06-28", "service_start": "2019-07-01", "service_end": "2020-06-30",
        "lines": [catalog_line(item, 1 + len(eid) % 5, 99_000)]}), 201)["id"]) for c, eid in ents]

    stop, moved, problems = threading.Event(), [0], []
    rng = random.Random(9)

    def writer():
        i = 0
        while not stop.is_set() and not problems:
            i += 1
            answers = [fund(cf_, HOME_COUNTY, 2019, 1000 + i, reference=f"PG-SNAP-{i}"),
                       fund(city_fin, rng.choice(counties), 2019, 500 + i, source="city_award",
                            reference=f"PG-SNAP-CITY-{i}")]
            if drafts:
                c, cid = drafts.pop()
                answers.append(confirm(c, cid))
            for r in answers:
                if r.status_code not in (201, 202):
                    problems.append(f"{r.request.url}: {r.status_code} {r.text[:200]}")
            moved[0] += len(answers)

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    results = []
    try:
        for _ in range(N_PG_CHECKS):
            results.append(pg_yunquan("ledger", "check", "--db", pg_url))
    finally:
        stop.set()
        t.join(timeout=120)
    assert not problems, problems
    assert moved[0] >= N_PG_CHECKS, f"only {moved[0]} writes happened during the checks"
    bad = [r for r in results if r.returncode != 0]
    print(f"\n{N_PG_CHECKS} ledger checks during {moved[0]} writes: {len(bad)} reported a breach")
    assert not bad, (f"{len(bad)}/{N_PG_CHECKS} checks failed while money moved; the first said:\n"
                     f"{bad[0].stdout[-1500:]}{bad[0].stderr[-500:]}")
    r = pg_yunquan("ledger", "check", "--db", pg_url)
    assert r.returncode == 0, r.stdout + r.stderr


# -- 10: Idempotency-Key after kill -9 and after a lost answer ----------------------------------

def claim_seen(server, key):
    """Whether the database holds a record of the key (read straight from
    the file; the table's shape may change with a fix)."""
    try:
        return bool(server.sql("SELECT 1 FROM idempotency_keys WHERE key = ?", key))
    except Exception:  # sqlite3.Error or psycopg2.Error
        return False


def test_a_request_killed_in_its_handler_runs_afresh_when_retried(make_server):
    """The server is killed with SIGKILL while it hashes the password of a
    new account (POST /users with an Idempotency-Key). Started again on the
    same database, the retry with that key runs at once and creates the
    account; it is not refused as still in progress."""
    s = make_server(cls=CrashServer)
    admin = s.login("admin")

    def body():
        n = uuid.uuid4().hex[:10]
        return {"username": f"kill{n}", "password": "Officer-Pass-2019", "role": "auditor",
                "display_name": f"重试测试 {n}"}

    # The kill must land inside the handler (while Argon2id runs). On a
    # loaded machine the timing can miss; a miss is the harness's, not the
    # server's, so the attempt is made again (a few times at most).
    for attempt in range(6):
        t_create = min(timed(lambda: ok(admin.post("/api/v1/users", json=body()), 201))
                       for _ in range(2))
        key, b = f"kill9-{uuid.uuid4()}", body()
        c, answer = warm(admin), {}

        def send():
            try:
                answer["r"] = c.post("/api/v1/users", json=b, headers={"Idempotency-Key": key})
            except requests.RequestException as e:
                answer["e"] = e

        sender = threading.Thread(target=send)
        sender.start()
        t0 = time.monotonic()
        while time.monotonic() - t0 < t_create / 3 and not claim_seen(s, key):
            time.sleep(0.0005)
        probs = s.kill9()
        sender.join(timeout=60)
        assert not probs, probs
        landed = "r" not in answer and \
            not s.sql("SELECT 1 FROM users WHERE username = ?", b["username"])
        if landed:
            break
        s.restart()
        admin = s.login("admin")
    assert landed, "the kill never landed inside the handler in 6 attempts"
    s.restart()
    admin = s.login("admin")
    r = admin.post("/api/v1/users", json=b, headers={"Idempotency-Key": key})
    assert r.status_code == 201, \
        f"retrying the key at once after the crash: {r.status_code} {r.text[:300]}"
    assert r.json()["user"]["username"] == b["username"]
    again = admin.post("/api/v1/users", json=b, headers={"Idempotency-Key": key})
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true", \
        (again.status_code, dict(again.headers))
    assert again.json() == r.json()
    users = [u for u in all_pages(admin, "/api/v1/users") if u["username"] == b["username"]]
    assert len(users) == 1, users
    assert_audit_sound(s)


def test_a_confirmation_whose_answer_was_lost_is_replayed_after_a_restart(make_server):
    """With YUNQUAN_FAULT=exit_after_commit the server exits (137) right after
    committing a POST that carried an Idempotency-Key, before answering.
    A confirmation lost that way, retried with its key on a server started
    again without the fault, gets the stored 201 with the same voucher; the
    contract has one voucher."""
    s = make_server(cls=CrashServer, env={"YUNQUAN_FAULT": "exit_after_commit"})
    county_it, provider = s.login("county_it"), s.login("provider")
    e = new_enterprise(s, county_it)
    c = draft_by_provider(provider, e.party["id"], [catalog_line(demo_item(s, SERVER_8C), 3, 99_000)],
                          program_id=PROGRAM)
    key = f"lost-{uuid.uuid4()}"
    try:
        r = confirm(e, c["id"], headers={"Idempotency-Key": key})
    except requests.ConnectionError:
        r = None
    assert r is None, (f"the server ignored YUNQUAN_FAULT=exit_after_commit and answered "
                       f"{r.status_code}: {r.text[:200]}")
    rc = s.reap(timeout=30)
    assert rc in (137, -signal.SIGKILL), f"the server's exit status after the commit: {rc}"
    assert not s.sanitizer_reports(), s.stderr()[-4000:]
    s.restart(env={})
    e2 = session_copies(e, 1, s.base)[0]  # the session is in the database: it survives
    r = confirm(e2, c["id"], headers={"Idempotency-Key": key})
    assert r.status_code == 201, f"retry of the lost confirmation: {r.status_code} {r.text[:300]}"
    assert r.headers.get("Idempotent-Replayed") == "true", dict(r.headers)
    got = ok(e2.get(f"/api/v1/contracts/{c['id']}"))
    assert got["status"] == "confirmed" and got["voucher"], got
    assert r.json()["voucher"]["id"] == got["voucher"]["id"]
    assert r.json()["voucher"]["amount_fen"] == got["voucher"]["amount_fen"] == 297_000 * 2500 // 10000
    assert len(vouchers_of_contract(s.login("auditor"), c["id"])) == 1
    assert_ledger_sound(s)


# -- 11: one waitlist per county and program across years ---------------------------------------

@pytest.fixture
def drained(make_server):
    """A server whose 2019 pool of 任城区 holds less than ¥63.75: the demo
    provider's vouchers for seeded enterprises took the rest."""
    drainers = []
    s = make_server(lambda db: drainers.extend(seed_drainers(db, HOME_COUNTY)[0]))
    left = confirm_drainers(s, drainers, HOME_COUNTY)
    return s, left


def test_an_application_waiting_since_2019_is_served_by_2020_money(drained):
    """A and then C wait in 2019 (jining-2018 at 25 %). In 2020 the 2020
    pool is funded with enough for A and not for C too: A is served at
    once, with the amount fixed at its confirmation; C keeps waiting."""
    s, left_2019 = drained
    county_it, provider = s.login("county_it"), s.login("provider")
    item = demo_item(s, SERVER_8C)
    a, c = new_enterprise(s, county_it), new_enterprise(s, county_it)
    ca = draft_by_provider(provider, a.party["id"], [catalog_line(item, 12, 99_000)], program_id=PROGRAM)
    cc = draft_by_provider(provider, c.party["id"], [catalog_line(item, 8, 99_000)], program_id=PROGRAM)
    ra, rc = confirm(a, ca["id"]), confirm(c, cc["id"])
    assert ra.status_code == 202 and rc.status_code == 202, (ra.text, rc.text)
    wa, wc = ra.json()["waitlist"], rc.json()["waitlist"]
    amount_a = 1_188_000 * 2500 // 10000  # fixed at confirmation: the 2019 ratio
    assert wa["amount_fen"] == amount_a and wa["trace"]["ratio_bp"] == 2500, wa
    assert wc["amount_fen"] == 792_000 * 2500 // 10000

    s.set_clock(IN_2020)
    cf_ = s.login("county_finance")
    funded = amount_a + wc["amount_fen"] // 2  # enough for A, not for C as well
    ok(fund(cf_, HOME_COUNTY, 2020, funded), 201)
    a = relogin(s, a)
    got = ok(a.get(f"/api/v1/contracts/{ca['id']}"))
    assert got["voucher"] is not None, \
        f"A, waiting since 2019, was not served by the 2020 funding: waitlist {got['waitlist']}"
    assert got["waitlist"]["status"] == "served"
    v = ok(a.get(f"/api/v1/vouchers/{got['voucher']['id']}"))
    assert v["amount_fen"] == amount_a, "the amount is the one fixed at A's confirmation"
    assert v["trace"]["ratio_bp"] == 2500 and v["trace"]["served_from_waitlist"] is True, v["trace"]
    assert v["issued_at"].startswith("2020-03-02"), "issued when it is served"
    row = budget_row(cf_, HOME_COUNTY, 2020)
    assert (row["funded_fen"], row["reserved_fen"], row["available_fen"]) == \
        (funded, amount_a, funded - amount_a), row
    # C is next in line and keeps waiting; the 2019 pool did not move
    c = relogin(s, c)
    got_c = ok(c.get(f"/api/v1/contracts/{cc['id']}"))
    assert got_c["voucher"] is None and got_c["waitlist"]["status"] == "waiting", got_c["waitlist"]
    assert budget_row(cf_, HOME_COUNTY, 2019)["available_fen"] == left_2019
    assert_ledger_sound(s)
    assert_audit_sound(s)


def test_a_2020_applicant_queues_behind_an_application_waiting_since_2019(drained):
    """A waits since 2019. In 2020 the 2020 pool holds ¥1,000: not enough
    for A (¥2,970), enough for B (¥396 at 20 %). B, confirmed in 2020,
    joins the queue behind A instead of being served ahead of it."""
    s, _ = drained
    county_it, provider = s.login("county_it"), s.login("provider")
    item = demo_item(s, SERVER_8C)
    a = new_enterprise(s, county_it)
    ca = draft_by_provider(provider, a.party["id"], [catalog_line(item, 12, 99_000)], program_id=PROGRAM)
    ra = confirm(a, ca["id"])
    assert ra.status_code == 202, ra.text
    amount_a = ra.json()["waitlist"]["amount_fen"]

    s.set_clock(IN_2020)
    county_it, provider, cf_ = s.login("county_it"), s.login("provider"), s.login("county_finance")
    ok(fund(cf_, HOME_COUNTY, 2020, 100_000), 201)  # less than A needs, more than B does
    a = relogin(s, a)
    assert ok(a.get(f"/api/v1/contracts/{ca['id']}"))["waitlist"]["status"] == "waiting"
    b = new_enterprise(s, county_it)
    cb = draft_by_provider(provider, b.party["id"], [catalog_line(item, 2, 99_000)],
                           program_id=PROGRAM, **SERVICE_2020)
    rb = confirm(b, cb["id"])
    assert rb.status_code == 202, \
        (f"B (2020) was answered {rb.status_code} while A has waited since 2019: "
         f"{rb.json().get('voucher')}")
    wb = rb.json()["waitlist"]
    assert wb["amount_fen"] == 198_000 * 2000 // 10000 and wb["ahead"] >= 1, wb
    queue = ok(county_it.get("/api/v1/waitlist", params={"county": HOME_COUNTY}))["items"]
    assert [w["contract_id"] for w in queue] == [ca["id"], cb["id"]], queue
    row = budget_row(cf_, HOME_COUNTY, 2020)
    assert (row["reserved_fen"], row["available_fen"]) == (0, 100_000), row
    assert amount_a > 100_000
    assert_ledger_sound(s)
