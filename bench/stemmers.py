"""Stemmers that ``python -m bench.known_item`` compares with the light one.

Importing this module registers them (``french_analyzer("minimal")``,
``french_analyzer("snowball")``); the index itself only uses ``light``.
"""

from __future__ import annotations

from functools import lru_cache

from indexer.analysis import register_stemmer
from indexer.analysis.stemming import _INVARIABLE, _IRREGULAR

@lru_cache(maxsize=1 << 17)
def stem_minimal(word: str) -> str:
    """Remove plural endings only (-s, -x, -aux -> -al, -eaux -> -eau).

    >>> [stem_minimal(w) for w in ("frappes", "generaux", "aeriennes")]
    ['frappe', 'general', 'aerienne']
    """
    if len(word) <= 3 or not word.isalpha() or word in _INVARIABLE:
        return word
    if word.endswith("eaux"):
        return word[:-1]
    if word.endswith("aux") and len(word) > 4:
        return _IRREGULAR.get(word, word[:-3] + "al")
    if word.endswith(("eux", "oux")):
        return word[:-1]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_SNOWBALL = None


@lru_cache(maxsize=1 << 17)
def stem_snowball(word: str) -> str:
    """Whoosh's Snowball French stemmer (for comparison; over-stems).

    >>> stem_snowball("marie")
    'mar'
    """
    global _SNOWBALL
    if _SNOWBALL is None:
        from whoosh.lang.snowball.french import FrenchStemmer

        _SNOWBALL = FrenchStemmer()
    return _SNOWBALL.stem(word)


register_stemmer("minimal", stem_minimal)
register_stemmer("snowball", stem_snowball)
