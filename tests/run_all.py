#!/usr/bin/python3
"""Runs every test suite and ends with one line: `N passed, N failed`.

Suites: C units (cmocka, TAP) in the normal and the sanitizer build; the
API tests (pytest) against both binaries, and the API tests again against
the normal binary on PostgreSQL (`api/pg`: YQ_DB=pg on a throw-away
cluster, tests/pgcluster.py, started here and removed afterwards), with the short forms of the long
tests (tests/long: 5 kills under mixed traffic against the normal binary,
a 30-second soak against both); the browser tests (Playwright in Debian's
Chromium) against the normal binary with the built web UI; a short run of
every libFuzzer target (clang build) over its seed corpus and its
regression inputs.

`--long` (make test-long) runs only the long tests at full size: 100 kills
(YQ_CRASH_ROUNDS) and a 10-minute soak (YQ_SOAK_SECONDS) against the
normal binary, and the soak again against the sanitizer build.
"""
import argparse
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
totals = {"passed": 0, "failed": 0}
failures = []


def record(suite, name, ok, detail=""):
    totals["passed" if ok else "failed"] += 1
    if not ok:
        failures.append("%s: %s %s" % (suite, name, detail))


def run_units(build, label):
    exes = sorted(e for e in glob.glob(os.path.join(ROOT, build, "tests", "unit", "test_*"))
                  if os.path.isfile(e) and os.access(e, os.X_OK))
    if not exes:
        record(label, "unit tests", False, "(none built in %s)" % build)
        return
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
    for exe in exes:
        name = os.path.basename(exe)
        p = subprocess.run([exe], capture_output=True, text=True, env=env, timeout=300)
        seen = 0
        for line in p.stdout.splitlines():
            m = re.match(r"^(not ok|ok) \d+ - (.*)$", line)
            if m:
                seen += 1
                record(label, "%s/%s" % (name, m.group(2)), m.group(1) == "ok")
        if p.returncode != 0 and (seen == 0 or "not ok" not in p.stdout):
            record(label, name, False, "exit %d\n%s" % (p.returncode, p.stderr[-3000:]))
        elif p.returncode != 0:
            sys.stderr.write(p.stdout + p.stderr)
    print("[%s] units done: %d passed, %d failed so far" % (label, totals["passed"], totals["failed"]))


