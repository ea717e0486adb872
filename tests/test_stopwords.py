"""Stop words that are nouns stay searchable (issue 15)."""

from pathlib import Path

import pytest

from bench import stopword_nouns
from indexer.analysis import analyze, french_analyzer
from indexer.analysis.stopwords import NOUN_HOMOGRAPHS, STOP_CANDIDATES, STOP_WORDS

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


@pytest.mark.parametrize("word, term", [("avions", "avion"), ("Avions", "avion"), ("sommes", "somm"),
                                        ("ton", "ton")])
def test_nouns_of_the_stop_list_are_indexed(word, term):
    assert analyze(word) == [term]


def test_avion_and_avions_are_one_term():
    assert analyze("avion") == analyze("avions") == analyze("l’avion")


def test_function_words_around_the_nouns_are_still_stopped():
    assert analyze("nous avons des avions de combat") == ["avion", "combat"]
    assert analyze("les autres, le plus, le même") == []


def test_a_phrase_with_a_noun_of_the_stop_list_keeps_it():
    tokens = [(t.text, t.pos) for t in french_analyzer()("avions de combat", positions=True)]
    assert tokens == [("avion", 0), ("combat", 2)]  # "de" keeps its slot


def test_the_stop_list_is_the_candidates_without_the_nouns():
    assert NOUN_HOMOGRAPHS <= STOP_CANDIDATES
    assert STOP_WORDS == STOP_CANDIDATES - NOUN_HOMOGRAPHS


def test_the_measure_counts_words_after_determiners():
    counts = stopword_nouns.count_after_determiners(
        ["Les avions que nous avions vus", "des avions " * 4, "un avion " * 5, "le plus, la plus, le plus " * 2])
    rows = {r.word: r for r in stopword_nouns.measure(counts, ["avions", "plus"])}
    assert (rows["avions"].count, rows["avions"].after, rows["avions"].singular) == (6, 5, "avion")
    assert rows["avions"].noun  # its singular takes masculine determiners only
    assert rows["plus"].after == 6 and rows["plus"].one_gender == pytest.approx(2 / 3)
    assert not rows["plus"].noun


@pytest.mark.skipif(not REALDATA.is_dir(), reason="needs ../shared/realdata")
def test_the_kept_nouns_are_the_ones_the_real_stories_use_as_nouns():
    stories = stopword_nouns.load_stories(REALDATA)
    found = stopword_nouns.nouns_in(t for s in stories for t in (s.headline, s.text))
    assert found == NOUN_HOMOGRAPHS
    assert {"avions", "sommes"} <= found
    assert not found & {"plus", "autres", "meme", "moins", "les", "est"}


@pytest.mark.skipif(not REALDATA.is_dir(), reason="needs ../shared/realdata")
def test_the_measure_prints_its_figures(capsys):
    assert stopword_nouns.main(["--data", str(REALDATA)]) == 0
    out = capsys.readouterr().out
    assert "avions" in out and "sommes" in out and "%" in out
