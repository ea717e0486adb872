"""Damaged segment files: every command says so in one line naming the file
and suggesting ``--rebuild`` (exit 2), or answers exactly as the whole index
would (it never read the damaged file); never a traceback, never a wrong
answer; ``depeche check`` finds every damage; ``--rebuild`` recovers."""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.index.build import build_index
from search.cli import main

ROOT = Path(__file__).resolve().parent.parent
#: One file of each kind a segment holds (suffix of its name).
KINDS = (".trm", ".pst", "._stored.col", ".date.col", ".version_rank.col", ".group.col",
         "._body_len.col", ".toc")
DAMAGES = ("truncate", "empty", "zero", "delete", "garbage")


def _commands(story_id: str) -> list[list[str]]:
    return [["search", "syrie"], ["search", ""], ["search", "mort*", "--facets", "agency", "date"],
            ["show", story_id], ["versions", story_id], ["similar", story_id],
            ["facets", "--field", "agency"], ["export"], ["stats", "--format", "json"],
            ["index", "-q"], ["check"]]


def _run(argv: list[str], index: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    rc = main(argv[:1] + ["--index", str(index)] + argv[1:], out, err)
    return rc, out.getvalue(), err.getvalue()


def _answer(text: str) -> str:
    """A command's output without its timings."""
    return re.sub(r'"elapsed(_ms)?": [0-9.e-]+', '"elapsed": 0', text)


def damage(path: Path, how: str) -> None:
    """Damage a file in place (its hard links in other generations too)."""
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "zero":
        path.write_bytes(bytes(len(data)))
    elif how == "delete":
        path.unlink()
    elif how == "garbage":
        rng = random.Random(len(data))
        garbled = bytearray(data)
        for i in range(0, len(garbled), 7):
            garbled[i] = rng.randrange(256)
        path.write_bytes(bytes(garbled))


def _the_file(index: Path, kind: str) -> Path:
    gen = index / "generations" / (index / "CURRENT").read_text().strip()
    found = [p for p in gen.iterdir() if p.name.endswith(kind)]
    assert len(found) == 1, (kind, found)
    return found[0]


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    """A whole index of the bundled corpus, and every command's answer on it."""
    from indexer.formats import bundled_corpus

    index = tmp_path_factory.mktemp("damage") / "ix"
    build_index([bundled_corpus()], index)
    story_id = json.loads(_run(["export"], index)[1].splitlines()[0])["id"]
    answers = {}
    for argv in _commands(story_id):
        rc, out, err = _run(argv, index)
        assert rc == 0, (argv, err)
        answers[tuple(argv)] = _answer(out)
    return index, story_id, answers


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("how", DAMAGES)
def test_every_command_names_the_damaged_file_or_answers_right(whole, tmp_path, kind, how):
    index, story_id, answers = whole
    copy = tmp_path / "ix"
    shutil.copytree(index, copy)  # copies: the original's files are not touched
    target = _the_file(copy, kind)
    damage(target, how)
    refused = 0
    for argv in _commands(story_id):
        rc, out, err = _run(argv, copy)   # a traceback would raise here
        lines = err.strip().splitlines()
        if rc == 2:
            refused += 1
            assert len(lines) == 1, (argv, err)
            # A deleted table of contents leaves no name to give but its pattern.
            named = target.name if (kind, how) != (".toc", "delete") else "_MAIN_*.toc"
            assert named in lines[0] and "depeche index --rebuild" in lines[0], (argv, lines[0])
        else:
            assert rc == 0 and _answer(out) == answers[tuple(argv)], (argv, rc, err)
    # Commands that must read the file: check always, and the plain index run
    # (it verifies what it builds on).
    assert refused >= 2
    rc, out, err = _run(["index", "-q", "--rebuild"], copy)
    assert rc == 0, err
    for argv in _commands(story_id)[:4] + [["check"]]:
        rc, out, err = _run(argv, copy)
        assert rc == 0 and _answer(out) == answers[tuple(argv)], (argv, err)


def test_zeroed_date_column_is_found_not_read_as_year_one(whole, tmp_path):
    index, _, _ = whole
    copy = tmp_path / "ix"
    shutil.copytree(index, copy)
    damage(_the_file(copy, ".date.col"), "zero")
    rc, out, err = _run(["search", "", "--format", "json"], copy)
    assert rc == 2 and ".date.col" in err and "checksum" in err, err


def test_sanity_bounds_catch_a_zeroed_column_without_a_record(whole, tmp_path):
    """An index written before checksums (no record): a zeroed date column
    is out of the dates' range, still one line naming it."""
    index, _, _ = whole
    copy = tmp_path / "ix"
    shutil.copytree(index, copy)
    for sums in copy.rglob("*.sums"):
        sums.unlink()
    damage(_the_file(copy, ".date.col"), "zero")
    rc, out, err = _run(["search", "", "--format", "json"], copy)
    assert rc == 2 and ".date.col" in err and "out of range" in err, err
    rc, out, err = _run(["check"], copy)
    assert rc == 0 and "not verified" in err, err


def test_check_is_quiet_on_a_whole_index(whole):
    index, _, _ = whole
    rc, out, err = _run(["check"], index)
    assert rc == 0 and "whole" in err and out == ""


def test_a_real_process_prints_one_line_not_a_traceback(whole, tmp_path):
    index, story_id, _ = whole
    copy = tmp_path / "ix"
    shutil.copytree(index, copy)
    damage(_the_file(copy, ".pst"), "zero")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # A word of many stories: its postings are in the damaged file. (A rare
    # word's, and a story id's, are inlined in the term index: ``show``
    # never reads the postings file, and rightly answers.)
    proc = subprocess.run([sys.executable, "-m", "search.cli", "show", "--index", str(copy), story_id],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0 and not proc.stderr and story_id in proc.stdout, proc.stderr
    for argv in (["search", "président"], ["check"]):
        proc = subprocess.run([sys.executable, "-m", "search.cli", argv[0], "--index", str(copy), *argv[1:]],
                              capture_output=True, text=True, env=env, cwd=ROOT)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert ".pst" in proc.stderr and "--rebuild" in proc.stderr


def test_the_library_raises_a_typed_error_carrying_path_and_file(whole, tmp_path):
    from indexer.index.store import IndexCorruptError
    from search.results import SearchRequest
    from search.searcher import Searcher

    index, _, _ = whole
    copy = tmp_path / "ix"
    shutil.copytree(index, copy)
    target = _the_file(copy, ".pst")
    damage(target, "garbage")
    with Searcher(copy) as s:
        with pytest.raises(IndexCorruptError) as caught:
            s.search(SearchRequest("président"))   # many stories: postings in blocks
    assert caught.value.path == copy and caught.value.file == target


def test_the_tui_says_which_file_is_damaged_in_its_status_line(whole, tmp_path, monkeypatch):
    import asyncio

    from search.tui import make_app

    monkeypatch.setenv("DEPECHE_HISTORY", str(tmp_path / "history.json"))
    index, _, _ = whole
    copy = tmp_path / "ix"
    shutil.copytree(index, copy)
    target = _the_file(copy, ".pst")
    damage(target, "zero")   # same size: found when a search reads postings
    app = make_app(copy, debounce=0.05, deterministic=True)

    async def run():
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(3):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
            await pilot.press("slash")
            app.query_bar.value = "président"   # many stories: postings in blocks
            await pilot.press("enter")
            await pilot.pause(0.1)
            for _ in range(3):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
            assert app.status.kind == "error", app.status.message
            assert target.name in app.status.message and "--rebuild" in app.status.message
            assert app.is_running

    asyncio.run(run())


def test_a_posting_list_cut_where_a_block_ends_is_damage_not_a_shorter_list(tmp_path):
    """A posting file truncated just where one of a list's blocks ends, in a
    segment without a record (no size to compare): the list's last block is
    missing, which is damage (one line), not a list of fewer stories."""
    import struct

    from bench.generate import generate_corpus
    from indexer.backend import postings
    from indexer.backend.segments import find_damage
    from indexer.index.build import open_index

    corpus, index = tmp_path / "corpus", tmp_path / "ix"
    generate_corpus(corpus, 200, seed=4, realdata=None)
    build_index([corpus], index)
    for sums in index.rglob("*.sums"):
        sums.unlink()
    # The list of several blocks that starts last in its posting file: cut after its first block.
    with open_index(index).searcher() as s:
        lists = []
        for leaf, _ in s.reader().leaf_readers():
            for (field, term), info in leaf._terms.items():
                if not info.is_inlined():
                    offset, length = info.extent()
                    raw = leaf._terms._postfile.get(offset, length[0] if isinstance(length, tuple) else length)
                    (first,) = struct.unpack_from("!i", raw, 4)
                    if first > 0:   # not the last block
                        lists.append((offset + 8 + first, leaf.segment().segment_id(), field, term))
    assert lists
    cut, segid, field, term = max(lists)
    pst = _the_file(index, f"{segid}.pst")
    pst.write_bytes(pst.read_bytes()[:cut])
    with open_index(index).searcher() as s:
        leaf = next(leaf for leaf, _ in s.reader().leaf_readers() if leaf.segment().segment_id() == segid)
        tp = postings.term_postings(leaf, field, term)
        with pytest.raises(Exception) as caught:
            ids, _ = tp.arrays()
            print(f"{field}:{term!r}: {len(ids)} documents of {tp.doc_frequency}")
        assert find_damage(pst.parent, caught.value)
