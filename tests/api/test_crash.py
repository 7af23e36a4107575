"""Crash safety of the money path: during a rush of 400 confirmations the
server is killed with SIGKILL at random moments, at least 20 times, and
started again on the same database file. After every restart the ledger
check passes and every voucher the server answered 201 for is in the
database with the amount it answered (and every 202 has its waitlist
place). Outcomes lost with a connection are retried after the restart:
a confirmation that was committed is refused as already confirmed, never
booked twice."""
import datetime as dt
import random
import threading
import time

import pytest

from conftest import START
from flows import (RushServer, assert_audit_sound, assert_ledger_sound, confirm_all, ok,
                   pool_topup_needed, rush_seed, session_copies)

N = 400
KILLS = 22
THREADS = 16
COUNTY = "370872"
YEAR = 2019
RATIO = 2500


def check_answers(s, answered):
    """Every 201 has its voucher (code, amount), every 202 its waitlist place."""
    rows = s.sql("SELECT c.id, c.status, v.code, v.amount_fen, w.position, w.amount_fen"
                 " FROM contracts c LEFT JOIN vouchers v ON v.contract_id = c.id"
                 " LEFT JOIN waitlist w ON w.contract_id = c.id WHERE c.id LIKE 'rushC%'")
    db = {r[0]: r[1:] for r in rows}
    for cid, (status, body) in answered.items():
        c_status, code, amount, position, w_amount = db[cid]
        assert c_status == "confirmed", (cid, c_status)
        if status == 201:
            assert (code, amount) == (body["voucher"]["code"], body["voucher"]["amount_fen"]), cid
        else:
            assert code is None and position == body["waitlist"]["position"], cid
            assert w_amount == body["waitlist"]["amount_fen"], cid
    return db


def test_kill_9_during_a_rush_loses_and_doubles_nothing(tmp_path_factory, template_db):
    rng = random.Random(20190701)
    s = RushServer(tmp_path_factory.mktemp("crash"), template_db, extra_args=["--threads", "8"])
    seeded = rush_seed(s.db, N, COUNTY, seed=11)
    demand = sum(b * RATIO // 10000 for _, _, b in seeded)
    topup, _ = pool_topup_needed(s.db, COUNTY, YEAR, demand, 0.6)
    s.start()
    try:
        ok(s.login("city_finance").post(f"/api/v1/budgets/{COUNTY}/{YEAR}/fund", json={
            "amount_fen": topup, "source": "city_award", "reference": "崩溃测试-预算"}), 201)
        provider = s.login("provider")  # the session survives restarts (it is in the database)
        pending = [c for c, _, _ in seeded]
        answered = {}  # contract id -> (201|202, body): what a user was told
        refused_after_commit = 0
        lost_before = set()  # attempts whose answer a crash took away
        kills = interrupted = 0
        busy_s, done = 0.0, 0  # for the pace: kill early enough that work is left
        while kills < KILLS:
            sessions = session_copies(provider, THREADS, s.base)
            rate = done / busy_s if done else 300.0
            budget = len(pending) / rate / (KILLS - kills + 1)
            delay = rng.uniform(0.003, max(0.006, min(0.08, 2 * budget)))
            t0 = time.monotonic()
            seen = []
            killer = threading.Timer(delay, lambda: seen.extend(s.kill9()))
            killer.start()
            results = confirm_all(sessions, pending, threads=THREADS)
            killer.join()
            kills += 1
            assert not seen, f"round {kills}: " + "; ".join(seen)
            busy_s += min(delay, time.monotonic() - t0)
            lost = sum(1 for a in results.values() if a[0] is None)
            done += len(results) - lost
            interrupted += lost > 0
            for cid, (status, body, _) in results.items():
                if status in (201, 202):
                    answered[cid] = (status, body)
                elif status == 409:
                    # committed before a crash took the answer away
                    assert body["error"]["code"] == "invalid_state", body
                    assert cid in lost_before, f"{cid}: 409 without an earlier attempt"
                    refused_after_commit += 1
                    answered.setdefault(cid, (None, None))
                elif status is not None:
                    pytest.fail(f"round {kills}: {cid} answered {status}: {body}")
            lost_before |= {cid for cid, a in results.items() if a[0] is None}
            pending = [c for c in pending if c not in answered]
            # --now takes whole seconds: start each run a minute later than the
            # previous one, so that time never goes back across restarts
            s.restart(now=START + dt.timedelta(minutes=kills))
            assert_ledger_sound(s)
            check_answers(s, {k: v for k, v in answered.items() if v[0]})
        # the rest, without a crash
        results = confirm_all(session_copies(provider, THREADS, s.base), pending, threads=THREADS)
        for cid, (status, body, _) in results.items():
            assert status in (201, 202, 409), (cid, status, body)
            assert status != 409 or cid in lost_before, (cid, body)
            answered.setdefault(cid, (status, body) if status != 409 else (None, None))
        db = check_answers(s, {k: v for k, v in answered.items() if v[0]})
        assert len(answered) == N and all(v[0] == "confirmed" for v in db.values())
        # one outcome each: a voucher or a place, never both, never twice
        for cid, (_, code, _, position, _) in db.items():
            assert (code is None) != (position is None), cid
        assert s.sql("SELECT COUNT(*) FROM vouchers WHERE contract_id LIKE 'rushC%'")[0][0] + \
            s.sql("SELECT COUNT(*) FROM waitlist WHERE contract_id LIKE 'rushC%'")[0][0] == N
        # first come, first served, across the restarts
        rows = s.sql("SELECT c.confirmed_at, v.code IS NOT NULL FROM contracts c LEFT JOIN"
                     " vouchers v ON v.contract_id = c.id WHERE c.id LIKE 'rushC%'")
        last_voucher = max(t for t, has in rows if has)
        first_wait = min(t for t, has in rows if not has)
        assert last_voucher <= first_wait
        assert_ledger_sound(s)
        assert_audit_sound(s)
        kept = sum(1 for v in answered.values() if v[0])
        print(f"\n{kills} kills ({interrupted} in the middle of the rush); {kept} answers kept,"
              f" {refused_after_commit} committed confirmations whose answer was lost")
        assert kills >= 20 and interrupted >= 20, f"only {interrupted} kills hit the rush"
    finally:
        probs = s.stop()
    assert not probs, probs
