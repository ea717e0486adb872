"""Documentalists' operators (issue 15): Europresse and Factiva spellings,
proximity, frequency, bounded truncation, exact forms, the headline-and-lead
field, phrases counting every word; each error says what and where."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.query.spans import SpanNear2

from indexer.backend import patches
from indexer.index.build import build_index, open_index
from indexer.index.schema import build_schema
from search.engine import IndexArrays
from search.qtypes import AtLeast, Truncation
from search.query import QueryError, make_parser, parse_query
from search.searcher import _expand
from tests.cli_run import run

SCHEMA = build_schema()
REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


def _q(text):
    return parse_query(text, SCHEMA)


def _error(text) -> QueryError:
    with pytest.raises(QueryError) as info:
        _q(text)
    return info.value


# ------------------------------------------------------------------ parser units
@pytest.mark.parametrize("typed, core", [
    ("syrie | iran", "syrie OR iran"), ("syrie & iran", "syrie AND iran"), ("syrie ! iran", "syrie NOT iran"),
    ("syrie ou iran", "syrie OU iran"), ("syrie et iran", "syrie ET iran"), ("syrie sauf iran", "syrie SAUF iran"),
    ("syrie et non iran", "syrie ET NON iran"), ("(syrie | iran) & russie", "(syrie OR iran) AND russie"),
    ("syrie ou (iran et irak)", "syrie OU (iran ET irak)"),
])
def test_symbols_and_lower_case_operators_are_the_operators(typed, core):
    assert _q(typed) == _q(core)


def test_lower_case_operators_elsewhere_are_words():
    # Not between two terms: the stop words they are (nothing else to search).
    assert _q("ou syrie") == _q("syrie") == _q("syrie et")
    # In a phrase, a word (a stop word keeps its slot).
    assert _q('"syrie et iran"') == _q('"syrie ou iran"') != _q('"syrie iran"')


def _spans(q, field="body"):
    return [sub for sub in q.subqueries if getattr(sub, "qs", [None])[0] is not None
            and {leaf.fieldname for leaf in sub.leaves()} == {field}][0]


@pytest.mark.parametrize("typed, ordered, distance", [
    ("ministre w/3 santé", False, 3), ("ministre W/3 santé", False, 3), ("ministre near/3 santé", False, 3),
    ("ministre near3 santé", False, 3), ("ministre NEAR3 santé", False, 3), ("ministre pre/3 santé", True, 3),
    ("ministre adj3 santé", True, 3), ("ministre adj santé", True, 1), ("ministre adj/2 santé", True, 2),
])
def test_proximity_operators(typed, ordered, distance):
    near = _spans(_q(typed))
    assert isinstance(near, SpanNear2) and near.ordered is ordered and near.slop == distance
    assert [t.text for t in near.qs] == ["ministr", "sant"]


def test_proximity_chains_phrases_and_truncations():
    near = _spans(_q('"frappes russes" w/5 syri* pre/2 alep'))
    assert near.slop == 2 and near.ordered
    inner = near.qs[0]
    assert isinstance(inner, SpanNear2) and not inner.ordered and inner.slop == 5
    assert isinstance(inner.qs[0], wq.Phrase) and isinstance(inner.qs[1], Truncation)


def test_phrases_keep_stop_words_slots():
    near = _spans(_q('"ministre de la santé"'))
    assert (near.slop, near.mindist, near.ordered) == (3, 3, True)
    assert isinstance(_spans_or_phrase(_q('"frappes aériennes"')), wq.Phrase)


def _spans_or_phrase(q):
    return [sub for sub in q.subqueries if sub.fieldname == "body"][0] if isinstance(q, wq.Or) else q


def test_truncation_in_a_phrase_stands_for_stems():
    near = _spans(_q('"frap* aérien*"'))
    assert [(t.fieldname, t.pattern) for t in near.qs] == [("body", "frap*"), ("body", "aerien*")]


def test_atleast_bounded_truncation_exact_form_and_question_mark():
    q = _q("atleast3 frappes")
    assert isinstance(q, AtLeast) and q.n == 3 and {t.text for t in q.child.leaves()} == {"frapp"}
    assert _q("ATLEAST3 frappes") == q
    q = _q("frap$2")
    assert isinstance(q, Truncation) and (q.fieldname, q.pattern, q.upto) == ("words", "frap", 2)
    assert q.patterns() == ["frap", "frap?", "frap??"]
    assert _q('="Avions"') == _q("=avions") == wq.Term("words", "avions")
    assert _q("m?cron") == wq.Wildcard("words", "m?cron")  # raw words: not "microns"
    assert isinstance(_q("titre:m?cron"), Truncation)


def test_headline_and_lead_field():
    assert _q("hlp:syrie") == _q("chapo:syrie") == _q("chapô:syrie") == _q("(titre:syrie OU lead:syrie)")
    q = _q('hlp:"frappes aériennes"')
    assert {leaf.fieldname for leaf in q.leaves()} == {"headline", "lead"}


def test_fuzzy_words_have_no_fixed_prefix_and_are_not_stemmed():
    q = _q("Khadafi~2")
    assert isinstance(q, wq.FuzzyTerm) and (q.text, q.maxdist, q.prefixlength) == ("khadafi", 2, 0)
    assert _q("Poutinne~").text == "poutinne"


@pytest.mark.parametrize("text, position, words", [
    ("syrie|iran", 6, "| is an operator (OR): put spaces around it"),
    ("syrie&iran", 6, "& is an operator"),
    ("syrie !russie", 7, "! is an operator"),
    ("syrie || iran", 7, "is written once"),
    ("syrie & ", 7, "& needs something after it"),
    ("| syrie", 1, "| needs something before it"),
    ("ministre w/x santé", 10, "w/ takes a distance in words from 1 to 500"),
    ("ministre w/501 santé", 10, "from 1 to 500"),
    ("ministre w/3", 10, "w/3 needs a word after it"),
    ("w/3 santé", 1, "w/3 needs a word before it"),
    ("ministre NEAR santé", 10, "NEAR needs a distance in words"),
    ("frappes w/3 (a OU b)", 13, "no field, sign, boost or group here"),
    ("frappes w/3 titre:syrie", 13, "no field, sign, boost or group here"),
    ("le w/3 frappes", 1, "'le' is a stop word"),
    ('"le la" w/3 frappes', 1, "holds only stop words"),
    ('"frappes russes"~3 w/3 syrie', 1, "not a phrase with ~"),
    ("=avions w/3 frappes", 1, "an exact form (=word) cannot be joined"),
    ("ministre prox santé", 10, "prox is not an operator here"),
    ("ministre prox/3 santé", 10, "prox is not an operator here"),
    ("vodafone same telecoms", 10, "same (in the same paragraph, Factiva) is not supported"),
    ("president % bush", 11, "% (exactly one word between"),
    ("toyota/F50/", 1, "/N5/, /F50/"),
    ("ministre foo/3 santé", 10, "'foo/3' is not an operator"),
    ("atleast frappes", 1, "atleast takes a count from 1 to 50"),
    ("atleast51 frappes", 1, "atleast takes a count from 1 to 50"),
    ("atleast3", 1, "atleast3 needs a word after it"),
    ('atleast3 "frappes russes"', 10, "counts one word, not a phrase"),
    ("frap$", 1, "$ takes a number of letters from 1 to 9"),
    ("frap$10", 1, "$ takes a number of letters from 1 to 9"),
    ("fr$2ap", 1, "$ ends a word"),
    ("=", 1, "an exact form is one word"),
    ('="avions de combat"', 1, "an exact form is one word"),
    ("titre:=avions", 1, "leave the field out"),
    ('"=avions de combat"', 1, "an exact form (=word) stands alone"),
    ("syrie~9", 6, "a fuzzy word allows 1 or 2 edits"),
    ("syrie~0", 6, "a fuzzy word allows 1 or 2 edits"),
    ("syrie~x", 1, "~ follows a word"),
    ("syrie~2/3", 1, "~ follows a word"),
    ('"frappes"~x', 1, "a phrase's ~"),
    ('"frappes russes"~0', 1, "from 1 to 500"),
    ('"frappes russes"~501', 1, "from 1 to 500"),
    ("(syrie | iran", 1, "a ( is never closed"),
    ("syrie & (iran", 9, "a ( is never closed"),
    ("hlp:", 1, "hlp: needs a value"),
])
def test_errors_say_what_and_where(text, position, words):
    err = _error(text)
    assert words in err.message and err.position == position - 1, (text, err)
    assert str(err).startswith(f"bad query at character {position}: ")


def test_an_error_points_into_the_query_as_typed():
    # After translated operators (& is shorter than AND), positions are the user's.
    err = _error("syrie & iran & (frappes")
    assert err.position == len("syrie & iran & ")


# ------------------------------------------------------------------ on the bundled corpus
def _total(ix, query):
    code, out, err = run("search", query, "--index", ix, "--all-versions", "--format", "json", "--limit", "200")
    assert code in (0, 1) and not err.startswith("depeche: error"), (query, err)  # 1: no hits
    return json.loads(out)["total"]


def _ids(ix, query):
    code, out, err = run("search", query, "--index", ix, "--all-versions", "--format", "json", "--limit", "200")
    assert code in (0, 1) and not err.startswith("depeche: error"), (query, err)  # 1: no hits
    return {h["id"] for h in json.loads(out)["hits"]}


def test_symbols_answer_as_the_french_operators(ix):
    assert _ids(ix, "syrie | russie") == _ids(ix, "syrie OU russie") == _ids(ix, "syrie ou russie") \
        == _ids(ix, "syrie") | _ids(ix, "russie")
    assert len(_ids(ix, "syrie | russie")) > len(_ids(ix, "syrie & russie")) > 0
    assert _ids(ix, "syrie ! russie") == _ids(ix, "syrie SAUF russie") == _ids(ix, "syrie") - _ids(ix, "russie")
    assert _ids(ix, "syrie ! russie")


def test_proximity_on_the_bundled_corpus(ix):
    assert _total(ix, "frappes w/1 aériennes") == _total(ix, '"frappes aériennes"') == 1
    assert _total(ix, "aériennes w/1 frappes") == 1   # any order
    assert _total(ix, "aériennes pre/1 frappes") == 0  # in order
    assert _total(ix, "frappes near1 aériennes") == _total(ix, "frappes adj1 aériennes") == 1
    # Within n words, every word counted: "droits de l'homme" has two words between.
    assert _total(ix, "droits w/2 homme") == _total(ix, '"droits de l’homme"') == 2
    assert _total(ix, "droits w/1 homme") == 0
    assert _total(ix, '"droits homme"~2') == 2 and _total(ix, '"droits homme"~1') == 0


def test_truncation_inside_a_phrase(ix):
    assert _total(ix, '"frap* aérien*"') == _total(ix, '"frappes aériennes"') == 1
    assert _total(ix, '"frap* xyzzy*"') == 0


def test_atleast_counts_occurrences(ix):
    syrie = _ids(ix, "syrie")
    at2, at5 = _ids(ix, "atleast2 syrie"), _ids(ix, "atleast5 syrie")
    assert syrie >= at2 >= at5 and at5 and _ids(ix, "atleast50 syrie") == set()
    with open_index(ix).searcher() as s:
        for doc in s.documents():
            record = json.loads(doc["record"])
            if record["id"] in syrie:
                text = f"{record['headline']} {record['body']}".lower()
                count = text.count("syrie") + text.count("syrien")  # the analyzer's stem covers both
                assert (record["id"] in at5) == (count >= 5) or "syri" in text.replace("syrie", ""), record["id"]


def test_bounded_truncation_and_exact_forms(ix):
    assert _ids(ix, "frap$2") <= _ids(ix, "frap*")
    assert _total(ix, "frap$1") == 0 and _total(ix, "frap$2") > 0
    assert 0 < _total(ix, "=frappes") <= _total(ix, "frappes")


def test_headline_and_lead(ix):
    both = _ids(ix, "hlp:syrie")
    assert both == _ids(ix, "titre:syrie") | _ids(ix, "lead:syrie") and both >= _ids(ix, "titre:syrie")
    assert both <= _ids(ix, "syrie")


def test_fuzzy_finds_a_typo_in_the_first_letter(ix):
    assert _ids(ix, "outine~") == _ids(ix, "Poutine") != set()


def test_gapped_phrases_and_chains_are_whooshs_own_answer(ix):
    """A phrase with a stop word inside is a chain of SpanNear2 of terms,
    which Whoosh's own matcher evaluates: the engine answers the same."""
    with open_index(ix).searcher() as s:
        arrays = IndexArrays(s, {})
        for text in ('"droits de l’homme"', '"ministre de la santé"', '"Conseil des droits de l’homme"',
                     'droits w/2 homme', 'homme pre/3 droits', '"session de printemps"'):
            q = _expand(parse_query(text, s.schema, make_parser(s.schema)), arrays)
            with patches.unpatched():
                expected = {h.docnum: h.score for h in s.search(q, limit=None)}
            mask, score = arrays.evaluate(q, True)
            assert set(np.flatnonzero(mask).tolist()) == set(expected), text
            for docnum, sc in expected.items():
                assert math.isclose(score[docnum], sc, rel_tol=1e-9), text


