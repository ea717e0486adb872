"""The search API on the bundled corpus: operators, fields, dates, facets, versions."""

from __future__ import annotations

import pytest

from indexer.index.build import build_index
from indexer.formats import bundled_corpus
from search.checks import RequestError
from search.highlight import make_snippet, mark_spans
from search.query import QueryError
from search.results import SearchRequest
from search.searcher import Searcher, StoryNotFound

SEED = "782a30753b36d0c8"


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    ix = tmp_path_factory.mktemp("search") / "ix"
    build_index([bundled_corpus()], ix)
    with Searcher(ix) as s:
        yield s


def ids(searcher, query="", **kw):
    page = searcher.search(SearchRequest(query, limit=100, **kw))
    return [h.story.id for h in page.hits]


def headlines(searcher, query="", **kw):
    return [h.story.headline for h in searcher.search(SearchRequest(query, limit=100, **kw)).hits]


@pytest.mark.parametrize("query", [
    "dair az zour", "Daïr az Zour", "DAÏR AZ ZOUR", "etat islamique", "l’État islamique",
    "frappe aerienne", "frappes aériennes", "importantes", "porte parole", "porte-parole",
    "Su-34", "su 34", "Choigou", "Choïgou",
])
def test_words_match_whatever_accents_case_elision_inflection(searcher, query):
    assert SEED in ids(searcher, query)


def test_boolean_operators_english_and_french(searcher):
    syrie, iran = set(ids(searcher, "syrie")), set(ids(searcher, "iran"))
    assert syrie and iran
    assert set(ids(searcher, "syrie OU iran")) == set(ids(searcher, "syrie OR iran")) == syrie | iran
    assert set(ids(searcher, "syrie ET iran")) == set(ids(searcher, "syrie AND iran")) == syrie & iran
    assert set(ids(searcher, "syrie iran")) == syrie & iran  # AND by default
    russie = set(ids(searcher, "russie"))
    for q in ("syrie SAUF russie", "syrie NOT russie", "syrie NON russie", "syrie -russie"):
        assert set(ids(searcher, q)) == syrie - russie, q
    assert set(ids(searcher, "+syrie")) == syrie
    assert set(ids(searcher, "(syrie OU iran) ET russie")) == (syrie | iran) & russie
    assert set(ids(searcher, "syrie ET NON russie")) == syrie - russie


def test_phrases_proximity_truncation_fuzzy(searcher):
    assert SEED in ids(searcher, '"frappes aériennes"')
    assert SEED not in ids(searcher, '"aériennes frappes"')
    assert SEED in ids(searcher, '"russes frappes"~6')          # in any order, within 6 words
    assert SEED not in ids(searcher, '"Poutine Lavrov"~1')
    assert SEED in ids(searcher, "Soldat*") or SEED in ids(searcher, "rebel*")
    assert SEED in ids(searcher, "rebel*")
    assert SEED in ids(searcher, "Poutinne~")
    assert SEED in ids(searcher, "Peskof~")


@pytest.mark.parametrize("query", [
    "agence:reuters syrie", "agency:REUTERS syrie", "traducteur:rouquie", "translator:Rouquié",
    "auteur:davison", "author:\"john davison\"", "lieu:moscou", "place:MOSCOU", "titre:russie",
    "headline:rebelles", "version:actualise", "version:actualisé", "service:\"service français\" syrie",
])
def test_field_filters_in_english_and_french(searcher, query):
    assert SEED in ids(searcher, query, all_versions=True)


def test_field_filters_exclude(searcher):
    assert SEED not in ids(searcher, "agence:afp")
    assert SEED not in ids(searcher, "titre:frappes")  # only in the body
    assert all(h.startswith(("Tempête", "La BCE")) or True for h in headlines(searcher, "version:refonte"))
    assert len(ids(searcher, "version:refonte", all_versions=True)) == 2


@pytest.mark.parametrize("query, expected", [
    ("date:2015-11-20", True), ("date:2015-11", True), ("date:2015", True),
    ("date:[2015-11-01 TO 2015-11-30]", True), ("date:2015-11-01..2015-11-30", True),
    ("date:2015-11-20..", True), ("date:..2015-11-20", True), ("date:[2015-11-21 TO]", False),
    ("date:2014", False), ("date:..2015-11-19", False),
])
def test_date_forms(searcher, query, expected):
    assert (SEED in ids(searcher, f"syrie {query}")) is expected


@pytest.mark.parametrize("query, where, what", [
    ("(syrie", 0, "never closed"), ("a (b (c) d", 2, "never closed"), ("syrie)", 5, "closes no ("), ('"syrie', 0, "never closed"),
    ("foo:bar", 0, "unknown field 'foo'"), ("date:2015-13", 0, "no month 13"),
    ("date:hier", 0, "is not a date"), ("date:[2016 TO 2015]", 0, "starts after it ends"),
    ("syrie ET", 6, "needs something after"), ("OU syrie", 0, "needs something before"),
    ("agence:", 0, "needs a value"), ("le la les", None, "nothing to search for"),
    ("SAUF SAUF syrie", 0, "needs something after"),
])
def test_malformed_queries_say_what_and_where(searcher, query, where, what):
    with pytest.raises(QueryError) as info:
        searcher.search(SearchRequest(query))
    assert info.value.position == where
    assert what in str(info.value)


