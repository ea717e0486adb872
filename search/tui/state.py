"""What the screen asks for: query, chosen facet values, date, sort.

A frozen record turned into a :class:`~search.results.SearchRequest`; the
TUI keeps no search logic of its own, only this state.

>>> s = ViewState("tempête").toggle("agency", "AFP")
>>> s.request().agencies
('AFP',)
>>> s.toggle("agency", "AFP").request().agencies
()
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from indexer.fields import FIELDS
from search.results import NO_DATE, SearchRequest

#: Facets shown in the sidebar -> the SearchRequest filter they set (the
#: field table's ``sidebar`` fields; the date has its own histogram).
FACET_FILTERS = {f.name: f.filter for f in FIELDS.sidebar}
#: Sidebar titles of the facets.
FACET_TITLES = {f.name: f.title for f in FIELDS.facet_fields}
#: Sort cycle of the ``s`` key, and how the status line names each.
SORT_CYCLE = ("relevance", "-date", "date")
SORT_LABELS = {"relevance": "relevance", "-date": "newest first", "date": "oldest first"}
#: Rows fetched per request; more are fetched when the cursor reaches the end.
PAGE_SIZE = 50


@dataclass(frozen=True)
class ViewState:
    """The search the screen shows."""

    query: str = ""
    filters: tuple[tuple[str, str], ...] = ()   # (facet, value), in the order chosen
    date: str | None = None                     # "2015" or "2015-11", or NO_DATE: the undated
    sort: str | None = None                     # None: relevance with a query, else newest first

    def request(self, page: int = 1, limit: int = PAGE_SIZE, facets: bool = True) -> SearchRequest:
        """The SearchRequest of this state (facets counted on page 1 only)."""
        chosen: dict[str, tuple[str, ...]] = {attr: () for attr in FACET_FILTERS.values()}
        for facet, value in self.filters:
            attr = FACET_FILTERS[facet]
            chosen[attr] = (*chosen[attr], value)
        return SearchRequest(
            query=self.query, sort=self.sort, page=page, limit=limit, snippets=False,
            date_from=self.dated, date_to=self.dated, undated=self.date == NO_DATE,
            facets=(*FACET_FILTERS, "date") if facets else (),
            date_facet="month" if self.dated else "year",
            **chosen,
        )

    @property
    def dated(self) -> str | None:
        """The period chosen ("2015", "2015-11"), None if none or the undated."""
        return None if self.date == NO_DATE else self.date

    def is_active(self, facet: str, value: str) -> bool:
        if facet == "date":
            return self.date == value
        return (facet, value) in self.filters

    def toggle(self, facet: str, value: str) -> "ViewState":
        """Choose a facet value, or remove it when chosen already.

        Dates narrow year then month; choosing the chosen month again goes
        back to its year, choosing the chosen year again removes the date.

        >>> ViewState().toggle("date", "2015").toggle("date", "2015-11").date
        '2015-11'
        >>> ViewState(date="2015-11").toggle("date", "2015-11").date
        '2015'
        >>> ViewState().toggle("date", "(no date)").request().undated
        True
        """
        if facet == "date":
            if self.date == value:
                return replace(self, date=value[:4] if len(value) > 4 and value != NO_DATE else None)
            return replace(self, date=value)
        pair = (facet, value)
        if pair in self.filters:
            return replace(self, filters=tuple(f for f in self.filters if f != pair))
        return replace(self, filters=(*self.filters, pair))

    def cleared(self) -> "ViewState":
        return replace(self, filters=(), date=None)

    @property
    def has_filters(self) -> bool:
        return bool(self.filters or self.date)

    def next_sort(self, current: str) -> "ViewState":
        """The next sort after the one the last page had.

        >>> ViewState().next_sort("relevance").sort
        '-date'
        """
        i = SORT_CYCLE.index(current) if current in SORT_CYCLE else -1
        return replace(self, sort=SORT_CYCLE[(i + 1) % len(SORT_CYCLE)])

    def describe_filters(self) -> list[str]:
        """The active filters as ``facet: value`` labels."""
        labels = [f"{FACET_TITLES[f].lower()}: {v}" for f, v in self.filters]
        if self.date:
            labels.append(f"date: {self.date}")
        return labels
