"""Harness for the API tests: the real `yunquan` binary on a free port with
a fresh database and a test clock.

- YQ_BIN picks the binary (default <repo>/build/yunquan); the same suite
  runs against the ASan+UBSan build, so every wait is generous.
- A demo database is made once per run (`yunquan demo`) and copied for each
  server, so every server starts from the same fresh state.
- The clock file holds an ISO instant; the server reads it on every clock
  read, so `server.advance(minutes=30)` moves server time.
- A server that dies by itself, or whose stderr shows a sanitizer report,
  fails the test that was running.
- YQ_DB=pg runs the same tests on PostgreSQL (see dbs.py): the demo database
  is made once as a template database and each server gets
  `CREATE DATABASE … TEMPLATE` of it, dropped when the test file ends.
  Tests that are about SQLite files carry `@pytest.mark.sqlite_only(why)`.
"""
import datetime as dt
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter

import dbs

REPO = Path(__file__).resolve().parents[2]
YQ_BIN = os.environ.get("YQ_BIN", str(REPO / "build" / "yunquan"))
DEMO_PASSWORD = "Demo-Passw0rd-2019"
CST = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2019, 7, 1, 9, 0, 0, tzinfo=CST)
HOME_COUNTY = "370811"  # 任城区: the demo county roles belong to it
OTHER_COUNTY = "370812"  # 兖州区
ROLES = ["enterprise", "provider", "county_it", "county_finance", "evaluator",
         "city_it", "city_finance", "auditor", "admin"]
TIMEOUT = 60  # seconds per HTTP request; ASan builds are slow
SANITIZER_MARKS = ("AddressSanitizer", "runtime error:", "LeakSanitizer")


def has_cjk(s):
    return bool(re.search(r"[\u4e00-\u9fff]", s or ""))