def test_empty_query_lists_everything_newest_first(searcher):
    page = searcher.search(SearchRequest("", limit=100))
    assert page.sort == "-date" and page.total == 90
    dates = [h.story.date for h in page.hits]
    assert dates == sorted(dates, reverse=True)
    oldest = searcher.search(SearchRequest("", sort="date", limit=3))
    assert oldest.hits[0].story.date == "2008-11-03"


def test_relevance_ranks_headline_matches_first(searcher):
    page = searcher.search(SearchRequest("tempête"))
    assert page.hits[0].story.headline.startswith("Tempête")
    scores = [h.score for h in page.hits]
    assert scores == sorted(scores, reverse=True)


def test_versions_collapse_to_the_latest_with_a_count(searcher):
    page = searcher.search(SearchRequest("bretagne tempête", agencies=("AFP",), date_from="2016"))
    [hit] = page.hits
    assert (hit.story.version, hit.versions) == ("refonte", 3)
    every = searcher.search(SearchRequest("bretagne tempête", agencies=("AFP",), date_from="2016",
                                          all_versions=True))
    assert every.total == 3 and {h.story.version for h in every.hits} == {"urgent", "actualisé", "refonte"}
    chain = searcher.versions(every.hits[-1].story.id)
    assert [s.version for s in chain] == ["urgent", "actualisé", "refonte"]
    assert len({s.id for s in chain}) == 3


def test_filters_paging_and_facets(searcher):
    req = SearchRequest("", translators=("rouquie",), facets=("agency", "translators", "places", "date"))
    page = searcher.search(req)
    assert {h.story.agency for h in page.hits} == {"Reuters"}
    assert all(any("Rouquié" in t for t in h.story.translators) for h in page.hits)
    facets = {name: {v.value: v.count for v in values} for name, values in page.facets.items()}
    assert facets["agency"] == {"Reuters": 4}
    assert facets["translators"]["Danielle Rouquié"] == 4
    assert set(facets["date"]) <= {"2014", "2015", "2016"}
    by_month = searcher.search(SearchRequest("", agencies=("afp",), facets=("date",), date_facet="month"))
    assert {v.value for v in by_month.facets["date"]} >= {"2016-02", "2008-11"}
    first = searcher.search(SearchRequest("", limit=10, page=1))
    second = searcher.search(SearchRequest("", limit=10, page=2))
    assert first.pages == 9 and not {h.story.id for h in first.hits} & {h.story.id for h in second.hits}
    dated = searcher.search(SearchRequest("", date_from="2016-02", date_to="2016-06", limit=100))
    assert all("2016-02-01" <= h.story.date <= "2016-06-30" for h in dated.hits) and dated.total


def test_drill_down_facets_count_the_filtered_set(searcher):
    everything = searcher.search(SearchRequest("", facets=("agency",)))
    afp = searcher.search(SearchRequest("", agencies=("AFP",), facets=("agency", "places")))
    assert {v.value for v in afp.facets["agency"]} == {"AFP"}
    # Counted as the results are: the 90 story groups, or the 102 stories
    # ((none) counts the newspaper articles, which have no agency).
    assert sum(v.count for v in everything.facets["agency"]) == 90 == everything.total
    stories = searcher.search(SearchRequest("", facets=("agency",), all_versions=True))
    assert sum(v.count for v in stories.facets["agency"]) == 102 == stories.total


def test_did_you_mean(searcher):
    page = searcher.search(SearchRequest("Poutinne Lavrof"))
    assert page.total == 0
    assert "Poutine Lavrov" in [s.title() for s in page.suggestions] or any(
        "poutine" in s.lower() and "lavrov" in s.lower() for s in page.suggestions)
    assert searcher.search(SearchRequest("syrie")).suggestions == ()


@pytest.mark.parametrize("query", ["version:flash", "syr?e", "agence:reuterz frappes", "poutinn*"])
def test_no_spelling_suggestion_for_field_names_values_or_wildcards(searcher, query):
    page = searcher.search(SearchRequest(query))
    assert page.total < 3
    assert page.suggestions == ()


def test_snippets_mark_the_original_accented_words(searcher):
    hit = searcher.search(SearchRequest("frappe aerienne")).hits[0]
    marked = [hit.snippet[a:b] for a, b in hit.highlights]
    assert "aériennes" in marked and ("frappes" in marked or "frappe" in marked)
    spans = mark_spans("L’État islamique", {"etat"}, set())
    assert spans == [(2, 6)]
    snippet, marks = make_snippet("a " * 300 + "cible " + "b " * 300, [(600, 605)])
    assert len(snippet) < 300 and snippet[marks[0][0]:marks[0][1]] == "cible"


def test_similar_stories(searcher):
    hits = searcher.similar(SEED, 5)
    assert hits and all(h.story.id != SEED for h in hits)
    assert any("Poutine" in (h.story.headline or "") or "Lavrov" in h.story.body for h in hits)


def test_request_errors(searcher):
    with pytest.raises(RequestError, match="sort"):
        searcher.search(SearchRequest("x", sort="random"))
    with pytest.raises(RequestError, match="facet"):
        searcher.search(SearchRequest("x", facets=("colour",)))
    with pytest.raises(RequestError, match="after"):
        searcher.search(SearchRequest("", date_from="2016", date_to="2015"))
    with pytest.raises(StoryNotFound):
        searcher.get("nope")


def test_an_empty_index_answers_with_an_empty_page(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    build_index([empty], tmp_path / "ix")
    with Searcher(tmp_path / "ix") as s:
        for request in (SearchRequest(""), SearchRequest("syrie", facets=("agency", "date"), sort="date")):
            page = s.search(request)
            assert page.total == 0 and page.hits == ()
