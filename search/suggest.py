"""Did you mean: the query with its misspelled words replaced by corpus
words (``Poutinne Lavrof`` -> ``Poutine Lavrov``).

The searcher asks when a search finds fewer than three stories (or story
groups). A word is misspelled when its folded form is no word of the index,
or when it is rare (:data:`RARE`) and a word one edit away (or one that
sounds the same, below) is far more frequent (:data:`MORE_FREQUENT`):
``Netanyahou`` (1 story of the real corpus) -> ``Netanyahu`` (18). Its
replacements are the index words one, then two edits away, the first letter
included (``Olande`` -> ``Hollande``): those that sound like the word first
(:func:`sound_key`: a silent h, doubled letters, y/i, ou/u, ph/f, k/q/c),
then the nearest, then the most frequent. A replacement is written as the
corpus spells it (its accents) in the case the user typed it.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from indexer.analysis import FrenchTokenizer, stem_light
from indexer.analysis.folding import fold_char
from indexer.index.schema import record_of
from search.engine import IndexArrays
from search.query import OPERATORS

_NAMES = FrenchTokenizer()
#: The index field of unstemmed folded words.
_WORDS = "words"
#: Queries proposed at most.
SUGGESTIONS = 3
#: A word found in at most this many stories is checked for a far more
#: frequent neighbour.
RARE = 5
#: How many times more frequent a neighbour of a word the index holds must
#: be to be proposed instead of it.
MORE_FREQUENT = 10
#: Stories read to find how the corpus spells a word.
SPELLING_SAMPLE = 3

_SOUNDS = [("ph", "f"), ("h", ""), ("y", "i"), ("k", "c"), ("q", "c"), ("w", "v"), ("ou", "u")]


def sound_key(word: str) -> str:
    """A folded word as it sounds, roughly: what typing by ear changes.

    >>> [sound_key(w) for w in ("olande", "hollande", "netanyahou", "netanyahu", "kadhafi", "kaddafi")]
    ['olande', 'olande', 'netaniau', 'netaniau', 'cadafi', 'cadafi']
    """
    for old, new in _SOUNDS:
        word = word.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", word)


def _vocabulary(arrays: IndexArrays) -> dict[int, tuple[list[str], np.ndarray]]:
    """The index words of ``words`` by length: (words, their letters as a
    matrix of bytes), built once per generation."""
    def make():
        found: set[bytes] = set()
        for leaf, _, seg in arrays.leaves:
            found.update(seg.words_from(leaf, _WORDS, b""))
        by_length: dict[int, list[bytes]] = {}
        for w in found:
            by_length.setdefault(len(w), []).append(w)
        out = {}
        for length, group in by_length.items():
            group.sort()
            chars = np.frombuffer(b"".join(group), dtype=np.uint8).reshape(len(group), length)
            out[length] = ([w.decode("utf-8", "replace") for w in group], chars, _letter_counts(chars))
        return out
    return arrays._lazy("suggest:vocabulary", make)


# Letters and digits get a column of their own in a bag of letters, the rest share one.
_COLUMN = np.full(256, 36, dtype=np.intp)
_COLUMN[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)] = np.arange(36)


def _letter_counts(chars: np.ndarray) -> np.ndarray:
    """How many times each letter occurs in each row (a row's bag of letters)."""
    counts = np.zeros((chars.shape[0], 37), dtype=np.int16)
    rows = np.repeat(np.arange(chars.shape[0]), chars.shape[1])
    np.add.at(counts, (rows, _COLUMN[chars.ravel()]), 1)
    return counts


def _distances(word: bytes, chars: np.ndarray) -> np.ndarray:
    """Edit distances (optimal string alignment: a transposition counts one)
    between ``word`` and each row of ``chars`` (words of one length)."""
    n, width = chars.shape
    w = np.frombuffer(word, dtype=np.uint8)
    before = None
    prev = np.tile(np.arange(width + 1), (n, 1))
    for i in range(1, len(w) + 1):
        cur = np.empty_like(prev)
        cur[:, 0] = i
        for j in range(1, width + 1):
            best = np.minimum(prev[:, j] + 1, cur[:, j - 1] + 1)
            best = np.minimum(best, prev[:, j - 1] + (chars[:, j - 1] != w[i - 1]))
            if i > 1 and j > 1:
                swap = (chars[:, j - 1] == w[i - 2]) & (chars[:, j - 2] == w[i - 1])
                best = np.where(swap, np.minimum(best, before[:, j - 2] + 1), best)
            cur[:, j] = best
        before, prev = prev, cur
    return prev[:, width]


def _neighbours(arrays: IndexArrays, word: str) -> dict[str, int]:
    """Index words one or two edits away (two for words of five letters or
    more), whatever their first letter: word -> distance."""
    maxdist = 2 if len(word) >= 5 else 1
    raw = word.encode("utf-8")
    found: dict[str, int] = {}
    vocabulary = _vocabulary(arrays)
    for length in range(max(1, len(raw) - maxdist), len(raw) + maxdist + 1):
        if length not in vocabulary:
            continue
        words, chars, counts = vocabulary[length]
        # The bag distance (letters missing either way) never exceeds the
        # edit distance: it leaves few rows to align.
        diff = counts - _letter_counts(np.frombuffer(raw, dtype=np.uint8)[None, :])
        surplus = np.where(diff > 0, diff, 0).sum(axis=1)
        bag = np.maximum(surplus, surplus - diff.sum(axis=1))
        rows = np.flatnonzero(bag <= maxdist)
        if not rows.size:
            continue
        dist = _distances(raw, chars[rows])
        for k, d in zip(rows, dist):
            if d <= maxdist and words[k] != word:
                found[words[k]] = int(d)
    return found


def spellings(arrays: IndexArrays, reader, word: str, limit: int = 3, frequency: int = 0) -> list[str]:
    """Corpus words near ``word``, best first. ``frequency``: the stories
    that hold ``word``; above 0 only a far more frequent neighbour one edit
    away or sounding the same counts (never another form of the word)."""
    key = sound_key(word)
    options = []
    for w, dist in _neighbours(arrays, word).items():
        same_sound = sound_key(w) == key
        df = reader.doc_frequency(_WORDS, w)
        if frequency:
            if df < MORE_FREQUENT * frequency or not (dist == 1 or same_sound) \
                    or stem_light(w) == stem_light(word):
                continue
        options.append((not same_sound, dist, -df, w))
    return [w for *_, w in sorted(options)[:limit]]


def _spelling_regex(word: str) -> re.Pattern:
    """A regex of the ways a folded word may be written (case, accents)."""
    parts = []
    for letter in word:
        variants = _VARIANTS.get(letter, letter)
        parts.append(f"[{re.escape(variants)}]" if len(variants) > 1 else re.escape(variants))
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)")


