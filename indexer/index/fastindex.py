"""Indexing fast path: the terms of a field without Whoosh's token machinery.

Whoosh indexes a field by running its analyzer, a chain of generators that
pass one Token along, word by word, then counting positions per term
(``Format.word_values``); for Dépêche's French analyzers that was about a
quarter of an indexing run's CPU time. :func:`index_texts` gives the same
terms in the same order from a cache of each distinct raw word's terms.
:mod:`indexer.backend.patches` makes the ``Positions`` and ``Existence``
formats use it for exactly these analyzers (:func:`fast_path_stemmer`); any
other analyzer, or a call with other options, takes Whoosh's own path.
tests/test_fastindex.py checks both paths give the same postings.
"""

from __future__ import annotations

from indexer.analysis import (STEMMERS, _WORD_RE, FrenchStemFilter, FrenchStopFilter, FrenchTokenizer,
                              is_stop_word, split_word)

_CACHE_MAX = 1 << 18
_CACHES: dict[str | None, dict[str, tuple[str, ...]]] = {}


def _texts_uncached(raw: str, stemmer: str | None) -> tuple[str, ...]:
    texts = [piece[2] for piece in split_word(raw)]
    if stemmer is None:
        return tuple(texts)
    stem = STEMMERS[stemmer]
    return tuple(stem(t) for t in texts if not is_stop_word(t))


def index_texts(value: str, stemmer: str | None) -> list[str]:
    """The terms of ``value`` in position order: what ``FrenchTokenizer()``
    (``stemmer`` None) or ``french_analyzer(stemmer)`` gives at indexing.

    >>> index_texts("Les frappes aériennes d’aujourd’hui", "light")
    ['frapp', 'aerien', 'aujourdhui']
    >>> index_texts("Les frappes", None)
    ['les', 'frappes']
    """
    cache = _CACHES.get(stemmer)
    if cache is None:
        cache = _CACHES[stemmer] = {}
    out: list[str] = []
    extend = out.extend
    for raw in _WORD_RE.findall(value):
        texts = cache.get(raw)
        if texts is None:
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            texts = cache[raw] = _texts_uncached(raw, stemmer)
        extend(texts)
    return out


def fast_path_stemmer(analyzer) -> tuple[bool, str | None]:
    """(True, stemmer) when :func:`index_texts` reproduces ``analyzer``: a
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
    return index_texts(value, stemmer) if ok else None


__all__ = ["fast_path_stemmer", "fast_texts", "index_texts"]
