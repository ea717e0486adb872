"""French text analysis: one Whoosh analyzer for indexing and querying.

``french_analyzer()`` is used for every French text field *and* for the
queries against it, so that a word typed in any spelling meets the words of
the stories::

    FrenchTokenizer() | FrenchStopFilter() | FrenchStemFilter()

- **FrenchTokenizer** finds raw words (letters, digits, combining marks and
  apostrophes; anything else, hyphens and non-breaking spaces included,
  separates words), then folds each one with a cached pure function: case,
  accents, ligatures and other scripts through ``unidecode`` (œ -> oe,
  é -> e, ß -> ss), character by character, so decomposed (non-NFC) text
  folds exactly like NFC text. Elisions are dropped (``l'``, ``d’``, ``qu'``,
  ``jusqu'``, ``lorsqu'``, ``puisqu'``, ``quoiqu'``...), ``aujourd'hui``,
  ``prud'hommes``, ``presqu'île`` and ``quelqu'un`` stay one word. Start and
  end characters point into the original text, so highlighting can mark the
  accented words; positions count words.
- **FrenchStopFilter** removes French function words, compared *after*
  folding, and renumbers positions so that "porte-parole", "porte parole"
  and "le porte-parole" give the same relative positions. Homographs of
  content words are kept as terms: ``été`` (summer), ``est`` (east), ``or``
  (gold), ``car`` (coach). ``maïs`` folds to ``mais`` and is lost with the
  conjunction. Single letters are stop words; digits never are.
- **FrenchStemFilter** (``is_morph``) conflates number and gender with a
  light stemmer written for folded text (``stem_light``): plural -s/-x,
  -aux -> -al, -eaux -> -eau, feminine -e/-ée, -enne/-onne/-elle/-ette,
  -euse/-eur/-eux, -trice/-teur, -ive/-if, and a few irregular forms. It
  leaves words of three letters or fewer, numbers, and invariable words
  (Paris, fois, mois, cours, temps...) alone, and keeps a short list of
  words whole where stripping would merge two frequent words: "Marie" is not
  "mari" (nor Snowball's "mar"), "partie" is not "parti", "mère" is not
  "mer", "crise" is not "cri". Other merges remain, as with any stemmer
  ("armée"/"arme", "Michelle"/"Michel", "donne"/"don", "Paris" keeps apart
  from "pari" but then "paris" (bets) too).

Stemmer choice, measured with ``python -m bench.known_item --sample 0
--seed 7`` (2,363 stories, 2,161 known-item queries of 2–3 headline words,
MRR@10; exact / without accents / other inflection / both; the inflection
changed 1,752 queries, 2,703 words; the stemmer rules were written looking at
failures of the default 500-story sample, so this all-stories run is the
fairer figure). Dépêche rows share this tokenizer and stop list:

==========================  =====  =====  =====  =====
analyzer                    exact  noacc  infl   both
==========================  =====  =====  =====  =====
Whoosh StandardAnalyzer     0.977  0.473  0.282  0.160
Whoosh LanguageAnalyzer fr  0.974  0.571  0.922  0.541
Dépêche, no stemmer         0.977  0.977  0.283  0.283
Dépêche, minimal (plurals)  0.976  0.976  0.776  0.776
Dépêche, Snowball French    0.974  0.974  0.871  0.871
Dépêche, light (chosen)     0.976  0.976  0.967  0.967
==========================  =====  =====  =====  =====

With ``--lexicon simplemma`` (an inflected form must also share the word's
lemma: 1,659 queries changed) the light stemmer scores 0.974 on infl and
both, Snowball 0.899, minimal 0.861. Snowball works on folded text here, and
does worse than on accented text (LanguageAnalyzer), as its rules look at
accents; it also over-stems ("marie" -> "mar", "partie" -> "part").
Analysis speed on the same stories: about 600,000 tokens/s (2,300 stories/s)
on one core, with warm caches.

The whole schema is pickled into the index: every class here is defined at
module level and must stay importable under this name. Changing the stop
list or the stemmer changes the terms: bump the schema version and rebuild.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode
from whoosh.analysis import Filter, Token, Tokenizer

__all__ = [
    "FrenchStemFilter",
    "FrenchStopFilter",
    "FrenchTokenizer",
    "STEMMERS",
    "STOP_WORDS",
    "analyze",
    "fold_word",
    "is_stop_word",
    "french_analyzer",
    "split_word",
    "stem_light",
    "stem_minimal",
    "stem_snowball",
    "WORD_RE",
    "word_spans",
    "word_terms",
]

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
_WORD_RE = re.compile("[\\w%s%s]+" % (_combining_marks(), re.escape(APOSTROPHES)))

# Elided words dropped before an apostrophe (folded spelling).
ELISIONS = frozenset(
    "l d j m n s t c qu jusqu lorsqu puisqu quoiqu".split()
)
# Words that are one word with their apostrophe: aujourd'hui, prud'hommes,
# presqu'île, quelqu'un.
_JOINED = frozenset("aujourd prud presqu quelqu".split())

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


def _fold_char_uncached(ch: str) -> str:
    if ch in APOSTROPHES:
        return "'"
    if ch.isascii():
        return ch.lower()
    return unidecode(ch).lower()


_FOLD_CHAR: dict[str, str] = {}


def _fold_char(ch: str) -> str:
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
        for fc in _fold_char(ch):
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


STOP_WORDS = frozenset(
    piece[2] for word in _STOP_TEXT.split() for piece in split_word(word)
) | ELISIONS


# --------------------------------------------------------------------------
# Stemmers. All take a folded word (ASCII lowercase) and return its stem.

# Words ending in -s or -x that are the same in the singular.
_INVARIABLE = frozenset(
    """
    paris fois mois cours temps corps pays dos fils bras repas proces acces
    succes exces deces progres congres expres pres apres tres depuis jamais
    mais alors moins plus sans sous dans vers toujours ailleurs parfois
    autrefois desormais hors lors tandis volontiers gros gras bas las gris
    epais frais mars jadis souris avis refus abus puis jus ours bois poids
    choix prix paix voix croix noix perdrix dix six deux taux faux doux roux
    houx chaux heureux mieux vieux vieil vieille
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
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    # Number: back to the singular.
    if word in _INVARIABLE:
        return _gender_irregular(word)
    irregular = _IRREGULAR.get(word)
    if irregular is not None:
        return _gender_irregular(irregular)
    last = word[-1]
    if last == "x":
        if word.endswith("eaux"):
            word = word[:-1]
        elif word.endswith("aux") and len(word) > 4:
            word = word[:-3] + "al"
        elif word.endswith(("eux", "oux")):
            word = word[:-1]
    elif last == "s" and not word.endswith("ss"):
        word = word[:-1]
        if word in _INVARIABLE:
            return _gender_irregular(word)
        irregular = _IRREGULAR.get(word)
        if irregular is not None:
            return _gender_irregular(irregular)
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


