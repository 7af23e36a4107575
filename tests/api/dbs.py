"""The tests' own access to a Yunquan database, on either backend.

YQ_DB=pg runs the suite on PostgreSQL: YQ_PG_URL names a cluster's base URL
(`postgresql://user@host:port`, no database; tests/run_all.py starts a
throw-away cluster and passes it), or, without it, the session starts a
cluster of its own (tests/pgcluster.py). A "database" is then a URL
`<base>/<name>`; on SQLite it is a file path. Everything here takes either.

`connect(db)` gives a DB-API-like connection whose SQL is written as for
SQLite (`?` placeholders); on PostgreSQL the placeholders become `%s` and
a few SQLite spellings the tests use are translated (see `pg_sql`).
"""
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

PG = os.environ.get("YQ_DB", "sqlite") == "pg"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import pgcluster  # noqa: E402

_cluster = None
_base = None


def pg_base():
    """The cluster's base URL; starts a throw-away cluster on first use when
    none was given (removed when the interpreter exits)."""
    global _cluster, _base
    if _base is None:
        _base = os.environ.get("YQ_PG_URL")
        if not _base:
            import atexit
            _cluster = pgcluster.Cluster()
            _base = _cluster.start()
            atexit.register(_cluster.stop)
    return _base.rstrip("/")


def is_pg(db):
    return str(db).startswith("postgresql://")


def db_name(url):
    return str(url).rsplit("/", 1)[1]


def _admin():
    import psycopg2
    con = psycopg2.connect(pg_base() + "/postgres")
    con.autocommit = True
    return con


def admin_exec(*stmts):
    con = _admin()
    try:
        with con.cursor() as cur:
            for s in stmts:
                cur.execute(s)
    finally:
        con.close()


def new_name(prefix="yq"):
    return "%s_%s" % (prefix, uuid.uuid4().hex[:12])


def create_db(template=None, name=None):
    """An empty database (or a copy of the idle database `template`); its URL."""
    name = name or new_name()
    sql = 'CREATE DATABASE "%s"' % name
    if template:
        sql += ' TEMPLATE "%s"' % db_name(template)
    admin_exec(sql)
    return "%s/%s" % (pg_base(), name)


def drop_db(url):
    admin_exec('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db_name(url))


def fresh_db(path):
    """Where a command may create a new database: the file `path` on SQLite,
    a new empty database on PostgreSQL."""
    return create_db() if PG else Path(path)


def dump_copy(src):
    """A consistent copy of a database that may be in use (pg_dump's single
    snapshot), as a new database; its URL."""
    dest = create_db()
    bins = pgcluster.bindir()
    dump = subprocess.run([os.path.join(bins, "pg_dump"), "--no-owner", str(src)],
                          capture_output=True, timeout=300)
    assert dump.returncode == 0, dump.stderr.decode(errors="replace")
    load = subprocess.run([os.path.join(bins, "psql"), "-q", "-v", "ON_ERROR_STOP=1", dest],
                          input=dump.stdout, capture_output=True, timeout=300)
    assert load.returncode == 0, load.stderr.decode(errors="replace")
    return dest


_FUNCS = [
    # SQLite spellings the tests' own SQL uses → PostgreSQL
    (re.compile(r"\bIFNULL\(", re.I), "COALESCE("),
    (re.compile(r"\bGROUP_CONCAT\(([^(),]+)\)", re.I), r"STRING_AGG(\1::text, ',')"),
    (re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b([^;]*)$", re.I | re.S),
     r"INSERT INTO\1 ON CONFLICT DO NOTHING"),
]


def pg_sql(sql):
    """`?` → `%s` outside quotes (and `%` → `%%`), plus the _FUNCS rewrites."""
    out, quote = [], None
    for c in sql:
        if quote:
            out.append("%%" if c == "%" else c)
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
            out.append(c)
        elif c == "?":
            out.append("%s")
        elif c == "%":
            out.append("%%")
        else:
            out.append(c)
    sql = "".join(out)
    for rx, rep in _FUNCS:
        sql = rx.sub(rep, sql)
    return sql


class PgConnection:
    """Just enough of sqlite3.Connection for the tests: execute(),
    executemany(), executescript(), commit(), rollback(), close(), `with`."""

    def __init__(self, url, autocommit=False):
        import psycopg2
        self.con = psycopg2.connect(str(url))
        self.con.autocommit = autocommit
        self.row_factory = None

    def execute(self, sql, args=()):
        cur = self.con.cursor()
        try:
            cur.execute(pg_sql(sql), tuple(args))
        except Exception:
            if not self.con.autocommit:
                self.con.rollback()
            raise
        return _Cursor(cur, self.row_factory)

    def executemany(self, sql, seq):
        cur = self.con.cursor()
        cur.executemany(pg_sql(sql), [tuple(a) for a in seq])
        return _Cursor(cur, self.row_factory)

    def executescript(self, script):
        cur = self.con.cursor()
        cur.execute(script)
        self.con.commit()
        return _Cursor(cur, None)

    def commit(self):
        self.con.commit()

    def rollback(self):
        self.con.rollback()

    def close(self):
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, *rest):
        # like sqlite3: commit on success, roll back on an exception; stays open
        if kind is None:
            self.con.commit()
        else:
            self.con.rollback()
        return False


class _Row(dict):
    def __getitem__(self, k):
        if isinstance(k, int):
            return list(self.values())[k]
        return dict.__getitem__(self, k)


class _Cursor:
    def __init__(self, cur, row_factory):
        self.cur = cur
        self.dicts = row_factory is not None
        self.rowcount = cur.rowcount
        self.description = cur.description

    def _row(self, r):
        if r is None:
            return r
        # sums of integers come back as NUMERIC: integers, as SQLite gives them
        r = tuple(int(v) if isinstance(v, Decimal) and v == v.to_integral_value() else v
                  for v in r)
        if not self.dicts:
            return r
        return _Row(zip([d[0] for d in self.cur.description], r))

    def fetchall(self):
        if self.cur.description is None:
            return []
        return [self._row(r) for r in self.cur.fetchall()]

    def fetchone(self):
        if self.cur.description is None:
            return None
        return self._row(self.cur.fetchone())

    def __iter__(self):
        return iter(self.fetchall())


def connect(db, timeout=30, readonly=False):
    """A connection to the database `db` (path or URL), SQLite-flavoured SQL."""
    if is_pg(db):
        return PgConnection(db, autocommit=readonly)
    if readonly:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=timeout)
    else:
        con = sqlite3.connect(str(db), timeout=timeout)
    return con


def tables(con):
    if isinstance(con, PgConnection):
        q = ("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
             " AND table_type = 'BASE TABLE' ORDER BY table_name")
    else:
        q = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    return [r[0] for r in con.execute(q).fetchall()]
