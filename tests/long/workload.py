"""Mixed traffic for the long tests (issue 9, deliver 4 and 6): the money
path's writers — contract confirmations producing vouchers, budget
fundings, redemption applications going round submit → evaluate → return
→ resubmit, payout batches paid and 1-fen clawbacks — and a read for
every demo role. Every writer keeps what the server acknowledged (a 2xx)
so that `Acks.verify` can look for each of them in the database.

Writers work from the database's state: after a crash the next step of an
application is read again, and a write whose answer was lost is retried
(fundings and payouts carry an Idempotency-Key, so a retry is answered as
the first attempt was; a confirmation already committed answers 409).

Used by test_crash_mixed.py and test_soak.py; the API tests' harness
(tests/api/conftest.py, flows.py) is imported from there.
"""
import datetime as dt
import itertools
import sys
import threading
from collections import Counter, deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

import requests  # noqa: E402

from conftest import CST, HOME_COUNTY, START, iso  # noqa: E402,F401
from flows import (new_provider, ok, published_item, relogin, rush_seed,  # noqa: E402
                   session_copies)

PAYDAY = dt.datetime(2019, 7, 9, 9, 0, tzinfo=CST)  # the notice of 2019-07-01 may close
PERIOD = "2019H1"
CRITERIA = ["服务交付与合同相符", "服务质量与稳定性", "企业满意度", "票据与证明材料"]
SCORES = [{"name": n, "score": v} for n, v in zip(CRITERIA, (90, 80, 100, 70))]
OK = (200, 201, 202)


class Lost(Exception):
    """The connection broke: the server is gone (killed) or the answer lost."""


def call(client, method, path, **kw):
    """One request; Lost when no answer came. 5xx answers are returned."""
    try:
        return client.request(method, path, **kw)
    except requests.RequestException as e:
        raise Lost(repr(e)) from e


class Acks:
    """What the server acknowledged, and what is owed a retry."""

    def __init__(self):
        self.lock = threading.Lock()
        self.confirmed = {}  # contract id -> (status, body)
        self.funded = {}  # reference -> amount
        self.steps = Counter()  # redemption id -> acknowledged steps
        self.batches = {}  # redemption id -> payout batch id
        self.paid = set()  # payout batch ids
        self.clawbacks = set()  # clawback ids
        self.lost = Counter()  # kind -> requests whose answer was lost
        self.answers = Counter()  # status -> count
        self.errors = []  # 5xx and unexpected answers

    def answered(self, r, what):
        with self.lock:
            self.answers[r.status_code] += 1
            if r.status_code >= 500:
                self.errors.append(f"{what}: {r.status_code} {r.text[:300]}")

    def unexpected(self, what, r):
        with self.lock:
            self.errors.append(f"{what}: unexpected {r.status_code} {r.text[:300]}")

    def total(self):
        return (len(self.confirmed) + len(self.funded) + sum(self.steps.values()) +
                len(self.batches) + len(self.paid) + len(self.clawbacks))

    def verify(self, s):
        """Every acknowledged write is in the database. Returns how many
        were checked."""
        rows = dict(s.sql("SELECT c.id, c.status FROM contracts c WHERE c.id LIKE 'mixC%'"))
        vouchers = {r[0]: r[1:] for r in s.sql(
            "SELECT contract_id, code, amount_fen FROM vouchers WHERE contract_id LIKE 'mixC%'")}
        waits = {r[0]: r[1] for r in s.sql(
            "SELECT contract_id, position FROM waitlist WHERE contract_id LIKE 'mixC%'")}
        for cid, (status, body) in self.confirmed.items():
            assert rows[cid] == "confirmed", (cid, rows[cid])
            if status == 201:
                v = body["voucher"]
                assert vouchers.get(cid) == (v["code"], v["amount_fen"]), cid
            else:
                assert waits.get(cid) == body["waitlist"]["position"], cid
        booked = dict(s.sql("SELECT reference, COUNT(*) || ':' || SUM(amount_fen) FROM"
                            " ledger_transfers WHERE reference LIKE 'mix-fund-%' GROUP BY reference"))
        for ref, amount in self.funded.items():
            assert booked.get(ref) == f"1:{amount}", (ref, booked.get(ref))
        audited = dict(s.sql("SELECT entity_id, COUNT(*) FROM audit_log WHERE entity = 'redemption'"
                             " GROUP BY entity_id"))
        for rid, n in self.steps.items():
            assert audited.get(rid, 0) >= n, (rid, audited.get(rid), n)
        batches = dict(s.sql("SELECT id, status FROM payouts"))
        for rid, bid in self.batches.items():
            assert bid in batches, (rid, bid)
        for bid in self.paid:
            assert batches[bid] == "paid", bid
        claws = {r[0] for r in s.sql("SELECT id FROM clawbacks")}
        assert self.clawbacks <= claws, self.clawbacks - claws
        return self.total()


