"""Issue 4, the heart: 2,000 approved enterprises' contracts confirmed at
once from 32 client threads against a pool that covers about 60 % of them
(先到先补). The first ones in confirmation order hold vouchers, the rest
wait in that order, the pool never goes below zero, the ledger check
passes; funding the rest drains the waitlist in order.

The enterprises and their draft contracts (drafted by the enterprise, one
catalog line) are written straight into the database before the server
starts; the provider confirms them all through the API. The server's
clock runs (--now) so that confirmation instants are distinct."""
import os
import re
import threading
import time

import pytest

from conftest import SANITIZER_MARKS, all_pages
from flows import (RushServer, assert_audit_sound, assert_ledger_sound, confirm_all, ok,
                   pool_topup_needed, rush_seed, session_copies)

N = int(os.environ.get("YQ_RUSH_N", "2000"))
THREADS = 32
COUNTY = "370872"  # 太白湖新区: no demo contracts
YEAR = 2019
RATIO = 2500  # jining-2018 in 2019
CODE_RE = re.compile(r"^YQ2019-370872-(\d{6})-.$")


@pytest.fixture(scope="module")
def rush(tmp_path_factory, template_db):
    s = RushServer(tmp_path_factory.mktemp("rush"), template_db, extra_args=["--threads", "16"])
    seeded = rush_seed(s.db, N, COUNTY)
    demand = sum(b * RATIO // 10000 for _, _, b in seeded)
    topup, have = pool_topup_needed(s.db, COUNTY, YEAR, demand, 0.6)
    s.start()
    city_fin = s.login("city_finance")
    if topup:
        ok(city_fin.post(f"/api/v1/budgets/{COUNTY}/{YEAR}/fund", json={
            "amount_fen": topup, "source": "city_award", "reference": "抢券测试-预算"}), 201)
    provider = s.login("provider")
    sessions = session_copies(provider, THREADS)

    # Watch the pool while the rush runs: it must never go below zero.
    lows, stop = [], threading.Event()

    def watch():
        while not stop.is_set():
            row = s.sql("SELECT credits_posted - debits_posted - debits_pending FROM"
                        " ledger_accounts WHERE id = ?", f"pool:{COUNTY}:{YEAR}")
            lows.append(row[0][0])
            time.sleep(0.02)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    t0 = time.monotonic()
    answers = confirm_all(sessions, [c for c, _, _ in seeded], threads=THREADS)
    elapsed = time.monotonic() - t0
    stop.set()
    watcher.join()
    yield {"server": s, "seeded": seeded, "answers": answers, "demand": demand,
           "pool": topup + have, "lows": lows, "elapsed": elapsed, "city_fin": city_fin}
    probs = s.stop()
    assert not probs, probs


def db_state(s):
    """Per rush contract: confirmed_at, voucher (serial, amount), waitlist
    (position, amount, status)."""
    rows = s.sql(
        "SELECT c.id, c.status, c.confirmed_at, c.base_fen, v.code, v.amount_fen, v.issued_at,"
        " w.position, w.amount_fen, w.status FROM contracts c"
        " LEFT JOIN vouchers v ON v.contract_id = c.id"
        " LEFT JOIN waitlist w ON w.contract_id = c.id"
        " WHERE c.id LIKE 'rushC%' ORDER BY c.confirmed_at, c.id")
    return [dict(zip(("id", "status", "confirmed_at", "base", "code", "amount", "issued_at",
                      "position", "w_amount", "w_status"), r)) for r in rows]


def serial(code):
    m = CODE_RE.match(code)
    assert m, code
    return int(m.group(1))


def test_every_confirmation_is_answered_201_or_202(rush):
    answers = rush["answers"]
    assert len(answers) == N
    bad = {cid: a[:2] for cid, a in answers.items() if a[0] not in (201, 202)}
    assert not bad, f"{len(bad)} confirmations failed, e.g. {list(bad.items())[:3]}"
    issued = sum(1 for a in answers.values() if a[0] == 201)
    print(f"\n{N} confirmations from {THREADS} threads in {rush['elapsed']:.1f} s; "
          f"{issued} vouchers, {N - issued} waiting")
    assert 0 < issued < N


def test_answers_match_the_database(rush):
    state = {r["id"]: r for r in db_state(rush["server"])}
    for cid, (status, body, _) in rush["answers"].items():
        row = state[cid]
        assert row["status"] == "confirmed"
        if status == 201:
            assert body["voucher"]["code"] == row["code"]
            assert body["voucher"]["amount_fen"] == row["amount"]
            assert row["position"] is None, "a voucher and a waitlist place"
        elif status == 202:
            assert row["code"] is None
            assert body["waitlist"]["position"] == row["position"]
            assert body["waitlist"]["amount_fen"] == row["w_amount"]


def test_vouchers_go_to_the_first_in_confirmation_order(rush):
    rows = db_state(rush["server"])
    assert len(rows) == N and all(r["status"] == "confirmed" for r in rows)
    # the clock runs: instants differ (milliseconds: a fast writer confirms
    # several in one, so not every instant is distinct; a stuck clock gives 1)
    assert len({r["confirmed_at"] for r in rows}) > N // 20, "the clock runs: instants differ"
    with_voucher = [r for r in rows if r["code"]]
    waiting = [r for r in rows if r["position"] is not None]
    assert len(with_voucher) + len(waiting) == N
    # amounts: floor(base × 25 %), no cap reached at these sizes
    for r in with_voucher:
        assert r["amount"] == r["base"] * RATIO // 10000
    for r in waiting:
        assert r["w_amount"] == r["base"] * RATIO // 10000 and r["w_status"] == "waiting"
    # nobody confirmed later holds a voucher while someone earlier waits
    last_voucher = max(r["confirmed_at"] for r in with_voucher)
    first_waiting = min(r["confirmed_at"] for r in waiting)
    assert last_voucher <= first_waiting
    # serials are handed out in confirmation order (two confirmations may
    # share a millisecond), without gaps
    by_serial = sorted(with_voucher, key=lambda r: serial(r["code"]))
    times = [r["confirmed_at"] for r in by_serial]
    assert times == sorted(times), "a later confirmation got an earlier serial"
    serials = [serial(r["code"]) for r in by_serial]
    assert serials == list(range(serials[0], serials[0] + len(serials)))
    # waitlist places follow confirmation order
    by_place = sorted(waiting, key=lambda r: r["position"])
    times = [r["confirmed_at"] for r in by_place]
    assert times == sorted(times), "a later confirmation got an earlier place"
    assert len({r["position"] for r in waiting}) == len(waiting)
    # about 60 % of the demand was covered
    covered = sum(r["amount"] for r in with_voucher)
    assert 0.5 * rush["demand"] <= covered <= 0.6 * rush["demand"] + 1


def test_the_pool_never_went_below_zero_and_is_not_skipped(rush):
    s = rush["server"]
    assert rush["lows"] and min(rush["lows"]) >= 0
    (funded, pending, posted), = s.sql(
        "SELECT credits_posted, debits_pending, debits_posted FROM ledger_accounts WHERE id = ?",
        f"pool:{COUNTY}:{YEAR}")
    available = funded - pending - posted
    assert available >= 0
    assert funded == rush["pool"]
    reserved = s.sql("SELECT SUM(amount_fen) FROM vouchers WHERE county_code = ? AND"
                     " issue_year = ? AND status = 'issued'", COUNTY, YEAR)[0][0]
    assert pending == reserved
    # the head of the queue could not be covered by what is left
    head = min((r for r in db_state(s) if r["position"] is not None), key=lambda r: r["position"])
    assert available < head["w_amount"]
    # what officials see agrees
    row = next(r for r in ok(rush["city_fin"].get("/api/v1/budgets", params={"year": YEAR}))["items"]
               if r["county_code"] == COUNTY)
    assert row["available_fen"] == available and row["reserved_fen"] == reserved
    assert row["waitlist_count"] == sum(1 for a in rush["answers"].values() if a[0] == 202)


def test_ledger_and_audit_are_sound_after_the_rush(rush):
    assert_ledger_sound(rush["server"])
    assert_audit_sound(rush["server"])
    for mark in SANITIZER_MARKS:
        assert mark not in rush["server"].stderr()


def test_the_waitlist_page_shows_the_queue_in_confirmation_order(rush):
    s = rush["server"]
    listed = all_pages(rush["city_fin"], "/api/v1/waitlist", county=COUNTY, year=YEAR)
    waiting = sorted((r for r in db_state(s) if r["position"] is not None),
                     key=lambda r: r["position"])
    assert [w["contract_id"] for w in listed] == [r["id"] for r in waiting]
    times = [w["confirmed_at"] for w in listed]
    assert times == sorted(times)
    assert [w["place"] for w in listed] == list(range(1, len(listed) + 1))


def test_funding_the_rest_drains_the_waitlist_in_order(rush):
    s, city_fin = rush["server"], rush["city_fin"]
    before = db_state(s)
    queue = sorted((r for r in before if r["position"] is not None), key=lambda r: r["position"])
    last_serial = max(serial(r["code"]) for r in before if r["code"])
    available = s.sql("SELECT credits_posted - debits_posted - debits_pending FROM"
                      " ledger_accounts WHERE id = ?", f"pool:{COUNTY}:{YEAR}")[0][0]
    # first, enough for about half the queue: exactly a prefix is served
    half = sum(r["w_amount"] for r in queue[:len(queue) // 2]) - available
    ok(city_fin.post(f"/api/v1/budgets/{COUNTY}/{YEAR}/fund", json={
        "amount_fen": half, "source": "province_award", "reference": "抢券测试-补足一半"}), 201)
    mid = {r["id"]: r for r in db_state(s)}
    served = [mid[r["id"]]["code"] is not None for r in queue]
    k = served.index(False)
    assert k >= len(queue) // 2 and not any(served[k:]), "served out of order"
    # then the rest
    rest = sum(r["w_amount"] for r in queue) - half - available
    r = ok(city_fin.post(f"/api/v1/budgets/{COUNTY}/{YEAR}/fund", json={
        "amount_fen": rest, "source": "province_award", "reference": "抢券测试-补足"}), 201)
    assert r["waitlist_count"] == 0 and r["available_fen"] == 0
    after = {r["id"]: r for r in db_state(s)}
    serials = [serial(after[r["id"]]["code"]) for r in queue]
    assert serials == list(range(last_serial + 1, last_serial + 1 + len(queue))), \
        "served in waitlist order, each right after the previous"
    for q in queue:
        a = after[q["id"]]
        assert a["amount"] == q["w_amount"] and a["w_status"] == "served"
    assert all_pages(city_fin, "/api/v1/waitlist", county=COUNTY) == []
    assert_ledger_sound(s)
