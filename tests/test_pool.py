"""The compact posting pool: Whoosh's order, with and without runs on disk."""

from __future__ import annotations

import random

import pytest
from whoosh.filedb.filestore import FileStorage

import indexer.backend.patches
from indexer.index import pool as pool_module
from indexer.index.pool import TermPool

indexer.backend.patches.install()  # Whoosh passes poolclass on only with the fixes


def _postings(n_docs: int, seed: int = 3) -> list[tuple]:
    rng = random.Random(seed)
    out = []
    for docnum in range(n_docs):
        for field in ("body", "headline", "words"):
            for term in {rng.choice("abcdefghij") * rng.randint(1, 3) for _ in range(rng.randint(1, 8))}:
                value = b"" if field == "words" else bytes([rng.randint(0, 255)] * rng.randint(1, 4))
                out.append((field, term.encode(), docnum, float(rng.randint(1, 3)), value))
    return out


@pytest.mark.parametrize("limit_bytes", [10**9, 2_000, 300])
def test_postings_come_out_sorted_whatever_the_spills(tmp_path, monkeypatch, limit_bytes):
    monkeypatch.setattr(pool_module, "CHUNK_TERMS", 3)
    items = _postings(300)
    pool = TermPool(FileStorage(str(tmp_path)), None, limitmb=1)
    pool.limit = limit_bytes
    for item in items:
        pool.add(item)
    if limit_bytes < 10**6:
        assert len(pool.runs) > 1
    assert list(pool.iter_postings()) == sorted(items)
    assert pool.fieldnames == {"body", "headline", "words"}
    pool.cleanup()
    assert not [f for f in tmp_path.iterdir() if f.name.endswith(".trun")]


def test_whoosh_writers_use_the_pool_given(tmp_path):
    from whoosh import fields, index

    ix = index.create_in(str(tmp_path), fields.Schema(t=fields.TEXT(stored=True)))
    writer = ix.writer(poolclass=TermPool, limitmb=1)
    assert isinstance(writer.pool, TermPool)
    writer.add_document(t="un deux trois")
    writer.add_document(t="deux trois")
    writer.commit()
    with ix.searcher() as s:
        assert [d for d in s.document_numbers(t="deux")] == [0, 1]
    plain = ix.writer()
    assert type(plain.pool).__name__ == "PostingPool"
    plain.cancel()


def _dump(ix):
    out = {}
    with ix.reader() as r:
        for field, text in r.all_terms():
            m = r.postings(field, text)
            got = []
            while m.is_active():
                got.append((m.id(), m.weight(), m.value()))
                m.next()
            out[(field, text)] = got
        names = ix.schema.names()
        out["lengths"] = [[r.doc_field_length(d, f) for f in names] for d in range(r.doc_count_all())]
        out["stored"] = [r.stored_fields(d) for d in range(r.doc_count_all())]
    return out


def test_a_segment_written_through_term_pool_equals_whooshs(tmp_path):
    from whoosh import index

    from indexer.formats import bundled_corpus, read_corpus
    from indexer.index.schema import build_schema, story_document

    docs = [story_document(s, s.id, "f", "st") for r in read_corpus([bundled_corpus()]) for s in r.stories]
    dumps = []
    for name, options in (("whoosh", {}), ("termpool", {"poolclass": TermPool})):
        (tmp_path / name).mkdir()
        ix = index.create_in(str(tmp_path / name), build_schema())
        writer = ix.writer(**options)
        assert isinstance(writer.pool, TermPool) == bool(options)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        dumps.append(_dump(ix))
    assert len(dumps[0]) > 1000
    assert dumps[0] == dumps[1]


def test_lazy_tell_writes_the_same_files(tmp_path, monkeypatch):
    from whoosh import index
    from whoosh.codec import whoosh3

    from indexer.formats import bundled_corpus, read_corpus
    from indexer.index.schema import build_schema, story_document

    docs = [story_document(s, s.id, "f", "st") for r in read_corpus([bundled_corpus()]) for s in r.stories]
    contents = []
    for name in ("fixed", "original"):
        if name == "original":
            monkeypatch.setattr(whoosh3.W3PostingsWriter, "start_postings", indexer.backend.patches._start_postings)
            monkeypatch.setattr(whoosh3.W3PostingsWriter, "_write_block", indexer.backend.patches._write_block)
        folder = tmp_path / name
        folder.mkdir()
        ix = index.create_in(str(folder), build_schema())
        writer = ix.writer(poolclass=TermPool, compound=False)
        for doc in docs * 3:   # some terms with several blocks
            writer.add_document(**doc)
        writer.commit()
        contents.append({f.suffix: f.read_bytes() for f in folder.iterdir() if f.suffix in (".pst", ".trm")})
    assert set(contents[0]) == {".pst", ".trm"}
    assert contents[0] == contents[1]