class Confirmer:
    """The provider confirms contracts drafted by seeded enterprises."""

    def __init__(self, contracts, acks):
        self.todo = deque(contracts)
        self.tried = set()  # attempted at least once (a 409 then means committed)
        self.acks = acks
        self.lock = threading.Lock()

    def step(self, client):
        with self.lock:
            if not self.todo:
                return False
            cid = self.todo.popleft()
            first = cid not in self.tried
            self.tried.add(cid)
        try:
            r = call(client, "POST", f"/api/v1/contracts/{cid}/confirm")
        except Lost:
            with self.lock:
                self.todo.appendleft(cid)
                self.acks.lost["confirm"] += 1
            raise
        self.acks.answered(r, f"confirm {cid}")
        if r.status_code in (201, 202):
            with self.acks.lock:
                self.acks.confirmed[cid] = (r.status_code, r.json())
        elif r.status_code == 409 and (first or cid in self.acks.confirmed):
            # committed only if an earlier attempt lost its answer
            self.acks.unexpected(f"confirm {cid}: 409 without an earlier lost attempt", r)
        elif r.status_code != 409:
            self.acks.unexpected(f"confirm {cid}", r)
        return True


class Funder:
    """county_finance funds the pool, each funding with its own reference
    and Idempotency-Key; one whose answer was lost is sent again."""

    def __init__(self, acks, tag="a"):
        self.acks = acks
        self.numbers = itertools.count(1)
        self.retry = deque()
        self.tag = tag
        self.lock = threading.Lock()

    def step(self, client):
        with self.lock:
            ref = self.retry.popleft() if self.retry else f"mix-fund-{self.tag}{next(self.numbers)}"
        amount = 100 + int(ref.rsplit("-", 1)[1][1:]) % 900
        try:
            r = call(client, "POST", f"/api/v1/budgets/{HOME_COUNTY}/2019/fund",
                     json={"amount_fen": amount, "source": "county", "reference": ref},
                     headers={"Idempotency-Key": ref})
        except Lost:
            with self.lock:
                self.retry.append(ref)
                self.acks.lost["fund"] += 1
            raise
        self.acks.answered(r, f"fund {ref}")
        if r.status_code in (200, 201):
            with self.acks.lock:
                self.acks.funded[ref] = amount
        else:
            self.acks.unexpected(f"fund {ref}", r)
        return True


class Redeemer:
    """Applications going round: submitted → evaluated (evaluator) →
    returned (county_it) → submitted again (the provider), for ever."""

    def __init__(self, apps, acks):
        self.apps = apps  # [redemption id], filed by clients["providers"][i]
        self.acks = acks
        self.turn = itertools.count()

    def step(self, clients):
        i = next(self.turn) % len(self.apps)
        prov, rid = clients["providers"][i], self.apps[i]
        r = call(clients["county_it"], "GET", f"/api/v1/redemptions/{rid}")
        self.acks.answered(r, f"read {rid}")
        if r.status_code != 200:
            self.acks.unexpected(f"read {rid}", r)
            return True
        state = r.json()["status"]
        if state in ("draft", "returned"):
            who, path, body = prov, f"/api/v1/redemptions/{rid}/submit", None
        elif state == "submitted":
            who, path, body = clients["evaluator"], f"/api/v1/redemptions/{rid}/evaluate", {
                "scores": SCORES, "note": "按期评价"}
        elif state == "evaluated":
            who, path, body = clients["county_it"], f"/api/v1/redemptions/{rid}/review", {
                "decision": "return", "reason": "请补充发票"}
        else:
            self.acks.unexpected(f"redemption {rid} in state {state}", r)
            return True
        try:
            r = call(who, "POST", path, json=body)
        except Lost:
            self.acks.lost["redemption"] += 1
            raise
        self.acks.answered(r, path)
        if r.status_code == 200:
            with self.acks.lock:
                self.acks.steps[rid] += 1
        else:
            self.acks.unexpected(path, r)
        return True


