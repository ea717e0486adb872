"""Known-item queries made independently of the analyzer (issue 15's measure).

:func:`bench.known_item.build_queries` makes its queries from real corpus
forms only, leaves stop-list words out by the project's own stop list and
never inflects names. The queries here are made without the project's
analysis (no stemmer, no stop list, no folding of its own: ``unidecode`` and
``lower``), the way a user types:

- the words are 2–3 distinctive headline words (at most 5% of the stories),
  function words left out by :data:`FUNCTION_WORDS`, a list written for this
  evaluation; but a form of *avoir* or *être* (or ``car``, ``son``, ``ton``)
  that follows a determiner in the headline (``les avions``, ``des sommes``,
  ``l'été``) is a noun *near the stop list*, always taken, and its other
  inflection is its other number when a story has it;
- the other inflection (``infl``) of a common word is one of: its attested
  other forms by the French number and gender rules
  (:func:`bench.known_item.inflect`'s rules), its plural with an *s* added
  even if no story has it, its singular with the *s* dropped (``secours`` ->
  ``secour``), or, when that singular is in no story (the *s* is the
  word's own: ``abus``), an *s* added (``abuss``): forms absent from the corpus;
- names (a capital inside the headline, or never written in lower case) are
  inflected too: the plural (``Macrons``, ``Montréal`` -> ``Montréaux``);
  acronyms and compounds keep their form;
- the four variants as before: ``exact``, ``noacc`` (unidecode), ``infl``,
  ``both``.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass

from unidecode import unidecode

from bench.known_item import _gender_forms, _number_forms

#: French function words (closed classes), written for this evaluation.
FUNCTION_WORDS = frozenset("""
le la les l un une des du de d au aux ce cet cette ces mon ma mes ton ta tes son sa ses
notre nos votre vos leur leurs quel quelle quels quelles
je j me m moi tu te t toi il ils elle elles on nous vous se s soi lui eux y en
qui que qu quoi dont ou lequel laquelle lesquels lesquelles auquel auxquels duquel
celui celle ceux celles ceci cela ca
a dans par pour sur sous avec sans chez entre vers contre depuis pendant avant apres
selon parmi malgre envers des jusqu jusque lors lorsque puisque quoique
et mais donc or ni car si comme quand que
ai as avons avez ont avais avait avions aviez avaient aura auras aurons aurez auront
aurais aurait aurions auriez auraient eu eue eus eut ayant avoir
suis es est sommes etes sont etais etait etions etiez etaient sera seras serons serez
seront serais serait serions seriez seraient soit soient fut furent ete etant etre
ne n pas plus moins tres aussi ainsi alors deja encore ici tout tous toute toutes
meme memes autre autres tant peu bien
""".split())
#: Function-word forms that are also nouns: forms of *avoir* and *être*
#: (les avions, des sommes, l'été, l'Est, un être) and le car, le son, le ton.
NOUN_HOMOGRAPHS = frozenset("""
ai as avons avez ont avais avait avions aviez avaient aura auras aurons aurez auront
aurais aurait aurions auriez auraient eu eue eus eut ayant avoir
suis es est sommes etes sont etais etait etions etiez etaient sera seras serons serez
seront serais serait serions seriez seraient soit soient fut furent ete etant etre
car son ton
""".split())
#: Determiners after which such a form is a noun, singular and plural.
_SINGULAR = frozenset("le la un une du cet cette".split())
_PLURAL = frozenset("les des ces ses leurs nos vos mes".split())
#: After an elided l' only these are nouns (l'été, l'être, l'avoir; l'avait is a pronoun and a verb).
_AFTER_L = frozenset("ete etre avoir".split())
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ELISION_RE = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)


def plain(word: str) -> str:
    """The evaluation's own folding: no accents, lower case."""
    return unidecode(word).lower()


@dataclass(frozen=True)
class Query:
    """The words of one known-item query in its four variants, and what they hold."""

    story_id: str
    words: dict  # variant -> list of words
    kinds: frozenset  # "absent", "name", "near-stop" when a word is of that kind


