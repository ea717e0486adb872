"""kill -9 with the real defaults (all cores, batches of 5,000, a commit
written by the run and a forked writer process, indexer/index/shards.py),
Ctrl-C through the sub-processes, and a killed --rebuild: real processes
and real signals.

The corpus holds enough stories for a batch to reach the two-writer path
(``MULTIPROCESS_MIN_DOCS``); the existing crash tests use one worker and small
batches, which never start a writer process.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.index.build import MULTIPROCESS_MIN_DOCS, build_index, open_index
from indexer.index.stats import iter_stories
from storygen import write_corpus

ROOT = Path(__file__).resolve().parents[1]
STORIES = max(2400, MULTIPROCESS_MIN_DOCS + 400)
# Trials per case: killing the main process alone, and the whole process tree.
# The longer run (python -m bench.reliability) sets more.
TRIALS = {"main process": int(os.environ.get("DEPECHE_RELIABILITY_DEFAULT_TRIALS", "2")),
          "whole tree": int(os.environ.get("DEPECHE_RELIABILITY_DEFAULT_TRIALS", "1"))}

pytestmark = [pytest.mark.slow, pytest.mark.reliability]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("kill") / "corpus"
    write_corpus(root, STORIES)
    return root


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _index_cmd(corpus: Path, ix: Path, *extra: str) -> list[str]:
    # The real defaults: no --workers, no --batch-size.
    return [sys.executable, "-m", "search.cli", "index", str(corpus), "--index", str(ix), "--quiet", *extra]


def _start(cmd, **kw):
    return subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kw)


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.update(int(p) for p in fh.read().split())
    except OSError:
        pass
    return out


def _descendants(pid: int) -> set[int]:
    todo, seen = [pid], set()
    while todo:
        for child in _children(todo.pop()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def _alive(pid: int) -> bool:
    """Running (a zombie that nobody reaps counts as dead)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def _wait_for_writers(ix: Path, proc, timeout=300.0) -> set[int]:
    """Wait until the run commits through its writer processes (named
    ``depeche-writer``, indexer/index/shards.py); the run's sub-processes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        kids = _descendants(proc.pid)
        if any(_comm(k) == "depeche-writer" for k in kids):
            return kids
        time.sleep(0.02)
    raise AssertionError(f"the run never reached its writer processes (exit {proc.poll()})")


def _survivors(pids: set[int], timeout=10.0) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = {p for p in pids if _alive(p)}
        if not alive:
            return set()
        time.sleep(0.05)
    return alive


def _kill_group(proc) -> None:
    """Make sure nothing of a run started in its own session is left (it may be gone already)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _ids(ix: Path) -> set[str]:
    return {s.id for s in iter_stories(open_index(ix))}


def _finish(corpus: Path, ix: Path) -> subprocess.CompletedProcess:
    return subprocess.run(_index_cmd(corpus, ix), cwd=ROOT, env=_env(), capture_output=True, text=True,
                          timeout=600)


@pytest.mark.parametrize("what", ["main process", "whole tree"])
def test_kill_9_during_a_two_writer_commit_never_locks_the_index(corpus, tmp_path, what):
    ix = tmp_path / "ix"
    rng = random.Random(12)
    outcomes = []
    trials = TRIALS[what]
    for trial in range(trials):
        # An index to keep: a month of the corpus; the run adds the rest
        # (over 2,000 stories: one commit through the two writers).
        shutil.rmtree(ix, ignore_errors=True)
        committed = build_index([corpus / "2014" / "01"], ix, workers=1).added
        proc = _start(_index_cmd(corpus, ix), start_new_session=True)
        try:
            kids = _wait_for_writers(ix, proc)
            time.sleep(rng.uniform(0.0, 1.5))
            kids |= _descendants(proc.pid)
            if what == "main process":
                proc.kill()
            else:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            # The writer processes die with their parent.
            assert not _survivors(kids), f"trial {trial}: sub-processes outlived the killed run"
        finally:
            _kill_group(proc)
            proc.communicate()
        # The committed index is whole, nothing of it lost.
        before = _ids(ix)
        assert len(before) in (committed, STORIES), len(before)
        # The next run is never refused, and it finishes the work.
        final = _finish(corpus, ix)
        assert final.returncode == 0, final.stderr
        assert "being updated" not in final.stderr
        assert len(_ids(ix)) == STORIES and before <= _ids(ix)
        outcomes.append(len(before))
    print(f"kill -9 of the {what} during a two-writer commit: {trials} trials on {STORIES} stories "
          f"(default workers and batch size), no sub-process survived, no run refused; "
          f"the index opened after each with the stories committed before (of {STORIES}): {outcomes}")


def test_ctrl_c_during_a_two_writer_commit_is_one_line_and_no_traceback(corpus, tmp_path):
    """Ctrl-C on a terminal reaches the whole process group: the writer
    processes stay quiet, the parent ends them and prints one line."""
    ix = tmp_path / "ix"
    proc = _start(_index_cmd(corpus, ix), start_new_session=True)
    try:
        kids = _wait_for_writers(ix, proc)
        time.sleep(0.3)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        _kill_group(proc)
    if proc.returncode == 0:
        pytest.skip("the run ended before the signal")
    assert proc.returncode == 130, err
    assert err.count("\n") == 1 and err.startswith("depeche: interrupted"), err
    assert not _survivors(kids, timeout=1.0)
    assert not list(ix.glob("generations/*/*.tmp"))  # the unpublished generation is gone
    final = _finish(corpus, ix)
    assert final.returncode == 0, final.stderr
    assert len(_ids(ix)) == STORIES
