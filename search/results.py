"""What a search asks and answers: the project's own frozen records.

Whoosh objects never leave :mod:`search.searcher`; the CLI, the TUI and
scripts see only these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indexer.story import Story

SORTS = ("relevance", "date", "-date")
#: Facets a search can count, as named on the command line.
FACETS = ("agency", "translators", "authors", "editors", "places", "version", "date")
DATE_BUCKETS = ("year", "month", "day")


@dataclass(frozen=True)
class SearchRequest:
    """One search: query text, filters, sort, page and facets.

    Filters take values whatever their case and accents (``rouquie`` finds
    *Danielle Rouquié*); several values of one filter are alternatives, and
    different filters must all hold.
    """

    query: str = ""
    agencies: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    sort: str | None = None          # relevance | date (oldest first) | -date (newest first)
    page: int = 1
    limit: int = 20
    all_versions: bool = False
    facets: tuple[str, ...] = ()
    date_facet: str = "year"          # year | month | day
    snippets: bool = True


@dataclass(frozen=True)
class Hit:
    """One row of a result page: a story (the latest version of its group)."""

    story: Story
    score: float | None = None
    snippet: str = ""
    highlights: tuple[tuple[int, int], ...] = ()
    versions: int = 1
    group: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The story's fields under the Story record's names, then the hit's."""
        out = self.story.to_dict()
        out.update({
            "score": None if self.score is None else round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
            "versions": self.versions,
            "group": self.group,
        })
        return out


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class ResultPage:
    """The answer to a :class:`SearchRequest`."""

    query: str
    total: int
    page: int
    limit: int
    hits: tuple[Hit, ...] = ()
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict, hash=False)
    suggestions: tuple[str, ...] = ()
    elapsed: float = 0.0
    sort: str = "relevance"
    grouped: bool = True

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit)) if self.limit else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "sort": self.sort,
            "grouped": self.grouped,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {name: {v.value: v.count for v in values} for name, values in self.facets.items()},
            "suggestions": list(self.suggestions),
            "elapsed_ms": round(self.elapsed * 1000, 1),
        }
