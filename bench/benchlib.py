"""Small helpers the benchmark scripts share."""
import socket
from pathlib import Path


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def thread_written(pid):
    """Bytes each thread of a process has handed to write()/pwrite() so
    far (its /proc io `wchar`), by thread name: for the writer thread, the
    WAL frames it appends and the pages its checkpoints copy, i.e. the
    pages a confirmation dirties."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            for line in (task / "io").read_text().splitlines():
                if line.startswith("wchar:"):
                    out[name] = out.get(name, 0) + int(line.split()[1])
        except OSError:
            pass
    return out


def rss_kb(pid, key="VmRSS"):
    """A process's resident memory (or VmHWM, its peak) in kB; -1 if gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return -1


def cpu_seconds(pid):
    """CPU seconds (user + system) used so far by a process and by each of
    its threads, by thread name: (total, {name: seconds}). A machine shared
    with other work slows a rush down, but hardly changes the CPU each
    confirmation costs, so this is the figure to compare across runs."""
    import os
    tick = os.sysconf("SC_CLK_TCK")

    def stat(path):
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime, stime

    total = stat(f"/proc/{pid}/stat")
    threads = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            threads[name] = threads.get(name, 0.0) + stat(task / "stat")
        except OSError:
            pass
    return total, threads
