"""Sub-processes of an index run die with it and stay quiet.

A run forks processes (the read pool, Whoosh's writer processes at large
commits). Without care they outlive a ``kill -9`` of their parent, blocked
on a queue nobody feeds, holding whatever the parent had open, and they
print their own ``KeyboardInterrupt`` tracebacks when Ctrl-C reaches the
whole process group. While :func:`run_children` is active, every process
forked by this one (with ``os.fork``, as ``multiprocessing``'s fork context
does):

- gets ``SIGKILL`` when its parent dies (Linux ``PR_SET_PDEATHSIG``), and
  exits at once if the parent is already gone;
- ignores ``SIGINT``: the parent alone handles Ctrl-C and ends its children.

The index lock is a POSIX record lock (see :class:`indexer.index.store.WriteLock`),
which a child never inherits.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
from typing import Iterator

PR_SET_PDEATHSIG = 1

_active = 0
_forking_pid = 0
_prctl = None
_registered = False
_guard = threading.Lock()


def _load_prctl():
    """``prctl`` from the C library, looked up before any fork (never in a child)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl
    except (OSError, AttributeError):  # not Linux
        return None


def _before_fork() -> None:
    global _forking_pid
    _forking_pid = os.getpid()


def _in_child() -> None:
    if not _active:
        return
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread of the child (never so on CPython)
        pass
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    # The parent may have died between the fork and the prctl: then no
    # signal will ever come.
    if os.getppid() != _forking_pid:
        os._exit(1)


@contextlib.contextmanager
def run_children() -> Iterator[None]:
    """While active, processes forked from this one die with it and ignore Ctrl-C."""
    global _active, _prctl, _registered
    with _guard:
        if not _registered and hasattr(os, "register_at_fork"):
            _prctl = _load_prctl()
            os.register_at_fork(before=_before_fork, after_in_child=_in_child)
            _registered = True
        _active += 1
    try:
        yield
    finally:
        with _guard:
            _active -= 1


def end_processes(processes) -> None:
    """Kill and reap ``multiprocessing.Process`` objects (a cancelled writer's)."""
    for proc in processes:
        with contextlib.suppress(Exception):
            if proc.is_alive():
                proc.kill()
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.join(5)
