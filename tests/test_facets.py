"""Facets tell the truth: for every value shown, filtering on it gives
exactly its count, in the same mode (story groups by default, stories with
``all_versions``); values are folded as the filter folds them; the results
without a value are counted under ``(none)`` (``(no date)``)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.fields import FIELDS
from indexer.index.build import build_index
from search.results import FACETS, MISSING, NO_DATE, SearchRequest
from search.searcher import Searcher

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def filtered(request: SearchRequest, facet: str, value: str) -> SearchRequest:
    """The request with a filter on one facet value, as a click in the TUI sets it."""
    base = replace(request, facets=(), page=1, limit=1, snippets=False)
    if facet == "date":
        if value == NO_DATE:
            return replace(base, undated=True)
        return replace(base, date_from=value, date_to=value)
    attr = FIELDS[facet].filter
    return replace(base, **{attr: (*getattr(base, attr), value)})


def check_facets(s: Searcher, request: SearchRequest) -> int:
    """Every value of every facet against its filter; returns the values checked."""
    page = s.search(request)
    checked = 0
    for facet, values in page.facets.items():
        assert len({v.value for v in values}) == len(values), facet
        for v in values:
            got = s.search(filtered(request, facet, v.value)).total
            assert got == v.count, (request.query, request.all_versions, facet, v.value, v.count, got)
            checked += 1
    return checked


@pytest.fixture(scope="module")
def searcher(ix):
    with Searcher(ix) as s:
        yield s


@pytest.mark.parametrize("all_versions", [False, True])
@pytest.mark.parametrize("query", ["", "tempête", "frappes OU banque", "agence:reuters"])
def test_every_value_counts_what_its_filter_finds(searcher, query, all_versions):
    request = SearchRequest(query, facets=FACETS, all_versions=all_versions, date_facet="month")
    assert check_facets(searcher, request) > 10


@given(word=st.sampled_from(["tempête", "séisme", "banque", "syrie", "élection", "grève", "moscou", "paris"]),
       all_versions=st.booleans(), bucket=st.sampled_from(["year", "month", "day"]))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_facet_counts_are_filter_counts(searcher, word, all_versions, bucket):
    check_facets(searcher, SearchRequest(word, facets=FACETS, all_versions=all_versions, date_facet=bucket))


def test_groups_by_default_stories_with_all_versions(searcher):
    groups = searcher.search(SearchRequest("", facets=("agency",)))
    stories = searcher.search(SearchRequest("", facets=("agency",), all_versions=True))
    assert sum(v.count for v in groups.facets["agency"]) == groups.total == 90
    assert sum(v.count for v in stories.facets["agency"]) == stories.total == 102


def _write(tmp_path: Path, stories: list[dict]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "stories.jsonl").write_text("\n".join(json.dumps(s, ensure_ascii=False) for s in stories) + "\n",
                                          encoding="utf-8")
    ix = tmp_path / "ix"
    build_index([corpus], ix, workers=1)
    return ix


def test_spellings_fold_into_one_value_and_missing_values_are_counted(tmp_path):
    day = "2020-03-0"
    ix = _write(tmp_path, [
        {"id": "a", "headline": "Epidémie à Pékin", "text": "Un texte.", "agency": "AFP", "date": day + "1",
         "places": ["PEKIN"], "authors": ["Marie Dupont", "Jean Martin"]},
        {"id": "b", "headline": "La Chine confine", "text": "Deux textes.", "agency": "afp", "date": day + "2",
         "places": ["Pékin"], "authors": ["Jean Martin"]},
        {"id": "c", "headline": "Pékin ferme ses écoles", "text": "Trois textes.", "agency": "AFP",
         "date": day + "3", "places": ["PEKIN"]},
        {"id": "d", "headline": "Un jour sans date", "text": "Quatre textes.", "agency": "Reuters"},
    ])
    with Searcher(ix) as s:
        page = s.search(SearchRequest("", facets=("places", "agency", "authors", "date")))
        places = {v.value: v.count for v in page.facets["places"]}
        assert places == {"PEKIN": 3, MISSING: 1}           # one value, in its most frequent spelling
        assert {v.value: v.count for v in page.facets["agency"]} == {"AFP": 3, "Reuters": 1}
        assert {v.value: v.count for v in page.facets["authors"]} == {"Jean Martin": 2, "Marie Dupont": 1,
                                                                      MISSING: 2}
        assert page.facets["date"][-1].value == NO_DATE and page.facets["date"][-1].count == 1
        assert page.facets["date"][-1].missing and not page.facets["date"][0].missing
        assert check_facets(s, SearchRequest("", facets=FACETS)) >= 8
        # A filter on names is a phrase inside one value, never across two:
        # "Dupont" ends one author and "Jean" starts the next.
        assert s.search(SearchRequest("", authors=("Dupont Jean",))).total == 0
        assert s.search(SearchRequest("", authors=("Marie Dupont",))).total == 1
        assert s.search(SearchRequest("", places=(MISSING, "pekin"))).total == 4
        assert s.search(SearchRequest("", undated=True, date_from="2020-03-02")).total == 3
        assert page.to_dict()["facets"]["places"] == {"PEKIN": 3, MISSING: 1}


def test_the_cli_counts_and_filters_the_missing_values(ix):
    from cli_run import run

    code, out, _ = run("facets", "--field", "version", "--index", ix, "--format", "json")
    values = json.loads(out)["values"]
    assert code == 0 and values[MISSING] > 0
    code, out, _ = run("search", "--version", MISSING, "--index", ix, "--format", "json")
    assert json.loads(out)["total"] == values[MISSING]
    code, out, _ = run("search", "--facets", "date", "--index", ix, "--format", "table")
    assert code == 0 and "story groups" in out


@pytest.mark.slow
@pytest.mark.skipif(not REALDATA.is_dir(), reason="needs the real stories in ../shared/realdata")
def test_real_stories_facets_tell_the_truth(tmp_path):
    ix = tmp_path / "ix"
    build_index([REALDATA], ix)
    with Searcher(ix) as s:
        corona = s.search(SearchRequest("coronavirus", facets=("agency",)))
        afp = {v.value: v.count for v in corona.facets["agency"]}["AFP"]
        assert afp == s.search(SearchRequest("coronavirus", agencies=("AFP",))).total
        places = {v.value: v.count for v in s.search(SearchRequest("", facets=("places",))).facets["places"]}
        pekin = [k for k in places if k.lower() in ("pekin", "pékin")]
        assert len(pekin) == 1 and places[pekin[0]] == s.search(SearchRequest("", places=("PEKIN",))).total
        dates = s.search(SearchRequest("", facets=("date",))).facets["date"]
        assert dates[-1].value == NO_DATE and dates[-1].count == s.search(SearchRequest("", undated=True)).total
        # Republished copies (tests/test_duplicates.py): OrangeSum's, left out by default.
        everything = s.search(SearchRequest("", all_versions=True, duplicates=True, limit=3000, snippets=False))
        copies = [h.story for h in everything.hits if h.story.duplicate_of]
        assert everything.total == 2365 and len(copies) == 29
        assert s.search(SearchRequest("", all_versions=True)).total == 2365 - 29
        for copy in copies[:5]:
            marks = [v.duplicate_of for v in s.versions(copy.id)]
            assert marks.count(None) >= 1 and copy.id in [v.id for v in s.versions(copy.id)]
        checked = 0
        for query in ("", "coronavirus", "france", "gouvernement", "orange"):
            for all_versions in (False, True):
                checked += check_facets(s, SearchRequest(query, facets=FACETS, all_versions=all_versions))
            checked += check_facets(s, SearchRequest(query, facets=FACETS, duplicates=True))
        assert checked > 200


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(10101, 99991231), st.integers(20120101, 20211231), st.integers(2012, 2021)),
                max_size=50))
def test_periods_are_tallied_as_numpy_would(values):
    """Date facets count periods with a bincount when they are close, a sort
    when not (a story dated year 1 beside today's): the same as np.unique."""
    from search.facets import _tally

    arr = np.array(values, dtype=np.int64)
    keys, counts = _tally(arr)
    expected = np.unique(arr, return_counts=True)
    assert keys.tolist() == expected[0].tolist() and counts.tolist() == expected[1].tolist()