def _candidates(headline: str, doc_freq: Counter, max_df: int, common: set) -> list[tuple[str, str]]:
    """(word, kind) of the distinctive headline words: kind is ``common``,
    ``name``, ``fixed`` (acronyms, compounds), or for a noun near the stop
    list ``near-stop-singular`` / ``near-stop-plural`` (its determiner's number)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    previous = None
    for index, match in enumerate(_WORD_RE.finditer(headline)):
        raw = match.group()
        elided = _ELISION_RE.match(raw)
        word = raw[elided.end():] if elided else raw
        folded = plain(word)
        number = None
        if elided is not None and plain(elided.group()[0]) == "l":
            if folded in _AFTER_L or word[:1].isupper():
                number = "singular"
        elif previous in _SINGULAR:
            number = "singular"
        elif previous in _PLURAL:
            number = "plural"
        previous = folded
        if folded in seen or not word:
            continue
        if folded in FUNCTION_WORDS:
            if number and folded in NOUN_HOMOGRAPHS:
                seen.add(folded)
                out.append((word, f"near-stop-{number}"))
            continue
        if len(word) < 4 or doc_freq.get(folded, 0) > max_df:
            continue
        seen.add(folded)
        if "-" in word or "'" in word or "’" in word or word.isupper():
            kind = "fixed"
        elif word[0].isupper() and (index > 0 or word.lower() not in common):
            kind = "name"
        else:
            kind = "common"
        out.append((word, kind))
    return out


def _in_case(form: str, word: str) -> str:
    return form[0].upper() + form[1:] if word[0].isupper() else form


def other_form(word: str, kind: str, attested: set, rng: random.Random) -> tuple[str, bool]:
    """Another inflection of ``word`` and whether no story holds it (absent)."""
    lower = word.lower()
    if kind == "fixed":
        return word, False
    if kind.startswith("near-stop"):
        # A noun near the stop list: the other number, if a story has it.
        form = lower[:-1] if kind.endswith("plural") and lower.endswith("s") else \
            lower + "s" if kind.endswith("singular") and not lower.endswith(("s", "x")) else lower
        return (_in_case(form, word), False) if form in attested else (word, False)
    if kind == "name":
        if lower.endswith(("s", "x", "z")):
            return word, False
        forms = {f for f in _number_forms(lower) if f != lower}
    else:
        forms = {f for f in set(_number_forms(lower) + _gender_forms(lower)) if f != lower and f in attested}
        if lower.endswith("s"):
            forms.add(lower[:-1])  # dropped s: secours -> secour
            if lower[:-1] not in attested:
                forms.add(lower + "s")  # the s is the word's own: abus -> abuss
        elif not lower.endswith(("x", "z", "er", "ir", "ez")):  # no plural of an infinitive
            forms.add(lower + "s")
    forms.discard(lower)
    if not forms:
        return word, False
    form = rng.choice(sorted(forms))
    return _in_case(form, word), form not in attested


def build_independent_queries(stories, sample: int, seed: int) -> list[Query]:
    """The known-item queries of the independent evaluation (same seed, same queries)."""
    doc_freq: Counter = Counter()
    common: set = set()
    attested: set = set()
    for story in stories:
        words = {_ELISION_RE.sub("", w) for w in _WORD_RE.findall(story.headline + "\n" + story.text)}
        words.discard("")
        common.update(w for w in words if w[0].islower())
        attested.update(w.lower() for w in words)
        doc_freq.update({plain(w) for w in words})
    max_df = max(2, len(stories) // 20)
    headline_count = Counter(s.headline for s in stories)
    pool = [s for s in stories if headline_count[s.headline] == 1]
    rng = random.Random(seed)
    if sample and sample < len(pool):
        pool = rng.sample(pool, sample)
    queries = []
    for story in pool:
        srng = random.Random(f"independent:{seed}:{story.id}")
        candidates = _candidates(story.headline, doc_freq, max_df, common)
        near = [c for c in candidates if c[1].startswith("near-stop")]
        rest = [c for c in candidates if not c[1].startswith("near-stop")]
        if len(candidates) < 2 or not rest:
            continue
        want = min(len(candidates), srng.choice((2, 3)))
        chosen = near[:want - 1] + srng.sample(rest, min(len(rest), want - len(near[:want - 1])))
        order = {w: i for i, (w, _) in enumerate(candidates)}
        chosen.sort(key=lambda c: order[c[0]])  # in headline order
        exact = [w for w, _ in chosen]
        infl, kinds = [], set()
        for word, kind in chosen:
            form, absent = other_form(word, kind, attested, srng)
            infl.append(form)
            if form != word:
                if absent:
                    kinds.add("absent")
                if kind == "name":
                    kinds.add(kind)
        if any(kind.startswith("near-stop") for _, kind in chosen):
            kinds.add("near-stop")
        queries.append(Query(story.id, {
            "exact": exact, "noacc": [unidecode(w) for w in exact],
            "infl": infl, "both": [unidecode(w) for w in infl]}, frozenset(kinds)))
    return queries


__all__ = ["FUNCTION_WORDS", "Query", "build_independent_queries", "other_form", "plain"]
