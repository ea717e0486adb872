"""Tests of the French analysis (indexer/analysis/)."""

import doctest
import json
import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from indexer import analysis
from indexer.analysis import (
    STOP_WORDS,
    analyze,
    french_analyzer,
    stem_light,
)

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"

# Words that have tripped French analyzers: accents, ligatures, elisions with
# every apostrophe, decomposed accents, other scripts, hyphens.
TRICKY_WORDS = [
    "été", "Été", "ÉTÉ", "ete", "aérienne", "Aériennes", "généraux", "Œuvre",
    "cœur", "œufs", "Lætitia", "ex-æquo", "l'État", "l’État", "lʼÉtat",
    "l‘Etat", "l′État", "d’importantes", "D'IMPORTANTES", "aujourd’hui",
    "Aujourd'hui", "AUJOURD’HUI", "jusqu’à", "lorsqu'il", "Puisqu’elle",
    "quoiqu'on", "qu’il", "presqu’île", "prud’hommes", "quelqu'un",
    "porte-parole", "Su-34", "Daïr", "naïve", "Noël", "Ørsted", "Łódź",
    "straße", "İstanbul", "ﬁnance", "e\u0301te\u0301", "Pe\u0301kin",
    "Ça", "ÇA", "garçon", "Réunion", "Mélenchon", "Zoë", "Hélène", "Raphaël",
    "Ἀθῆναι", "Москва", "北京", "½", "m²", "under_score", "O'Brien",
    "Côte-d'Ivoire", "mi-mars", "c’est-à-dire", "l'", "’", "-",
]


def _corpus_vocabulary():
    """Distinct words (letters, digits, inner apostrophes and hyphens) of realdata."""
    word = re.compile(r"[\w'’ʼ‘′-]+")
    vocabulary = set()
    for path in sorted(REALDATA.glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    text = f"{record.get('headline') or ''}\n{record.get('text') or ''}"
                    vocabulary.update(word.findall(text))
    return sorted(vocabulary)


CORPUS_VOCABULARY = _corpus_vocabulary()
VOCABULARY = sorted(set(TRICKY_WORDS) | set(CORPUS_VOCABULARY))


def _same_everywhere(word):
    expected = analyze(word)
    assert analyze(unidecode(word)) == expected, word
    assert analyze(unidecode(word).upper()) == expected, word
    assert analyze(word.lower()) == expected, word
    # Upper case, where it is a change of case only: the micro sign µ
    # upper-cases to the Greek letter Μ, which unidecode spells "M", not "u".
    if word.upper().lower() == word.lower():
        assert analyze(word.upper()) == expected, word


# ---------------------------------------------------------------------------
# Accent and case insensitivity


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(VOCABULARY))
def test_accents_and_case_never_matter_for_vocabulary_words(word):
    _same_everywhere(word)


@pytest.mark.skipif(not CORPUS_VOCABULARY, reason="no ../shared/realdata")
def test_accents_and_case_never_matter_for_every_corpus_word():
    for word in CORPUS_VOCABULARY:
        _same_everywhere(word)


_ALPHABET = "aeiouyclnst ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸàâäçéèêëîïôöùûüÿœŒæÆ'’ʼ-\u00a0\u202f\u0301"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=30))
def test_accents_and_case_never_matter_for_french_like_text(text):
    _same_everywhere(text)


def test_decomposed_accents_fold_like_composed_ones():
    assert analyze("e\u0301te\u0301 a\u0300 Pe\u0301kin") == analyze("été à Pékin")


# ---------------------------------------------------------------------------
# Elision and apostrophes


@pytest.mark.parametrize(
    "text, query",
    [
        ("l'Etat islamique", "etat islamique"),
        ("l’État islamique", "etat islamique"),
        ("d’importantes", "importantes"),
        ("d'importantes", "importantes"),
        ("jusqu’à l’aube", "aube"),
        ("lorsqu'il", ""),
        ("Puisqu’elle", ""),
        ("quoiqu'on", ""),
        ("qu’Erdogan", "Erdogan"),
        ("c'était", ""),
        ("n’avait", "avait"),
        ("s’engage", "engage"),
        ("m'a dit", "dit"),
        ("t’aime", "aime"),
        ("j'accuse", "accuse"),
        ("lʼOTAN", "OTAN"),
    ],
)
def test_elisions_are_dropped(text, query):
    assert analyze(text) == analyze(query)


def test_no_elision_fragment_is_indexed():
    terms = analyze("lorsqu'il jusqu'au puisqu’elle quoiqu'on qu'il l'a d'un")
    assert terms == []


@pytest.mark.parametrize("text", ["aujourd’hui", "aujourd'hui", "Aujourd’hui", "AUJOURD'HUI"])
def test_aujourdhui_is_one_term(text):
    assert analyze(text) == ["aujourdhui"]
    assert analyze("aujourdhui") == ["aujourdhui"]


