"""Group commit (issue 12): the server's writes go through one writer
thread that runs queued use cases as savepoints of one transaction and
commits them together, answering each only after the shared commit.

- A use case that fails inside a group rolls back alone: a confirmation of
  an already confirmed contract is refused, and every fifth use case fails
  late (YUNQUAN_FAULT=group_fail_every:5 makes it break a CHECK constraint
  after its own writes): its contract stays unconfirmed, with no voucher, no
  waitlist place, no ledger transfer and no audit entry, while the others of
  the same group commit.
- kill -9 while groups are in flight: every confirmation answered 2xx is in
  the database as answered; every other one is either wholly there or not
  at all (a confirmed contract has exactly one voucher or place, an
  unconfirmed one neither); ledger check and audit verify pass.
"""
import re
import threading
import time

from flows import (RushServer, assert_audit_sound, assert_ledger_sound, confirm_all,
                   rush_start, session_copies)

COUNTY = "370872"
YEAR = 2019
RATIO = 2500
THREADS = 32


def metric(client, name):
    text = client.get("/metrics").text
    m = re.search(rf"^{name} (\d+)$", text, re.M)
    assert m, f"{name} missing from /metrics"
    return int(m.group(1))


def start_rush(tmp, template_db, n, env=None):
    # `--group-commit true` puts the writer in front of PostgreSQL too (its
    # default there is concurrent writers), so both engines run these tests
    s = RushServer(tmp, template_db, extra_args=["--threads", "16", "--per-ip-connections", "0",
                                                 "--group-commit", "true"], env=env)
    seeded = rush_start(s, n, COUNTY, YEAR, RATIO, seed=3, reference="成组提交测试")
    return s, [c for c, _, _ in seeded]


def assert_whole_or_nothing(state, ids):
    """A confirmed contract has one voucher or one place and one audit
    entry; an unconfirmed one has none of them."""
    for cid in ids:
        c_status, code, position, _, audits = state[cid]
        if c_status == "confirmed":
            assert (code is None) != (position is None) and audits == 1, (cid, state[cid])
        else:
            assert code is None and position is None and audits == 0, (cid, state[cid])


def outcome(s):
    """contract id -> (status, voucher code, waitlist position, transfers, audit entries)."""
    rows = s.sql(
        "SELECT c.id, c.status, v.code, w.position,"
        " (SELECT COUNT(*) FROM ledger_transfers t WHERE t.debit_account = 'voucher:' || v.id"
        "  OR t.credit_account = 'voucher:' || v.id),"
        " (SELECT COUNT(*) FROM audit_log a WHERE a.entity_id = c.id AND a.action = 'confirm')"
        " FROM contracts c LEFT JOIN vouchers v ON v.contract_id = c.id"
        " LEFT JOIN waitlist w ON w.contract_id = c.id WHERE c.id LIKE 'rushC%'")
    return {r[0]: r[1:] for r in rows}


def test_a_failing_use_case_rolls_back_alone(tmp_path_factory, template_db):
    env = {"YUNQUAN_FAULT": "group_fail_every:5"}
    s, ids = start_rush(tmp_path_factory.mktemp("group"), template_db, 300, env=env)
    try:
        provider = s.login("provider")
        commits0 = metric(provider, "yunquan_group_commits_total")
        writes0 = metric(provider, "yunquan_group_writes_total")
        # every contract once, and the first 40 a second time, all at once
        answers = {}
        dup_answers = []
        lock = threading.Lock()

        def again():
            got = confirm_all(session_copies(provider, 8), ids[:40], threads=8)
            with lock:
                dup_answers.extend(got.values())
        t = threading.Thread(target=again)
        t.start()
        answers = confirm_all(session_copies(provider, THREADS), ids, threads=THREADS)
        t.join()
        commits = metric(provider, "yunquan_group_commits_total") - commits0
        writes = metric(provider, "yunquan_group_writes_total") - writes0
        largest = metric(provider, "yunquan_group_largest")
    finally:
        probs = s.stop()
    assert not probs, probs
    assert writes >= 340 and commits < writes and largest > 1, \
        f"no grouping seen: {writes} writes in {commits} commits, largest {largest}"

    state = outcome(s)
    injected = 0
    for cid in ids:
        status, body, _ = answers[cid]
        c_status, code, position, transfers, audits = state[cid]
        if status == 409 and body["error"]["code"] == "injected_fault":
            injected += 1
            # rolled back alone: nothing of it is left
            if c_status == "confirmed":  # the duplicate request confirmed it instead
                assert (code is None) != (position is None), cid
            else:
                assert code is None and position is None and audits == 0, (cid, state[cid])
            continue
        if status == 409:  # the duplicate came first
            assert body["error"]["code"] in ("invalid_state", "injected_fault"), body
            assert c_status == "confirmed" or cid in ids[:40], (cid, body)
            continue
        assert status in (201, 202), (cid, status, body)
        assert c_status == "confirmed" and audits == 1, (cid, state[cid])
        if status == 201:
            assert code == body["voucher"]["code"] and transfers >= 1, cid
        else:
            assert code is None and position == body["waitlist"]["position"], cid
    assert injected >= 40, f"only {injected} injected failures seen"
    # a contract confirmed twice is refused the second time, never booked twice
    assert all(a[0] in (201, 202, 409) for a in dup_answers), dup_answers[:3]
    assert_whole_or_nothing(state, ids)
    assert_ledger_sound(s)
    assert_audit_sound(s)


def test_kill_9_while_groups_are_in_flight(tmp_path_factory, template_db):
    s, ids = start_rush(tmp_path_factory.mktemp("groupkill"), template_db, 600)
    try:
        provider = s.login("provider")
        answers = {}
        seen = []

        def kill_when_busy():
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if len(answers) >= 120:
                    break
                time.sleep(0.002)
            seen.extend(s.kill9())

        def record(cid, answer):
            answers[cid] = answer
        killer = threading.Thread(target=kill_when_busy)
        killer.start()
        results = confirm_all(session_copies(provider, 48), ids, threads=48, on_answer=record)
        killer.join()
        assert not seen, seen
        s.restart()
        state = outcome(s)
        answered = {c: a for c, a in results.items() if a[0] in (201, 202)}
        lost = [c for c, a in results.items() if a[0] is None]
        assert answered and lost, f"{len(answered)} answered, {len(lost)} lost: kill too late"
        for cid, (status, body, _) in answered.items():
            c_status, code, position, _, audits = state[cid]
            assert c_status == "confirmed" and audits == 1, (cid, state[cid])
            if status == 201:
                assert code == body["voucher"]["code"], cid
            else:
                assert position == body["waitlist"]["position"], cid
        assert_whole_or_nothing(state, ids)  # nothing half-applied
        assert_ledger_sound(s)
        assert_audit_sound(s)
    finally:
        probs = s.stop()
    assert not probs, probs
