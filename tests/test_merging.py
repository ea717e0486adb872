"""The tiered merge policy: what a commit merges, and that a merge loses nothing."""

from __future__ import annotations

import pytest

import indexer.index.build as build
import indexer.index.merging as merging
from indexer.index.build import build_index, open_index
from indexer.index.merging import plan_merge, tier_of
from indexer.index.stats import iter_stories
from storygen import write_corpus


def test_tiers_grow_by_the_factor():
    assert [tier_of(n, 4, 10) for n in (1, 10, 11, 40, 41, 160, 161)] == [0, 0, 1, 1, 2, 2, 3]


def test_a_tier_is_merged_only_when_full_and_never_with_bigger_segments():
    big = [(50_000, 50_000)] * 3
    small = [(2_000, 2_000)] * 7
    assert plan_merge(big + small, factor=8, floor=4000) == ([], list(range(10)), [])
    merge, keep, drop = plan_merge(big + small + [(900, 900)], factor=8, floor=4000)
    assert sorted(merge) == list(range(3, 11)) and keep == [0, 1, 2] and drop == []
    # Eight big segments are a full tier too; the lowest full tier goes first.
    merge, keep, _ = plan_merge([(50_000, 50_000)] * 8 + small + [(900, 900)], factor=8, floor=4000)
    assert sorted(merge) == list(range(8, 16))


def test_credit_limits_a_merge_to_the_smallest_segments():
    sizes = [(50_000, 50_000)] + [(2_000, 2_000)] * 7 + [(300, 300), (500, 450)]
    merge, keep, _ = plan_merge(sizes, credit=1_000, factor=8, floor=4000)
    assert merge == [8, 9] and 0 in keep
    # Not even two segments fit: nothing is merged.
    assert plan_merge(sizes, credit=500, factor=8, floor=4000)[0] == []


def test_deleted_documents_count_out():
    # A segment with no live document is dropped, never rewritten.
    assert plan_merge([(50_000, 50_000), (3_000, 0)], factor=8, floor=4000) == ([], [0], [1])
    # A big segment that lost most of its documents falls to a lower tier.
    sizes = [(50_000, 1_000)] + [(2_000, 2_000)] * 7
    assert sorted(plan_merge(sizes, factor=8, floor=4000)[0]) == list(range(8))


def _segments(ix_dir):
    ix = open_index(ix_dir)
    try:
        return {s.segment_id(): (s.doc_count_all(), s.doc_count()) for s in ix._segments()}
    finally:
        ix.close()


def _postings(ix_dir):
    """Every term of every field -> {story id: (weight, value)}, live documents only."""
    ix = open_index(ix_dir)
    out = {}
    with ix.reader() as r:
        ids = {d: f["id"] for d, f in r.iter_docs()}
        for field, text in r.all_terms():
            m = r.postings(field, text)
            got = {}
            while m.is_active():
                got[ids[m.id()]] = (m.weight(), m.value())
                m.next()
            if got:
                out[(field, text)] = got
        stored = {f["id"]: f for _, f in r.iter_docs()}
    ix.close()
    return out, stored


@pytest.fixture()
def small_tiers(monkeypatch):
    monkeypatch.setattr(merging, "TIER_FACTOR", 3)
    monkeypatch.setattr(merging, "TIER_FLOOR", 8)
    monkeypatch.setattr(build, "MULTIPROCESS_MIN_DOCS", 10**9)


def test_merged_index_holds_what_one_batch_writes(tmp_path, small_tiers):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 120)
    build_index([corpus], tmp_path / "one", workers=1, batch_stories=10**6)
    report = build_index([corpus], tmp_path / "many", workers=1, batch_stories=5)
    assert report.generations >= 20
    segments = _segments(tmp_path / "many")
    assert len(segments) < report.generations // 2   # merges happened
    assert max(n for n, _ in segments.values()) > 5   # segments of several batches
    assert _postings(tmp_path / "many") == _postings(tmp_path / "one")


def test_a_small_update_leaves_big_segments_alone(tmp_path, small_tiers):
    corpus = tmp_path / "corpus"
    files = write_corpus(corpus, 120)
    ix = tmp_path / "ix"
    build_index([corpus], ix, workers=1, batch_stories=5)
    before = _segments(ix)
    big = {sid for sid, (n, _) in before.items() if n > 8}
    assert big

    # Change two files: their stories are replaced, the big segments only
    # get deletions.
    for path in files[:2]:
        path.write_text(path.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    report = build_index([corpus], ix, workers=1, batch_stories=5)
    assert report.updated == 2 and report.generations == 1
    after = _segments(ix)
    assert big <= set(after)
    assert all(after[sid][0] == before[sid][0] for sid in big)   # not rewritten
    assert len(after) <= len(before) + 1
    assert len({s.id for s in iter_stories(open_index(ix))}) == 120

    # The updated index holds what a fresh build of the changed corpus does.
    ref = tmp_path / "ref"
    build_index([corpus], ref, workers=1, batch_stories=10**6)
    assert _postings(ix) == _postings(ref)


def test_segment_postings_are_whooshs_without_deleted_documents(tmp_path):
    from whoosh.reading import SegmentReader

    from indexer.backend.postings import segment_postings

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40)
    build_index([corpus], tmp_path / "ix", workers=1)
    ix = open_index(tmp_path / "ix")
    writer = ix.writer()
    for n in (0, 3, 17):
        writer.delete_document(n)
    writer.commit(merge=False)
    (segment,) = ix._segments()
    reader = SegmentReader(ix.storage, ix.schema, segment)
    try:
        assert reader.has_deletions()
        mine = list(segment_postings(reader))
        assert mine == list(reader.iter_postings())
        assert {p[2] for p in mine} == set(range(40)) - {0, 3, 17}
        for field in ("filestamp", "words", "agency", "no_such_field"):
            assert list(segment_postings(reader, field)) == [p for p in mine if p[0] == field]
    finally:
        reader.close()
        ix.close()
