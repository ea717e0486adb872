"""The compact posting pool: Whoosh's order, with and without runs on disk."""

from __future__ import annotations

import random

import pytest
from whoosh.filedb.filestore import FileStorage

import indexer.whoosh_fixes  # noqa: F401
from indexer import pool as pool_module
from indexer.pool import TermPool


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
