"""The indexing fast path gives exactly the postings of Whoosh's own path."""

from __future__ import annotations

from whoosh import formats

import indexer.backend.patches as fixes
from indexer.analysis import FrenchStopFilter, FrenchTokenizer, french_analyzer
from indexer.formats import bundled_corpus, read_corpus
from indexer.index.schema import build_schema, story_document

fixes.install()  # the fast path is one of the fixes, installed explicitly

ODD = [
    "", "   ", "L'État d’urgence, aujourd'hui à Dair az-Zour : 1 200 morts (AFP)",
    "Œuvres d'art; l’ Europe; qu'il; jusqu’à; prud’hommes; presqu'île; quelqu'un",
    "a b c d e 1 2 3 x'y ''' ’’ l' l", "Ｆｕｌｌｗｉｄｔｈ ÉTÉ été Été e\u0301te\u0301 ß ﬁn",
    "Москва 北京 Αθήνα", "porte-parole porte parole le porte-parole", "1er 2e XXe s.",
]


def _values(text):
    return [text, text.upper(), text * 3]


def test_fast_path_equals_whoosh_for_every_field_of_the_bundled_corpus():
    schema = build_schema()
    docs = [story_document(s, s.id, "f", "st") for r in read_corpus([bundled_corpus()]) for s in r.stories]
    assert docs
    compared = 0
    for doc in docs + [{"headline": t, "body": t, "words": t, "places": t} for t in ODD]:
        for name, value in doc.items():
            if name not in schema.names() or not isinstance(value, str):
                continue
            field = schema[name]
            if not field.indexed or type(field.format) not in (formats.Positions, formats.Existence):
                continue
            original = (fixes._positions_word_values if type(field.format) is formats.Positions
                        else fixes._existence_word_values)
            fast = sorted(field.format.word_values(value, field.analyzer, mode="index"))
            slow = sorted(original(field.format, value, field.analyzer, mode="index"))
            assert fast == slow, (name, value[:80])
            compared += 1
    assert compared > 500


def test_other_analyzers_and_options_take_whooshs_path():
    from whoosh.analysis import StandardAnalyzer

    fmt = formats.Positions()
    for analyzer in (StandardAnalyzer(), FrenchTokenizer() | FrenchStopFilter()):
        assert sorted(fmt.word_values("Les Frappes", analyzer, mode="index")) == \
            sorted(fixes._positions_word_values(fmt, "Les Frappes", analyzer, mode="index"))
    # A list of words (pre-tokenized values) is Whoosh's business too.
    assert sorted(fmt.word_values(["a", "b"], french_analyzer(), mode="index")) == \
        sorted(fixes._positions_word_values(fmt, ["a", "b"], french_analyzer(), mode="index"))


def test_text_terms_are_the_analyzer_chains_terms():
    """The one text-to-terms path gives what the Whoosh analyzers give (text and names fields)."""
    from indexer.analysis import text_terms

    texts = [t for r in read_corpus([bundled_corpus()]) for s in r.stories for t in (s.headline or "", s.body)]
    for text in texts + ODD:
        assert text_terms(text, "light") == [t.text for t in french_analyzer()(text)]
        assert text_terms(text, None) == [t.text for t in FrenchTokenizer()(text)]


def _postings(items):
    return sorted(list(item) for item in items)


def test_field_items_are_whooshs_postings_for_every_field_of_the_bundled_corpus():
    """field_items (term bytes from the raw-word caches) gives exactly what
    Whoosh's own FieldType.index gives, on Whoosh's own analysis path:
    text fields, names fields with one name a line, the words field."""
    from indexer.index.fastindex import field_items

    schema = build_schema()
    docs = [story_document(s, s.id, "f", "st") for r in read_corpus([bundled_corpus()]) for s in r.stories]
    names = "\n".join(ODD) + "\n\n\nLe Caire\n  \nNew York\n"
    odd = [{"headline": t, "body": t, "lead": t, "words": t + "\n" + t, "places": t, "authors": names}
           for t in ODD + [names]]
    kinds = set()
    compared = 0
    for doc in docs + odd:
        for name, value in doc.items():
            if name not in schema.names() or not schema[name].indexed:
                continue
            field = schema[name]
            fast = field_items(field, value)
            if fast is None:
                continue
            kinds.add(type(field.format).__name__)
            with fixes.unpatched():
                slow = list(field.index(value))
            assert _postings(fast) == _postings(slow), (name, value[:80])
            compared += 1
    assert kinds == {"Positions", "Existence"} and compared > 1000


def test_field_items_leave_other_fields_to_whoosh():
    from indexer.index.fastindex import field_items

    schema = build_schema()
    for name in ("id", "date", "version_rank", "agency_facet", "file"):
        assert field_items(schema[name], "x") is None, name
    assert field_items(schema["body"], ["a", "b"]) is None  # pre-tokenized values


def test_a_names_gap_keeps_phrases_inside_one_name():
    from indexer.index.fastindex import slot_bytes

    assert slot_bytes("Le Caire\n\nParis", None, gap=3) == [b"le", b"caire", None, None, None, b"paris"]
    assert slot_bytes("\nParis\n", None, gap=3) == [b"paris"]