# ------------------------------------------------------------------ never anything but a query error
PIECES = st.sampled_from([
    "syrie", "frappes", "|", "&", "!", "ou", "et", "sauf", "non", "w/3", "w/", "pre/2", "near/5", "near5", "adj",
    "NEAR", "atleast3", "atleast", "frap$2", "$", "=avions", "=", '"', '"frap* aérien*"', "hlp:", "chapo:syrie",
    "m?cron", "~", "~2", "syrie~9", "(", ")", "prox", "same", "%", "/F5/", "^2", "*", "?", "lead:", "w/501",
    '"a b"~x', "OU", "SAUF", "-", "+", "’", "l'", " ",
])


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=12).map(" ".join))
def test_new_operators_raise_only_query_errors(text):
    try:
        q = _q(text)
    except QueryError as exc:
        assert exc.message and (exc.position is None or 0 <= exc.position <= len(text))
    else:
        assert q is not None


@settings(max_examples=60, deadline=None)
@given(text=st.lists(PIECES, min_size=1, max_size=6).map(" ".join))
def test_new_operators_search_or_say_why(ix, text):
    code, out, err = run("search", text, "--index", ix, "--format", "json", "--limit", "3")
    assert (code in (0, 1) and not err.startswith("depeche: error")) or (code == 2 and err.startswith("depeche: error: ")
                                         and err.count("\n") == 1), (text, err)


