"""The French stop list: function words left out of the index, compared after folding."""

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



STOP_WORDS = frozenset(
    piece[2] for word in _STOP_TEXT.split() for piece in split_word(word)
) | ELISIONS


def is_stop_word(word: str) -> bool:
    """Whether a folded word is left out of the index: a French function word
    or a single letter (digits never are).

    >>> [is_stop_word(w) for w in ("les", "x", "7", "frappes")]
    [True, True, False, False]
    """
    return word in STOP_WORDS or (len(word) == 1 and word.isalpha())


__all__ = ["STOP_WORDS", "is_stop_word"]
