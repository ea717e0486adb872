"""A word that matches nothing: its other forms, else a relaxed result (issue 15)."""

import json

import pytest

from search.relax import Relaxation, other_forms
from search.results import SearchRequest
from search.searcher import Searcher
from tests.cli_run import run


@pytest.fixture(scope="module")
def searcher(ix):
    with Searcher(ix) as s:
        yield s


@pytest.mark.parametrize("typed, form", [("secour", "secours"), ("discour", "discours"),
                                         ("Secour", "secours")])
def test_a_form_absent_from_the_index_is_searched_in_the_form_it_holds(searcher, typed, form):
    page = searcher.search(SearchRequest(typed))
    assert page.total > 0
    assert page.total == searcher.search(SearchRequest(form)).total
    assert page.relaxation.replaced == ((typed, form),) and not page.relaxation.relaxed
    assert f"{typed} matched nothing: searched {form} instead" == page.relaxation.message()
    # The words marked in the snippets are the form searched.
    hit = page.hits[0]
    assert any(hit.snippet[a:b].lower() == form for a, b in hit.highlights)


def test_a_word_present_in_the_index_is_never_replaced(searcher):
    page = searcher.search(SearchRequest("secours"))
    assert page.relaxation is None


def test_a_word_with_no_form_in_the_index_is_named_and_the_rest_relaxed(searcher):
    plain = searcher.search(SearchRequest("secours"))
    page = searcher.search(SearchRequest("secours zorglubien"))
    assert page.relaxation.missing == ("zorglubien",) and page.relaxation.relaxed
    assert page.total == plain.total
    assert [h.story.id for h in page.hits] == [h.story.id for h in plain.hits]
    assert "zorglubien matched nothing: showing the stories with most of the words (relaxed)" \
        in page.relaxation.message()


def test_the_relaxed_result_has_the_most_words_first_and_keeps_the_filters(searcher):
    page = searcher.search(SearchRequest("secours syrie zorglubien", all_versions=True))
    both = searcher.search(SearchRequest("secours syrie", all_versions=True))
    if both.total:
        assert {h.story.id for h in page.hits} == {h.story.id for h in both.hits}
    filtered = searcher.search(SearchRequest("secours zorglubien", agencies=("AFP",)))
    assert all(h.story.agency == "AFP" for h in filtered.hits)


def test_a_lone_word_with_no_form_finds_nothing_and_says_so(searcher):
    page = searcher.search(SearchRequest("zorglubien"))
    assert page.total == 0 and page.relaxation.missing == ("zorglubien",)
    assert not page.relaxation.relaxed


def test_negated_words_are_left_alone(searcher):
    page = searcher.search(SearchRequest("secours SAUF zorglubien"))
    assert page.relaxation is None or "zorglubien" not in page.relaxation.message()
    assert page.total == searcher.search(SearchRequest("secours")).total


def test_other_forms_add_or_take_off_an_s_or_an_x():
    assert "secours" in other_forms("secour")
    assert "abus" in other_forms("abu")
    assert "plus" not in other_forms("plu")  # a stop word is no other form


def test_relaxation_says_what_it_did_in_one_line():
    r = Relaxation((("secour", "secours"),), ("zorglub",), True)
    assert "\n" not in r.message() and bool(r) and not Relaxation()
    assert r.to_dict()["replaced"] == {"secour": "secours"}


def test_the_cli_says_it_on_one_line(ix):
    code, out, err = run("search", "secour", "--index", ix, "--format", "json")
    assert code == 0
    assert json.loads(out)["relaxation"]["replaced"] == {"secour": "secours"}
    assert err == "depeche: secour matched nothing: searched secours instead\n"
    code, out, err = run("search", "secours", "--index", ix, "--format", "json")
    assert json.loads(out)["relaxation"] is None and err == ""
    code, out, err = run("search", "secour", "--index", ix, "--format", "table")
    assert "secour matched nothing: searched secours instead" in out and err == ""