def test_elision_keeps_the_word_offsets():
    text = "l’État"
    [token] = list(french_analyzer()(text, chars=True))
    assert text[token.startchar:token.endchar] == "État"


# ---------------------------------------------------------------------------
# Stop words


@pytest.mark.parametrize("word", ["les", "Les", "des", "dès", "du", "au", "aux", "le", "la", "là",
                                  "à", "où", "de", "un", "une", "et", "qui", "que", "dans"])
def test_french_function_words_are_stopped(word):
    assert analyze(word) == []


@pytest.mark.parametrize("word", ["the", "and", "of", "to", "is", "us", "may", "for", "with",
                                  "this", "that", "was", "be", "it", "by", "from"])
def test_english_words_are_not_stop_words(word):
    assert word not in STOP_WORDS
    assert analyze(word) != []


def test_stop_words_apply_after_folding():
    assert analyze("où") == analyze("ou") == []
    assert analyze("à") == analyze("a") == []
    assert analyze("été") == analyze("ete") == ["ete"]  # été is also "summer"
    assert analyze("Le Pen") == ["pen"]


def test_stop_words_are_folded():
    assert all(word.isascii() and word == word.lower() for word in STOP_WORDS)


def test_removestops_false_marks_stop_words_for_highlighting():
    tokens = [(t.text, t.stopped) for t in french_analyzer()("les frappes", removestops=False)]
    assert tokens == [("les", True), ("frapp", False)]


# ---------------------------------------------------------------------------
# Stemming


@pytest.mark.parametrize(
    "forms",
    [
        "frappe frappes frappé frappée frappés",
        "aérien aérienne aériens aériennes",
        "général générale généraux générales",
        "national nationale nationaux nationales",
        "travail travaux",
        "cheval chevaux",
        "nouveau nouvel nouvelle nouveaux nouvelles",
        "heureux heureuse heureuses",
        "beau belle beaux belles",
        "directeur directrice directeurs directrices",
        "chanteur chanteuse chanteurs chanteuses",
        "européen européenne européens européennes",
        "bon bonne bons bonnes",
        "actif active actifs actives",
        "premier première premiers premières",
        "public publique publics publiques",
        "élu élue élus élues",
        "blessé blessée blessés blessées",
        "marié mariée mariés mariées",
        "uni unie unis unies",
        "repris reprise reprises",
        "français française françaises",
        "jeu jeux",
        "Etat Etats",
        "lancé lancée lancés lancées",
        "marqué marquée marque marquées",
    ],
)
def test_number_and_gender_are_conflated(forms):
    stems = {tuple(analyze(word)) for word in forms.split()}
    assert len(stems) == 1, stems


@pytest.mark.parametrize(
    "first, second",
    [
        ("Marie", "mari"),
        ("partie", "parti"),
        ("France", "franc"),
        ("mère", "mer"),
        ("Paris", "pari"),
        ("cours", "cour"),
        ("fois", "foi"),
        ("crise", "cri"),
        ("Anne", "année"),
        ("Rome", "Roms"),
        ("armée", "arbre"),
    ],
)
def test_distinct_words_stay_distinct(first, second):
    assert analyze(first) != analyze(second)


def test_marie_is_not_overstemmed():
    assert analyze("Marie") == ["marie"]
    assert stem_light("marie") == "marie"


@pytest.mark.parametrize("name", ["Macron", "Fillon", "Merkel", "Obama", "Kerviel", "Assad",
                                  "Paris", "Marie", "Bachar", "Betancourt", "Sarkozy"])
def test_proper_names_survive(name):
    assert analyze(name) == [unidecode(name).lower()]


def test_short_words_and_numbers_are_not_stemmed():
    assert analyze("bus gaz 2015 1er G20") == ["bus", "gaz", "2015", "1er", "g20"]


# ---------------------------------------------------------------------------
# Hyphens, numbers, ligatures, spaces


def _terms_and_positions(text):
    return [(t.text, t.pos) for t in french_analyzer()(text, positions=True)]


@pytest.mark.parametrize(
    "hyphenated, spaced",
    [
        ("porte-parole", "porte parole"),
        ("Su-34", "Su 34"),
        ("Jean-Marie Le Pen", "Jean Marie Le Pen"),
        ("le porte-parole du Kremlin", "le porte parole du Kremlin"),
        ("Etats-Unis", "Etats Unis"),
        ("porte‑parole", "porte parole"),  # non-breaking hyphen
    ],
)
def test_hyphenated_words_match_with_or_without_hyphen(hyphenated, spaced):
    assert _terms_and_positions(hyphenated) == _terms_and_positions(spaced)


