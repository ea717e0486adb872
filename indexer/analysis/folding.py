"""Folding: raw words of French text, their case, accents, ligatures and elisions.

A *raw word* is a run of word characters, combining marks and apostrophes
(:data:`WORD_RE`); :func:`split_word` folds it character by character and
splits it into pieces, dropping elisions. Everything else in the analysis
starts from these pieces.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

# Characters used as apostrophes in French copy: ASCII, typographic right and
# left quotes, prime, modifier letter apostrophe, acute and grave accents,
# fullwidth and reversed quotes. All fold to "'" or "`".
APOSTROPHES = "'\u2019\u2018\u2032\u02bc\u00b4`\uff07\u201b"
_FOLDED_APOSTROPHES = frozenset("'`")


def _combining_marks() -> str:
    """Return a regex class body with every combining mark of the BMP."""
    ranges = []
    start = prev = None
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code)).startswith("M"):
            if start is None:
                start = code
            elif code != prev + 1:
                ranges.append((start, prev))
                start = code
            prev = code
    ranges.append((start, prev))
    return "".join("\\u%04x-\\u%04x" % pair for pair in ranges)


# A raw word: word characters (letters, digits, underscore), combining marks
# and apostrophes. Everything else (spaces of every kind, hyphens, dashes,
# punctuation, symbols) separates words.
# Invisible characters (zero-width space, non-joiner, joiner, word joiner, soft
# hyphen) are part of a word and fold to nothing: gouver\u200bnement is one word.
_INVISIBLE = "\u200b\u200c\u200d\u2060\u00ad"
WORD_RE = re.compile("[\\w%s%s%s]+" % (_combining_marks(), re.escape(APOSTROPHES), _INVISIBLE))

# Elided words dropped before an apostrophe (folded spelling).
ELISIONS = frozenset(
    "l d j m n s t c qu jusqu lorsqu puisqu quoiqu".split()
)
# Words that are one word with their apostrophe: aujourd'hui, prud'hommes,
# presqu'île, quelqu'un.
_JOINED = frozenset("aujourd prud presqu quelqu".split())

def _fold_char_uncached(ch: str) -> str:
    if ch in APOSTROPHES:
        return "'"
    if ch in _INVISIBLE:
        return ""
    if ch.isascii():
        return ch.lower()
    return unidecode(ch).lower()


_FOLD_CHAR: dict[str, str] = {}


def fold_char(ch: str) -> str:
    """The folded spelling of one character (cached)."""
    folded = _FOLD_CHAR.get(ch)
    if folded is None:
        folded = _FOLD_CHAR[ch] = _fold_char_uncached(ch)
    return folded


@lru_cache(maxsize=1 << 17)
def split_word(raw: str) -> tuple[tuple[int, int, str], ...]:
    """Fold a raw word and split it into (start, end, text) pieces.

    Offsets are relative to ``raw``. Elisions are dropped.

    >>> split_word("l’État")
    ((2, 6, 'etat'),)
    >>> split_word("Aujourd'hui")
    ((0, 11, 'aujourdhui'),)
    >>> split_word("Œuvre")
    ((0, 5, 'oeuvre'),)
    """
    # Pieces of [a-z0-9] text and whether an apostrophe-only separator follows.
    pieces: list[list] = []
    buf: list[str] = []
    start = end = 0
    sep_is_apostrophe = True
    for i, ch in enumerate(raw):
        for fc in fold_char(ch):
            if fc.isalnum():
                if not buf:
                    start = i
                    if pieces:
                        pieces[-1][3] = sep_is_apostrophe
                buf.append(fc)
                end = i + 1
            else:
                if buf:
                    pieces.append([start, end, "".join(buf), False])
                    buf = []
                    sep_is_apostrophe = True
                sep_is_apostrophe = sep_is_apostrophe and fc in _FOLDED_APOSTROPHES
    if buf:
        pieces.append([start, end, "".join(buf), False])

    out = []
    i = 0
    while i < len(pieces):
        s, e, text, apostrophe_follows = pieces[i]
        i += 1
        if apostrophe_follows:
            if text in ELISIONS:
                continue
            if text in _JOINED:
                _, e, rest, apostrophe_follows = pieces[i]
                pieces[i] = [s, e, text + rest, apostrophe_follows]
                continue
        out.append((s, e, text))
    return tuple(out)


def fold_word(word: str) -> str:
    """Fold case, accents and ligatures and drop elisions; join the pieces.

    >>> fold_word("d’Œufs")
    'oeufs'
    """
    return " ".join(piece[2] for piece in split_word(word))


__all__ = ["APOSTROPHES", "ELISIONS", "WORD_RE", "fold_char", "fold_word", "split_word"]
