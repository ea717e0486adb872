"""Did you mean (issue 15): a wrong first letter, the user's case and the
corpus's accents, a far more frequent neighbour of a rare word."""

import pytest

from indexer.index.build import build_index
from search.results import SearchRequest
from search.searcher import Searcher
from search.suggest import in_case_of, sound_key


@pytest.fixture(scope="module")
def bundled(ix):
    with Searcher(ix) as s:
        yield s


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Eleven stories name Netanyahu, one Netanyahou; Pékin is written with its accent."""
    folder = tmp_path_factory.mktemp("suggest")
    corpus = folder / "corpus"
    corpus.mkdir()
    for n in range(11):
        (corpus / f"n{n}.txt").write_text(
            f"Benjamin Netanyahu en visite {n}\n\nJERUSALEM, 3 mars (Reuters) - Le Premier ministre "
            f"Benjamin Netanyahu s'est rendu à Pékin, numéro {n}.\n", encoding="utf-8")
    (corpus / "rare.txt").write_text(
        "Une seule graphie\n\nPARIS, 4 mars (Reuters) - Benjamin Netanyahou, écrit ainsi une fois.\n",
        encoding="utf-8")
    build_index([corpus], folder / "ix")
    with Searcher(folder / "ix") as s:
        yield s


def test_a_wrong_first_letter_is_fixed(bundled):
    page = bundled.search(SearchRequest("Olande"))
    assert page.total == 0
    assert page.suggestions[0] == "Hollande"


def test_the_suggestion_keeps_the_users_case(bundled):
    assert bundled.search(SearchRequest("Poutinne Lavrof")).suggestions[0] == "Poutine Lavrov"
    assert bundled.search(SearchRequest("poutinne lavrof")).suggestions[0] == "poutine lavrov"
    assert bundled.search(SearchRequest("olande")).suggestions[0] == "hollande"


def test_the_suggestion_has_the_corpus_accents(small):
    assert small.search(SearchRequest("Pekinn")).suggestions[0] == "Pékin"
    assert small.search(SearchRequest("PEKINN")).suggestions[0] == "PÉKIN"


def test_a_far_more_frequent_neighbour_is_offered_for_a_rare_word(small):
    page = small.search(SearchRequest("Netanyahou"))
    assert page.total == 1
    assert page.suggestions == ("Netanyahu",)
    # The frequent spelling is not "corrected" into the rare one.
    assert small.search(SearchRequest("Netanyahu")).suggestions == ()


def test_no_suggestion_for_another_form_of_the_same_word(bundled):
    assert bundled.search(SearchRequest("frappe")).suggestions == ()
    assert bundled.search(SearchRequest("syrie")).suggestions == ()


def test_sound_key_and_case():
    assert sound_key("olande") == sound_key("hollande")
    assert sound_key("netanyahou") == sound_key("netanyahu")
    assert sound_key("khadafi") == sound_key("kaddafi") == sound_key("kadhafi")
    assert in_case_of("Olande", "hollande") == "Hollande"
    assert in_case_of("PEKIN", "Pékin") == "PÉKIN"
