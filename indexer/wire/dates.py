"""Which day a story was filed, and how we know.

The dateline often gives the day and month only. The year comes, in this
order, from the text, the story's metadata, the file's path, the corpus
configuration; the weekday named in the lead confirms the date or chooses
between candidate years.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from indexer.wire.dateline import MONTHS as _DATELINE_MONTHS

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)

_PATH_YMD = re.compile(r"(?<!\d)((?:19|20)\d\d)([/\\_.-]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
_PATH_YM = re.compile(r"(?<!\d)((?:19|20)\d\d)[/\\](0[1-9]|1[0-2])(?:[/\\]|$)")
_PATH_Y = re.compile(r"(?:^|[/\\])((?:19|20)\d\d)(?:[/\\])")


@dataclass(frozen=True)
class DateResult:
    """A resolved date (ISO string or None), its source, and warnings."""

    date: str | None
    source: str | None
    warnings: tuple[str, ...] = ()


def parse_iso(value) -> dt.date | None:
    """A date from metadata: a date object or a string starting YYYY-MM-DD.

    >>> parse_iso("2015-11-20T10:02:00Z")
    datetime.date(2015, 11, 20)
    >>> parse_iso("20151120")
    datetime.date(2015, 11, 20)
    >>> parse_iso("hier") is None
    True
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    m = re.match(r"^\s*(\d{4})-?(\d{2})-?(\d{2})", value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def date_from_path(path: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) found in a file's path; month and day may be None.

    >>> date_from_path("corpus/reuters/2015/11/20/000_b7a.txt")
    (2015, 11, 20)
    >>> date_from_path("archive/2015-11-20-syrie.txt")
    (2015, 11, 20)
    >>> date_from_path("afp/2015/11/story.txt")
    (2015, 11, None)
    >>> date_from_path("stories/syrie.txt") is None
    True
    """
    path = path.replace("\\", "/")
    best = None
    for m in _PATH_YMD.finditer(path):
        try:
            dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        except ValueError:
            continue
        best = (int(m.group(1)), int(m.group(3)), int(m.group(4)))
    if best:
        return best
    for m in _PATH_YM.finditer(path):
        best = (int(m.group(1)), int(m.group(2)), None)
    if best:
        return best
    for m in _PATH_Y.finditer(path):
        best = (int(m.group(1)), None, None)
    return best


def lead_weekday(body: str) -> int | None:
    """The weekday (0 = Monday) first named in the lead, or None.

    >>> lead_weekday("La Russie a fait état vendredi d'importantes frappes")
    4
    """
    m = _WEEKDAY_RE.search(body[:300])
    return WEEKDAYS.index(m.group(1).lower()) if m else None


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _weekday_fits(date: dt.date, weekday: int | None) -> bool:
    """The lead's weekday is the day itself or the day before."""
    return weekday is None or weekday in (date.weekday(), (date.weekday() - 1) % 7)


def resolve_date(
    *,
    day: int | None,
    month: int | None,
    year: int | None,
    metadata_date=None,
    path: str = "",
    years: tuple[int, int] | None = None,
    lead: str = "",
) -> DateResult:
    """Resolve a story's date from every source, in order of trust.

    >>> resolve_date(day=20, month=11, year=None, path="reuters/2015/11/20/x.txt",
    ...              lead="a fait état vendredi")
    DateResult(date='2015-11-20', source='path', warnings=())
    >>> resolve_date(day=20, month=11, year=None, years=(2012, 2016), lead="vendredi")
    DateResult(date='2015-11-20', source='weekday', warnings=())
    """
    warnings: list[str] = []
    # The lead's weekday says something of the filing day only when the
    # dateline names a day: metadata and paths often carry a publication
    # date days after the events of the lead.
    weekday = lead_weekday(lead) if lead and day and month else None

    def done(date: dt.date | None, source: str | None) -> DateResult:
        if date is not None and not _weekday_fits(date, weekday):
            warnings.append(
                f"weekday: the lead says {WEEKDAYS[weekday]} but {date.isoformat()} "
                f"is a {WEEKDAYS[date.weekday()]}"
            )
        return DateResult(date.isoformat() if date else None, source, tuple(warnings))

    # 1. The text: a dateline with its year.
    if day and month and year:
        date = _make(year, month, day)
        if date:
            meta = parse_iso(metadata_date)
            if meta and meta != date:
                warnings.append(f"date: the dateline says {date.isoformat()}, the metadata {meta.isoformat()}")
            return done(date, "text")
        warnings.append(f"date: no such day in the dateline: {day}/{month}/{year}")

    # 2. Metadata: a full date.
    meta = parse_iso(metadata_date)
    if metadata_date not in (None, "") and meta is None:
        warnings.append(f"date: metadata date {metadata_date!r} is not a valid YYYY-MM-DD date, ignored")
    if meta:
        if day and month and (meta.day, meta.month) != (day, month):
            warnings.append(
                f"date: the dateline says {day}/{month}, the metadata {meta.isoformat()}"
            )
        return done(meta, "metadata")

    # 3. The path.
    found = date_from_path(path) if path else None
    if found:
        py, pm, pd = found
        if day and month:
            if pm and pd:
                anchor = dt.date(py, pm, pd)
                candidates = [c for c in (_make(y, month, day) for y in (py - 1, py, py + 1)) if c]
                if candidates:
                    best = min(candidates, key=lambda c: abs((c - anchor).days))
                    if abs((best - anchor).days) > 2:
                        warnings.append(
                            f"date: the dateline says {day}/{month}, the path {anchor.isoformat()}"
                        )
                    return done(best, "path")
            elif pm is None or pm == month:
                date = _make(py, month, day)
                if date:
                    return done(date, "path")
            else:
                warnings.append(f"date: the dateline says month {month}, the path {py}/{pm:02d}")
        elif pm and pd:
            return done(dt.date(py, pm, pd), "path")

    # 4 and 5. The corpus configuration, with the lead's weekday.
    if day and month and years:
        lo, hi = years
        candidates = [c for c in (_make(y, month, day) for y in range(lo, hi + 1)) if c]
        if lo == hi:
            return done(candidates[0] if candidates else None, "corpus" if candidates else None)
        if weekday is not None:
            exact = [c for c in candidates if c.weekday() == weekday]
            if len(exact) == 1:
                return done(exact[0], "weekday")
            before = [c for c in candidates if (c.weekday() - 1) % 7 == weekday]
            if not exact and len(before) == 1:
                return done(before[0], "weekday")
        warnings.append(
            f"date: no year for {day}/{month}: the corpus allows {lo}-{hi} "
            "and the lead's weekday does not choose one"
        )
    return DateResult(None, None, tuple(warnings))


# ------------------------------------------------- dates written in words
#: Month names of the dates press databases write (French, English, German),
#: folded to lower case; French ones come from the dateline's table.
_WRITTEN_MONTHS = {
    **_DATELINE_MONTHS,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "feb": 2, "apr": 4, "aug": 8, "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6,
    "juli": 7, "oktober": 10, "dezember": 12,
}
_W_MONTH = "|".join(sorted((re.escape(m) for m in _WRITTEN_MONTHS), key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"(?<!\d)(1er|[0-3]?\d)(?:\.|er)?\s+({_W_MONTH})\.?,?\s+((?:19|20)\d\d)(?!\d)", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b({_W_MONTH})\.?\s+([0-3]?\d)(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)(?!\d)", re.I)
_NUMERIC_DMY = re.compile(r"(?<!\d)([0-3]?\d)[/.]([01]?\d)[/.]((?:19|20)\d\d)(?!\d)")


def parse_written_date(text: str) -> dt.date | None:
    """The first date written in words (or ISO, or D/M/YYYY) in ``text``.

    What press databases print: French, English and German day-month-year,
    English month-day-year, with or without a weekday and a time.

    >>> parse_written_date("jeudi 5 octobre 2013"), parse_written_date("1er mars 2015")
    (datetime.date(2013, 10, 5), datetime.date(2015, 3, 1))
    >>> parse_written_date("March 12, 2013 Tuesday 4:25 PM GMT"), parse_written_date("29 December 2011")
    (datetime.date(2013, 3, 12), datetime.date(2011, 12, 29))
    >>> parse_written_date("27. Februar 2012 Montag"), parse_written_date("2014-06-03")
    (datetime.date(2012, 2, 27), datetime.date(2014, 6, 3))
    >>> parse_written_date("30 février 2015") is None, parse_written_date("hier") is None
    (True, True)
    """
    if not isinstance(text, str):
        return None
    text = " ".join(text.split())
    iso = parse_iso(text)
    if iso is not None:
        return iso
    found = []
    for rx, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy"), (_NUMERIC_DMY, "num")):
        m = rx.search(text)
        if m:
            found.append((m.start(), order, m))
    if not found:
        return None
    _, order, m = min(found, key=lambda f: f[0])
    if order == "dmy":
        day, month, year = m.group(1), _WRITTEN_MONTHS.get(m.group(2).lower()), m.group(3)
    elif order == "mdy":
        month, day, year = _WRITTEN_MONTHS.get(m.group(1).lower()), m.group(2), m.group(3)
    else:
        day, month, year = m.group(1), int(m.group(2)), m.group(3)
    if month is None:
        return None
    return _make(int(year), int(month), 1 if day == "1er" else int(day))