def run_pytest(binary, label, paths=("tests/api",), env_extra=None, show=False, timeout=3600):
    """pytest on `paths` against `binary`; `show` prints what the tests
    print (the long tests' figures)."""
    with tempfile.TemporaryDirectory() as tmp:
        xml = os.path.join(tmp, "junit.xml")
        env = dict(os.environ, YQ_BIN=os.path.join(ROOT, binary), **(env_extra or {}))
        try:
            p = subprocess.run(["/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                *(["-s"] if show else []), "--junitxml", xml,
                                *(os.path.join(ROOT, x) for x in paths)],
                               env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            record(label, "pytest", False, "(not finished in %d s)" % timeout)
            return
        if show:
            sys.stdout.write(p.stdout[-20000:])
        if not os.path.exists(xml):
            record(label, "pytest", False, p.stdout[-3000:] + p.stderr[-3000:])
            return
        cases = list(ET.parse(xml).getroot().iter("testcase"))
        if not cases:
            record(label, "pytest", False, "(no API tests ran)\n" + p.stdout[-2000:])
        for case in cases:
            name = "%s::%s" % (case.get("classname"), case.get("name"))
            bad = case.find("failure") is not None or case.find("error") is not None
            if case.find("skipped") is not None:
                continue
            record(label, name, not bad)
        if p.returncode != 0:
            sys.stdout.write(p.stdout[-6000:])
    print("[%s] pytest done: %d passed, %d failed so far" % (label, totals["passed"], totals["failed"]))


def run_pytest_pg(binary):
    """The whole API suite once more, on PostgreSQL: a cluster of its own in
    a temporary folder (initdb, pg_ctl on a free port), removed afterwards."""
    import pgcluster
    cluster = pgcluster.Cluster()
    try:
        base = cluster.start()
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        record("api/pg", "PostgreSQL cluster", False, str(e))
        return
    try:
        run_pytest(binary, "api/pg", ["tests/api"], {"YQ_DB": "pg", "YQ_PG_URL": base})
    finally:
        cluster.stop()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The footer's facts for the browser tests (public_mobile.spec.mjs checks
# them): sample values, marked as such, never a real registration.
SAMPLE_SITE = ["--site-host-org", "济宁市工业和信息化局（示例）",
               "--site-operator-org", "济宁市大数据中心（示例）",
               "--site-contact", "0537-0000000（示例）",
               "--site-icp", "鲁ICP备00000000号-1（示例）",
               "--site-gov-code", "3708000000（示例）"]


def _text(b):
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else (b or "")


def run_browser(build):
    label = "browser"
    dist = os.path.join(ROOT, "web", "dist")
    if not os.path.exists(os.path.join(dist, "index.html")):
        record(label, "web build", False, "(web/dist missing: run make web)")
        return
    binary = os.path.join(ROOT, build, "yunquan")
    password = "demo-pass-123"
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "t.db")
        env = dict(os.environ, YUNQUAN_DEMO_PASSWORD=password)
        subprocess.run([binary, "demo", "--db", db], env=env, check=True, capture_output=True)
        port = free_port()
        # The clock file does not exist until a spec moves server time
        # (redemption.spec.mjs); without it the server runs on real time.
        clock = os.path.join(tmp, "clock")
        server = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port,
                                   "--web-root", dist, "--access-log", "", "--clock-file", clock,
                                   *SAMPLE_SITE],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = "http://127.0.0.1:%d" % port
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            out = os.path.join(ROOT, "tests", "browser", "out")
            shutil.rmtree(out, ignore_errors=True)  # no stale screenshots of earlier runs
            os.makedirs(out, exist_ok=True)
            benv = dict(os.environ, YQ_BASE_URL=base, YQ_DEMO_PASSWORD=password, YQ_OUT=out,
                        YQ_CLOCK_FILE=clock)
            try:
                p = subprocess.run(["node", os.path.join(ROOT, "tests", "browser", "run.mjs")],
                                   env=benv, cwd=ROOT, capture_output=True, text=True,
                                   timeout=3600)
            except subprocess.TimeoutExpired as e:
                # the tests that answered count; the rest is one recorded failure
                p = subprocess.CompletedProcess(e.cmd, -1, _text(e.stdout), _text(e.stderr))
                record(label, "runner", False, "timed out after 3600 s")
                timed_out = True
            else:
                timed_out = False
            for line in p.stdout.splitlines():
                m = re.match(r"^(not ok|ok) - (.*)$", line)
                if m:
                    record(label, m.group(2), m.group(1) == "ok")
            times = sorted(((float(m.group(1)), m.group(2)) for m in
                            re.finditer(r"^# ([0-9.]+) s (.*)$", p.stderr, re.M)), reverse=True)
            for secs, name in times[:5]:
                print("[browser] slowest: %5.1f s  %s" % (secs, name))
            if not timed_out and not re.search(r"browser: \d+ passed, \d+ failed", p.stdout):
                record(label, "runner", False, p.stdout[-3000:] + p.stderr[-3000:])
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    print("[browser] done: %d passed, %d failed so far" % (totals["passed"], totals["failed"]))


FUZZ_SECONDS = 10


def run_fuzz_target(exe, scratch):
    """Starts one target: it replays its seed corpus (a scratch copy, which
    gets the new inputs) and every file in fuzz/regressions/<name>/, then
    fuzzes for FUZZ_SECONDS."""
    name = os.path.basename(exe)[len("fuzz_"):]
    corpus = os.path.join(scratch, name)
    shutil.copytree(os.path.join(ROOT, "fuzz", "corpus", name), corpus)
    regressions = os.path.join(ROOT, "fuzz", "regressions", name)
    os.makedirs(regressions, exist_ok=True)
    artifacts = os.path.join(scratch, name + "-crash-")
    log = open(os.path.join(scratch, name + ".log"), "w+")
    dictionary = os.path.join(ROOT, "fuzz", name + ".dict")
    extra = ["-dict=" + dictionary] if os.path.exists(dictionary) else []
    p = subprocess.Popen([exe, "-max_total_time=%d" % FUZZ_SECONDS, "-print_final_stats=1",
                          "-artifact_prefix=" + artifacts] + extra + [corpus, regressions],
                         stdout=log, stderr=subprocess.STDOUT, cwd=scratch)
    return name, p, log


