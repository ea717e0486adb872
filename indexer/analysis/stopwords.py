"""The French stop list: function words left out of the index, compared after folding.

A wire archive is full of nouns that are also function words, forms of
*avoir* and *être* above all: *les avions*, *des sommes*, *le ton*. The words
of the list that the real stories use as nouns stay searchable
(:data:`NOUN_HOMOGRAPHS`): measured by ``python -m bench.stopword_nouns`` on
the 2,363 real stories of ``../shared/realdata`` (a word that follows a
determiner in more than 5% of its occurrences, and whose singular follows
determiners of one gender: ``avions`` 28%, ``sommes`` 9%, ``ton`` 51%,
``peu`` 43%, ``tout`` 6%; ``plus``, ``autre(s)``, ``même(s)`` and ``moins``
follow ``le`` and ``la`` alike: adverbs and pronouns, they stay stop words).
"""

from __future__ import annotations

from indexer.analysis.folding import ELISIONS, split_word

_STOP_TEXT = """
le la les l un une des du de d au aux
je j me m moi tu te t toi il ils elle elles on nous vous se s soi lui leur leurs
eux y en ce c ceci cela ça celui celle celles ceux ci là qui que qu quoi dont où
lequel laquelle lesquels lesquelles duquel auquel auxquels auxquelles desquels
desquelles
mon ma mes ton ta tes son sa ses notre nos votre vos
à dans par pour sur sous avec sans chez entre vers contre depuis pendant avant
après selon jusqu jusque lors lorsqu lorsque puisqu puisque quoiqu quoique parmi
malgré envers dès
et ou mais donc ni si comme quand
ai a avons avez ont avais avait avions aviez avaient aura auront aurait
auraient ayant eu
suis es sommes êtes sont étais était étions étiez étaient sera seront serait
seraient soit soient fut furent être étant
ne n pas plus moins très aussi ainsi alors déjà encore ici tout tous toute
toutes même mêmes autre autres cet cette ces dont tant peu
"""



#: Every function word of the list above (folded), nouns included.
STOP_CANDIDATES = frozenset(
    piece[2] for word in _STOP_TEXT.split() for piece in split_word(word)
) | ELISIONS
#: Words of the list kept in the index: the real stories use them as nouns.
NOUN_HOMOGRAPHS = frozenset("avions sommes ton peu tout".split())
#: The words left out of the index.
STOP_WORDS = STOP_CANDIDATES - NOUN_HOMOGRAPHS


def is_stop_word(word: str) -> bool:
    """Whether a folded word is left out of the index: a French function word
    or a single letter (digits never are).

    >>> [is_stop_word(w) for w in ("les", "x", "7", "frappes", "avions")]
    [True, True, False, False, False]
    """
    return word in STOP_WORDS or (len(word) == 1 and word.isalpha())


__all__ = ["NOUN_HOMOGRAPHS", "STOP_CANDIDATES", "STOP_WORDS", "is_stop_word"]
