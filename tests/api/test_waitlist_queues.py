"""The count of waiting applications kept per queue (migration 18, issue
12): a confirmation that joins a queue learns how many wait ahead of it
from this count instead of counting the queue; it follows every join and
every departure (here: the demo's one waiting application in 邹城市, served
when its pool is funded), and `ledger check` compares it with the queue."""
import dbs
from flows import ledger_check, ok

COUNTY = "370883"  # 邹城市: the demo funds it with ¥1,000 and one application waits


def kept(server, county):
    rows = server.sql("SELECT SUM(waiting) FROM waitlist_queues WHERE county_code = ?", county)
    return rows[0][0] or 0


def waiting(server, county):
    return server.sql("SELECT COUNT(*) FROM waitlist WHERE county_code = ? AND status ="
                      " 'waiting'", county)[0][0]


def test_the_kept_count_follows_the_queue_and_ledger_check_compares(fresh_server, tmp_path):
    s = fresh_server
    assert kept(s, COUNTY) == waiting(s, COUNTY) == 1
    fin = s.login("city_finance")
    want = ok(fin.get("/api/v1/waitlist", params={"county": COUNTY}))["items"][0]["amount_fen"]
    ok(fin.post(f"/api/v1/budgets/{COUNTY}/2019/fund", json={
        "amount_fen": want, "source": "city_award", "reference": "济财企〔2019〕队1号"}), 201)
    assert kept(s, COUNTY) == waiting(s, COUNTY) == 0
    assert ledger_check(s).returncode == 0
    # A count that disagrees with the queue is a breach, named.
    bad = s.copy_db(tmp_path / "bad.db")
    con = dbs.connect(bad)
    con.execute("UPDATE waitlist_queues SET waiting = 3 WHERE county_code = ?", (COUNTY,))
    con.commit()
    con.close()
    p = ledger_check(bad)
    assert p.returncode != 0
    assert f"区县 {COUNTY}" in p.stdout and "记为 3 人等候，队列中实为 0 人" in p.stdout, p.stdout
