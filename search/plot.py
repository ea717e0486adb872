"""``depeche facets --plot``: a facet's counts as text bars, dates as a timeline.

Plain text (no colour, no markup), so it reads the same on a terminal, in a
file or in the README. The timeline itself is :mod:`search.timeline`'s.
"""

from __future__ import annotations

import shutil
from typing import TextIO

from search.output import isatty, printable
from search.results import ResultPage
from search.timeline import bar, make_timeline, render_timeline

#: Width of a plot written to a file or a pipe.
PIPED_WIDTH = 80


def plot_width(out: TextIO) -> int:
    """The terminal's width on a terminal, else :data:`PIPED_WIDTH`."""
    return shutil.get_terminal_size((PIPED_WIDTH, 24)).columns if isatty(out) else PIPED_WIDTH


def plot_lines(page: ResultPage, field: str, bucket: str = "year", width: int = PIPED_WIDTH) -> list[str]:
    """The lines of a plot of ``page.facets[field]``: a title, then one bar a
    value (for the date, one a period from the first to the last, the empty
    ones at zero)."""
    values = page.facets.get(field, ())
    query = f"{page.query.strip()}: " if page.query.strip() else ""
    if field == "date":
        timeline = make_timeline(values, bucket)
        title = query + timeline.describe(("story group", "story groups") if page.grouped else ("story", "stories"))
        if timeline.undated:
            title += f"; {timeline.undated:,} without a date"
        return [printable(title), *(printable(line) for line in render_timeline(timeline, width))]
    lines = [printable(f"{query}{'story groups' if page.grouped else 'stories'} by {field}")]
    if not values:
        return lines
    label_width = min(30, max(len(v.value) for v in values))
    count_width = max(len(f"{v.count:,}") for v in values)
    bar_width = max(4, width - label_width - count_width - 3)
    top = max(v.count for v in values)
    for v in values:
        label = v.value if len(v.value) <= label_width else v.value[: label_width - 1] + "…"
        lines.append(printable(f"{label:<{label_width}}  {bar(v.count, top, bar_width)} {v.count:>{count_width},}"))
    return lines


def print_plot(page: ResultPage, field: str, bucket: str, out: TextIO) -> None:
    """Write the plot of one facet to ``out``, as wide as the terminal."""
    out.write("\n".join(plot_lines(page, field, bucket, plot_width(out))) + "\n")