def _variants() -> dict[str, str]:
    out: dict[str, str] = {}
    for code in list(range(0x41, 0x5B)) + list(range(0x61, 0x7B)) + list(range(0xC0, 0x180)):
        ch = chr(code)
        folded = fold_char(ch)
        if len(folded) == 1 and folded.isalpha():
            out[folded] = out.get(folded, "") + ch
    return out


_VARIANTS = _variants()


def corpus_spelling(arrays: IndexArrays, reader, word: str) -> str:
    """How the stories spell a folded word most often (accents, case):
    read in a few stories that hold it."""
    docs, _ = arrays.postings(_WORDS, word)
    pattern = _spelling_regex(word)
    seen: Counter = Counter()
    for docnum in docs[:SPELLING_SAMPLE]:
        story = record_of(reader.stored_fields(int(docnum)))
        for text in (story.headline or "", story.body or ""):
            seen.update(m.group() for m in pattern.finditer(text))
    # Capitals of a headline in capitals say nothing of the case.
    usual = [(n, s) for s, n in seen.items() if not (s.isupper() and len(s) > 1)] or \
        [(n, s) for s, n in seen.items()]
    return max(usual)[1] if usual else word


def in_case_of(typed: str, spelling: str) -> str:
    """``spelling`` in the case of ``typed``: all capitals, an initial capital, or lower case.

    >>> in_case_of("Olande", "Hollande"), in_case_of("olande", "Hollande"), in_case_of("PEKINN", "Pékin")
    ('Hollande', 'hollande', 'PÉKIN')
    """
    if len(typed) > 1 and typed.isupper():
        return spelling.upper()
    if typed[:1].isupper():
        return spelling[:1].upper() + spelling[1:]
    return spelling.lower()


def suggest_queries(arrays: IndexArrays, reader, text: str) -> tuple[str, ...]:
    """Queries with misspelled words, and rare words with a far more
    frequent neighbour, replaced by corpus words."""
    replacements: list[tuple[str, list[str]]] = []
    for m in re.finditer(r"\w[\w’'\-]*", text):
        tok = m.group()
        before, after = text[m.start() - 1: m.start()], text[m.end(): m.end() + 1]
        if tok.upper() in OPERATORS:
            continue
        # Field names and values (agence:afp, date:2015) and pieces of
        # truncations or wildcards (syr?e, frap*) are not misspellings.
        if after in (":", "*", "?", "~", "/", "$") or before in (":", "*", "?", "=", "$"):
            continue
        if re.fullmatch(r"(?i)(atleast|near|adj)\d*", tok):  # operators (search.operators)
            continue
        folded = [t.text for t in _NAMES(tok)]
        if len(folded) != 1 or len(folded[0]) < 3 or not folded[0].isalpha():
            continue
        word = folded[0]
        frequency = reader.doc_frequency(_WORDS, word)
        if frequency > RARE:
            continue
        options = spellings(arrays, reader, word, frequency=frequency)
        if options:
            spelled = [in_case_of(tok, corpus_spelling(arrays, reader, w)) for w in options]
            replacements.append((tok, list(dict.fromkeys(spelled))))
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
            candidate = re.sub(rf"(?<!\w){re.escape(tok)}(?!\w)", lambda _: option, candidate, count=1)
        if changed and candidate not in out and candidate != text:
            out.append(candidate)
    return tuple(out)


__all__ = ["corpus_spelling", "in_case_of", "sound_key", "spellings", "suggest_queries"]
