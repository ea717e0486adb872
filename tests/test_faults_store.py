"""Faults of the index folder: the lock, rebuilds, damaged CURRENT and marker,
concurrent first runs, duplicate ids, links inside the folder, Ctrl-C."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.formats import bundled_corpus
from indexer.index.build import IndexInterrupted, build_index, open_index
from indexer.index.stats import iter_stories
from indexer.index.store import (IndexCorruptError, IndexLinkError, IndexLockedError, IndexStore)
from search.cli import main
from storygen import write_corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def corpus(tmp_path):
    dest = tmp_path / "corpus"
    shutil.copytree(bundled_corpus(), dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dest


def _ids(index_dir) -> set[str]:
    return {s.id for s in iter_stories(open_index(index_dir))}


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _cli(*argv) -> tuple[int, str]:
    err = io.StringIO()
    code = main(list(argv), out=io.StringIO(), err=err)
    return code, err.getvalue()


def _gens(ix: Path) -> list[str]:
    return sorted(os.listdir(ix / "generations"))


# ----------------------------------------------------------------- 1. lock

def test_a_process_forked_by_the_holder_does_not_hold_the_lock(tmp_path, corpus):
    """The holder forks a child (as multiprocessing does), then is killed:
    the child lives on, and the next run is not refused."""
    ix = tmp_path / "ix"
    build_index([corpus / "ats"], ix)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import os, sys, time; sys.path.insert(0, sys.argv[1]);"
        "from indexer.index.store import IndexStore;"
        "IndexStore(sys.argv[2]).lock('depeche index').__enter__();"
        "child = os.fork()\n"
        "if child == 0:\n    time.sleep(60); os._exit(0)\n"
        "print(child, flush=True); time.sleep(60)"), str(ROOT), str(ix)], stdout=subprocess.PIPE, text=True)
    child = int(holder.stdout.readline())
    try:
        with pytest.raises(IndexLockedError, match=rf"pid {holder.pid} "):
            build_index([corpus / "ats"], ix)
        holder.kill()
        holder.wait()
        os.kill(child, 0)  # the child is still alive
        assert build_index([corpus / "ats"], ix).unchanged_files == 6
    finally:
        holder.kill()
        holder.wait()
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_a_second_lock_in_the_same_process_is_refused(tmp_path, corpus):
    ix = tmp_path / "ix"
    build_index([corpus / "ats"], ix)
    with IndexStore(ix).lock():
        with pytest.raises(IndexLockedError, match="this process"):
            build_index([corpus / "ats"], ix)
    assert build_index([corpus / "ats"], ix).unchanged_files == 6


# ------------------------------------------------------------- 2. rebuild

def test_an_interrupted_rebuild_publishes_nothing(tmp_path, corpus):
    ix = tmp_path / "ix"
    build_index([corpus / "ats"], ix)
    current = (ix / "CURRENT").read_text()
    commits = []

    def progress(p):
        if p.phase == "writing":
            commits.append((ix / "CURRENT").read_text())
            if len(commits) == 3:
                raise KeyboardInterrupt

    with pytest.raises(IndexInterrupted) as caught:
        build_index([corpus], ix, rebuild=True, batch_stories=5, progress=progress, workers=1)
    # Two batches were committed, none published: readers kept the old index.
    assert commits == [current] * 3
    assert (ix / "CURRENT").read_text() == current
    assert len(_ids(ix)) == 6
    assert caught.value.report.interrupted and caught.value.report.added == 0
    assert _gens(ix) == [current.strip()]  # the unpublished generations are gone
    report = build_index([corpus], ix, rebuild=True, batch_stories=5, workers=1)
    assert report.added == 102 and report.generations == 1 and len(_ids(ix)) == 102


@pytest.mark.slow
@pytest.mark.reliability
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill -9", "ctrl-c"])
def test_a_stopped_rebuild_leaves_the_old_index(tmp_path, sig):
    root = tmp_path / "corpus"
    write_corpus(root, 300)
    ix = tmp_path / "ix"
    old = build_index([root / "2014" / "01"], ix)
    assert old.added == 31
    # Batches of 5: sixty commits, so that the signal lands in the middle of
    # the rebuild even when this process is slow to send it (with batches of
    # 20, a loaded machine sent it while the finished run was exiting).
    cmd = [sys.executable, "-m", "search.cli", "index", str(root), "--index", str(ix), "--rebuild",
           "--batch-size", "5", "--workers", "1", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        # Wait until several batches were committed (a generation holds a TOC).
        while time.monotonic() < deadline and proc.poll() is None:
            if sum(1 for _ in ix.glob("generations/*/_MAIN_*.toc")) >= 3:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the rebuild ended before the signal"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
        proc.communicate()
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert err.decode().splitlines() == [
            "depeche: interrupted; the rebuild was not published and the index is as it was before it; "
            "run `depeche index --rebuild` again to rebuild"]
    assert len(_ids(ix)) == 31  # readers still see the old index, whole
    code, err = _cli("index", str(root), "--index", str(ix), "--rebuild", "--quiet")
    assert code == 0, err
    assert len(_ids(ix)) == 300


# ---------------------------------------------------- 3, 4. damaged files

def _three_generations(ix: Path, corpus: Path) -> list[str]:
    build_index([corpus / "ats"], ix)
    build_index([corpus / "afp"], ix)
    build_index([corpus / "ap"], ix)
    gens = _gens(ix)
    assert len(gens) == 3
    return gens


@pytest.mark.parametrize("damage", [b"garbage\n", b"999999\n", b"\xff\xfe\x00\x01", b""])
def test_a_damaged_current_keeps_every_generation_and_rebuild_recovers(tmp_path, corpus, damage):
    ix = tmp_path / "ix"
    gens = _three_generations(ix, corpus)
    (ix / "CURRENT").write_bytes(damage)
    for argv in (["index", str(corpus / "ats")], ["search", "franc"], ["stats"]):
        code, err = _cli(*argv, "--index", str(ix))
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
        assert "CURRENT" in err and "--rebuild" in err and gens[-1] in err
    with pytest.raises(IndexCorruptError):
        build_index([corpus / "ats"], ix)
    assert _gens(ix) == gens  # nothing deleted: the older generations can repair it
    # The way out the message gives works...
    (ix / "CURRENT").write_text(gens[-1] + "\n")
    assert len(_ids(ix)) == 6 + 10 + 7
    # ... and so does --rebuild.
    (ix / "CURRENT").write_bytes(damage)
    code, err = _cli("index", str(corpus / "ats"), "--index", str(ix), "--rebuild", "--quiet")
    assert code == 0, err
    assert len(_ids(ix)) == 6


def test_a_missing_marker_is_named_and_rebuild_recovers(tmp_path, corpus):
    ix = tmp_path / "ix"
    build_index([corpus / "ats"], ix)
    (ix / "depeche-index.json").unlink()
    for argv in (["index", str(corpus / "ats")], ["search", "franc"], ["export"]):
        code, err = _cli(*argv, "--index", str(ix))
        assert code == 2 and err.count("\n") == 1, err
        assert "depeche-index.json is missing" in err and "--rebuild" in err
    code, err = _cli("index", str(corpus / "ats"), "--index", str(ix), "--rebuild", "--quiet")
    assert code == 0, err
    assert len(_ids(ix)) == 6 and (ix / "depeche-index.json").is_file()


def test_a_generation_that_does_not_open_is_never_published(tmp_path, corpus, monkeypatch):
    import indexer.index.build as build

    ix = tmp_path / "ix"
    gens = _three_generations(ix, corpus)
    current = (ix / "CURRENT").read_text()

    def broken(gen):
        raise IndexCorruptError(gen.parent.parent, f"the new generation {gen.name} does not open")

    monkeypatch.setattr(build, "_verify_generation", broken)
    with pytest.raises(IndexCorruptError, match="does not open"):
        build_index([corpus / "belga"], ix)
    assert (ix / "CURRENT").read_text() == current
    assert set(gens) <= set(_gens(ix))  # nothing collected either


# -------------------------------------------------------- 7. first runs

def test_a_run_creating_the_folder_makes_the_loser_wait_not_refuse(tmp_path, corpus):
    """The winner holds the lock and is writing its marker: the folder holds
    the lock and the marker's temporary file."""
    ix = tmp_path / "ix"
    ix.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path.insert(0, sys.argv[1]);"
        "from indexer.index.store import IndexStore;"
        "IndexStore(sys.argv[2]).lock('depeche index /first').__enter__();"
        "open(sys.argv[2] + '/.depeche-index.json.99999.tmp', 'w').write('{');"
        "print('locked', flush=True); time.sleep(60)"), str(ROOT), str(ix)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLockedError, match="being updated by `depeche index /first`"):
            build_index([corpus / "ats"], ix)
    finally:
        holder.kill()
        holder.wait()
    assert build_index([corpus / "ats"], ix).added == 6
    assert not list(ix.glob(".*.tmp"))  # the dead run's temporary file is collected


