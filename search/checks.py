"""The checks of a :class:`~search.results.SearchRequest`, and the filters
it asks for as a Whoosh query (agencies, people, places, versions, dates).

>>> check_request(SearchRequest("syrie"))
'relevance'
>>> check_request(SearchRequest(""))
'-date'
>>> check_request(SearchRequest("syrie", sort="pertinence"))
Traceback (most recent call last):
...
search.checks.RequestError: sort: 'pertinence'; one of relevance, date, -date
"""

from __future__ import annotations

from whoosh import query as wq

from indexer.analysis import FrenchTokenizer
from indexer.fields import EXACT, FIELDS, NAMES
from indexer.index.schema import fold_value
from search.query import QueryError, SearchError, check_date
from search.results import DATE_BUCKETS, FACETS, MISSING, SORTS, SearchRequest

_NAMES = FrenchTokenizer()
#: (SearchRequest attribute, index field) of the filters on names, then on exact values.
_FILTERS = tuple((f.filter, f.name) for f in FIELDS.filters if f.index == NAMES)
_EXACT_FILTERS = tuple((f.filter, f.name) for f in FIELDS.filters if f.index == EXACT)


class RequestError(SearchError):
    """A search request with a bad value (sort, page, facet, date)."""


def check_request(request: SearchRequest) -> str:
    """Raise RequestError on a bad value; returns the sort the request means."""
    sort = request.sort or ("relevance" if request.query.strip() else "-date")
    if sort not in SORTS:
        raise RequestError(f"sort: {sort!r}; one of {', '.join(SORTS)}")
    if request.page < 1 or request.limit < 1:
        raise RequestError("page and limit start at 1")
    for name in request.facets:
        if name not in FACETS:
            raise RequestError(f"facet: {name!r}; one of {', '.join(FACETS)}")
    if request.date_facet not in DATE_BUCKETS:
        raise RequestError(f"facet dates by {request.date_facet!r}; one of {', '.join(DATE_BUCKETS)}")
    return sort


def missing_query(field: str) -> wq.Query:
    """The stories without any value in ``field``: what the facets' ``(none)``
    (and the date's ``(no date)``) count."""
    return wq.Not(wq.Every(field))


def _value_query(field: str, value: str) -> wq.Query:
    if value.strip() == MISSING:
        return missing_query(field)
    words = [t.text for t in _NAMES(value)]
    if not words:
        raise RequestError(f"{field}: {value!r} has no letters or digits to look for")
    if len(words) == 1:
        return wq.Term(field, words[0])
    return wq.Phrase(field, words)


def date_range_query(date_from: str | None, date_to: str | None) -> wq.Query | None:
    """Stories dated between two (partial) dates, both included."""
    if not date_from and not date_to:
        return None
    try:
        lo = check_date(date_from, date_from, 0)[0] if date_from else None
        hi = check_date(date_to, date_to, 0)[1] if date_to else None
    except QueryError as exc:
        raise RequestError(f"date: {exc.message}") from None
    if lo and hi and lo > hi:
        raise RequestError(f"date: --from {date_from} is after --to {date_to}")
    return wq.TermRange("day", lo, hi)


def filter_query(request: SearchRequest) -> wq.Query | None:
    """The request's filters, all required (None: no filter)."""
    parts: list[wq.Query] = []
    for attr, field in _FILTERS:
        values = getattr(request, attr)
        if values:
            parts.append(wq.Or([_value_query(field, v) for v in values]))
    for attr, field in _EXACT_FILTERS:
        values = getattr(request, attr)
        if values:
            # Folded as the index folds the field's values.
            parts.append(wq.Or([missing_query(field) if v.strip() == MISSING else wq.Term(field, fold_value(v))
                                for v in values]))
    dates = date_range_query(request.date_from, request.date_to)
    if request.undated:  # alone: the undated stories; with dates: those dates or none
        dates = missing_query("day") if dates is None else wq.Or([dates, missing_query("day")])
    if dates is not None:
        parts.append(dates)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


__all__ = ["RequestError", "check_request", "date_range_query", "filter_query"]