def finish_fuzz_target(name, p, log):
    try:
        rc = p.wait(timeout=FUZZ_SECONDS * 6 + 60)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = p.wait()
    log.seek(0)
    out = log.read()
    log.close()
    stat = lambda key: (re.findall(r"^stat::%s:\s*(\d+)" % key, out, re.M) or ["?"])[0]
    ok = rc == 0 and "stat::number_of_executed_units" in out
    print("[fuzz] %-13s %s executions, %s/s%s" % (name, stat("number_of_executed_units"),
                                                  stat("average_exec_per_sec"),
                                                  "" if ok else ", FAILED (exit %d)" % rc))
    bad = [l for l in out.splitlines() if re.search(r"ERROR|runtime error|invariant broken", l)]
    record("fuzz", name, ok, "\n".join(bad[:5]) or out[-2000:])


def run_fuzz(build):
    exes = sorted(e for e in glob.glob(os.path.join(ROOT, build, "fuzz", "fuzz_*"))
                  if os.path.isfile(e) and os.access(e, os.X_OK))
    if not exes:
        record("fuzz", "targets", False, "(none built in %s: make build-fuzz)" % build)
        return
    # Two at a time: the machines that run this have two cores.
    with tempfile.TemporaryDirectory() as scratch:
        running = []
        for exe in exes:
            running.append(run_fuzz_target(exe, scratch))
            if len(running) == 2:
                finish_fuzz_target(*running.pop(0))
        for r in running:
            finish_fuzz_target(*r)
    print("[fuzz] done: %d passed, %d failed so far" % (totals["passed"], totals["failed"]))


def timed(label, run, *args):
    """run(*args), then how long it took: each suite's share of CI's time."""
    t0 = time.monotonic()
    run(*args)
    print("[%s] %.0f s" % (label, time.monotonic() - t0), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--asan-build", default=None)
    ap.add_argument("--fuzz-build", default="build-fuzz")
    ap.add_argument("--only", choices=["unit", "api", "browser", "fuzz"], default=None)
    ap.add_argument("--long", action="store_true",
                    help="only the long tests at full size (100 kills, 10-minute soak)")
    args = ap.parse_args()
    want = lambda s: args.only in (None, s)
    os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0:halt_on_error=1")
    os.environ.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    builds = [(args.build, "normal")]
    if args.asan_build:
        builds.append((args.asan_build, "asan"))
    if args.long:
        full = {"YQ_CRASH_ROUNDS": os.environ.get("YQ_CRASH_ROUNDS", "100"),
                "YQ_SOAK_SECONDS": os.environ.get("YQ_SOAK_SECONDS", "600")}
        for build, label in builds:
            paths = ["tests/long"] if label == "normal" else ["tests/long/test_soak.py"]
            run_pytest(os.path.join(build, "yunquan"), "long/" + label, paths, full, show=True,
                       timeout=7200)
        for f in failures:
            print("FAILED " + f)
        print("%d passed, %d failed" % (totals["passed"], totals["failed"]))
        return 1 if totals["failed"] else 0
    # One suite at a time: run beside each other on two cores (tried with
    # the PostgreSQL suite beside the sanitizer build's), the tests that
    # bound a wait (a county's lock holding up no other county) miss it.
    if want("unit"):
        for build, label in builds:
            timed("unit/" + label, run_units, build, "unit/" + label)
    if want("api"):
        for build, label in builds:
            # the short long tests: kills against the normal binary, the
            # soak (and its leak check) against both
            extra = ["tests/long"] if label == "normal" else ["tests/long/test_soak.py"]
            timed("api/" + label, run_pytest, os.path.join(build, "yunquan"), "api/" + label,
                  ["tests/api", *extra])
            if label == "normal":
                timed("api/pg", run_pytest_pg, os.path.join(build, "yunquan"))
    if want("browser"):
        timed("browser", run_browser, args.build)
    if want("fuzz"):
        timed("fuzz", run_fuzz, args.fuzz_build)
    for f in failures:
        print("FAILED " + f)
    print("%d passed, %d failed" % (totals["passed"], totals["failed"]))
    return 1 if totals["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
