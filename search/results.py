"""What a search asks and answers: the project's own frozen records.

Whoosh objects never leave :mod:`search.searcher`; the CLI, the TUI and
scripts see only these.
"""

from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from typing import Any

from indexer.fields import FIELDS, FieldTable
from indexer.story import Story

SORTS = ("relevance", "date", "-date")
#: Every name of a sort (``newest``, ``oldest``) -> the sort it is.
SORT_NAMES = {"relevance": "relevance", "date": "date", "oldest": "date", "-date": "-date", "newest": "-date"}
#: Facets a search can count (the field table's; any of a field's names is
#: accepted and read as the field's own: ``place``, ``lieu`` -> ``places``).
FACETS = FIELDS.facets
#: What ``--facets`` counts given no names.
USUAL_FACETS = FIELDS.usual_facets
DATE_BUCKETS = ("year", "month", "day")
#: The facet value of the stories without a value (filtering on it finds them:
#: ``--place "(none)"``), and the date facet's, whose filter is ``undated``.
MISSING = "(none)"
NO_DATE = "(no date)"


def make_request_type(table: FieldTable = FIELDS, name: str = "SearchRequest") -> type:
    """The frozen search request of a field table: the query, one filter per
    filtering field (``agencies``, ``translators``...), then the options."""
    attributes: list[tuple[str, Any, Any]] = [("query", str, field(default=""))]
    attributes += [(f.filter, tuple[str, ...], field(default=())) for f in table.filters]
    attributes += [
        ("date_from", str | None, field(default=None)),
        ("date_to", str | None, field(default=None)),
        ("undated", bool, field(default=False)),       # the stories without a date (or, with dates, also them)
        ("sort", str | None, field(default=None)),      # relevance | date (oldest first) | -date (newest first)
        ("page", int, field(default=1)),
        ("limit", int, field(default=20)),
        ("all_versions", bool, field(default=False)),
        ("duplicates", bool, field(default=False)),     # republished copies too, each a row of its own
        ("facets", tuple[str, ...], field(default=())),
        ("date_facet", str, field(default="year")),     # year | month | day
        ("snippets", bool, field(default=True)),
    ]

    def __post_init__(self) -> None:
        # Facets by any of their names, kept under the field's own; unknown
        # names stay as given, for the searcher to refuse.
        facets = tuple(dict.fromkeys(table.facet(n) or n for n in self.facets))
        object.__setattr__(self, "facets", facets)
        # A sort by any of its names (newest, oldest); unknown names as given.
        object.__setattr__(self, "sort", SORT_NAMES.get(self.sort, self.sort))

    doc = ("One search: query text, filters, sort, page and facets.\n\n"
           "Filters take values whatever their case and accents (``rouquie`` finds\n"
           "*Danielle Rouquié*); several values of one filter are alternatives, and\n"
           "different filters must all hold. The filters (from :mod:`indexer.fields`): "
           + ", ".join(f.filter for f in table.filters) + ".\n\n"
           ">>> SearchRequest(\"syrie\", facets=(\"lieu\", \"agence\")).facets\n"
           "('places', 'agency')\n"
           ">>> SearchRequest(\"syrie\", sort=\"newest\").sort\n"
           "'-date'\n")
    return make_dataclass(name, attributes, frozen=True, namespace={
        "__module__": __name__, "__doc__": doc, "__post_init__": __post_init__})


#: One search: query text, filters, sort, page and facets.
SearchRequest = make_request_type()


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
    """One value of a facet and how many results a filter on it gives (story
    groups, or stories with ``all_versions``); ``missing``: the bucket of the
    results without a value (:data:`MISSING`, :data:`NO_DATE`)."""

    value: str
    count: int
    missing: bool = False


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
    #: What the search changed because words matched nothing (:mod:`search.relax`).
    relaxation: Any = None

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
            "relaxation": self.relaxation.to_dict() if self.relaxation else None,
            "elapsed_ms": round(self.elapsed * 1000, 1),
        }