def clean_env(**extra):
    """The environment for the binary: no YUNQUAN_* from the caller's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YUNQUAN_")}
    env.update(extra)
    return env


def run_cli(args, cwd, input_text=None, timeout=120):
    """Runs `yunquan ARGS`; returns the CompletedProcess (text mode)."""
    p = subprocess.run([YQ_BIN, *args], cwd=str(cwd), env=clean_env(), input=input_text,
                       capture_output=True, text=True, timeout=timeout)
    for mark in SANITIZER_MARKS:
        assert mark not in p.stderr, f"yunquan {' '.join(args)} reported:\n{p.stderr}"
    return p


def iso(t):
    return t.astimezone(CST).strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"


class SourceAddressAdapter(HTTPAdapter):
    """Connects from a chosen loopback address (127.0.0.x), so the server
    sees a different client address."""

    def __init__(self, source, **kw):
        self._source = source
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self._source, 0)
        super().init_poolmanager(*args, **kw)


class Client(requests.Session):
    """A requests.Session bound to one server. Paths are relative to the
    server; every non-GET request carries X-CSRF-Token = cookie yq_csrf
    unless `csrf=False` is given or the header is set explicitly."""

    def __init__(self, base, source=None):
        super().__init__()
        self.base = base
        if source:
            self.mount("http://", SourceAddressAdapter(source))

    def request(self, method, url, *args, csrf=True, **kw):
        if url.startswith("/"):
            url = self.base + url
        kw.setdefault("timeout", TIMEOUT)
        kw.setdefault("allow_redirects", False)
        headers = dict(kw.pop("headers", None) or {})
        token = self.cookies.get("yq_csrf")
        if (csrf and token and method.upper() not in ("GET", "HEAD")
                and not any(k.lower() == "x-csrf-token" for k in headers)):
            headers["X-CSRF-Token"] = token
        return super().request(method, url, *args, headers=headers, **kw)


class Server:
    clock_file = True  # the test clock: --clock-file, moved by set_clock

    def __init__(self, workdir, template_db, extra_args=(), env=None):
        self.extra_args = list(extra_args)
        self.env = dict(env or {})  # YUNQUAN_* variables for the server
        self.dir = Path(workdir)
        self.dir.mkdir(parents=True, exist_ok=True)
        if dbs.is_pg(template_db):
            self.db = dbs.create_db(template_db)
            _pg_made.append(self.db)
        else:
            self.db = self.dir / "t.db"
            shutil.copyfile(template_db, self.db)
        self.clock_path = self.dir / "clock"
        self.access_log = self.dir / "access.log"
        self.stdout_path = self.dir / "stdout.txt"
        self.stderr_path = self.dir / "stderr.txt"
        self.web_root = self.dir / "web"
        (self.web_root / "assets").mkdir(parents=True, exist_ok=True)
        (self.web_root / "index.html").write_text(
            "<!doctype html><html lang=\"zh-CN\"><title>云券</title><div id=app></div></html>\n",
            encoding="utf-8")
        (self.web_root / "assets" / "app-1234.js").write_text("console.log('云券');\n")
        (self.dir / "secret.txt").write_text("TOP-SECRET-OUTSIDE-WEB-ROOT\n")
        self.now = START
        self.set_clock(START)
        self.proc = None
        self.port = None
        self.base = None
        self.stopped = False
        self._clients = []

    # -- lifecycle ---------------------------------------------------------
    def start(self):
        self._out = open(self.stdout_path, "wb")
        self._err = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [YQ_BIN, "serve", "--db", str(self.db), "--listen", "127.0.0.1:0",
             *(["--clock-file", str(self.clock_path)] if self.clock_file else []),
             "--access-log", str(self.access_log),
             "--web-root", str(self.web_root), "--threads", "4",
             # the suites sign up dozens of parties from 127.0.0.1; the
             # limit itself is tested with its default (test_auth_hardening)
             "--signup-per-hour", "100000", *self.extra_args],
            cwd=str(self.dir), env=clean_env(**self.env), stdout=self._out, stderr=self._err)
        deadline = time.monotonic() + 60
        while self.port is None:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/",
                          self.stdout_path.read_text(encoding="utf-8", errors="replace"))
            if m:
                self.port = int(m.group(1))
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"yunquan serve exited with {self.proc.returncode}:\n"
                                   f"{self.stderr()}")
            if time.monotonic() > deadline:
                raise RuntimeError("yunquan serve did not announce its port:\n" + self.stderr())
            time.sleep(0.02)
        self.base = f"http://127.0.0.1:{self.port}"
        while True:
            try:
                r = requests.get(self.base + "/healthz", timeout=5)
                if r.status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server never became healthy:\n" + self.stderr())
            time.sleep(0.05)
        return self

    def stderr(self):
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def problems(self):
        """What is wrong with the process so far (crash or sanitizer report)."""
        out = []
        err = self.stderr()
        for mark in SANITIZER_MARKS:
            if mark in err:
                out.append(f"stderr contains {mark!r}")
        if not self.stopped and self.proc is not None and self.proc.poll() is not None:
            out.append(f"server exited by itself with returncode {self.proc.returncode}")
        return out

    def assert_alive(self):
        probs = self.problems()
        assert not probs, "; ".join(probs) + "\n--- server stderr ---\n" + self.stderr()[-8000:]

    def terminate(self, timeout=60):
        """Sends SIGTERM and waits up to `timeout` s; SIGKILL after that.
        Returns (returncode, seconds taken, killed)."""
        t0 = time.monotonic()
        killed = False
        if self.proc is not None and not self.stopped:
            self.stopped = True
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=30)
                    killed = True
        return self.proc.returncode, time.monotonic() - t0, killed

    def stop(self):
        """SIGTERM, wait; SIGKILL as a fallback. Returns the list of problems."""
        probs = self.problems()
        if self.proc is not None and not self.stopped:
            rc, _, killed = self.terminate(60)
            if killed:
                probs.append("server did not stop within 60 s of SIGTERM (killed)")
            elif rc not in (0, -signal.SIGTERM) and not probs:
                probs.append(f"server exited with returncode {rc} after SIGTERM")
        for mark in SANITIZER_MARKS:
            if mark in self.stderr() and not any(mark in p for p in probs):
                probs.append(f"stderr contains {mark!r}")
        if self.proc is not None and not self._out.closed:
            self._out.close()
            self._err.close()
        for c in self._clients:
            c.close()
        return probs

    # -- clock -------------------------------------------------------------
    def set_clock(self, when):
        self.now = when
        tmp = self.clock_path.with_suffix(".tmp")
        tmp.write_text(iso(when) + "\n")
        os.replace(tmp, self.clock_path)

    def advance(self, **delta):
        """advance(seconds=1), advance(minutes=29) … moves server time."""
        self.set_clock(self.now + dt.timedelta(**delta))
        return self.now

    # -- HTTP ----------------------------------------------------------------
    def url(self, path):
        return self.base + path

    def client(self, source=None):
        c = Client(self.base, source=source)
        self._clients.append(c)
        return c

    def login(self, username, password=DEMO_PASSWORD, source=None):
        """A signed-in Client; fails the test when the login is refused."""
        c = self.client(source=source)
        r = c.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert r.status_code == 200, f"login {username}: {r.status_code} {r.text}"
        assert c.cookies.get("yq_session") and c.cookies.get("yq_csrf")
        c.user = r.json()["user"]
        return c

    def try_login(self, username, password, source=None):
        # a client of its own, closed at once: tests call this in loops, and
        # kept connections would meet the server's per-address cap
        with Client(self.base, source=source) as c:
            return c.post("/api/v1/auth/login", json={"username": username, "password": password})

    # -- database ------------------------------------------------------------
    def _ro(self):
        con = dbs.connect(self.db, readonly=True)
        if not dbs.is_pg(self.db):
            # stored text need not be valid UTF-8 (that would be a bug worth seeing)
            con.text_factory = lambda b: b.decode("utf-8", "surrogateescape")
        return con

    def sql(self, query, *args):
        """Reads the live database directly (WAL lets us read while it serves;
        on PostgreSQL a connection of the test's own, SQL as for SQLite)."""
        con = self._ro()
        try:
            return con.execute(query, args).fetchall()
        finally:
            con.close()

    def snapshot(self, tables=None):
        """Every row of every table (or of the tables named)."""
        con = self._ro()
        try:
            if tables is None:
                tables = dbs.tables(con)
            return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall()))
                    for t in tables}
        finally:
            con.close()

    def copy_db(self, dest):
        """A consistent copy of the live database (SQLite backup API; on
        PostgreSQL pg_dump into a new database, whose URL is returned)."""
        if dbs.is_pg(self.db):
            url = dbs.dump_copy(self.db)
            _pg_made.append(url)
            return url
        src = sqlite3.connect(str(self.db), timeout=30)
        dst = sqlite3.connect(str(dest))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return Path(dest)

    def access_log_lines(self):
        if not self.access_log.exists():
            return []
        return self.access_log.read_bytes().splitlines()

    def wait_log(self, needle, timeout=10):
        """Access-log lines containing `needle` (bytes); the server writes a
        line when the request completes, just after the client has the answer."""
        deadline = time.monotonic() + timeout
        while True:
            found = [l for l in self.access_log_lines() if needle in l]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.02)