class Payer:
    """county_finance puts each noticed application in a batch, pays it
    (both with an Idempotency-Key), then claws back 1 fen at a time."""

    def __init__(self, apps, acks):
        self.apps = apps  # [(redemption id, voucher id)]
        self.acks = acks
        self.turn = itertools.count()
        self.claws = itertools.count(1)

    def step(self, client):
        rid, vid = self.apps[next(self.turn) % len(self.apps)]
        bid = self.acks.batches.get(rid)
        if bid is None:
            what, path, body, key = "batch", "/api/v1/payouts", {
                "county_code": HOME_COUNTY, "redemption_ids": [rid]}, f"mix-batch-{rid}"
        elif bid not in self.acks.paid:
            what, path, body, key = "paid", f"/api/v1/payouts/{bid}/paid", {
                "paid_on": "2019-07-09", "reference": f"任财付-{bid[-6:]}"}, f"mix-paid-{bid}"
        else:
            what, path, body = "clawback", "/api/v1/clawbacks", {
                "redemption_id": rid, "voucher_id": vid, "amount_fen": 1,
                "reason": "长测追回", "evidence": f"长测 第 {next(self.claws)} 次"}
            key = None  # a lost clawback is not retried: it may be there or not
        try:
            r = call(client, "POST", path, json=body,
                     headers={"Idempotency-Key": key} if key else {})
        except Lost:
            self.acks.lost["payout"] += 1
            raise
        self.acks.answered(r, f"{what} {rid}")
        if r.status_code not in (200, 201):
            self.acks.unexpected(f"{what} {rid}", r)
            return True
        with self.acks.lock:
            if what == "batch":
                self.acks.batches[rid] = r.json()["id"]
            elif what == "paid":
                self.acks.paid.add(bid)
            else:
                self.acks.clawbacks.add(r.json()["id"])
        return True


def role_sessions(s, roles):
    return {role: s.login(role) for role in roles}


def prepare(s, n_rush, n_cycling=3, n_paid=3):
    """On a running Server with a clock file at START: funds 任城区's pool,
    seeds `n_rush` contracts for the demo provider to confirm, makes
    n_cycling + n_paid new providers with one voucher and one application
    each (the n_paid approved and through a notice), and moves the clock to
    PAYDAY, when the notice closes. Returns the world the writers need."""
    s.set_clock(START)
    c = role_sessions(s, ("city_it", "county_it", "evaluator", "county_finance"))
    ok(c["county_finance"].post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json={
        "amount_fen": 900_000_000, "source": "county", "reference": "长测预算"}), 201)
    rush = [cid for cid, _, _ in rush_seed(s.db, n_rush, HOME_COUNTY, seed=17, prefix="mix")]
    providers, apps = [], []
    for i in range(n_cycling + n_paid):
        prov = new_provider(s, c["city_it"])
        name = f"长测云主机 {i}-{prov.party['id'][-6:]}"
        published_item(prov, c["city_it"], name=name, list_price_fen=120_000,
                       discount_price_fen=99_000)
        (cid, _, _), = rush_seed(s.db, 1, HOME_COUNTY, provider_name=prov.party["name"],
                                 item_name=name, seed=60 + i, prefix=f"rp{i}x")
        v = ok(prov.post(f"/api/v1/contracts/{cid}/confirm"), 201)["voucher"]
        a = ok(prov.post("/api/v1/redemptions", json={
            "county_code": HOME_COUNTY, "period": PERIOD, "items": [{
                "voucher_id": v["id"], "service_desc": "2019 年上半年云主机服务",
                "fee_fen": 200_000, "claim_fen": 50_000, "invoice_nos": "37001900001"}]}), 201)
        ok(prov.post(f"/api/v1/redemptions/{a['id']}/submit"))
        providers.append(prov)
        apps.append((a["id"], v["id"]))
    paid = apps[n_cycling:]
    for rid, _ in paid:
        ok(c["evaluator"].post(f"/api/v1/redemptions/{rid}/evaluate", json={"scores": SCORES}))
        ok(c["county_it"].post(f"/api/v1/redemptions/{rid}/review", json={"decision": "approve"}))
    n = ok(c["county_it"].post("/api/v1/notices", json={
        "county_code": HOME_COUNTY, "redemption_ids": [rid for rid, _ in paid],
        "opens_on": "2019-07-01"}), 201)
    s.set_clock(PAYDAY)  # every session has been idle too long now
    ok(s.login("county_it").post(f"/api/v1/notices/{n['id']}/close"))
    providers = [relogin(s, p) for p in providers]
    return {"rush": rush, "providers": providers[:n_cycling],
            "cycling": [rid for rid, _ in apps[:n_cycling]], "paid": paid}


def rebind(client, base):
    """A new session with client's sign-in, for the server now at `base`
    (a restarted server listens on a new port; sessions are in the
    database and survive)."""
    c, = session_copies(client, 1, base)
    return c
