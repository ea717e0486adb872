"""Commits written by several processes (indexer/index/shards.py): the same
index as one process writes, the merge in a forked writer beside the
others, the same hit sets and scores whatever the number of writers, and
an incremental run that touches only its own files' stories."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

import indexer.index.build as build
import indexer.index.merging as merging
import indexer.index.shards as shards
from bench.generate import generate_corpus
from indexer.backend import check_segments
from indexer.index.build import build_index, open_index
from indexer.index.stats import iter_stories
from storygen import write_corpus
from test_engine import _engine, _for_whoosh, _parse, _queries, _whoosh_search
from test_merging import _postings, _segments


@pytest.fixture()
def small_tiers(monkeypatch):
    monkeypatch.setattr(merging, "TIER_FACTOR", 3)
    monkeypatch.setattr(merging, "TIER_FLOOR", 8)


def _writers(monkeypatch, parallel: bool):
    """Every commit by two writer processes (however small), or by the run's alone."""
    monkeypatch.setattr(build, "MULTIPROCESS_MIN_DOCS", 0 if parallel else 10**9)
    monkeypatch.setattr(build, "default_processes", lambda: 2)


def _merges_by_process(monkeypatch, record):
    """Record, in a file, the pid of each process that merges (a forked writer inherits this)."""
    original = shards.merge_into

    def merge_into(writer, segments):
        with open(record, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return original(writer, segments)

    monkeypatch.setattr(shards, "merge_into", merge_into)


def test_parallel_commits_write_what_one_process_writes(tmp_path, small_tiers, monkeypatch):
    corpus = tmp_path / "corpus"
    files = write_corpus(corpus, 120)
    _writers(monkeypatch, parallel=False)
    build_index([corpus], tmp_path / "one", workers=1, batch_stories=10**6)

    _writers(monkeypatch, parallel=True)
    record = tmp_path / "merges"
    _merges_by_process(monkeypatch, record)
    report = build_index([corpus], tmp_path / "many", workers=1, batch_stories=6)
    assert report.generations >= 15
    segments = _segments(tmp_path / "many")
    assert len(segments) < report.generations   # two new segments a commit, and merges
    merged_by = [int(p) for p in record.read_text().split()]
    assert merged_by and os.getpid() not in merged_by   # merges ran in the forked writers
    assert _postings(tmp_path / "many") == _postings(tmp_path / "one")
    gen = tmp_path / "many" / "generations" / (tmp_path / "many" / "CURRENT").read_text().strip()
    assert not check_segments(gen, full=True).damages   # every segment with its checksum record

    # An incremental run: the changed files' stories only, the other
    # segments get deletions, never rewritten.
    before = _segments(tmp_path / "many")
    for path in files[:2]:
        path.write_text(path.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    report = build_index([corpus], tmp_path / "many", workers=1, batch_stories=6)
    assert report.updated == 2 and report.added == report.removed == 0 and report.generations == 1
    after = _segments(tmp_path / "many")
    kept = {sid for sid in before if sid in after}
    assert all(after[sid][0] == before[sid][0] for sid in kept)   # not rewritten
    assert len(set(after) - set(before)) <= 2 and len(after) <= len(before) + 2
    _writers(monkeypatch, parallel=False)
    build_index([corpus], tmp_path / "ref", workers=1, batch_stories=10**6)
    assert _postings(tmp_path / "many") == _postings(tmp_path / "ref")


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    """The same corpus indexed by one writer process and by two: in one
    batch ("fresh": one segment against two), and in small batches followed
    by an incremental change ("history": several segments, deletions and
    merges in both)."""
    tmp = tmp_path_factory.mktemp("shards")
    a, b = tmp / "a", tmp / "b"
    generate_corpus(a, 300, seed=5, realdata=None)
    generate_corpus(b, 200, seed=6, realdata=None)
    (b / "sans-date.txt").write_text("Un titre sans date\n\nUne dépêche dont rien ne dit le jour.\n",
                                     encoding="utf-8")   # the corpus of tests/test_engine.py
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        for name, parallel in (("one", False), ("two", True)):
            _writers(mp, parallel)
            build_index([a, b], tmp / f"fresh-{name}", batch_stories=10**6)
            out[f"fresh-{name}"] = tmp / f"fresh-{name}"
            ix = out[f"history-{name}"] = tmp / f"history-{name}"
            build_index([a], ix, batch_stories=120)
            build_index([a, b], ix, batch_stories=120)
        for path in sorted(a.rglob("*.txt"))[:12]:
            path.write_text(path.read_text(encoding="utf-8") + "\n\nUne phrase ajoutée au dossier.\n",
                            encoding="utf-8")
        for name, parallel in (("one", False), ("two", True)):
            _writers(mp, parallel)
            build_index([a, b], out[f"history-{name}"], batch_stories=120)
    searchers = {name: open_index(ix).searcher() for name, ix in out.items()}
    yield searchers
    for s in searchers.values():
        s.close()


def _by_id(searcher, text):
    q = _parse(searcher, text)
    _, (mask, score) = _engine(searcher, q)
    ids = {d: f["id"] for d, f in searcher.reader().iter_docs()}
    return {ids[d]: float(score[d]) for d in np.flatnonzero(mask).tolist()}


def _words(searcher):
    """Frequent, middle and rare words of the index, stop words left out."""
    from search.query import QueryError

    common = []
    for _, w in searcher.reader().most_frequent_terms("words", 400):
        if w.isalpha() and len(w) > 4:
            try:
                _parse(searcher, w.decode())
            except QueryError:
                continue
            common.append(w.decode())
    return common[0], common[5], common[40], common[150], common[-1]


def test_scores_equal_whatever_the_writer_processes(indexes):
    """One segment or two of the same stories: the same hits, the same
    scores (BM25 statistics are over the whole index)."""
    one, two = indexes["fresh-one"], indexes["fresh-two"]
    assert len(list(one.reader().leaf_readers())) == 1 and len(list(two.reader().leaf_readers())) == 2
    checked = 0
    words = _words(indexes["history-one"])   # the words tests/test_engine.py searches
    for text in _queries(words):
        a, b = _by_id(one, text), _by_id(two, text)
        assert set(a) == set(b), text
        for sid, score in a.items():
            assert math.isclose(b[sid], score, rel_tol=1e-9, abs_tol=1e-12), (text, sid)
        checked += bool(a)
    assert checked >= 18


def test_hits_equal_and_scores_whooshs_after_parallel_commits_and_merges(indexes):
    """Small batches by two writers, merges in them, an incremental change:
    the hit sets of one writer's index; on it, Whoosh's own scores. (Scores
    are not compared across the two: deleted documents count in BM25's
    statistics until their segment is merged, and the two merged
    differently.)"""
    one, two = indexes["history-one"], indexes["history-two"]
    assert len(list(two.reader().leaf_readers())) >= 2 and two.reader().has_deletions()
    checked = 0
    for text in _queries(_words(one)):
        a, b = _by_id(one, text), _by_id(two, text)
        assert set(a) == set(b), text
        q = _parse(two, text)
        hits = _whoosh_search(two, _for_whoosh(q, two.reader()), limit=None)
        ids = {d: f["id"] for d, f in two.reader().iter_docs()}
        assert {ids[h.docnum] for h in hits} == set(b), text
        for hit in hits:
            assert math.isclose(b[ids[hit.docnum]], hit.score, rel_tol=1e-9, abs_tol=1e-12), text
        checked += bool(a)
    assert checked >= 18


@pytest.mark.parametrize("kind", ["fresh", "history"])
def test_groups_and_copies_equal_whatever_the_writer_processes(indexes, kind):
    def stored(searcher):
        return {f["id"]: (f.get("group"), f.get("duplicate_of"), f["file"], f.get("filestamp"))
                for _, f in searcher.reader().iter_docs()}

    one, two = stored(indexes[f"{kind}-one"]), stored(indexes[f"{kind}-two"])
    assert one == two and len(one) > 450
    assert len({g for g, *_ in one.values()}) < len(one)   # some stories grouped


def test_a_writer_that_fails_fails_the_commit_and_publishes_nothing(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 60)
    ix = tmp_path / "ix"
    build_index([corpus / "2014" / "01"], ix, workers=1)
    before = {s.id for s in iter_stories(open_index(ix))}
    _writers(monkeypatch, parallel=True)
    parent = os.getpid()
    original = shards._write_shard

    def failing(writer, shard, add):
        if os.getpid() != parent:
            os._exit(9)   # the forked writer dies without a word
        return original(writer, shard, add)

    monkeypatch.setattr(shards, "_write_shard", failing)
    with pytest.raises(build.IndexWriteError, match="a writer process .* ended without its segment "
                                                    r"\(exit status 9\); the previous index is unchanged"):
        build_index([corpus], ix, workers=1)
    assert {s.id for s in iter_stories(open_index(ix))} == before
    assert not list(ix.glob("generations/*/*.tmp"))
    monkeypatch.setattr(shards, "_write_shard", original)
    assert build_index([corpus], ix, workers=1).added == 60 - len(before)
