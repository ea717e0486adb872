"""The array engine answers as Whoosh itself would: the same documents, the
same scores, the same order and the same facet counts, on an index of
several segments with deleted documents (an incremental run)."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh import sorting
from whoosh.support.levenshtein import distance

from bench.generate import generate_corpus
from indexer.backend import patches
from indexer.backend.postings import multiterm_words
from indexer.index.build import build_index, open_index
from search.engine import IndexArrays, within_distance
from search.query import make_parser, parse_query
from search.searcher import _expand


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("engine")
    a, b, ix = tmp / "a", tmp / "b", tmp / "ix"
    generate_corpus(a, 300, seed=5, realdata=None)
    generate_corpus(b, 200, seed=6, realdata=None)
    (b / "sans-date.txt").write_text("Un titre sans date\n\nUne dépêche dont rien ne dit le jour.\n",
                                     encoding="utf-8")
    build_index([a], ix)
    build_index([a, b], ix)
    # Change some files: their stories are deleted from old segments and re-added.
    for path in sorted(a.rglob("*.txt"))[:12]:
        path.write_text(path.read_text(encoding="utf-8") + "\n\nUne phrase ajoutée au dossier.\n",
                        encoding="utf-8")
    build_index([a, b], ix)
    with open_index(ix).searcher() as s:
        assert len(list(s.reader().leaf_readers())) >= 2
        assert s.reader().has_deletions()
        yield s


@pytest.fixture(scope="module")
def words(searcher):
    """Frequent, middle and rare words of the index (unstemmed, folded)."""
    common = [w.decode() for _, w in searcher.reader().most_frequent_terms("words", 400)
              if w.isalpha() and len(w) > 4]
    return common[0], common[5], common[40], common[150], common[-1]


def _queries(words) -> list[str]:
    w1, w2, w3, w4, w5 = words
    return [
        w1, w3, w5, f"{w1} {w2}", f"{w2} {w4}", f"{w1} OU {w5}", f"{w2} SAUF {w3}", f"{w1} ET NON {w4}",
        f"+{w2} {w3}", f"{w2} -{w1}", f"({w3} OU {w4}) ET {w1}", f'"{w1} {w2}"', f'"{w2} {w1}"~6',
        f"{w3[:4]}*", f"{w1[:3]}* {w2}", f"{w4}~", f"titre:{w2}", "agence:afp", f"agence:reuters {w1}", "date:2012",
        f"date:[2012-02 TO 2012-03-15] {w2}", "date:2012-01..2012-01-20", f"{w1} date:..2012-02",
        f"lieu:paris OR {w5}", "version:urgent",
        # Rare and frequent operands together (sparse probed in dense, and back).
        f"{w5} {w1}", f"{w1} SAUF {w5}", f"{w5} SAUF {w1}", f"({w5} OU {w4}) ET NON {w1}", f"agence:afp {w5}",
        f"{w5} OU {w4} OU {w3}", f"+{w1} {w5}", f"NON {w5}", f"{w3[:3]}* {w5}",
    ]


def _whoosh_search(searcher, q, **kwargs):
    """Whoosh's own answer, by Whoosh's own code: the project's fixes to
    Whoosh are taken out while it searches (and scores, and counts)."""
    assert patches.installed()  # the engine runs with them, as Dépêche does
    with patches.unpatched():
        assert not patches.installed()
        return searcher.search(q, **kwargs)


def _engine(searcher, q, scored=True):
    arrays = IndexArrays(searcher, {})
    return arrays, arrays.evaluate(q, scored)


def _parse(searcher, text):
    """The query as the Searcher gives it to the engine (truncations unexpanded)."""
    return _expand(parse_query(text, searcher.schema, make_parser(searcher.schema)), IndexArrays(searcher, {}))


def _for_whoosh(q, reader):
    """The same query with truncations as the words they reach, as Whoosh scores them."""
    if isinstance(q, (wq.Prefix, wq.FuzzyTerm)):
        return wq.Or([wq.Term(q.fieldname, t.decode(), boost=q.boost) for t in multiterm_words(q, reader)]) or wq.NullQuery
    if q.is_leaf():
        return q
    return q.apply(lambda child: _for_whoosh(child, reader))


#: Hit sets kept sparse as far as they go, as the engine chooses, and always dense.
RATIOS = ((1, 1), (IndexArrays.dense_ratio, IndexArrays.union_ratio), (10**12, 10**12))


@pytest.fixture(params=RATIOS, ids=["sparse", "chosen", "dense"])
def ratio(request, monkeypatch):
    """The engine's sparse/dense thresholds (search.hitsets), each way."""
    monkeypatch.setattr(IndexArrays, "dense_ratio", request.param[0])
    monkeypatch.setattr(IndexArrays, "union_ratio", request.param[1])
    return request.param


