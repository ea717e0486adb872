"""Timelines: date counts as a row of periods with the empty ones filled in.

A date facet counts only the periods that have stories (``2008``, then
``2012``); read as a timeline, the empty periods are the story: a topic that
stops for three years, a month without a word. :func:`make_timeline` turns
date counts (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` keys) into every period
from the first to the last, zeros included; :func:`choose_bucket` picks the
finest bucket whose timeline fits a number of rows; :func:`bar` and
:func:`render_timeline` draw it as text bars. The CLI (``depeche facets
--field date --plot``) and the TUI (the timeline screen, the facet
sidebar) only display what this module computes.

A count under another label than a period (``(no date)``, which the facet
may count for undated stories) is kept apart as :attr:`Timeline.undated`.

>>> t = make_timeline({"2008": 4, "2012": 9, "2011": 0}, "year")
>>> [(p.label, p.count) for p in t.periods]
[('2008', 4), ('2009', 0), ('2010', 0), ('2011', 0), ('2012', 9)]
>>> print("\\n".join(render_timeline(t, width=30)))
2008  █████████▊             4
2009                         0
2010                         0
2011                         0
2012  ██████████████████████ 9
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from search.query import SearchError

BUCKETS = ("year", "month", "day")
#: The most periods a timeline fills (a day timeline of 30 years is 11,000
#: rows: refused, with the coarser bucket to use instead).
MAX_PERIODS = 5000
_EIGHTHS = " ▏▎▍▌▋▊▉"
_PERIOD = {"year": re.compile(r"\d{4}"), "month": re.compile(r"\d{4}-\d{2}"),
           "day": re.compile(r"\d{4}-\d{2}-\d{2}")}


class TimelineError(SearchError):
    """A timeline that cannot be drawn (too many periods for its bucket)."""

    def __init__(self, message: str, hint: str | None = None):
        self.hint = hint
        super().__init__(message)


@dataclass(frozen=True)
class Period:
    """One period of a timeline: ``2015``, ``2015-11`` or ``2015-11-20``."""

    label: str
    count: int


@dataclass(frozen=True)
class Timeline:
    """Every period from the first dated story to the last, zeros included."""

    bucket: str
    periods: tuple[Period, ...]
    #: Stories counted under a label that is no period (``(no date)``).
    undated: int = 0
    undated_label: str = "(no date)"

    @property
    def total(self) -> int:
        """Dated stories."""
        return sum(p.count for p in self.periods)

    @property
    def top(self) -> int:
        return max((p.count for p in self.periods), default=0)

    @property
    def empty_periods(self) -> int:
        return sum(1 for p in self.periods if not p.count)

    def describe(self, units: tuple[str, str] = ("story", "stories")) -> str:
        """``9 stories by year, 2008 to 2012 (3 empty years)``; ``units``:
        what the counts count, singular and plural (story groups by default
        in a search, stories with ``--all-versions``).

        >>> make_timeline({"2008": 4, "2012": 9}, "year").describe()
        '13 stories by year, 2008 to 2012 (3 of 5 years without a story)'
        """
        n = self.total
        if not self.periods:
            return "no dated story"
        unit = units[0] if n == 1 else units[1]
        first, last = self.periods[0].label, self.periods[-1].label
        span = first if first == last else f"{first} to {last}"
        out = f"{n:,} {unit} by {self.bucket}, {span}"
        if self.empty_periods:
            out += (f" ({self.empty_periods:,} of {len(self.periods):,} {self.bucket}s"
                    f" without a story)")
        return out


def _start(label: str, bucket: str) -> dt.date:
    if bucket == "year":
        return dt.date(int(label), 1, 1)
    if bucket == "month":
        return dt.date(int(label[:4]), int(label[5:7]), 1)
    return dt.date.fromisoformat(label)


def _label(day: dt.date, bucket: str) -> str:
    return {"year": f"{day.year:04d}", "month": f"{day.year:04d}-{day.month:02d}",
            "day": day.isoformat()}[bucket]


def _next(day: dt.date, bucket: str) -> dt.date:
    if bucket == "year":
        return day.replace(year=day.year + 1)
    if bucket == "month":
        return day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
    return day + dt.timedelta(days=1)


def period_count(first: str, last: str, bucket: str) -> int:
    """How many periods a timeline from ``first`` to ``last`` has.

    >>> period_count("2008-11", "2016-12", "month"), period_count("2015-11-01", "2015-12-01", "day")
    (98, 31)
    """
    a, b = _start(first, bucket), _start(last, bucket)
    if bucket == "year":
        return b.year - a.year + 1
    if bucket == "month":
        return (b.year - a.year) * 12 + b.month - a.month + 1
    return (b - a).days + 1


def is_period(label: str, bucket: str) -> bool:
    """Whether a facet label is a period of that bucket (``(no date)`` is none)."""
    if not _PERIOD[bucket].fullmatch(label):
        return False
    try:
        _start(label, bucket)
    except ValueError:
        return False
    return True


def make_timeline(counts: Mapping[str, int] | Iterable, bucket: str,
                  max_periods: int = MAX_PERIODS) -> Timeline:
    """A timeline from date counts: a mapping of labels to counts, or facet
    values (anything with ``value`` and ``count``). Raises TimelineError past
    ``max_periods`` periods.

    >>> t = make_timeline({"2020-02": 3, "2020-05": 1, "(no date)": 7}, "month")
    >>> [p.label for p in t.periods], t.undated
    (['2020-02', '2020-03', '2020-04', '2020-05'], 7)
    """
    if bucket not in BUCKETS:
        raise TimelineError(f"bucket {bucket!r}; one of {', '.join(BUCKETS)}")
    items = counts.items() if isinstance(counts, Mapping) else ((v.value, v.count) for v in counts)
    dated: dict[str, int] = {}
    undated, undated_label = 0, "(no date)"
    for label, count in items:
        if is_period(label, bucket):
            dated[label] = dated.get(label, 0) + int(count)
        else:
            undated += int(count)
            undated_label = label
    if not dated:
        return Timeline(bucket, (), undated, undated_label)
    first, last = min(dated), max(dated)
    n = period_count(first, last, bucket)
    if n > max_periods:
        coarser = BUCKETS[max(0, BUCKETS.index(bucket) - 1)]
        raise TimelineError(f"a timeline by {bucket} from {first} to {last} has {n:,} {bucket}s, "
                            f"more than {max_periods:,} can be drawn", hint=f"count by {coarser}")
    periods = []
    day = _start(first, bucket)
    for _ in range(n):
        label = _label(day, bucket)
        periods.append(Period(label, dated.get(label, 0)))
        day = _next(day, bucket)
    return Timeline(bucket, tuple(periods), undated, undated_label)


def coarsen(counts: Mapping[str, int] | Iterable, bucket: str) -> dict[str, int]:
    """Day counts (``YYYY-MM-DD``) added up by month or year; other labels
    (``(no date)``) kept as they are.

    >>> coarsen({"2015-11-20": 2, "2015-11-03": 1, "2016-01-02": 1, "(no date)": 5}, "month")
    {'2015-11': 3, '2016-01': 1, '(no date)': 5}
    """
    items = counts.items() if isinstance(counts, Mapping) else ((v.value, v.count) for v in counts)
    size = {"year": 4, "month": 7, "day": 10}[bucket]
    out: dict[str, int] = {}
    for label, count in items:
        key = label[:size] if is_period(label, "day") else label
        out[key] = out.get(key, 0) + int(count)
    return out


def choose_bucket(first: str, last: str, max_rows: int) -> str:
    """The finest bucket (day, then month, then year) whose timeline from
    ``first`` to ``last`` (two dates, ``YYYY-MM-DD``) fits ``max_rows``.

    >>> choose_bucket("2015-11-03", "2015-11-20", 30), choose_bucket("2015-01-03", "2016-11-20", 30)
    ('day', 'month')
    >>> choose_bucket("2008-11-03", "2016-12-08", 30)
    'year'
    """
    for bucket in ("day", "month"):
        if period_count(first[: {"day": 10, "month": 7}[bucket]], last[: {"day": 10, "month": 7}[bucket]],
                        bucket) <= max_rows:
            return bucket
    return "year"


def bar(count: int, top: int, width: int) -> str:
    """A bar of eighths of a cell, ``width`` cells for ``top``; a count above
    zero always shows (one eighth at least), zero is blank.

    >>> bar(5, 10, 4), bar(1, 100, 4), bar(0, 100, 4)
    ('██  ', '▏   ', '    ')
    """
    units = round(count / top * width * 8) if top else 0
    units = max(units, 1) if count else 0
    full, part = divmod(units, 8)
    return ("█" * full + (_EIGHTHS[part] if part else "")).ljust(width)


def render_timeline(timeline: Timeline, width: int = 80) -> list[str]:
    """The timeline as lines of text: period, bar, count; the undated count
    last. ``width`` is the whole line's.

    >>> render_timeline(make_timeline({"2016-02-09": 2, "2016-02-11": 1}, "day"), width=28)
    ['2016-02-09  ██████████████ 2', '2016-02-10                 0', '2016-02-11  ███████        1']
    """
    if not timeline.periods and not timeline.undated:
        return []
    label_width = max((len(p.label) for p in timeline.periods), default=4)
    count_width = max((len(f"{p.count:,}") for p in timeline.periods), default=1)
    bar_width = max(4, width - label_width - count_width - 3)
    top = timeline.top
    lines = [f"{p.label:<{label_width}}  {bar(p.count, top, bar_width)} {p.count:>{count_width},}"
             for p in timeline.periods]
    if timeline.undated:
        lines.append(f"{timeline.undated_label}  {timeline.undated:,}")
    return lines


__all__ = ["BUCKETS", "MAX_PERIODS", "Period", "Timeline", "TimelineError", "bar", "choose_bucket", "coarsen",
           "is_period", "make_timeline", "period_count", "render_timeline"]
