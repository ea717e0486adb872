"""Did you mean: the query with its misspelled words replaced by corpus
words (``Poutinne Lavrof`` -> ``Poutine Lavrov``).

A word is misspelled when its folded form is no word of the index; its
replacements are the index words one, then two edits away, the most
frequent first.
"""

from __future__ import annotations

import re

from indexer.analysis import FrenchTokenizer
from search.engine import IndexArrays
from search.query import OPERATORS

_NAMES = FrenchTokenizer()
#: The index field of unstemmed folded words.
_WORDS = "words"
#: Queries proposed at most.
SUGGESTIONS = 3


def spellings(arrays: IndexArrays, reader, word: str, limit: int = 3) -> list[str]:
    """Corpus words one, then two edits away from ``word``, the most
    frequent first (Whoosh's corrector compares every word of the
    multi-segment lexicon in Python: seconds at 100,000 stories)."""
    options: list[str] = []
    for maxdist in (1, 2):
        found = [w for w in arrays.fuzzy(_WORDS, word, maxdist, 1) if w != word and w not in options]
        found.sort(key=lambda w: (-reader.doc_frequency(_WORDS, w), w))
        options += found
        if len(options) >= limit:
            break
    return options[:limit]


def suggest_queries(arrays: IndexArrays, reader, text: str) -> tuple[str, ...]:
    """Queries with misspelled words replaced by corpus words."""
    replacements: list[tuple[str, list[str]]] = []
    for m in re.finditer(r"\w[\w’'\-]*", text):
        tok = m.group()
        before, after = text[m.start() - 1: m.start()], text[m.end(): m.end() + 1]
        if tok.upper() in OPERATORS:
            continue
        # Field names and values (agence:afp, date:2015) and pieces of
        # truncations or wildcards (syr?e, frap*) are not misspellings.
        if after in (":", "*", "?") or before in (":", "*", "?"):
            continue
        folded = [t.text for t in _NAMES(tok)]
        if len(folded) != 1 or len(folded[0]) < 3:
            continue
        word = folded[0]
        if reader.doc_frequency(_WORDS, word) > 0:
            continue
        options = spellings(arrays, reader, word)
        if options:
            replacements.append((tok, options))
    if not replacements:
        return ()
    out = []
    for k in range(SUGGESTIONS):
        candidate = text
        changed = False
        for tok, options in replacements:
            option = options[min(k, len(options) - 1)]
            if k < len(options) or k == 0:
                changed = True
            candidate = re.sub(rf"(?<!\w){re.escape(tok)}(?!\w)", option, candidate, count=1)
        if changed and candidate not in out and candidate != text:
            out.append(candidate)
    return tuple(out)


__all__ = ["spellings", "suggest_queries"]
