"""Run a command and measure it: wall and CPU time, peak memory of its whole
process tree.

CPU time and the largest single process's peak RSS come from ``wait4`` (the
kernel adds up a process and every descendant it waited for: pool workers
and Whoosh's writer processes included), called by a small launcher
(:class:`Launched`) that forks the command: Linux keeps a process's peak RSS
across ``exec``, so a command forked straight from the bench would count the
bench's own pages in its peak. The peak of the tree's memory
(several processes at once) is sampled every 50 ms, or less often when a
sample costs more (reading ``smaps_rollup`` walks a process's page tables:
43 ms of CPU for a 100k build's five processes, so a sample every 50 ms took
a third of one of the two cores from the build it measured): the sampler
sleeps nine times what its last sample cost, so it takes at most a tenth
of a core. The sum of RSS over the
process and its descendants (an upper bound: pages shared after ``fork``
count once per process) and the sum of PSS (shared pages divided among
their users: the real footprint), from psutil when installed, else /proc.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

try:
    import psutil
except ImportError:  # /proc does the same on Linux
    psutil = None


def _children_proc(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    kids = [int(k) for k in handle.read().split()]
                out += kids
                todo += kids
        except OSError:
            continue
    return out


def _mem_proc(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except OSError:
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        rss = pss = int(line.split()[1]) * 1024
        except OSError:
            pass
    return rss, pss


def tree_memory(pid: int, root: bool = True) -> tuple[int, int, int]:
    """(RSS sum, PSS sum, number of processes) of a process and its
    descendants (without ``root``: its descendants only)."""
    if psutil is not None:
        try:
            parent = psutil.Process(pid)
            procs = ([parent] if root else []) + parent.children(recursive=True)
        except psutil.Error:
            return 0, 0, 0
        rss = pss = 0
        for p in procs:
            r, s = _mem_proc(p.pid)
            if not r:
                try:
                    r = s = p.memory_info().rss
                except psutil.Error:
                    continue
            rss, pss = rss + r, pss + s
        return rss, pss, len(procs)
    pids = ([pid] if root else []) + _children_proc(pid)
    rss = pss = 0
    for p in pids:
        r, s = _mem_proc(p)
        rss, pss = rss + r, pss + s
    return rss, pss, len(pids)


#: The launcher: runs ``argv[2:]`` in a child forked from this small process
#: and writes the child's resource usage (``wait4``: the child and the
#: descendants it waited for) as JSON to the descriptor ``argv[1]``.
_LAUNCHER = """
import json, os, sys
fd = int(sys.argv[1])
pid = os.fork()
if pid == 0:
    os.close(fd)
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with os.fdopen(fd, "w") as out:
    json.dump({"max_rss_kb": usage.ru_maxrss, "user_s": usage.ru_utime, "sys_s": usage.ru_stime}, out)
sys.exit(os.waitstatus_to_exitcode(status))
"""


class Launched:
    """``cmd`` started through the launcher (``subprocess.Popen`` arguments
    otherwise): :meth:`usage` gives the command's own peak RSS and CPU
    time, not counting the pages of the process that started it."""

    def __init__(self, cmd: list[str], **popen_kwargs):
        read, write = os.pipe()
        try:
            self.proc = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(write), *cmd], pass_fds=(write,),
                                         **popen_kwargs)
        except BaseException:
            os.close(read)
            raise
        finally:
            os.close(write)
        self._read = read

    def usage(self) -> dict:
        """``max_rss_kb``, ``user_s``, ``sys_s`` of the command, once the
        launcher has ended (an empty dict if it died before writing them)."""
        with os.fdopen(self._read, "r") as handle:
            text = handle.read()
        return json.loads(text) if text else {}


def run_launched(cmd: list[str], **run_kwargs) -> tuple[subprocess.CompletedProcess, dict]:
    """``subprocess.run`` of ``cmd`` through the launcher, and the command's :meth:`Launched.usage`."""
    check = run_kwargs.pop("check", False)
    capture = run_kwargs.pop("capture_output", False)
    if capture:
        run_kwargs.setdefault("stdout", subprocess.PIPE)
        run_kwargs.setdefault("stderr", subprocess.PIPE)
    launched = Launched(cmd, **run_kwargs)
    stdout, stderr = launched.proc.communicate()
    usage = launched.usage()
    done = subprocess.CompletedProcess(cmd, launched.proc.returncode, stdout, stderr)
    if check:
        done.check_returncode()
    return done, usage


@dataclass
class Measured:
    """What a measured command took, and its last line of JSON output."""

    wall_s: float
    user_s: float
    sys_s: float
    max_rss_process_mb: float
    peak_tree_rss_mb: float
    peak_tree_pss_mb: float
    max_processes: int
    returncode: int
    result: dict = field(default_factory=dict)
    stderr_tail: str = ""

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["cpu_s"] = round(self.cpu_s, 3)
        return d


#: The sampler sleeps this many times what its last sample cost (CPU): at
#: most a tenth of a core goes to measuring memory.
SAMPLER_SHARE = 9


def run_measured(cmd: list[str], env: dict | None = None, cwd: str | None = None, interval: float = 0.05) -> Measured:
    """Run ``cmd`` to its end (through the launcher), sampling its process tree's memory."""
    started = time.monotonic()
    launched = Launched(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd, text=True)
    proc = launched.proc
    peak = {"rss": 0, "pss": 0, "n": 0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            cost = time.thread_time()
            rss, pss, n = tree_memory(proc.pid, root=False)  # the launcher itself left out
            cost = time.thread_time() - cost
            peak["rss"], peak["pss"], peak["n"] = max(peak["rss"], rss), max(peak["pss"], pss), max(peak["n"], n)
            done.wait(max(interval, SAMPLER_SHARE * cost))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    readers = [threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True),
               threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)]
    for t in readers:
        t.start()
    _, status, _ = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    done.set()
    for t in readers:
        t.join()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    usage = launched.usage()
    stdout = "".join(out_chunks)
    result = {}
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                result = json.loads(line)
            except ValueError:
                pass
            break
    return Measured(
        wall_s=round(wall, 3), user_s=round(usage.get("user_s", 0.0), 3), sys_s=round(usage.get("sys_s", 0.0), 3),
        max_rss_process_mb=round(usage.get("max_rss_kb", 0) / 1024, 1),
        peak_tree_rss_mb=round(peak["rss"] / 2**20, 1), peak_tree_pss_mb=round(peak["pss"] / 2**20, 1),
        max_processes=peak["n"], returncode=proc.returncode, result=result,
        stderr_tail="".join(err_chunks)[-2000:],
    )
