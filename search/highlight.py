"""Which words of a story a query matched, and the snippet that shows them.

Marks are found on the original text (accents, capitals, elisions kept) by
analysing each of its words as the index did; a snippet is a window of the
body around the most marked words.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable

from whoosh import query as wq

from indexer.analysis import WORD_RE, word_terms
from indexer.index.schema import TEXT_FIELDS

SNIPPET_CHARS = 240
#: Characters of a story looked at first for the words to mark in its snippet.
LEAD_CHARS = 1200
#: Index fields of stemmed text, and of unstemmed folded words.
_STEMMED = TEXT_FIELDS
_WORDS = "words"


@lru_cache(maxsize=1 << 17)
def raw_word_terms(raw: str) -> tuple[tuple[int, int, str, str], ...]:
    """:func:`~indexer.analysis.word_terms` of one raw word, kept warm: the
    words of a page's snippets are mostly words met before (a story's
    distinct words cost ~10 µs each to fold and stem; a page of 20 snippets,
    ~3,000 of them: 6 to 10 ms a page before this cache).

    >>> raw_word_terms("Frappes")
    ((0, 7, 'frappes', 'frapp'),)
    """
    return word_terms(raw)


def query_terms(q: wq.Query, reach: Callable[[wq.MultiTerm], Iterable[str]]) -> tuple[set[str], set[str]]:
    """The index terms a query matches: stems of text, unstemmed words.

    A truncation gives its prefix and ``*``; ``reach`` gives the words
    another wildcard or fuzzy term reaches.

    >>> query_terms(wq.And([wq.Term("body", "frapp"), wq.Prefix("words", "aer")]), list)
    ({'frapp'}, {'aer*'})
    """
    stems: set[str] = set()
    words: set[str] = set()
    for leaf in q.leaves():
        field = getattr(leaf, "fieldname", None)
        if field not in _STEMMED and field != _WORDS:
            continue
        if isinstance(leaf, wq.Prefix):
            pairs = [(field, leaf.text + "*")]
        elif isinstance(leaf, wq.MultiTerm):  # wildcard, fuzzy: the words they reach
            pairs = [(field, t) for t in reach(leaf)]
        else:
            pairs = leaf.iter_all_terms()
        for field, text in pairs:
            text = text.decode("utf-8") if isinstance(text, bytes) else str(text)
            (stems if field in _STEMMED else words).add(text)
    return stems, words


@lru_cache(maxsize=1 << 17)
def _raw_keys(raw: str) -> tuple[frozenset[str], frozenset[str]]:
    """The folded words and the index terms of one raw word's pieces."""
    pieces = raw_word_terms(raw)
    return frozenset(p[2] for p in pieces), frozenset(p[3] for p in pieces)


def mark_spans(text: str, stems: set[str], words: set[str]) -> list[tuple[int, int]]:
    """Where the matched words stand in the original (accented) text.

    ``stems`` are index terms of the text fields, ``words`` unstemmed folded
    words; an entry ending in ``*`` is a truncation (any term it starts).

    >>> mark_spans("Des frappes aériennes", {"frapp", "aerien"}, set())
    [(4, 11), (12, 21)]
    >>> mark_spans("Des frappes aériennes", set(), {"aer*"})
    [(12, 21)]
    """
    if not stems and not words:
        return []
    stem_prefixes = tuple(t[:-1] for t in stems if t.endswith("*"))
    word_prefixes = tuple(w[:-1] for w in words if w.endswith("*"))

    def wanted_piece(word: str, term: str) -> bool:
        if term in stems or word in words:
            return True
        return bool((stem_prefixes and term.startswith(stem_prefixes))
                    or (word_prefixes and word.startswith(word_prefixes)))

    # The distinct raw words first (a regex in C), then only where those that
    # match stand: a story has far fewer distinct words than words.
    distinct = set(WORD_RE.findall(text))
    if stem_prefixes or word_prefixes:
        wanted = set()
        for raw in distinct:
            for _, _, word, term in raw_word_terms(raw):
                if wanted_piece(word, term):
                    wanted.add(raw)
                    break
    else:  # no truncation: two set lookups in C a word
        wanted = {raw for raw in distinct
                  if not (keys := _raw_keys(raw))[1].isdisjoint(stems) or not keys[0].isdisjoint(words)}
    spans: set[tuple[int, int]] = set()
    if wanted:
        for m in WORD_RE.finditer(text):
            raw = m.group()
            if raw in wanted:
                base = m.start()
                for start, end, word, term in raw_word_terms(raw):
                    if wanted_piece(word, term):
                        spans.add((base + start, base + end))
    return sorted(spans)


def lead_spans(text: str, stems: set[str], words: set[str]) -> list[tuple[int, int]]:
    """The marks of the story's first paragraphs, or of the whole story if
    none matched there: the snippet shows where the story first speaks of
    the query, and the rest is not read (a regex pass costs ~0.07 µs a
    character, a third of a millisecond for a story)."""
    if len(text) > LEAD_CHARS:
        cut = text.find(" ", LEAD_CHARS)
        if cut > 0:
            spans = mark_spans(text[:cut], stems, words)
            if spans:
                return spans
            # None in the lead: the rest only (no word spans the space at the
            # cut, so these are the whole story's marks).
            return [(a + cut, b + cut) for a, b in mark_spans(text[cut:], stems, words)]
    return mark_spans(text, stems, words)


def make_snippet(text: str, spans: list[tuple[int, int]], size: int = SNIPPET_CHARS) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of ``text`` around the most marked words, with marks in it."""
    text_len = len(text)
    if not spans:
        cut = text[:size]
        if text_len > size:
            cut = cut[: cut.rfind(" ")] + " …" if " " in cut else cut + "…"
        return cut.replace("\n\n", " "), ()
    best, best_n = 0, -1
    for i, (start, _) in enumerate(spans):
        n = sum(1 for s, e in spans[i:] if e <= start + size)
        if n > best_n:
            best, best_n = i, n
    start = max(0, spans[best][0] - size // 4)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = min(text_len, start + size)
    if end < text_len:
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "… " if start else ""
    suffix = " …" if end < text_len else ""
    snippet = prefix + text[start:end] + suffix
    marks = tuple((s - start + len(prefix), e - start + len(prefix)) for s, e in spans if s >= start and e <= end)
    # Paragraph breaks become spaces of the same length, so marks stay put.
    return snippet.replace("\n\n", "  ").replace("\n", " "), marks


__all__ = ["LEAD_CHARS", "SNIPPET_CHARS", "lead_spans", "make_snippet", "mark_spans", "query_terms",
           "raw_word_terms"]
