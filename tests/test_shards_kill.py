"""kill -9 of a forked writer process alone (indexer/index/shards.py), with
the real defaults (all cores, batches of 5,000): the run fails with one
line, the index it had published stays whole, the next run does the work.
Real processes and real signals."""

from __future__ import annotations

import os
import shutil
import signal
import time

import pytest

from indexer.index.build import build_index
from test_faults_kill import (STORIES, _alive, _comm, _descendants, _finish, _ids, _index_cmd, _kill_group,  # noqa: F401
                              _start, corpus)

pytestmark = [pytest.mark.slow, pytest.mark.reliability]


def _wait_for_a_writer(proc, timeout=300.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        for kid in _descendants(proc.pid):
            if _comm(kid) == "depeche-writer":
                return kid
        time.sleep(0.02)
    raise AssertionError(f"the run never started a writer process (exit {proc.poll()})")


def test_kill_9_of_a_writer_process_fails_the_run_in_one_line_and_keeps_the_index(corpus, tmp_path):
    ix = tmp_path / "ix"
    shutil.rmtree(ix, ignore_errors=True)
    committed = build_index([corpus / "2014" / "01"], ix, workers=1).added
    proc = _start(_index_cmd(corpus, ix), start_new_session=True)
    try:
        writer = _wait_for_a_writer(proc)
        time.sleep(0.2)
        os.kill(writer, signal.SIGKILL)
        _, err = proc.communicate(timeout=300)
    finally:
        _kill_group(proc)
    if proc.returncode == 0:
        pytest.skip("the writer had sent its segment before the signal")
    assert proc.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert "a writer process" in err and "SIGKILL" in err and "the previous index is unchanged" in err, err
    assert not _alive(writer)
    assert not list(ix.glob("generations/*/*.tmp"))   # the unpublished generation is gone
    # The published index is whole, nothing of it lost.
    assert len(_ids(ix)) == committed
    final = _finish(corpus, ix)
    assert final.returncode == 0, final.stderr
    assert len(_ids(ix)) == STORIES
