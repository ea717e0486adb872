"""Stemmers: each takes a folded word (ASCII lowercase) and returns its stem.

:data:`STEMMERS` names the stemmers an analyzer can use; the index uses
``light``. Other stemmers (the ones ``bench/known_item.py`` compares) are
added with :func:`register_stemmer`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

# Words ending in -s or -x that are the same in the singular.
_INVARIABLE = frozenset(
    """
    paris fois mois cours temps corps pays dos fils bras repas proces acces
    succes exces deces progres congres expres pres apres tres depuis jamais
    mais alors moins plus sans sous dans vers toujours ailleurs parfois
    autrefois desormais hors lors tandis volontiers gros gras bas las gris
    epais frais mars jadis souris avis refus abus puis jus ours bois poids
    choix prix paix voix croix noix perdrix dix six deux taux faux doux roux
    houx chaux heureux mieux vieux
    concours discours parcours recours secours
    tapis permis compris pris mis assis sis devis palais
    anglais francais marseillais japonais chinois gaulois suedois danois
    irlandais ecossais hollandais libanais senegalais congolais
    seulement
    """.split()
)
_IRREGULAR = {
    "travaux": "travail", "baux": "bail", "vitraux": "vitrail",
    "emaux": "email", "coraux": "corail", "vantaux": "vantail",
    "soupiraux": "soupirail", "maux": "mal", "yeux": "oeil",
    "cieux": "ciel", "aieux": "aieul",
    "nouvelle": "nouveau", "nouvel": "nouveau", "nouveaux": "nouveau",
    "belle": "beau", "bel": "beau", "beaux": "beau",
    "jumelle": "jumeau", "jumeaux": "jumeau",
    "folle": "fou", "fol": "fou", "molle": "mou", "mol": "mou",
    "vieille": "vieux", "vieil": "vieux",
    "publique": "public", "turque": "turc", "grecque": "grec",
    "franche": "franc", "blanche": "blanc", "seche": "sec",
    "longue": "long", "fraiche": "frais", "douce": "doux", "rousse": "roux",
    "fausse": "faux", "grosse": "gros", "basse": "bas", "lasse": "las",
    "epaisse": "epais", "grise": "gris",
    "heureuse": "heureux", "vieilles": "vieux",
    "anglaise": "anglais", "francaise": "francais",
}
# Words in -ss that are not a plural s on a word in -s: press is not près.
_NOT_PLURAL_SS = frozenset(["press"])
# Words kept whole: names that look inflected (-trice, Marie), and feminine
# nouns whose stripped form is another frequent word (partie/parti,
# mère/mer, course/cours, base/bas, faute/faut, porte/port, vente/vent,
# sorte/sort, poste/post, crise/cri, Rome/Roms, Anne/année).
_KEEP = frozenset(
    """
    patrice beatrice matrice cicatrice marie partie mere course base faute
    porte vente sorte poste crise rome anne
    """.split()
)


@lru_cache(maxsize=1 << 17)
def stem_light(word: str) -> str:
    """Conflate number and gender of a folded French word, lightly.

    >>> [stem_light(w) for w in ("frappes", "aeriennes", "generaux", "marie")]
    ['frapp', 'aerien', 'general', 'marie']
    >>> [stem_light(w) for w in ("vieille", "vieilles", "ideal", "ideaux", "abus", "abuss")]
    ['vieu', 'vieu', 'ideau', 'ideau', 'abus', 'abus']
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    stem = _stem_number_gender(word)
    # -eal and -eau meet at -eau: ideal, ideale, ideaux (folded idéaux, which
    # reads like bureaux) and Montreal, montreaux all give -eau.
    if stem.endswith("eal") and len(stem) > 4:
        return stem[:-2] + "au"
    return stem


def _stem_number_gender(word: str) -> str:
    # An irregular form first: the invariable list must not shadow it
    # (vieilles -> vieux, as vieille and vieil).
    irregular = _IRREGULAR.get(word)
    if irregular is not None:
        return _gender_irregular(irregular)
    if word in _INVARIABLE:
        return _gender_irregular(word)
    last = word[-1]
    if last == "x":
        if word.endswith("eaux"):
            word = word[:-1]
        elif word.endswith("aux") and len(word) > 4:
            word = word[:-3] + "al"
        elif word.endswith(("eux", "oux")):
            word = word[:-1]
    elif last == "s" and word.endswith("ss"):
        # A plural s on a word already in -s (abus -> abuss, Paris -> pariss,
        # proces -> process): French has no -ss word of its own but in -esse,
        # so it is taken off (press, stress and the other English -ess words
        # keep theirs, as their French kin presse, stresse do).
        single = word[:-1]
        if len(word) >= 5 and word not in _NOT_PLURAL_SS and (
                word.endswith("sss") or word[-3] != "e" or single in _INVARIABLE):
            return _stem_number_gender(single)
    elif last == "s":
        word = word[:-1]
        irregular = _IRREGULAR.get(word)
        if irregular is not None:
            return _gender_irregular(irregular)
        if word in _INVARIABLE:
            return _gender_irregular(word)
    if len(word) <= 3 or word in _KEEP:
        return word
    return _gender(word)


def _gender_irregular(word: str) -> str:
    """Stem an invariable or irregular singular: only the -eux/-eau suffixes."""
    if word.endswith("eux") and len(word) > 4:
        return word[:-1]
    return word


def _gender(word: str) -> str:
    """Conflate masculine and feminine of a singular folded word."""
    if word.endswith("euse") and len(word) > 5:
        return word[:-2]  # heureuse -> heureu, chanteuse -> chanteu
    if word.endswith("trice") and len(word) > 6:
        return word[:-4] + "eu"  # directrice -> directeu (= directeur)
    if word.endswith("eux"):
        return word[:-1]  # heureux -> heureu
    stripped = False
    if word.endswith("iee"):
        word = word[:-1]  # mariee -> marie (= marie, marié), associee -> associe
        if word in _KEEP:
            return word
    if word.endswith("ee") and len(word) > 4:
        word, stripped = word[:-2], True  # blessee -> bless (= blesse)
        if word.endswith(("c", "g", "qu")):
            word = word + "e"  # lancee -> lance (= lance, lancé), marquee -> marque
    elif word.endswith("e") and not word.endswith(("ce", "ge", "que")):
        if len(word) > 3:
            word, stripped = word[:-1], True  # frappe -> frapp, amie -> ami
    if stripped and len(word) >= 4:
        if word.endswith(("enn", "onn", "ell", "ett", "ull")):
            return word[:-1]  # aerienne -> aerien, nulle -> nul
        if word.endswith("iv"):
            return word[:-1] + "f"  # active -> actif
        if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            # The masculine ends in -s: stem it as a masculine word is stemmed.
            return word if word in _INVARIABLE else word[:-1]  # reprise -> repri
    if word.endswith("eur") and len(word) >= 6:
        return word[:-1]  # chanteur -> chanteu, majeur(e) -> majeu
    return word


def no_stem(word: str) -> str:
    """The word itself (an analyzer without a stemmer)."""
    return word


STEMMERS: dict[str, Callable[[str], str]] = {
    "light": stem_light,
    "none": no_stem,
}


def register_stemmer(name: str, stem: Callable[[str], str]) -> None:
    """Make ``stem`` usable as ``french_analyzer(name)`` (for comparisons)."""
    STEMMERS[name] = stem


__all__ = ["STEMMERS", "no_stem", "register_stemmer", "stem_light"]