def _no_stem(word: str) -> str:
    return word


STEMMERS = {
    "light": stem_light,
    "minimal": stem_minimal,
    "snowball": stem_snowball,
    "none": _no_stem,
}


# --------------------------------------------------------------------------
# Whoosh components. Module level, so that a pickled schema can import them.


class FrenchTokenizer(Tokenizer):
    """Split French text into folded words, keeping original offsets."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = value
            t.text = "".join(_fold_char(ch) for ch in value)
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        pos = start_pos
        for match in _WORD_RE.finditer(value):
            raw = match.group()
            offset = start_char + match.start()
            for start, end, text in split_word(raw):
                t.text = text
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = raw[start:end]
                if positions:
                    t.pos = pos
                    pos += 1
                if chars:
                    t.startchar = offset + start
                    t.endchar = offset + end
                yield t


class FrenchStopFilter(Filter):
    """Remove French stop words (folded spelling) and renumber positions."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        pos = None  # the next position to give, from the first token's
        for t in tokens:
            if t.positions and pos is None:
                pos = t.pos
            if is_stop_word(t.text):
                if not t.removestops:
                    t.stopped = True
                    if t.positions:
                        t.pos = pos
                    yield t
                continue
            if t.positions:
                t.pos = pos
                pos += 1
            yield t


class FrenchStemFilter(Filter):
    """Stem folded French words; ``stemmer`` names an entry of STEMMERS."""

    is_morph = True

    def __init__(self, stemmer: str = "light"):
        if stemmer not in STEMMERS:
            raise ValueError(f"unknown stemmer {stemmer!r}; one of {sorted(STEMMERS)}")
        self.stemmer = stemmer

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.stemmer == other.stemmer

    def __call__(self, tokens):
        stem = STEMMERS[self.stemmer]
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


def french_analyzer(stemmer: str = "light"):
    """Return the analyzer for French text fields and their queries.

    >>> [t.text for t in french_analyzer()("Les frappes aériennes d’aujourd’hui")]
    ['frapp', 'aerien', 'aujourdhui']
    """
    return FrenchTokenizer() | FrenchStopFilter() | FrenchStemFilter(stemmer)


_DEFAULT_ANALYZER = french_analyzer()


WORD_RE = _WORD_RE


def is_stop_word(word: str) -> bool:
    """Whether a folded word is left out of the index: a French function word
    or a single letter (digits never are).

    >>> [is_stop_word(w) for w in ("les", "x", "7", "frappes")]
    [True, True, False, False]
    """
    return word in STOP_WORDS or (len(word) == 1 and word.isalpha())


@lru_cache(maxsize=1 << 17)
def word_terms(raw: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, folded word, index term) of each piece of one raw word.

    The term is the stem the default analyzer gives the word, or the folded
    word itself for a stop word (which the index does not hold).

    >>> word_terms("l’Armée")
    ((2, 7, 'armee', 'arm'),)
    """
    out = []
    for start, end, word in split_word(raw):
        out.append((start, end, word, word if is_stop_word(word) else stem_light(word)))
    return tuple(out)


def word_spans(text: str):
    """(start, end, folded word, index term) of every word of ``text``.

    The analyzer's words without Whoosh's token machinery, for marking the
    words of a story that a query matched.

    >>> list(word_spans("Les frappes"))
    [(0, 3, 'les', 'les'), (4, 11, 'frappes', 'frapp')]
    """
    for match in _WORD_RE.finditer(text):
        offset = match.start()
        for start, end, word, term in word_terms(match.group()):
            yield offset + start, offset + end, word, term


def analyze(text: str) -> list[str]:
    """Return the index terms of ``text``, as the default analyzer makes them.

    >>> analyze("L'Etat islamique a revendiqué l’attaque du porte-parole")
    ['etat', 'islamique', 'revendique', 'attaque', 'porte', 'parol']
    """
    return [t.text for t in _DEFAULT_ANALYZER(text)]
