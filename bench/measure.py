"""Run a command and measure it: wall and CPU time, peak memory of its whole
process tree.

CPU time and the largest single process's peak RSS come from ``wait4`` (the
kernel adds up a process and every descendant it waited for: pool workers
and Whoosh's writer processes included). The peak of the tree's memory
(several processes at once) is sampled every 50 ms: the sum of RSS over the
process and its descendants (an upper bound: pages shared after ``fork``
count once per process) and the sum of PSS (shared pages divided among
their users: the real footprint), from psutil when installed, else /proc.
"""

from __future__ import annotations

import json
import os
import subprocess
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


def tree_memory(pid: int) -> tuple[int, int, int]:
    """(RSS sum, PSS sum, number of processes) of a process and its descendants."""
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            procs = [root] + root.children(recursive=True)
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
    pids = [pid] + _children_proc(pid)
    rss = pss = 0
    for p in pids:
        r, s = _mem_proc(p)
        rss, pss = rss + r, pss + s
    return rss, pss, len(pids)


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


def run_measured(cmd: list[str], env: dict | None = None, cwd: str | None = None, interval: float = 0.05) -> Measured:
    """Run ``cmd`` to its end, sampling its process tree's memory."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd, text=True)
    peak = {"rss": 0, "pss": 0, "n": 0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            rss, pss, n = tree_memory(proc.pid)
            peak["rss"], peak["pss"], peak["n"] = max(peak["rss"], rss), max(peak["pss"], pss), max(peak["n"], n)
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    readers = [threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True),
               threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)]
    for t in readers:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    done.set()
    for t in readers:
        t.join()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
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
        wall_s=round(wall, 3), user_s=round(usage.ru_utime, 3), sys_s=round(usage.ru_stime, 3),
        max_rss_process_mb=round(usage.ru_maxrss / 1024, 1),
        peak_tree_rss_mb=round(peak["rss"] / 2**20, 1), peak_tree_pss_mb=round(peak["pss"] / 2**20, 1),
        max_processes=peak["n"], returncode=proc.returncode, result=result,
        stderr_tail="".join(err_chunks)[-2000:],
    )
