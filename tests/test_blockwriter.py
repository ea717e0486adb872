"""The batched posting writer: the bytes Whoosh's own writer makes, for
flushes (with and without runs on disk) and merges (with deleted
documents), with rare terms inlined or not; and Whoosh reads them."""

from __future__ import annotations

import itertools

import pytest
from whoosh import index, writing
from whoosh.codec import whoosh3
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.backend import patches
from indexer.backend.postings import segment_postings, segment_terms
from indexer.formats import bundled_corpus, read_corpus
from indexer.index import pool as pool_module
from indexer.index.merging import merge_into
from indexer.index.pool import TermPool
from indexer.index.schema import build_schema, story_document

patches.install()


@pytest.fixture(scope="module")
def docs():
    return [story_document(s, s.id, "f", "st") for r in read_corpus([bundled_corpus()]) for s in r.stories]


def _files(folder, segment=None) -> dict[str, bytes]:
    """The postings and term index of a folder's segments (of one segment if given)."""
    return {f.suffix: f.read_bytes() for f in sorted(folder.iterdir())
            if f.suffix in (".pst", ".trm") and (segment is None or f.name.startswith(f"{segment}."))}


def _write(folder, docs, limit, pool_bytes=None):
    folder.mkdir()
    ix = index.create_in(str(folder), build_schema())
    writer = ix.writer(poolclass=TermPool, compound=False, codec=whoosh3.W3Codec(inlinelimit=limit))
    if pool_bytes:
        writer.pool.limit = pool_bytes
    for doc in docs:
        writer.add_document(**doc)
    return ix, writer


def test_length_codes_are_lengths_order():
    """The writer takes block statistics on length codes: one code, one length."""
    assert [length_to_byte(byte_to_length(c)) for c in range(256)] == list(range(256))


@pytest.mark.parametrize("limit, spill", [(1, False), (8, False), (129, False), (8, True)])
def test_a_flush_writes_the_bytes_whooshs_writer_does(tmp_path, docs, limit, spill, monkeypatch):
    monkeypatch.setattr(pool_module, "CHUNK_TERMS", 50)
    written = {}
    for name in ("whoosh", "batched"):
        with monkeypatch.context() as m:
            if name == "whoosh":
                m.setattr(writing.SegmentWriter, "_flush_segment", patches.whoosh_flush)
            ix, writer = _write(tmp_path / name, docs * 3, limit,   # terms of several blocks
                                200_000 if spill else None)
            assert len(writer.pool.runs) > (2 if spill else -1) and (spill or not writer.pool.runs)
            writer.commit()
            ix.close()
        written[name] = _files(tmp_path / name)
    assert set(written["whoosh"]) == {".pst", ".trm"}
    assert written["batched"] == written["whoosh"]


def _merge_all(writer, segments):
    merge_into(writer, segments)
    return []


def test_a_merge_writes_the_bytes_whooshs_writer_does(tmp_path, docs, monkeypatch):
    written = {}
    for name in ("whoosh", "batched"):
        folder = tmp_path / name
        ix, writer = _write(folder, docs[:30], 8)
        writer.commit()
        for part in (docs[30:55], docs[55:]):
            writer = ix.writer(poolclass=TermPool, compound=False, codec=whoosh3.W3Codec(inlinelimit=8))
            for doc in part:
                writer.add_document(**doc)
            writer.commit(merge=False)
        writer = ix.writer(poolclass=TermPool, compound=False, codec=whoosh3.W3Codec(inlinelimit=8))
        for n in (2, 31, 32, 60):
            writer.delete_document(n)
        writer.add_document(**docs[0])
        with monkeypatch.context() as m:
            if name == "whoosh":
                m.setattr(writing.SegmentWriter, "_flush_segment", patches.whoosh_flush)
            writer.commit(mergetype=_merge_all)
        (segment,) = ix._segments()
        assert segment.doc_count_all() == len(docs) - 4 + 1
        written[name] = _files(folder, segment.segment_id())
        ix.close()
    assert set(written["whoosh"]) == {".pst", ".trm"}
    assert written["batched"] == written["whoosh"]


def _all_postings(folder):
    ix = index.open_dir(str(folder))
    with ix.reader() as r:
        out = {}
        for field, text in r.all_terms():
            m = r.postings(field, text)
            got = []
            while m.is_active():
                got.append((m.id(), m.weight(), m.value()))
                m.next()
            out[(field, text)] = got
    ix.close()
    return out


def test_whoosh_reads_inlined_terms_as_blocks(tmp_path, docs):
    ix, writer = _write(tmp_path / "blocks", docs, 1)
    writer.commit()
    ix.close()
    ix, writer = _write(tmp_path / "inlined", docs, 8)
    writer.commit()
    ix.close()
    with patches.unpatched():
        blocks, inlined = _all_postings(tmp_path / "blocks"), _all_postings(tmp_path / "inlined")
    assert len(_files(tmp_path / "inlined")[".pst"]) < len(_files(tmp_path / "blocks")[".pst"]) / 2
    assert inlined == blocks


def test_segment_terms_are_segment_postings_by_term(tmp_path, docs):
    ix, writer = _write(tmp_path / "ix", docs, 8)
    writer.commit()
    writer = ix.writer()
    for n in (0, 5, 40):
        writer.delete_document(n)
    writer.commit(merge=False)
    (segment,) = ix._segments()
    reader = SegmentReader(ix.storage, ix.schema, segment)
    try:
        live = [n for n in range(reader.doc_count_all()) if n not in (0, 5, 40)]
        docmap = {old: new for new, old in enumerate(live)}
        expected = []
        for key, group in itertools.groupby(segment_postings(reader), key=lambda p: (p[0], p[1])):
            group = list(group)
            expected.append((key, 7, [docmap[p[2]] for p in group], [p[3] for p in group],
                             [p[4] for p in group]))
        assert list(segment_terms(reader, 0, docmap, 7)) == expected
        plain = [(k, o, [d + 100 for d in ds], w, v) for k, o, ds, w, v in segment_terms(reader, 0, None, 7)]
        assert plain == list(segment_terms(reader, 100, None, 7))
    finally:
        reader.close()
        ix.close()
