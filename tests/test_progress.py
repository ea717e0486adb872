"""Progress of an index run (issue 17 item 6): bytes and stories while
reading, even inside one big file; stories analysed and postings written
while a batch is committed; and the terminal line a user sees (a real
``depeche index`` under a pseudo-terminal)."""

from __future__ import annotations

import json
import os
import pty
import random
import select
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.index.build import LARGE_FILE_BYTES, build_index
from search.cli_progress import RunEstimate, describe
from storygen import story_text

ROOT = Path(__file__).resolve().parents[1]


def _big_jsonl(path: Path, stories: int) -> Path:
    rng = random.Random(17)
    with path.open("w", encoding="utf-8") as f:
        for n in range(stories):
            text = story_text(rng, n, 1 + n % 28, 1 + n % 12, 2015, n % 7)
            headline, body = text.split("\n\n", 1)
            f.write(json.dumps({"id": f"s{n}", "headline": headline, "body": body, "date": "2015-06-01"},
                               ensure_ascii=False) + "\n")
    assert path.stat().st_size > LARGE_FILE_BYTES   # read in the run's process, part by part
    return path


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("big") / "corpus"
    root.mkdir()
    _big_jsonl(root / "wire.jsonl", 2500)
    return root


def test_one_big_file_reports_bytes_and_stories_while_it_is_read(big, tmp_path):
    reports = []
    report = build_index([big], tmp_path / "ix", workers=1, progress=reports.append)
    assert report.added == 2500
    reading = [p for p in reports if p.phase == "reading"]
    size = (big / "wire.jsonl").stat().st_size
    assert all(p.files_total == 1 and p.bytes_total == size for p in reports)
    inside = [p for p in reading if p.files_done == 0]          # before the file is done: the old 0/?
    assert len(inside) >= 10
    assert [p.stories for p in inside] == sorted(p.stories for p in inside) and inside[-1].stories > 2000
    assert all(0 < p.bytes_done <= size for p in inside)   # (read a chunk ahead of the stories)
    assert len({p.bytes_done for p in inside if p.bytes_done < size}) >= 2
    assert [p.bytes_done for p in inside] == sorted(p.bytes_done for p in inside)
    assert reading[-1].files_done == 1 and reading[-1].bytes_done == size and reading[-1].stories == 2500


def test_writing_reports_stories_analysed_and_postings_written(big, tmp_path):
    reports = []
    build_index([big], tmp_path / "ix", workers=1, progress=reports.append)
    writing = [p for p in reports if p.phase == "writing"]
    first, last = writing[0], writing[-1]
    assert first.batch == last.batch == 2500 and first.analysed == 0 and first.postings_done == 0
    # Two writer processes (a batch of 2,500): their counts reach the run.
    assert last.writers == 2 and last.writers_writing == 2
    assert last.analysed == 2500 and last.postings_total > 2500 * 20 and last.postings_done == last.postings_total
    for a, b in zip(writing, writing[1:]):
        assert b.analysed >= a.analysed and b.postings_done >= a.postings_done
    assert describe(last, RunEstimate())[1] == 1.0


def test_a_small_batch_is_counted_by_the_runs_own_writer(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    _big_jsonl(corpus / "w.jsonl", 300)
    reports = []
    build_index([corpus], tmp_path / "ix", workers=1, progress=reports.append)
    last = [p for p in reports if p.phase == "writing"][-1]
    assert last.writers == 1 and last.analysed == 300 and last.postings_done == last.postings_total > 0


def test_estimate_extrapolates_stories_from_bytes():
    class P:
        phase, bytes_done, bytes_total, stories = "reading", 250, 1000, 100
    assert RunEstimate().stories_expected(P()) == 400


def test_estimate_from_measured_rates():
    from indexer.index.build import Progress

    now = [0.0]
    est = RunEstimate(clock=lambda: now[0])
    # Reading 1,000 bytes (100 stories) in 10 s, then analysing 50 of 100 stories in 5 s.
    for t, p in [(0, Progress(0, 1, 0, "reading", 0, 1000)), (10, Progress(1, 1, 100, "reading", 1000, 1000)),
                 (10, Progress(1, 1, 100, "writing", 1000, 1000, batch=100, writers=1)),
                 (15, Progress(1, 1, 100, "writing", 1000, 1000, batch=100, analysed=50, writers=1))]:
        now[0] = t
        est.update(p)
    # 50 stories left to analyse at 10/s, then the segment: as long as its 100 stories (not measured yet).
    assert est.seconds_left(p) == pytest.approx(5 + 10)


def _run_in_a_terminal(argv, env, timeout=600) -> str:
    """Run a command with a pseudo-terminal as stdout and stderr; all it wrote."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, on the terminal
        os.chdir(ROOT)
        os.execvpe(argv[0], argv, env)
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            os.kill(pid, 9)
            raise AssertionError("no output for too long")
        try:
            data = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    # 1: done with warnings (the generated stories' weekdays do not match their dates).
    assert os.waitstatus_to_exitcode(status) in (0, 1), b"".join(chunks)[-2000:]
    return b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.slow
def test_the_progress_line_on_a_terminal_moves_through_every_phase(big, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "160", "LINES": "24", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    screen = _run_in_a_terminal([sys.executable, "-m", "search.cli", "index", str(big), "--index",
                                 str(tmp_path / "ix"), "--workers", "1"], env)
    assert "0/? files" not in screen and "Traceback" not in screen
    assert " MB · 0/1 files · " in screen                      # bytes while the one file is read
    assert "analysing " in screen and "/2,500 stories" in screen
    assert "segments " in screen and " postings" in screen
    assert " left" in screen
    assert "indexed 2500 new, 0 updated, 0 removed stories from 1 file read" in screen
