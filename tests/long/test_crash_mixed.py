"""Crash consistency under mixed traffic (issue 9, deliver 4): five
writers — two confirming contracts (vouchers and waitlist places), one
funding the pool, one taking redemption applications round submit →
evaluate → return, one making payout batches, paying them and clawing
back — run against the real binary while it is killed with SIGKILL at a
random moment, YQ_CRASH_ROUNDS times (5 in `make test`, 100 in `make
test-long`; the seed is printed, YQ_CRASH_SEED repeats a run). After every
restart `yunquan ledger check` and `yunquan audit verify` pass and every
write answered 2xx before the kill is in the database: the voucher with
its code and amount, the waitlist place, the funding booked once with its
amount, the redemption steps in the audit trail, the batch, the payment,
the clawback."""
import os
import random
import threading
import time

from workload import Acks, Confirmer, Funder, Lost, Payer, Redeemer, prepare, rebind

from conftest import Server, template_db  # noqa: F401 (template_db is a fixture)
from flows import RushServer, assert_audit_sound, assert_ledger_sound

ROUNDS = int(os.environ.get("YQ_CRASH_ROUNDS", "5"))
SEED = int(os.environ.get("YQ_CRASH_SEED", "0")) or random.randrange(1, 1_000_000)


class CrashServer(Server):
    """A Server (clock file) that can be killed and started again."""
    kill9 = RushServer.kill9

    def restart(self):
        self.port = None
        self.base = None
        self.stopped = False
        return self.start()


def run_round(s, masters, world, writers, acks, delay):
    """The writers run until the server is killed, `delay` s from now.
    Returns the number of requests whose answer the kill took away."""
    lost_before = sum(acks.lost.values())
    confirmer, funder, redeemer, payer = writers
    base = s.base
    stop = threading.Event()

    def loop(step, arg):
        while not stop.is_set():
            try:
                if not step(arg):
                    return
            except Lost:
                return

    redeem_clients = {"county_it": rebind(masters["county_it"], base),
                      "evaluator": rebind(masters["evaluator"], base),
                      "providers": [rebind(p, base) for p in world["providers"]]}
    jobs = [(confirmer.step, rebind(masters["provider"], base)),
            (confirmer.step, rebind(masters["provider"], base)),
            (funder.step, rebind(masters["county_finance"], base)),
            (redeemer.step, redeem_clients),
            (payer.step, rebind(masters["county_finance"], base))]
    threads = [threading.Thread(target=loop, args=job) for job in jobs]
    for t in threads:
        t.start()
    time.sleep(delay)
    probs = s.kill9()
    stop.set()
    for t in threads:
        t.join(timeout=120)
    assert not probs, probs
    return sum(acks.lost.values()) - lost_before


def test_kill_9_during_mixed_traffic_loses_nothing_acknowledged(tmp_path, template_db):
    rng = random.Random(SEED)
    print(f"\ncrash test: {ROUNDS} rounds, seed {SEED} (YQ_CRASH_SEED={SEED} repeats it)")
    s = CrashServer(tmp_path / "srv", template_db).start()
    try:
        world = prepare(s, n_rush=150 * ROUNDS + 500)
        masters = {r: s.login(r) for r in ("provider", "county_it", "evaluator", "county_finance")}
        acks = Acks()
        writers = (Confirmer(world["rush"], acks), Funder(acks), Redeemer(world["cycling"], acks),
                   Payer(world["paid"], acks))
        interrupted = 0
        checked = 0
        t0 = time.monotonic()
        for k in range(1, ROUNDS + 1):
            delay = rng.uniform(0.05, 1.2)
            lost = run_round(s, masters, world, writers, acks, delay)
            interrupted += lost > 0
            assert not acks.errors, f"round {k}: " + "\n".join(acks.errors[:20])
            s.restart()
            assert_ledger_sound(s)
            assert_audit_sound(s)
            checked += acks.verify(s)
        # Once more without a kill: what was lost is retried and lands once.
        funder, fin = writers[1], rebind(masters["county_finance"], s.base)
        while funder.retry:
            funder.step(fin)
        assert not acks.errors, "\n".join(acks.errors[:20])
        checked += acks.verify(s)
        assert_ledger_sound(s)
        assert_audit_sound(s)
        print(f"{ROUNDS} kills survived in {time.monotonic() - t0:.0f} s ({interrupted} with requests"
              f" in flight); acknowledged writes: {len(acks.confirmed)} confirmations,"
              f" {len(acks.funded)} fundings, {sum(acks.steps.values())} redemption steps,"
              f" {len(acks.batches)} batches, {len(acks.paid)} payments,"
              f" {len(acks.clawbacks)} clawbacks = {acks.total()}, all present after every"
              f" restart ({checked} checks); answers lost to a kill: {dict(acks.lost)};"
              f" answers by status: {dict(sorted(acks.answers.items()))}")
        assert interrupted >= ROUNDS * 0.8, f"only {interrupted} of {ROUNDS} kills hit traffic"
    finally:
        probs = s.stop()
    assert not probs, probs