def test_same_documents_and_scores_as_whoosh(searcher, words, ratio):
    checked = 0
    for text in _queries(words):
        q = _parse(searcher, text)
        hits = _whoosh_search(searcher, _for_whoosh(q, searcher.reader()), limit=None)
        expected = {hit.docnum: hit.score for hit in hits}
        _, (mask, score) = _engine(searcher, q)
        assert set(np.flatnonzero(mask).tolist()) == set(expected), text
        for docnum, s in expected.items():
            assert math.isclose(score[docnum], s, rel_tol=1e-9, abs_tol=1e-12), (text, docnum)
        checked += bool(expected)
    assert checked >= 18  # the queries are not vacuous


def test_same_order_as_whoosh(searcher, words, ratio):
    # Whoosh scoring every hit (limit=None): its block-skipping top-N
    # (limit=15) loses hits here, e.g. the 4th best of "declare millions".
    # Whoosh's scores, Dépêche's order of equal scores on top: newest first,
    # then by story id (Whoosh: by document number, which a rebuild changes).
    ties = 0
    for text in _queries(words)[:12]:
        q = _parse(searcher, text)
        hits = _whoosh_search(searcher, _for_whoosh(q, searcher.reader()), limit=None)
        arrays, (mask, score) = _engine(searcher, q)
        by_whoosh = sorted(hits, key=lambda h: (-round(h.score, 9), -int(arrays.days[h.docnum]),
                                                searcher.stored_fields(h.docnum)["id"]))
        expected = [hit.docnum for hit in by_whoosh][:15]
        assert arrays.order(mask, score, "relevance", 15)[:15].tolist() == expected, text
        ties += sum(round(a.score, 9) == round(b.score, 9) for a, b in zip(by_whoosh[:15], by_whoosh[1:15]))
    assert ties  # the tie order is tested too


def test_date_order_newest_first_then_latest_version(searcher):
    arrays, (mask, _) = _engine(searcher, wq.Every(), scored=False)
    docs = arrays.order(mask, None, "-date", 60)[:60]
    keys = [(arrays.days[d], arrays.ranks[d]) for d in docs]
    assert keys == sorted(keys, reverse=True)
    oldest = arrays.order(mask, None, "date", 5)[:5]
    assert arrays.days[oldest[0]] == arrays.days[mask & (arrays.days > 0)].min()
    assert not mask[np.flatnonzero(~arrays.live)].any()


def test_an_undated_story_comes_last_either_way(searcher):
    arrays, (mask, _) = _engine(searcher, wq.Every(), scored=False)
    undated = [d for d in np.flatnonzero(arrays.days == 0).tolist() if arrays.live[d]]
    assert len(undated) == 1
    assert searcher.stored_fields(undated[0])["file"].endswith("sans-date.txt")
    for sort in ("date", "-date"):
        assert arrays.order(mask, None, sort, int(mask.sum()))[-1] == undated[0]
    assert "" not in arrays.date_counts(mask, "year") and sum(arrays.date_counts(mask, "year").values()) \
        == int(mask.sum()) - 1


@pytest.mark.parametrize("field,overlap", [("agency_facet", False), ("places_facet", True),
                                           ("translators_facet", True), ("year", False), ("month", False),
                                           ("day", False)])
def test_same_facet_counts_as_whoosh(searcher, words, field, overlap, ratio):
    for text in (words[0], f"{words[1]} OU {words[3]}", ""):
        q = _parse(searcher, text)
        facet = sorting.FieldFacet(field, maptype=sorting.Count, allow_overlap=overlap)
        expected = _whoosh_search(searcher, _for_whoosh(q, searcher.reader()), limit=None,
                                   groupedby={"f": facet}).groups("f")
        expected = {k: v for k, v in expected.items() if k not in (None, "")}
        arrays, (mask, _) = _engine(searcher, q, scored=False)
        if field in ("year", "month", "day"):
            assert arrays.date_counts(mask, field) == expected
        else:
            assert arrays.facet(field).count(mask) == expected
        assert sum(expected.values()) > 0