def test_stop_words_keep_their_position_slots():
    """Issue 15: distances count every word, stop words included (the
    elided article is part of its word and takes no slot)."""
    assert _terms_and_positions("le porte-parole") == [(t, p + 1) for t, p in _terms_and_positions("porte-parole")]
    assert [pos for _, pos in _terms_and_positions("Dans l'Etat islamique")] == [1, 2]
    assert _terms_and_positions("ministre de la santé") == [("ministr", 0), ("sant", 3)]


def test_numbers_are_kept():
    assert analyze("Su-34") == ["su", "34"]
    assert analyze("en 2015") == ["2015"]


@pytest.mark.parametrize("text, folded", [("cœur", "coeur"), ("Œuvre", "oeuvre"),
                                           ("Lætitia", "laetitia"), ("ŒUFS", "oeufs")])
def test_ligatures_are_spelled_out(text, folded):
    assert analyze(text) == analyze(folded)


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009", "\t", "\n"])
def test_non_breaking_spaces_separate_words(space):
    assert analyze(f"Daïr{space}az{space}Zour") == ["dair", "az", "zour"]


# ---------------------------------------------------------------------------
# Tokens: offsets and positions


def test_chars_and_positions_point_at_the_original_words():
    text = "Les frappes aériennes d’aujourd’hui sur Daïr\u00a0az-Zour"
    tokens = [(t.text, t.pos, text[t.startchar:t.endchar])
              for t in french_analyzer()(text, positions=True, chars=True)]
    assert tokens == [
        ("frapp", 1, "frappes"),  # "Les" and "sur" keep their slots (issue 15)
        ("aerien", 2, "aériennes"),
        ("aujourdhui", 3, "aujourd’hui"),
        ("dair", 5, "Daïr"),
        ("az", 6, "az"),
        ("zour", 7, "Zour"),
    ]


def test_start_char_and_start_pos_are_honoured():
    [token] = list(french_analyzer()("été", chars=True, positions=True, start_char=10, start_pos=4))
    assert (token.startchar, token.endchar, token.pos) == (10, 13, 4)


def test_analyze_returns_plain_strings():
    terms = analyze("frappes aériennes")
    assert terms == ["frapp", "aerien"]
    assert all(type(term) is str for term in terms)


def test_untokenized_value_is_folded_whole():
    [token] = list(french_analyzer()("Été", tokenize=False))
    assert token.text == "ete"


# ---------------------------------------------------------------------------
# Pickling and a real index


def test_analyzer_pickles_and_unpickles():
    analyzer = french_analyzer()
    restored = pickle.loads(pickle.dumps(analyzer))
    assert restored == analyzer
    text = "Les frappes aériennes de l’État islamique, aujourd’hui"
    assert [t.text for t in restored(text)] == analyze(text)


def test_schema_with_the_analyzer_survives_an_index_round_trip(tmp_path):
    from whoosh import fields, index
    from whoosh.qparser import QueryParser

    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(analyzer=french_analyzer()))
    ix = index.create_in(tmp_path, schema)
    with ix.writer() as writer:
        writer.add_document(id="1", body="Nouvelles frappes aériennes sur l’État islamique")
        writer.add_document(id="2", body="Le porte-parole du Kremlin s'est exprimé aujourd'hui")
    reopened = index.open_dir(tmp_path)
    parser = QueryParser("body", reopened.schema)
    with reopened.searcher() as searcher:
        def ids(query):
            return [hit["id"] for hit in searcher.search(parser.parse(query))]

        assert ids("etat islamique") == ["1"]
        assert ids("frappe aerienne") == ["1"]
        assert ids('"porte parole"') == ["2"]
        assert ids("aujourd’hui") == ["2"]


def test_module_examples_run():
    result = doctest.testmod(analysis)
    assert result.attempted > 0
    assert result.failed == 0


def _analyzer_spans(text):
    return [(t.startchar, t.endchar, t.text) for t in french_analyzer()(text, chars=True, removestops=False)]


@given(st.lists(st.sampled_from(TRICKY_WORDS + list(_ALPHABET) + [" ", ".", ", "]), max_size=30).map("".join))
@settings(max_examples=300, deadline=None)
def test_word_spans_agree_with_the_analyzer(text):
    """Highlighting (word_spans) marks exactly the words the index holds."""
    assert [(s, e, term) for s, e, _, term in analysis.word_spans(text)] == _analyzer_spans(text)


def test_word_spans_agree_with_the_analyzer_on_tricky_words():
    text = " ".join(TRICKY_WORDS) + " Les frappes aériennes d’aujourd’hui, l'armée."
    assert [(s, e, term) for s, e, _, term in analysis.word_spans(text)] == _analyzer_spans(text)
