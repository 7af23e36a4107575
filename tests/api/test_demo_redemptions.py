"""Issue 8: `yunquan demo` gives every redemption screen content — in
任城区 the half-year just ended is fully done (paid) and another application
sits on a notice opened today with one objection; in 兖州区 (the demo
evaluator's other county) a third waits for evaluation — with the ledger
and the audit chain sound."""
import subprocess

import dbs
from conftest import DEMO_PASSWORD, YQ_BIN, clean_env, new_db, run_cli


def test_demo_made_in_september_has_the_whole_redemption_cycle(tmp_path):
    (tmp_path / "clock").write_text("2019-09-10T10:00:00+08:00\n")
    db = new_db(tmp_path / "demo.db")
    p = subprocess.run([YQ_BIN, "demo", "--db", str(db), "--clock-file", str(tmp_path / "clock")],
                       cwd=str(tmp_path), env=clean_env(YUNQUAN_DEMO_PASSWORD=DEMO_PASSWORD),
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    con = dbs.connect(db)
    rows = con.execute("SELECT period, status, claim_fen, approved_fen, county_code FROM"
                       " redemptions ORDER BY status").fetchall()
    assert [(r[1], r[4]) for r in rows] == [("in_notice", "370811"), ("paid", "370811"),
                                            ("submitted", "370812")]
    assert all(r[0] == "2019H1" for r in rows)
    paid = [r for r in rows if r[1] == "paid"][0]
    # 12 months at 990 yuan, 25 % in 2019: a voucher of 297,000 fen, half
    # of it claimed; 3 % quality deduction (4,455 fen), 120 yuan adjustment.
    assert paid[2:4] == (148_500, 148_500 - 4_455 - 12_000)
    notices = con.execute("SELECT status, opens_on FROM notices ORDER BY opens_on").fetchall()
    assert notices == [("closed", "2019-07-09"), ("open", "2019-09-10")]
    assert con.execute("SELECT COUNT(*) FROM objections WHERE status = 'open'").fetchone()[0] == 1
    assert con.execute("SELECT status, paid_on FROM payouts").fetchall() == [("paid", "2019-07-18")]
    con.close()
    assert run_cli(["ledger", "check", "--db", str(db)], tmp_path).returncode == 0
    assert run_cli(["audit", "verify", "--db", str(db)], tmp_path).returncode == 0
    # Made once: a second run adds nothing.
    again = subprocess.run([YQ_BIN, "demo", "--db", str(db), "--clock-file", str(tmp_path / "clock")],
                           cwd=str(tmp_path), env=clean_env(), capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr
    con = dbs.connect(db)
    assert con.execute("SELECT COUNT(*) FROM redemptions").fetchone()[0] == 3
    con.close()