@pytest.mark.slow
def test_two_first_runs_at_once_never_call_the_folder_foreign(tmp_path, corpus):
    cmd = [sys.executable, "-m", "search.cli", "index", str(corpus / "ats"), "--quiet", "--workers", "1"]
    outcomes = []
    for trial in range(4):
        ix = tmp_path / f"ix{trial}"
        procs = [subprocess.Popen([*cmd, "--index", str(ix)], cwd=ROOT, env=_env(), stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert "not a Dépêche index" not in err and "Traceback" not in err, err
            assert proc.returncode == 0 or (proc.returncode == 2 and "being updated by" in err), err
            outcomes.append(proc.returncode)
        assert len(_ids(ix)) == 6
    assert 0 in outcomes


# ------------------------------------------------------- 9. duplicate ids

def _jsonl(path: Path, *ids: str) -> None:
    path.write_text("".join(json.dumps({
        "id": i, "headline": f"Titre {i}", "date": "2014-03-12", "agency": "Belga",
        "text": f"BRUXELLES, 12 mars (Belga) - Le texte {i} mercredi."}) + "\n" for i in ids), encoding="utf-8")


def test_a_story_skipped_as_a_duplicate_comes_back_when_its_owner_goes(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    _jsonl(root / "a.jsonl", "twin", "a-only")
    _jsonl(root / "b.jsonl", "twin", "b-only")
    ix = tmp_path / "ix"
    first = build_index([root], ix)
    assert len(first.duplicates) == 1 and first.duplicates[0].path.endswith("b.jsonl")
    assert _ids(ix) == {"twin", "a-only", "b-only"}
    assert build_index([root], ix).unchanged_files == 2  # still no work when nothing changed
    (root / "a.jsonl").unlink()
    report = build_index([root], ix)
    assert _ids(ix) == {"twin", "b-only"}
    assert (report.removed, report.updated) == (1, 2)
    [doc] = [s for s in iter_stories(open_index(ix)) if s.id == "twin"]
    assert doc.source.startswith(str(root / "b.jsonl"))


def test_a_story_skipped_as_a_duplicate_comes_back_when_its_owner_changes(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    _jsonl(root / "a.jsonl", "twin", "a-only")
    _jsonl(root / "b.jsonl", "twin", "b-only")
    _jsonl(root / "c.jsonl", "b-only", "c-only")  # loses b-only to b, which will be re-read
    ix = tmp_path / "ix"
    build_index([root], ix)
    _jsonl(root / "a.jsonl", "a-only")
    os.utime(root / "a.jsonl", ns=(1, 1))
    report = build_index([root], ix)
    assert _ids(ix) == {"twin", "a-only", "b-only", "c-only"}
    assert report.read.files == 3  # a changed, b lost twin to a, c lost b-only to b
    assert build_index([root], ix).unchanged_files == 3


# ------------------------------------------------------------ 17. links

def test_a_lock_that_is_a_link_is_refused_and_its_target_untouched(tmp_path, corpus):
    ix = tmp_path / "ix"
    build_index([corpus / "ats"], ix)
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (ix / "lock").unlink()
    (ix / "lock").symlink_to(target)
    code, err = _cli("index", str(corpus / "ats"), "--index", str(ix))
    assert code == 2 and err.count("\n") == 1 and "lock is a link" in err, err
    assert target.read_text() == "keep me"
    (ix / "lock").unlink()
    os.link(target, ix / "lock")  # a hard link would be truncated just the same
    with pytest.raises(IndexLinkError):
        build_index([corpus / "ats"], ix)
    assert target.read_text() == "keep me"


def test_generations_as_a_link_never_deletes_outside_the_index(tmp_path, corpus):
    ix = tmp_path / "ix"
    build_index([corpus / "ats"], ix)
    outside = tmp_path / "outside"
    shutil.move(ix / "generations", outside)
    (outside / "000007").mkdir()
    (outside / "000007" / "notes.txt").write_text("mine")
    (ix / "generations").symlink_to(outside)
    code, err = _cli("index", str(corpus), "--index", str(ix))
    assert code == 2 and err.count("\n") == 1 and "generations is a link" in err, err
    assert (outside / "000007" / "notes.txt").read_text() == "mine"
    code, err = _cli("search", "franc", "--index", str(ix))
    assert code == 2 and "generations" in err and "Traceback" not in err
    code, err = _cli("index", str(corpus), "--index", str(ix), "--rebuild")
    assert code == 2 and "generations is a link" in err
    assert sorted(os.listdir(outside)) == ["000001", "000007"]


def test_current_and_marker_as_links_are_refused(tmp_path, corpus):
    ix = tmp_path / "ix"
    build_index([corpus / "ats"], ix)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("000001\n")
    (ix / "CURRENT").unlink()
    (ix / "CURRENT").symlink_to(elsewhere)
    with pytest.raises(IndexLinkError, match="CURRENT is a link"):
        open_index(ix)
    for rebuild in ([], ["--rebuild"]):
        code, err = _cli("index", str(corpus / "ats"), "--index", str(ix), "--quiet", *rebuild)
        assert code == 2 and err.count("\n") == 1 and "CURRENT is a link" in err, err
    assert elsewhere.read_text() == "000001\n"
    (ix / "CURRENT").unlink()  # what the message says
    code, err = _cli("index", str(corpus / "ats"), "--index", str(ix), "--quiet", "--rebuild")
    assert code == 0, err
    marker = ix / "depeche-index.json"
    (elsewhere).write_text(marker.read_text())
    marker.unlink()
    marker.symlink_to(elsewhere)
    with pytest.raises(IndexLinkError, match="depeche-index.json is a link"):
        open_index(ix)


def test_a_generation_that_is_a_link_is_refused(tmp_path, corpus):
    ix = tmp_path / "ix"
    build_index([corpus / "ats"], ix)
    outside = tmp_path / "gen"
    shutil.move(ix / "generations" / "000001", outside)
    (ix / "generations" / "000001").symlink_to(outside)
    with pytest.raises(IndexLinkError, match="generations/000001 is a link"):
        open_index(ix)
    with pytest.raises(IndexLinkError):
        build_index([corpus / "afp"], ix)
    assert outside.is_dir() and any(outside.iterdir())
