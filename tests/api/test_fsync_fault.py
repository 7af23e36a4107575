"""fsync fails (issue 9, deliver 4): the server runs with
tests/faults/fsync_fail.so preloaded, which makes fsync and fdatasync fail
with EIO while a trigger file exists, as a disk reporting write errors
does. While it fails, every write (confirmations, fundings with an
Idempotency-Key) is answered 503 `storage_error` with a Chinese message,
never 2xx; reads still work; when the fault ends the same server writes
again. The fault comes back, the server is killed with SIGKILL and started
without the fault: every write answered 2xx is there, the ledger and the
audit chain check out, and a retry of every write that was refused is
answered as a first attempt or as already done, never booked twice."""
import os
import threading
from pathlib import Path

import pytest

from conftest import HOME_COUNTY, YQ_BIN, assert_error
from flows import (RushServer, assert_audit_sound, assert_ledger_sound, budget_row, ok,
                   rush_seed, session_copies)

SHIM = Path(YQ_BIN).resolve().parent / "tests" / "faults" / "fsync_fail.so"


@pytest.fixture
def faulty(tmp_path, template_db):
    if not SHIM.exists():
        pytest.fail(f"{SHIM} not built (meson builds it with the binary)")
    s = RushServer(tmp_path / "srv", template_db)
    trigger = tmp_path / "fsync-fails"
    # A sanitizer build wants its runtime first; the shim does not care.
    asan = os.environ.get("ASAN_OPTIONS", "")
    s.env = {"LD_PRELOAD": str(SHIM), "YQ_FSYNC_FAIL_FILE": str(trigger),
             "ASAN_OPTIONS": (asan + ":" if asan else "") + "verify_asan_link_order=0"}
    seeded = [c for c, _, _ in rush_seed(s.db, 40, HOME_COUNTY, seed=5, prefix="fsync")]
    s.start()
    yield s, trigger, seeded
    probs = s.stop()
    assert not probs, probs


def writes(s, clients, contracts, refs):
    """Confirms `contracts` (as the provider) and posts fundings with
    references `refs` (as county_finance, each with its Idempotency-Key),
    two threads each. Returns {("confirm"|"fund", id): status}."""
    out, lock = {}, threading.Lock()
    jobs = [[("confirm", c) for c in contracts[k::2]] for k in range(2)] + \
        [[("fund", r) for r in refs[k::2]] for k in range(2)]

    def worker(k):
        c = clients[k]
        for kind, key in jobs[k]:
            try:
                if kind == "confirm":
                    r = c.post(f"/api/v1/contracts/{key}/confirm")
                else:
                    r = c.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund",
                               json={"amount_fen": 1000, "source": "county", "reference": key},
                               headers={"Idempotency-Key": key})
                status = r.status_code
                if status >= 500:
                    assert_error(r, 503, "storage_error")
            except (AssertionError, OSError) as e:
                status = f"bad answer: {e!r}"
            with lock:
                out[(kind, key)] = status

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(len(clients))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return out


@pytest.mark.sqlite_only("the fsync shim is in the server process; PostgreSQL fsyncs in its own")
def test_failing_fsync_acknowledges_nothing_and_loses_nothing(faulty):
    s, trigger, contracts = faulty
    provider, fin = s.login("provider"), s.login("county_finance")
    ok(fin.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json={
        "amount_fen": 80_000_000, "source": "county", "reference": "fsync-budget"}), 201)
    clients = session_copies(provider, 2) + session_copies(fin, 2)
    acked = {}  # what a user was told succeeded

    def run(batch, refs):
        got = writes(s, clients, batch, refs)
        acked.update({k: v for k, v in got.items() if v in (200, 201, 202)})
        return got

    got = run(contracts[:5], ["fsync-ok-1", "fsync-ok-2"])
    assert set(got.values()) <= {201, 202}, got
    # The disk starts failing: nothing is acknowledged, reads work.
    trigger.touch()
    got = run(contracts[5:15], [f"fsync-fail-{i}" for i in range(6)])
    assert set(got.values()) == {503}, got
    assert Path(str(trigger) + ".count").stat().st_size > 0
    assert ok(provider.get(f"/api/v1/contracts/{contracts[0]}"))["status"] == "confirmed"
    budget_row(fin, HOME_COUNTY)
    s.assert_alive()
    # It stops failing: the same server writes again (no broken connection).
    trigger.unlink()
    got = run(contracts[15:25], [f"fsync-back-{i}" for i in range(6)])
    assert set(got.values()) <= {201, 202}, got
    # It fails again, and the server is killed in the middle of it.
    trigger.touch()
    got = run(contracts[25:40], [f"fsync-again-{i}" for i in range(6)])
    assert set(got.values()) == {503}, got
    refused = [k for k, v in got.items() if v == 503]
    assert not s.kill9()
    trigger.unlink()
    s.restart()
    assert_ledger_sound(s)
    assert_audit_sound(s)
    # Every acknowledged write is there.
    for (kind, key), _ in acked.items():
        if kind == "confirm":
            assert s.sql("SELECT status FROM contracts WHERE id = ?", key) == [("confirmed",)], key
        else:
            assert s.sql("SELECT COUNT(*) FROM ledger_transfers WHERE reference = ?", key) == [(1,)], key
    # A refused write may be retried: done once, never twice.
    provider, fin = s.login("provider"), s.login("county_finance")
    clients = session_copies(provider, 2) + session_copies(fin, 2)
    retry = writes(s, clients, [k for kind, k in refused if kind == "confirm"],
                   [k for kind, k in refused if kind == "fund"])
    for (kind, key), status in retry.items():
        assert status in (200, 201, 202) or (kind == "confirm" and status == 409), (key, status)
        if kind == "fund":
            assert s.sql("SELECT COUNT(*) FROM ledger_transfers WHERE reference = ?", key) == [(1,)]
    appeared = sum(1 for v in retry.values() if v == 409)
    print(f"\n{len(acked)} writes acknowledged, all present; {len(refused)} refused while fsync"
          f" failed, {appeared} of them found done after the restart")
    assert_ledger_sound(s)