# ------------------------------------------------------------------ real stories
@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not REALDATA.is_dir():
        pytest.skip("no ../shared/realdata")
    path = tmp_path_factory.mktemp("real") / "ix"
    build_index([REALDATA], path)
    return str(path)


def test_real_stories(real):
    syrie, iran, russie = _ids(real, "syrie"), _ids(real, "iran"), _ids(real, "russie")
    assert _ids(real, "syrie | iran") == syrie | iran and len(syrie | iran) > len(syrie & iran)
    assert _ids(real, "syrie ! russie") == syrie - russie
    assert _ids(real, "ministre w/3 santé") == _ids(real, '"ministre santé"~3') >= _ids(real, '"ministre de la santé"')
    assert _ids(real, '"ministre de la santé"')
    assert _ids(real, "santé pre/3 ministre") < _ids(real, "santé w/3 ministre")
    # Fuzzy: no fixed prefix, so every Kadhafi and Kaddafi, and every Macron.
    assert _ids(real, "Kadhafi") | _ids(real, "Kaddafi") <= _ids(real, "Khadafi~2")
    assert _ids(real, "macron") <= _ids(real, "Marcon~")
    # ? is one letter of a word as written: m?cron is Macron, not microns.
    assert _ids(real, "m?cron") == _ids(real, "macron") and not _ids(real, "m?cron") >= _ids(real, "micron")
    assert _ids(real, '"frap* aérien*"') == _ids(real, '"frappes aériennes"') | _ids(real, '"frappe aérienne"')
    assert _ids(real, "atleast3 syrie") < syrie
    assert _ids(real, "hlp:macron") <= _ids(real, "macron")


def test_fuzzy_without_prefix_finds_whooshs_words(ix):
    """The length and letter-count filter loses no word: the same words as
    the edit distance computed against every word of the index."""
    from search.engine import within_distance

    with open_index(ix).searcher() as s:
        arrays = IndexArrays(s, {})
        every = sorted(set(s.reader().lexicon("words")))
        for word in ("outine", "poutinne", "syrei", "frapes", "aerienes", "ab", "kremlni", "zzzzz"):
            for maxdist in (1, 2):
                expected = sorted(w.decode() for w in within_distance(word.encode(), every, maxdist))
                assert arrays.fuzzy("words", word, maxdist, 0) == expected, (word, maxdist)
                assert set(s.reader().terms_within("words", word, maxdist, prefix=0)) <= set(expected)
