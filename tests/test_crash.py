"""Interrupted and concurrent runs, with real processes and signals."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.index.build import open_index
from indexer.formats import read_corpus
from indexer.index.stats import iter_stories
from indexer.index.store import IndexMissingError
from storygen import write_corpus

ROOT = Path(__file__).resolve().parents[1]
# The longer run: DEPECHE_RELIABILITY_TRIALS=50 DEPECHE_RELIABILITY_FILES=5000 python -m pytest -m reliability -s
FILES = int(os.environ.get("DEPECHE_RELIABILITY_FILES", "400"))
TRIALS = int(os.environ.get("DEPECHE_RELIABILITY_TRIALS", "6"))

pytestmark = [pytest.mark.slow, pytest.mark.reliability]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash") / "corpus"
    write_corpus(root, FILES)
    expected = {s.id for r in read_corpus([root]) for s in r.stories}
    assert len(expected) == FILES
    return root, expected


def _index_cmd(corpus: Path, ix: Path, batch: int = 40) -> list[str]:
    return [sys.executable, "-m", "search.cli", "index", str(corpus), "--index", str(ix),
            "--batch-size", str(batch), "--quiet", "--workers", "1"]


def _start(cmd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _ids(ix: Path) -> set[str]:
    return {s.id for s in iter_stories(open_index(ix))}


def _wait_for_generation(ix: Path, proc, timeout=60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (ix / "CURRENT").exists() or proc.poll() is not None:
            return
        time.sleep(0.02)
    raise AssertionError("no generation was published in time")


def test_ctrl_c_keeps_committed_batches_and_the_next_run_finishes(corpus, tmp_path):
    root, expected = corpus
    ix = tmp_path / "ix"
    proc = _start(_index_cmd(root, ix))
    _wait_for_generation(ix, proc)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run ended before the signal")
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    kept = _ids(ix)
    assert kept and kept <= expected  # the signal may come after the last commit
    rerun = subprocess.run(_index_cmd(root, ix), cwd=ROOT, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert rerun.returncode == 0, rerun.stderr
    assert _ids(ix) == expected
    # The next run only does what the interrupted one had not committed.
    assert f"indexed {len(expected - kept)} new, 0 updated, 0 removed" in rerun.stderr


def test_kill_9_at_random_moments_never_loses_the_committed_index(corpus, tmp_path):
    root, expected = corpus
    ix = tmp_path / "ix"
    rng = random.Random(1234)
    survived = 0
    previous: set[str] = set()
    for trial in range(TRIALS):
        proc = _start(_index_cmd(root, ix, batch=rng.choice([20, 50, 120])))
        time.sleep(rng.uniform(0.3, 2.5) * max(1.0, FILES / 400) ** 0.5)
        proc.kill()
        proc.wait()
        try:
            ids = _ids(ix)
        except IndexMissingError:
            assert not previous, "an index that existed went missing"
            continue
        # Whole and searchable, and nothing committed before is lost.
        assert ids <= expected
        assert previous <= ids
        previous = ids
        survived += 1
    final = subprocess.run(_index_cmd(root, ix), cwd=ROOT, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert final.returncode == 0, final.stderr
    assert _ids(ix) == expected
    # Unfinished generations of killed runs were cleaned up.
    assert len(os.listdir(ix / "generations")) <= 3
    print(f"kill -9: {TRIALS} trials on {FILES} files, {survived} left an index, all whole and searchable; "
          f"stories lost: 0; the re-run ended with the {len(expected)} stories of an uninterrupted run")


def test_searches_keep_working_while_a_run_commits(corpus, tmp_path):
    root, expected = corpus
    ix = tmp_path / "ix"
    proc = _start(_index_cmd(root, ix, batch=30))
    _wait_for_generation(ix, proc)
    counts = []
    errors = 0
    while proc.poll() is None:
        try:
            ix_ = open_index(ix)
            with ix_.searcher() as s:
                counts.append(s.doc_count())
                from whoosh.qparser import QueryParser
                s.search(QueryParser("body", ix_.schema).parse("frappes aériennes"), limit=5)
        except Exception as exc:  # noqa: BLE001 - any failure is what we count
            errors += 1
            print("search failed:", type(exc).__name__, exc)
        time.sleep(0.01)
    assert proc.returncode == 0, proc.stderr.read()
    assert errors == 0
    assert counts == sorted(counts), "a search saw the index shrink"
    assert len(counts) > 3
    assert _ids(ix) == expected
