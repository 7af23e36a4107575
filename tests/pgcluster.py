"""A throw-away PostgreSQL cluster for the tests: `initdb` in a temporary
folder, `pg_ctl start` on a free loopback port, removed by `stop()`.

Debian's binaries (/usr/lib/postgresql/<version>/bin) refuse to run as
root, so as root they run as the `postgres` user (the folder is chowned to
it). The cluster trusts local connections and has a superuser named `yq`;
it is tuned for tests, not for durability (fsync off: a crash of the
machine loses the cluster, which is thrown away anyway).

    with Cluster() as base:   # "postgresql://yq@127.0.0.1:PORT"
        ... base + "/postgres" ...
"""
import glob
import os
import shutil
import socket
import subprocess
import tempfile

SUPERUSER = "yq"


def bindir():
    """The newest installed PostgreSQL's bin folder, or None."""
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                  key=lambda d: int(d.split("/")[-2]) if d.split("/")[-2].isdigit() else 0)
    dirs = [d for d in dirs if os.path.exists(os.path.join(d, "initdb"))]
    return dirs[-1] if dirs else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self):
        self.dir = None
        self.port = None
        self.base = None

    def _run(self, *args, timeout=120):
        cmd = list(args)
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if p.returncode != 0:
            raise RuntimeError("%s failed (%d):\n%s%s" % (" ".join(args), p.returncode,
                                                          p.stdout[-3000:], p.stderr[-3000:]))
        return p

    def start(self):
        bins = bindir()
        if not bins:
            raise RuntimeError("PostgreSQL is not installed (scripts/deps.sh test installs it)")
        self.dir = tempfile.mkdtemp(prefix="yq-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        data = os.path.join(self.dir, "data")
        self._run(os.path.join(bins, "initdb"), "-D", data, "-U", SUPERUSER, "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self.port = free_port()
        opts = " ".join([
            "-c listen_addresses=127.0.0.1", "-c port=%d" % self.port,
            "-c unix_socket_directories=%s" % self.dir,
            "-c max_connections=300", "-c fsync=off", "-c synchronous_commit=off",
            "-c full_page_writes=off", "-c shared_buffers=64MB",
            # many small databases come and go: keep checkpoints rare
            "-c max_wal_size=2GB", "-c checkpoint_timeout=30min",
        ])
        self._run(os.path.join(bins, "pg_ctl"), "-D", data, "-l", os.path.join(self.dir, "log"),
                  "-o", opts, "-w", "-t", "60", "start")
        self.base = "postgresql://%s@127.0.0.1:%d" % (SUPERUSER, self.port)
        return self.base

    def log(self):
        try:
            with open(os.path.join(self.dir, "log"), encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if not self.dir:
            return
        try:
            self._run(os.path.join(bindir(), "pg_ctl"), "-D", os.path.join(self.dir, "data"),
                      "-m", "immediate", "-w", "stop")
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
