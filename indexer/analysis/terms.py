"""Text to index terms: the one path used by indexing, querying and highlighting.

:func:`word_terms` gives, for one raw word, each piece's offsets, folded
spelling and term (its stem, or the folded word for a stop word, which the
index does not hold); :func:`index_terms` keeps what the index holds;
:func:`text_terms` does it for a whole text (the indexing fast path),
:func:`word_spans` with offsets (highlighting). The Whoosh analyzer chain of
:mod:`indexer.analysis` gives the same terms (tests/test_fastindex.py,
tests/test_analysis.py).
"""

from __future__ import annotations

from functools import lru_cache

from indexer.analysis.folding import WORD_RE, split_word
from indexer.analysis.stemming import STEMMERS
from indexer.analysis.stopwords import is_stop_word


@lru_cache(maxsize=1 << 18)
def word_terms(raw: str, stemmer: str = "light") -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, folded word, index term) of each piece of one raw word.

    The term is the stem ``stemmer`` gives the word, or the folded word
    itself for a stop word (which the index does not hold).

    >>> word_terms("l’Armée")
    ((2, 7, 'armee', 'arm'),)
    """
    stem = STEMMERS[stemmer]
    return tuple((start, end, word, word if is_stop_word(word) else stem(word))
                 for start, end, word in split_word(raw))


@lru_cache(maxsize=1 << 18)
def index_terms(raw: str, stemmer: str | None) -> tuple[str, ...]:
    """The terms the index holds for one raw word: stop words left out and
    the rest stemmed, or (``stemmer`` None: names) every folded piece.

    >>> index_terms("Frappes", "light"), index_terms("les", "light"), index_terms("Les", None)
    (('frapp',), (), ('les',))
    """
    if stemmer is None:
        return tuple(piece[2] for piece in split_word(raw))
    return tuple(term for _, _, word, term in word_terms(raw, stemmer) if not is_stop_word(word))


def text_terms(value: str, stemmer: str | None) -> list[str]:
    """The terms of ``value`` in position order: what ``FrenchTokenizer()``
    (``stemmer`` None) or ``french_analyzer(stemmer)`` gives at indexing.

    >>> text_terms("Les frappes aériennes d’aujourd’hui", "light")
    ['frapp', 'aerien', 'aujourdhui']
    >>> text_terms("Les frappes", None)
    ['les', 'frappes']
    """
    out: list[str] = []
    extend = out.extend
    for raw in WORD_RE.findall(value):
        extend(index_terms(raw, stemmer))
    return out


def text_slots(value: str, stemmer: str | None) -> list[str | None]:
    """The terms of ``value`` one per word, None where a stop word stands:
    a term's position is its index (stop words keep their slots, as
    ``french_analyzer`` numbers positions at indexing).

    >>> text_slots("Les frappes de la coalition", "light")
    [None, 'frapp', None, None, 'coalition']
    """
    if stemmer is None:
        return text_terms(value, None)
    out: list[str | None] = []
    append = out.append
    for raw in WORD_RE.findall(value):
        for _, _, word, term in word_terms(raw, stemmer):
            append(None if is_stop_word(word) else term)
    return out


def word_spans(text: str, stemmer: str = "light"):
    """(start, end, folded word, index term) of every word of ``text``.

    The analyzer's words without Whoosh's token machinery, for marking the
    words of a story that a query matched.

    >>> list(word_spans("Les frappes"))
    [(0, 3, 'les', 'les'), (4, 11, 'frappes', 'frapp')]
    """
    for match in WORD_RE.finditer(text):
        offset = match.start()
        for start, end, word, term in word_terms(match.group(), stemmer):
            yield offset + start, offset + end, word, term


def analyze(text: str, stemmer: str = "light") -> list[str]:
    """Return the index terms of ``text``, as the default analyzer makes them.

    >>> analyze("L'Etat islamique a revendiqué l’attaque du porte-parole")
    ['etat', 'islamique', 'revendique', 'attaque', 'porte', 'parol']
    """
    return text_terms(text, stemmer)


__all__ = ["analyze", "index_terms", "text_slots", "text_terms", "word_spans", "word_terms"]