def test_groups_are_the_stored_groups(searcher):
    arrays = IndexArrays(searcher, {})
    live = np.flatnonzero(arrays.live)
    names = {}
    for d in live[:300].tolist():
        names.setdefault(int(arrays.groups[d]), set()).add(searcher.stored_fields(d)["group"])
    assert all(len(v) == 1 for v in names.values())
    for g in list(names)[:50]:
        members = arrays.group_members(g)
        assert {searcher.stored_fields(int(d))["group"] for d in members if arrays.live[d]} == names[g]
        assert arrays.group_sizes[g] == int(arrays.live[members].sum())


def test_segment_arrays_are_reused_by_the_next_generation(searcher, tmp_path):
    cache = {}
    first = IndexArrays(searcher, cache)
    first.facet("agency_facet")
    kept = dict(cache)
    again = IndexArrays(searcher, cache)
    assert all(cache[k] is kept[k] for k in kept)
    assert again.facet("agency_facet").count(again.live) == first.facet("agency_facet").count(first.live)


@given(st.text(alphabet="abcde", min_size=1, max_size=7),
       st.lists(st.text(alphabet="abcde", max_size=9), max_size=30), st.integers(1, 2))
@settings(max_examples=300, deadline=None)
def test_edit_distance_is_whooshs(word, candidates, maxdist):
    expected = [c for c in candidates if distance(c, word, limit=maxdist) <= maxdist]
    got = within_distance(word.encode(), [c.encode() for c in candidates], maxdist)
    assert [c.decode() for c in got] == expected


def test_fuzzy_words_are_whooshs(searcher, words):
    arrays = IndexArrays(searcher, {})
    reader = searcher.reader()
    for word in words:
        for typo in (word[:2] + word[3:], word[:-1] + "e", word[:3] + word[4] + word[3] + word[5:]):
            for maxdist, prefix in ((1, 2), (2, 1)):
                expected = sorted(reader.terms_within("words", typo, maxdist, prefix=prefix))
                assert arrays.fuzzy("words", typo, maxdist, prefix) == expected, (typo, maxdist)


def test_phrases_and_proximity_find_what_whoosh_finds(searcher, ratio):
    texts = []
    for docnum in range(0, 400, 37):
        if not searcher.reader().is_deleted(docnum):
            body = json.loads(searcher.stored_fields(docnum)["record"])["body"]
            m = re.search(r"(?<![\w'’])([^\W\d]{5,}) ([^\W\d]{5,}) ([^\W\d]{5,})(?![\w'’])", body)
            if m:
                a, b, c = m.groups()
                texts += [f'"{a} {b}"', f'"{a} {b} {c}"', f'"{b} {a}"~3', f'"{c} {a}"~4', f'"{a} {c}"',
                          f'texte:"{b} {c}" {a}']
    texts += ['lieu:"new york"', 'agence:"agence france"']
    matched = 0
    for text in texts:
        q = _parse(searcher, text)
        expected = {hit.docnum: hit.score for hit in _whoosh_search(searcher, q, limit=None)}
        _, (mask, score) = _engine(searcher, q)
        assert set(np.flatnonzero(mask).tolist()) == set(expected), text
        for docnum, s in expected.items():
            assert math.isclose(score[docnum], s, rel_tol=1e-9), (text, docnum)
        matched += bool(expected)
    assert len(texts) >= 30 and matched >= 20


def test_phrases_from_kept_positions_are_phrases_read_afresh(searcher, monkeypatch):
    """Positions decoded once are kept per segment: the same answers when a
    phrase is asked again, when another one shares its words, and when the
    kept positions overflow their bound and start afresh."""
    w1, w2, w3, w4, _ = _words_for_phrases(searcher)
    texts = [f'"{w1} {w2}"', f'"{w2} {w3}"~4', f'"{w1} {w2}"', f'"{w3} {w1} {w2}"~8', f'"{w4} {w2}"~6']
    fresh = [_engine(searcher, _parse(searcher, t))[1] for t in texts]
    arrays = IndexArrays(searcher, {})
    for bound in (10**6, 3):
        for _, _, seg in arrays.leaves:
            monkeypatch.setattr(seg, "max_positions", bound)
        for text, (mask, score) in zip(texts, fresh):
            got_mask, got_score = arrays.evaluate(_parse(searcher, text), True)
            assert np.array_equal(got_mask, mask), text
            assert np.allclose(got_score, score, rtol=1e-12), text
    assert any(seg._positions for _, _, seg in arrays.leaves)
    assert sum(np.count_nonzero(m) for m, _ in fresh) > 0


