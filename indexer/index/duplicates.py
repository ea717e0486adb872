"""Republished copies (*dédoublonnage*): exact and near-exact duplicates.

A feed or a site republishes a story unchanged (realdata's OrangeSum holds
the same AFP story under several addresses); shown as versions, the copies
look like four "(original)" versions with one headline. Two stories are
duplicates when they come from the same *source* (agency and publication,
folded) and

- their **folded headlines are equal** (case, accents, punctuation and
  spacing ignored: the folding tokenizer's words), and
- the **5-word shingles of their folded bodies** have a Jaccard similarity
  of at least :data:`NEAR_MIN` (1.0: the same words in the same order).

Bodies of fewer than :data:`MIN_WORDS` words are never duplicates: flashes
repeat a headline for different events. A story that names its version
(urgent, actualisé, répétition, correction...) is the agency's own version,
never a copy: a correction changes one word of its original. Duplicates are the connected
components of that relation; each component's *original* is its earliest
dated story (then the smallest id), the others record it in
``duplicate_of``. The relation is global (any day), unlike story groups.

Measured on the 2,365 real stories of ``../shared/realdata`` (all pairs of
one source compared): 30 pairs are byte-identical, 31 identical once folded;
Jaccard ≥ 0.95 adds one pair (one letter deleted), ≥ 0.9 one more, which is
an update (a paragraph added: a version, not a copy), and 0.85–0.9 are
rewritten updates. With ≥ 0.95: 29 stories are copies of 27 originals; every
pair at ≥ 0.95 shares its folded headline, so the headline key loses none.
"""

from __future__ import annotations

import hashlib
from typing import Iterable

from indexer.analysis import WORD_RE, split_word, text_terms
from indexer.index.partition import Partition
from indexer.story import Story

NEAR_MIN = 0.95
MIN_WORDS = 20
SHINGLE = 5


def _folded(text: str | None) -> list[str]:
    # The folding tokenizer's words (FrenchTokenizer), from the cache of
    # each raw word's pieces.
    return text_terms(text or "", None)


def _has_words(text: str, count: int) -> bool:
    """Whether ``text`` holds at least ``count`` folded words (reading no
    further than that)."""
    if count <= 0:
        return True
    for match in WORD_RE.finditer(text):
        count -= len(split_word(match.group()))
        if count <= 0:
            return True
    return False


def _source(story: Story) -> str:
    return " ".join(_folded(story.agency)) + "|" + " ".join(_folded(story.publication))


def duplicate_key(story: Story) -> str | None:
    """The key under which a story's possible copies are looked for (its
    source and folded headline), None if its body is too short to tell.

    >>> a = Story(id="a", agency="AFP", headline="Séisme au Japon", body="mot " * 30)
    >>> b = Story(id="b", agency="afp", headline="SEISME au japon !", body="mot " * 30)
    >>> duplicate_key(a) == duplicate_key(b) != None
    True
    """
    if story.version or not _has_words(story.body or "", MIN_WORDS):
        return None
    raw = _source(story) + "|" + " ".join(_folded(story.headline))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


def shingles(story: Story) -> frozenset[tuple[str, ...]]:
    words = _folded(story.body)
    return frozenset(tuple(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1)))


def similarity(a: frozenset, b: frozenset) -> float:
    """Jaccard similarity of two shingle sets."""
    return len(a & b) / len(a | b) if a and b else 0.0


def _original_first(story: Story) -> tuple[int, str, str]:
    return (0 if story.date else 1, story.date or "", story.id)


def find_duplicates(stories: Iterable[Story]) -> dict[str, str | None]:
    """For stories sharing one :func:`duplicate_key`: story id -> the id of
    the original it copies (None for an original or a story copying none).

    >>> body = "Le gouvernement a annoncé mardi une série de mesures pour soutenir les éleveurs " * 2
    >>> a = Story(id="b1", agency="AFP", headline="Mesures", body=body, date="2020-05-02")
    >>> b = Story(id="a1", agency="AFP", headline="Mesures", body=body, date="2020-05-03")
    >>> find_duplicates([a, b])
    {'a1': 'b1', 'b1': None}
    """
    stories = sorted(stories, key=lambda s: s.id)
    if len(stories) == 1:  # nothing to compare (most keys)
        return {stories[0].id: None}
    copies = Partition(s.id for s in stories)
    find = copies.find
    sets = [shingles(s) for s in stories]
    for i in range(len(stories)):
        for j in range(i + 1, len(stories)):
            if similarity(sets[i], sets[j]) >= NEAR_MIN:
                copies.join(stories[i].id, stories[j].id)
    components: dict[str, list[Story]] = {}
    for s in stories:
        components.setdefault(find(s.id), []).append(s)
    out: dict[str, str | None] = {}
    for members in components.values():
        original = min(members, key=_original_first).id
        for s in members:
            out[s.id] = None if s.id == original else original
    return out


__all__ = ["MIN_WORDS", "NEAR_MIN", "duplicate_key", "find_duplicates", "shingles", "similarity"]