def assert_error(r, status, code=None, field=None):
    """The answer is the JSON error a user sees: status, code, a Chinese
    message, and the field when one is named. Returns the error object."""
    assert r.status_code == status, f"expected {status}, got {r.status_code}: {r.text[:500]}"
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    body = r.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    if code is not None:
        assert err.get("code") == code, err
    assert has_cjk(err.get("message")), f"message is not Chinese: {err}"
    if field is not None:
        assert err.get("field") == field, err
    return err


# -- fixtures ------------------------------------------------------------------

_pg_made = []  # PostgreSQL databases made by this test file, dropped at its end


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only(reason): the test is about SQLite files; "
                            "skipped when the suite runs on PostgreSQL (YQ_DB=pg)")


def pytest_collection_modifyitems(config, items):
    if not dbs.PG:
        return
    for item in items:
        m = item.get_closest_marker("sqlite_only")
        if m:
            why = m.args[0] if m.args else "about SQLite files"
            item.add_marker(pytest.mark.skip(reason="SQLite only: " + why))


@pytest.fixture(scope="module", autouse=True)
def _drop_pg_databases():
    """On PostgreSQL, every database a test file made goes when the file ends."""
    yield
    while _pg_made:
        try:
            dbs.drop_db(_pg_made.pop())
        except Exception as e:  # a leftover database only costs disk
            print("could not drop a test database:", e)


