"""Indexing fast path: the terms of a field without Whoosh's token machinery.

Whoosh indexes a field by running its analyzer, a chain of generators that
pass one Token along, word by word, then counting positions per term
(``Format.word_values``); for Dépêche's French analyzers that was about a
quarter of an indexing run's CPU time. :func:`indexer.analysis.text_terms`
gives the same terms in the same order from a cache of each distinct raw
word's terms.
:mod:`indexer.backend.patches` makes the ``Positions`` and ``Existence``
formats use it for exactly these analyzers (:func:`fast_path_stemmer`); any
other analyzer, or a call with other options, takes Whoosh's own path.
tests/test_fastindex.py checks both paths give the same postings.
"""

from __future__ import annotations

from indexer.analysis import STEMMERS, FrenchStemFilter, FrenchStopFilter, FrenchTokenizer, text_slots, text_terms


def fast_path_stemmer(analyzer) -> tuple[bool, str | None]:
    """(True, stemmer) when :func:`~indexer.analysis.text_terms` reproduces ``analyzer``: a
    bare FrenchTokenizer (stemmer None), or the tokenizer, stop and stem
    filters of ``french_analyzer``; (False, None) for anything else."""
    if type(analyzer) is FrenchTokenizer:
        return True, None
    items = getattr(analyzer, "items", None)
    if (type(analyzer).__name__ == "CompositeAnalyzer" and items is not None and len(items) == 3
            and type(items[0]) is FrenchTokenizer and type(items[1]) is FrenchStopFilter
            and type(items[2]) is FrenchStemFilter and items[2].stemmer in STEMMERS):
        return True, items[2].stemmer
    return False, None


def fast_texts(value, analyzer, kwargs) -> list[str] | None:
    """The terms of ``value`` in position order, or None off the fast path."""
    if not isinstance(value, str) or any(k != "mode" for k in kwargs):
        return None
    ok, stemmer = fast_path_stemmer(analyzer)
    return text_terms(value, stemmer) if ok else None


def fast_slots(value, analyzer, kwargs) -> list[str | None] | None:
    """The terms of ``value`` by position (None: a stop word's slot), or
    None off the fast path."""
    if not isinstance(value, str) or any(k != "mode" for k in kwargs):
        return None
    ok, stemmer = fast_path_stemmer(analyzer)
    return text_slots(value, stemmer) if ok else None


__all__ = ["fast_path_stemmer", "fast_slots", "fast_texts"]