def _words_for_phrases(searcher):
    """Words standing side by side in some stories' bodies."""
    for docnum in range(0, 400, 7):
        if not searcher.reader().is_deleted(docnum):
            body = json.loads(searcher.stored_fields(docnum)["record"])["body"]
            m = re.search(r"(?<![\w'’])([^\W\d]{5,}) ([^\W\d]{5,}) ([^\W\d]{5,}) ([^\W\d]{5,})(?![\w'’])", body)
            if m:
                return (*m.groups(), None)
    raise AssertionError("no four words in a row")


def test_stories_holding_a_day_are_the_dated_ones(searcher):
    """The date facet's "(no date)" count comes from the date column, not
    from a walk of the day field's lexicon: the same stories."""
    arrays = IndexArrays(searcher, {})
    by_terms = np.zeros(arrays.n, dtype=bool)
    by_terms[arrays.facet("day").docs] = True
    by_terms &= arrays.live
    assert np.array_equal(arrays.holding("day"), by_terms)
    assert 0 < int(np.count_nonzero(~by_terms & arrays.live)) < 5


def test_a_negated_filter_removes_exactly_its_stories(searcher, words, ratio):
    """``w -agence:afp`` is ``w``'s hits less ``agence:afp``'s, whatever the
    segments. (Whoosh's own AndNot keeps two AFP stories of this index for
    ``rencontre -agence:afp``, against its own ``agence:afp``: the engine is
    checked here by set algebra, not against Whoosh.)"""
    checked = 0
    for word in [*words, "rencontre"]:
        _, (both, _) = _engine(searcher, _parse(searcher, f"{word} -agence:afp"))
        _, (plain, _) = _engine(searcher, _parse(searcher, word))
        _, (afp, _) = _engine(searcher, _parse(searcher, "agence:afp"))
        assert set(np.flatnonzero(both).tolist()) == set(np.flatnonzero(plain & ~afp).tolist()), word
        checked += bool((plain & afp).any())
    assert checked >= 3


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=20), st.sampled_from([b"", b"a", b"ab", b"a\x00", b"\x00", b"b"])),
                max_size=60))
def test_byte_codes_are_numpys_unique_codes(values):
    """Groups and id ranks come from byte_codes: the codes np.unique gives, whatever the bytes."""
    from search.engine import byte_codes

    arr = np.array(values, dtype=object) if values else np.zeros(0, dtype=object)
    expected = np.unique(arr, return_inverse=True)[1].reshape(-1) if values else np.zeros(0, np.int64)
    assert byte_codes(arr).tolist() == expected.tolist()
    if values and len({len(v) for v in values}) == 1 and not any(v.endswith(b"\x00") for v in values):
        fixed = arr.astype(bytes)
        assert byte_codes(fixed).tolist() == np.unique(fixed, return_inverse=True)[1].reshape(-1).tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=20), st.sampled_from([b"", b"a", b"ab", b"a\x00", b"\x00", b"b"])),
                max_size=60), st.booleans())
def test_equal_codes_number_equal_values_alike(values, collide):
    """Groups come from equal_codes: equal values share a number, different
    ones never do, even when their hashes collide; as Python bytes or fixed
    width."""
    import search.engine as engine

    arr = np.array(values, dtype=object) if values else np.zeros(0, dtype=object)
    arrays = [arr]
    if values and not any(v.endswith(b"\x00") for v in values):
        arrays.append(arr.astype(bytes))  # fixed width (numpy would strip a trailing NUL)
    saved = engine._hashes
    if collide:
        engine._hashes = lambda v: np.zeros(len(v), dtype=np.int64)
    try:
        for a in arrays:
            expected = np.unique(a, return_inverse=True)[1].reshape(-1) if values else np.zeros(0, np.int64)
            codes = engine.equal_codes(a)
            assert len(codes) == len(values)
            # The same partition as np.unique's: one code per distinct value, both ways.
            assert len(set(zip(codes.tolist(), expected.tolist()))) == len(set(expected.tolist())) \
                == len(set(codes.tolist()))
    finally:
        engine._hashes = saved