def copy_of(db, dest):
    """A copy of the idle database `db` at `dest` (SQLite backup API), or
    on PostgreSQL a new database made from it as a template; returns it."""
    if dbs.is_pg(db):
        url = dbs.create_db(template=db)
        _pg_made.append(url)
        return url
    src, dst = sqlite3.connect(str(db)), sqlite3.connect(str(dest))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return dest


def new_db(path):
    """Where a command may create a new database: the file `path` on
    SQLite, a new empty database on PostgreSQL (dropped at the file's end)."""
    db = dbs.fresh_db(path)
    if dbs.is_pg(db):
        _pg_made.append(db)
    return db


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """One `yunquan demo` database per run, copied for every server."""
    assert Path(YQ_BIN).is_file(), f"binary not found: {YQ_BIN} (build it, or set YQ_BIN)"
    d = tmp_path_factory.mktemp("template")
    (d / "clock").write_text(iso(START) + "\n")
    db = dbs.create_db(name=dbs.new_name("yq_tpl")) if dbs.PG else d / "t.db"
    p = subprocess.run([YQ_BIN, "demo", "--db", str(db), "--clock-file", str(d / "clock")],
                       cwd=str(d), env=clean_env(YUNQUAN_DEMO_PASSWORD=DEMO_PASSWORD),
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    for mark in SANITIZER_MARKS:
        assert mark not in p.stderr, p.stderr
    for role in ROLES:
        assert re.search(rf"^{role}\s+{role}\s+{re.escape(DEMO_PASSWORD)}", p.stdout, re.M), p.stdout
    if dbs.PG:
        yield db
        dbs.drop_db(db)
        return
    # Fold any WAL into the main file so that a plain copy is complete.
    con = sqlite3.connect(str(db))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    yield db


def _start_server(tmp_path_factory, template_db, name):
    return Server(tmp_path_factory.mktemp(name), template_db).start()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory, template_db):
    """One server per test file. Tests using it must not move its clock or
    lock demo accounts."""
    s = _start_server(tmp_path_factory, template_db, "srv")
    yield s
    probs = s.stop()
    if probs:
        pytest.fail("server problems at teardown: " + "; ".join(probs) + "\n" + s.stderr()[-8000:])


@pytest.fixture
def server(shared_server):
    """The module's server; the test fails if the server died during it."""
    shared_server.assert_alive()
    yield shared_server
    shared_server.assert_alive()


@pytest.fixture
def fresh_server(tmp_path_factory, template_db):
    """A server of its own, for tests that move the clock or lock accounts."""
    s = _start_server(tmp_path_factory, template_db, "fresh")
    yield s
    probs = s.stop()
    if probs:
        pytest.fail("server problems: " + "; ".join(probs) + "\n" + s.stderr()[-8000:])


@pytest.fixture(scope="module")
def sessions(shared_server):
    """One signed-in client per demo role on the module's server."""
    return {role: shared_server.login(role) for role in ROLES}


def audit_total(auditor):
    r = auditor.get("/api/v1/audit", params={"page_size": 1})
    assert r.status_code == 200, r.text
    return r.json()["total"]


def all_pages(client, path, **params):
    """Every item of a paged list."""
    items, page = [], 1
    while True:
        r = client.get(path, params={**params, "page": page, "page_size": 200})
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        if len(body["items"]) < 200:
            assert len(items) == body["total"]
            return items
        page += 1


def users_total(admin):
    r = admin.get("/api/v1/users", params={"page_size": 1})
    assert r.status_code == 200, r.text
    return r.json()["total"]


def new_official(admin, username, role="county_it", county=HOME_COUNTY, password="Officer-Pass-2019",
                 display_name=None):
    body = {"username": username, "password": password, "role": role,
            "display_name": display_name or f"测试账号 {username}"}
    if county:
        body["county_code"] = county
    r = admin.post("/api/v1/users", json=body)
    assert r.status_code == 201, r.text
    return r.json()["user"]


def json_lines(raw_lines):
    return [json.loads(l.decode("utf-8")) for l in raw_lines]
