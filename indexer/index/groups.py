"""Story groups: the versions of one story (urgent -> actualisé -> refonte).

The rule: two stories are versions of one story when they come from the
same agency on the same day (the *bucket*) and their headlines or their
leads are near-identical: the Jaccard similarity of their analyzed words
(folded, stemmed, without stop words) is at least :data:`HEADLINE_MIN` for
headlines, or :data:`LEAD_MIN` for the first :data:`LEAD_WORDS` words of the
body. A story marked as a later version (actualisé, refonte, répétition,
correction, rectificatif: :data:`~indexer.fields.LATER_VERSIONS`) updates
*something*: it also joins the most similar story of its bucket when that
similarity reaches :data:`UPDATE_MIN`, since a rewrite (refonte) often keeps
few of its first version's words. Groups are the connected components of that relation inside a bucket,
and a group is named by the smallest id of its members, so the result does
not depend on the order in which stories were indexed.

Measured on the bundled corpus: every version group (Reuters BCE and tempête,
AFP tempête, ATS BNS, AP Fed) is found, and no two different stories of one
agency and day are joined (tests/test_groups.py).
"""

from __future__ import annotations

from typing import Iterable

from indexer.analysis import text_terms
from indexer.fields import LATER_VERSIONS
from indexer.index.partition import Partition
from indexer.story import Story

HEADLINE_MIN = 0.5
LEAD_MIN = 0.4
LEAD_WORDS = 40
UPDATE_MIN = 0.2


def _words(text: str | None, limit: int | None = None) -> frozenset[str]:
    terms = text_terms(text or "", "light")
    return frozenset(terms[:limit] if limit else terms)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _signature(story: Story) -> tuple[frozenset[str], frozenset[str]]:
    return _words(story.headline), _words(story.body[:600], LEAD_WORDS)


def _similar(a: tuple[frozenset[str], frozenset[str]], b: tuple[frozenset[str], frozenset[str]]) -> bool:
    return _jaccard(a[0], b[0]) >= HEADLINE_MIN or _jaccard(a[1], b[1]) >= LEAD_MIN


def _similarity(a: tuple[frozenset[str], frozenset[str]], b: tuple[frozenset[str], frozenset[str]]) -> float:
    return max(_jaccard(a[0], b[0]), _jaccard(a[1], b[1]))


def same_story(a: Story, b: Story) -> bool:
    """Whether two stories of one bucket are versions of one story.

    >>> a = Story(id="1", headline="Séisme au Japon", body="Un séisme a frappé le Japon vendredi.")
    >>> b = Story(id="2", headline="Séisme au Japon, alerte au tsunami",
    ...           body="Un violent séisme a frappé le Japon vendredi, provoquant un tsunami.")
    >>> same_story(a, b)
    True
    """
    return _similar(_signature(a), _signature(b))


def group_bucket(stories: Iterable[Story]) -> dict[str, str]:
    """Group ids for the stories of one bucket: story id -> group id."""
    stories = sorted(stories, key=lambda s: s.id)
    signatures = [_signature(s) for s in stories]
    sets = Partition(s.id for s in stories)
    find, join = sets.find, sets.join

    # A feed's versions of one item (one guid) are one story, whatever their text.
    first_of_guid: dict[str, str] = {}
    for s in stories:
        guid = s.meta.get("guid") if isinstance(s.meta, dict) else None
        if isinstance(guid, str) and guid:
            join(first_of_guid.setdefault(guid, s.id), s.id)
    for i, a in enumerate(stories):
        for j in range(i + 1, len(stories)):
            if _similar(signatures[i], signatures[j]):
                join(a.id, stories[j].id)
    for i, a in enumerate(stories):
        if a.version in LATER_VERSIONS and len(stories) > 1:
            score, j = max((_similarity(signatures[i], signatures[j]), j)
                           for j in range(len(stories)) if j != i)
            if score >= UPDATE_MIN:
                join(a.id, stories[j].id)
    return {s.id: find(s.id) for s in stories}
