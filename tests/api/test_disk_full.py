"""Disk full (issue 9, deliver 4): the server's database and files live on
a size-limited filesystem (a tmpfs of a few MiB mounted for the test; the
test is skipped, saying why, where mounting is not permitted). Filled up,
writes — a confirmation, an upload, a sign-up, a funding — are refused
with a JSON 507 `insufficient_storage` and a Chinese message; nothing is
half-written (a logical dump of the business tables is unchanged, the
ledger and the audit chain check out, no temporary file is left); reads
still work; and once space is freed the same writes succeed, without a
restart."""
import os
import shutil
import subprocess
import uuid

import pytest

from conftest import HOME_COUNTY, Server, assert_error
from flows import PDF_BYTES, assert_audit_sound, assert_ledger_sound, ok, rush_seed, signup

# Tables that change on reads or on refusals by design (sessions are
# touched, throttles charged); everything else must be as it was.
VOLATILE = {"sessions", "login_throttle", "public_throttle"}


def mount_tmpfs(path, size):
    path.mkdir(parents=True, exist_ok=True)
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here ({p.stderr.strip() or p.returncode}):"
                    " the disk-full test needs root or CAP_SYS_ADMIN")


@pytest.fixture
def small_disk(tmp_path, template_db):
    """A Server whose database, WAL and attachments are on a tmpfs with
    about 6 MiB free beyond the database."""
    mnt = tmp_path / "small"
    size = os.path.getsize(template_db) + 6 * 1024 * 1024
    mount_tmpfs(mnt, size)
    s = None
    try:
        s = Server(mnt / "srv", template_db, extra_args=["--data-dir", str(mnt / "srv" / "files")])
        seeded = rush_seed(s.db, 6, HOME_COUNTY, seed=3, prefix="full")
        s.start()
        yield s, mnt, [c for c, _, _ in seeded]
    finally:
        probs = s.stop() if s and s.proc else []
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
        assert not probs, probs


def fill(mnt):
    """Writes a filler file until the filesystem refuses (ENOSPC)."""
    filler = mnt / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    # the last partial block, byte by byte
    try:
        with open(filler, "ab") as f:
            while True:
                f.write(b"\0")
                f.flush()
    except OSError:
        pass
    return filler


def pdf(n):
    """A distinct PDF of about n bytes (uploads are stored by content)."""
    return PDF_BYTES + b"%" + uuid.uuid4().hex.encode() * (n // 32) + b"\n%%EOF\n"


def stored_files(s):
    return sorted(p.name for p in (s.dir / "files").rglob("*") if p.is_file())


def business_tables(s):
    dump = s.snapshot()
    return {t: rows for t, rows in dump.items() if t not in VOLATILE}


@pytest.mark.sqlite_only("the .db file on a small tmpfs; PostgreSQL keeps its files elsewhere")
def test_a_full_disk_refuses_writes_with_507_and_recovers_by_itself(small_disk):
    s, mnt, contracts = small_disk
    provider, fin = s.login("provider"), s.login("county_finance")
    ok(fin.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json={
        "amount_fen": 50_000_000, "source": "county", "reference": "磁盘测试-预算"}), 201)
    ok(provider.post(f"/api/v1/contracts/{contracts[0]}/confirm"), 201)
    ok(provider.post(f"/api/v1/contracts/{contracts[1]}/attachments",
                     files={"file": ("合同.pdf", pdf(4096), "application/pdf")}), 201)
    filler = fill(mnt)
    # The WAL may still have room it allocated before: write until the
    # first refusal, which must come soon and be a 507, never a 500.
    answers = []
    for i in range(400):
        r = fin.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json={
            "amount_fen": 100 + i, "source": "county", "reference": f"磁盘满-{i}"})
        answers.append(r.status_code)
        if r.status_code != 201:
            break
    assert answers[-1] == 507, answers
    print(f"\ndisk full: {len(answers) - 1} fundings still fitted in space SQLite had allocated,"
          f" then 507")
    err = assert_error(r, 507, "insufficient_storage")
    assert "存储空间" in err["message"], err
    assert r.headers.get("Retry-After")
    before = business_tables(s)
    files_before = stored_files(s)
    # A confirmation, an upload, a sign-up, a funding: all refused alike.
    assert_error(provider.post(f"/api/v1/contracts/{contracts[2]}/confirm"), 507,
                 "insufficient_storage")
    assert_error(provider.post(f"/api/v1/contracts/{contracts[3]}/attachments",
                               files={"file": ("发票.pdf", pdf(256 * 1024), "application/pdf")}),
                 507, "insufficient_storage")
    _, r = signup(s, "enterprise")
    assert_error(r, 507, "insufficient_storage")
    assert_error(fin.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json={
        "amount_fen": 1, "source": "county", "reference": "磁盘满-再试"}), 507,
        "insufficient_storage")
    # Nothing half-written: the business tables, the files, the books.
    assert business_tables(s) == before
    assert stored_files(s) == files_before  # no *.tmp left either
    assert s.sql("SELECT status FROM contracts WHERE id = ?", contracts[2]) == [("draft",)]
    # Reads still work.
    c = ok(provider.get(f"/api/v1/contracts/{contracts[0]}"))
    assert c["status"] == "confirmed"
    assert ok(fin.get("/api/v1/budgets", params={"year": 2019}))["items"]
    s.assert_alive()
    # Space comes back: the same writes succeed, no restart.
    filler.unlink()
    pid = s.proc.pid
    ok(provider.post(f"/api/v1/contracts/{contracts[2]}/confirm"), 201)
    ok(provider.post(f"/api/v1/contracts/{contracts[3]}/attachments",
                     files={"file": ("发票.pdf", pdf(256 * 1024), "application/pdf")}), 201)
    ok(signup(s, "enterprise")[1], 201)
    ok(fin.post(f"/api/v1/budgets/{HOME_COUNTY}/2019/fund", json={
        "amount_fen": 1, "source": "county", "reference": "磁盘满-再试"}), 201)
    assert s.proc.pid == pid and s.proc.poll() is None
    assert_ledger_sound(s)
    assert_audit_sound(s)
    shutil.disk_usage(mnt)  # still mounted: teardown unmounts
