"""Disk full and read-only index folders: a clear error, the old index whole."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from indexer.index.build import build_index, open_index
from indexer.formats import bundled_corpus
from indexer.index.store import IndexWriteError
from search.cli import main

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.reliability


@pytest.fixture()
def small_fs(tmp_path):
    """A 700 KB tmpfs (root only; skipped where mounting is not allowed)."""
    mnt = tmp_path / f"fs-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=700k", "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _first_index(ix: Path) -> None:
    # In another process, so that this one holds no file open on the mount.
    subprocess.run([sys.executable, "-c", (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from indexer.index.build import build_index; from indexer.formats import bundled_corpus;"
        "build_index([str(bundled_corpus() / 'ats')], sys.argv[2])"), str(ROOT), str(ix)], check=True)


def _count(ix: Path) -> int:
    with open_index(ix).searcher() as s:
        return s.doc_count()


def test_disk_full_is_a_clear_error_and_the_old_index_stays(small_fs):
    ix = small_fs / "ix"
    _first_index(ix)
    with pytest.raises(IndexWriteError, match="No space left on device; the previous index is unchanged"):
        build_index([bundled_corpus()], ix)
    assert _count(ix) == 6
    err = io.StringIO()
    assert main(["index", str(bundled_corpus()), "--index", str(ix)], out=io.StringIO(), err=err) == 2
    assert err.getvalue().count("\n") == 1 and "No space left" in err.getvalue()
    assert _count(ix) == 6


def test_read_only_index_is_a_clear_error_and_still_searchable(small_fs):
    ix = small_fs / "ix"
    _first_index(ix)
    if subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], capture_output=True).returncode != 0:
        pytest.skip("cannot remount read-only here")
    err = io.StringIO()
    assert main(["index", str(bundled_corpus()), "--index", str(ix)], out=io.StringIO(), err=err) == 2
    assert "Read-only file system" in err.getvalue() and "Traceback" not in err.getvalue()
    assert _count(ix) == 6
    out = io.StringIO()
    assert main(["search", "franc", "--index", str(ix), "--format", "json"], out=out, err=io.StringIO()) == 0
