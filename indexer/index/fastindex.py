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

from collections import defaultdict
from itertools import chain

from whoosh import fields, formats

from indexer.analysis import (STEMMERS, WORD_RE, FrenchStemFilter, FrenchStopFilter, FrenchTokenizer, index_terms,
                              is_stop_word, split_word, text_slots, text_terms, word_terms)


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




# --------------------------------------------------------------------------
# A field's postings at once: what ``FieldType.index`` gives, with the terms
# already as bytes, from caches of each raw word's term bytes.


class WordCache(dict):
    """raw word -> ``compute(raw)``, computed on a miss; emptied when it
    holds ``limit`` words (an archive's vocabulary grows without end).

    Looked up through ``cache.__getitem__`` (a hit never leaves C)."""

    __slots__ = ("compute", "limit")

    def __init__(self, compute, limit: int = 1 << 18):
        super().__init__()
        self.compute, self.limit = compute, limit

    def __missing__(self, raw):
        if len(self) >= self.limit:
            self.clear()
        value = self[raw] = self.compute(raw)
        return value


def _slot_bytes(stemmer: str | None):
    """raw word -> the term bytes of each of its pieces, None for a stop
    word (its position slot): :func:`~indexer.analysis.text_slots` one word
    at a time, UTF-8 encoded."""
    if stemmer is None:
        return lambda raw: tuple(piece[2].encode("utf-8") for piece in split_word(raw))
    return lambda raw: tuple(None if is_stop_word(word) else term.encode("utf-8")
                             for _, _, word, term in word_terms(raw, stemmer))


def _term_bytes(stemmer: str | None):
    """raw word -> the term bytes the index holds for it (stop words out):
    :func:`~indexer.analysis.index_terms`, UTF-8 encoded."""
    return lambda raw: tuple(term.encode("utf-8") for term in index_terms(raw, stemmer))


_SLOTS: dict[str | None, WordCache] = {}
_TERMS: dict[str | None, WordCache] = {}


def slot_cache(stemmer: str | None) -> WordCache:
    cache = _SLOTS.get(stemmer)
    if cache is None:
        cache = _SLOTS[stemmer] = WordCache(_slot_bytes(stemmer))
    return cache


def term_cache(stemmer: str | None) -> WordCache:
    cache = _TERMS.get(stemmer)
    if cache is None:
        cache = _TERMS[stemmer] = WordCache(_term_bytes(stemmer))
    return cache


def clear_caches() -> None:
    """Empty the term-bytes caches (for measurements)."""
    _SLOTS.clear()
    _TERMS.clear()


def slot_bytes(value: str, stemmer: str | None, gap: int | None = None) -> list[bytes | None]:
    """The term bytes of ``value`` by position, None where a stop word (or
    a names field's gap) stands. ``gap``: the value holds names one a line,
    and positions jump by ``gap`` after each line that has words
    (:class:`~indexer.index.schema.NamesTokenizer`).

    >>> slot_bytes("Les frappes", "light")
    [None, b'frapp']
    >>> slot_bytes("Le Caire\\nParis", None, gap=2)
    [b'le', b'caire', None, None, b'paris']
    """
    get = slot_cache(stemmer).__getitem__
    if gap is None or "\n" not in value:
        return list(chain.from_iterable(map(get, WORD_RE.findall(value))))
    out: list[bytes | None] = []
    padding = [None] * gap
    for line in value.split("\n"):
        slots = list(chain.from_iterable(map(get, WORD_RE.findall(line))))
        if slots:
            if out:
                out += padding
            out += slots
    return out


def term_set(value: str, stemmer: str | None) -> set[bytes]:
    """The distinct term bytes of ``value`` (stop words out)."""
    return set(chain.from_iterable(map(term_cache(stemmer).__getitem__, WORD_RE.findall(value))))


#: ``Positions.encode`` of a one-position list, by position (most postings).
_SINGLE_POSITIONS: dict[int, bytes] = {}


def positions_items(slots: list, fmt) -> list[tuple[bytes, int, float, bytes]]:
    """(term, frequency, weight, encoded positions) of each term of a slot
    list, as ``fmt.word_values`` (a ``Positions`` format) and
    ``FieldType.index`` give them."""
    fb, encode = fmt.field_boost, fmt.encode
    poses: defaultdict = defaultdict(list)
    for pos, term in enumerate(slots):
        poses[term].append(pos)
    poses.pop(None, None)
    single = _SINGLE_POSITIONS
    out = []
    append = out.append
    for term, poslist in poses.items():
        n = len(poslist)
        if n == 1:
            pos = poslist[0]
            encoded = single.get(pos)
            if encoded is None:
                encoded = single[pos] = encode(poslist)
            append((term, 1, fb, encoded))
        else:
            append((term, n, float(n) * fb, encode(poslist)))
    return out


_PLANS: dict[int, tuple] = {}


def _plan(field) -> tuple:
    """(kind, stemmer, gap, format) of a field: kind "positions" or
    "existence" on the fast path, None off it. Cached by field object."""
    plan = _PLANS.get(id(field))
    if plan is not None and plan[0] is field:
        return plan[1]
    from indexer.index.schema import NamesTokenizer

    analyzer, fmt = field.analyzer, field.format
    kind, stemmer, gap = None, None, None
    if type(analyzer) is NamesTokenizer:
        ok, gap = True, analyzer.gap
    else:
        ok, stemmer = fast_path_stemmer(analyzer)
    # FieldType.index as Whoosh defines it (TEXT and the words field use it).
    if ok and type(field).index is fields.FieldType.index:
        if type(fmt) is formats.Positions:
            kind = "positions"
        elif type(fmt) is formats.Existence:
            kind = "existence"
    result = (kind, stemmer, gap, fmt)
    _PLANS[id(field)] = (field, result)
    return result


def field_items(field, value) -> list[tuple[bytes, int, float, bytes]] | None:
    """What ``field.index(value)`` gives (term bytes, frequency, weight,
    value bytes), as a list, or None off the fast path (another analyzer,
    format or field type, or a value that is not a string)."""
    if not isinstance(value, str):
        return None
    kind, stemmer, gap, fmt = _plan(field)
    if kind == "positions":
        return positions_items(slot_bytes(value, stemmer, gap), fmt)
    if kind == "existence":
        fb = fmt.field_boost
        return [(term, 1, fb, b"") for term in term_set(value, stemmer)]
    return None


__all__ = ["WordCache", "clear_caches", "fast_path_stemmer", "fast_slots", "fast_texts", "field_items", "positions_items",
           "slot_bytes", "term_set"]