def test_stories_holding_a_field_are_those_with_its_terms(searcher):
    """``(none)`` counts and filters take a scored field's holders from its
    length column, not from its postings: the same stories, segment by
    segment, a segment where no story has the field included."""
    from indexer.backend import columns

    arrays = IndexArrays(searcher, {})
    absent = 0
    for field, ftype in searcher.schema.items():
        if not ftype.scorable:
            continue
        by_terms = np.zeros(arrays.n, dtype=bool)
        by_terms[arrays.facet(field).docs] = True
        by_terms &= arrays.live
        assert np.array_equal(arrays.holding(field), by_terms), field
        absent += sum(columns.length_codes(leaf, field, seg.n) is None for leaf, _, seg in arrays.leaves)
    assert absent  # some segment has no story with some field


@pytest.mark.parametrize("sort", ["relevance", "date", "-date"])
def test_ties_are_ordered_alike_whichever_ids_are_ranked(searcher, words, sort, monkeypatch):
    """A page's few documents have their own ids ranked, a large tie the
    whole index's: the same order."""
    orders = []
    for few in (10**9, 0):
        monkeypatch.setattr(IndexArrays, "few_ties", few)
        got = []
        for text in [*_queries(words)[:12], ""]:
            q = _parse(searcher, text) if text else wq.Every()
            arrays, (mask, score) = _engine(searcher, q, scored=bool(text))
            got.append(arrays.order(mask, score, sort, 40)[:40].tolist())
            assert ("id_ranks" in arrays._global) == (few == 0 and bool(mask.any()))
        orders.append(got)
    assert orders[0] == orders[1]


def test_a_posting_list_read_at_once_is_its_blocks(searcher):
    """The engine reads a term's list in one read (TermPostings.arrays): the
    documents and weights Whoosh's blocks hold, for every term."""
    from indexer.backend import postings

    checked = 0
    for leaf, _ in searcher.reader().leaf_readers():
        for field in leaf.indexed_field_names():
            for _, tp in postings.lexicon(leaf, field):
                ids, weights = tp.arrays()
                # (A block is read while the walk is on it.)
                blocks = [(b.ids().tolist(), b.weights().tolist()) for b in tp.blocks()]
                assert ids.tolist() == [d for b in blocks for d in b[0]]
                assert weights.tolist() == [w for b in blocks for w in b[1]]
                checked += len(blocks) > 1
    assert checked  # lists of several blocks


@pytest.mark.parametrize("long_id", [False, True])
def test_bytes_columns_read_whole_are_whooshs_values(tmp_path, long_id):
    """Ids of several lengths (a feed's beside files'), empty values (no
    duplicate) and, past FIXED_WIDTH_MAX, Python bytes: the values Whoosh's
    own column reader gives, document by document."""
    from indexer.backend import columns

    ids = ["a", "afp-2020-0001", "x" * 16, "ansa-fr-20140801-0001"] + (["l" * (columns.FIXED_WIDTH_MAX + 5)]
                                                                       if long_id else [])
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    stories = [{"id": sid, "headline": f"Titre {i}", "agency": "AFP", "date": "2020-07-02",
                "text": f"Texte numéro {i} de la dépêche {sid}. " + " ".join(
                    f"mot{(i * 7 + k * 13) % 101}" for k in range(60))}
               for i, sid in enumerate(ids)]
    # A republished copy: its duplicate column holds the original's id.
    stories.append(dict(stories[1], id="copie-de-la-deux"))
    (corpus / "a.jsonl").write_text("\n".join(json.dumps(s) for s in stories) + "\n", encoding="utf-8")
    build_index([corpus], tmp_path / "ix", workers=1)
    with open_index(tmp_path / "ix").searcher() as s:
        seen = set()
        for leaf, _ in s.reader().leaf_readers():
            for name in ("id", "group", "duplicate"):
                got = columns.byte_strings(leaf, name, leaf.doc_count_all())
                whoosh = leaf._perdoc.column_reader(name, leaf.schema[name].column_type)
                assert got.tolist() == [whoosh[d] for d in range(leaf.doc_count_all())], name
                seen.add(got.dtype.kind)
                if name == "duplicate":
                    assert sorted(got.tolist())[-1] == b"afp-2020-0001"
    assert seen == ({"S", "O"} if long_id else {"S"})
