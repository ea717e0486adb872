"""The facet sidebar: agency, translator, author and place counts, a date histogram.

Choosing a value (enter or a click) asks the app to filter by it; choosing
it again removes the filter. The counts are those of the current result set.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from search.output import printable
from search.results import FacetValue
from search.timeline import TimelineError, bar, make_timeline
from search.tui.state import FACET_FILTERS, FACET_TITLES, ViewState

#: Values listed per facet (the chosen ones always are).
MAX_VALUES = 12
BAR_WIDTH = 10


def histogram_bar(count: int, top: int, width: int = BAR_WIDTH) -> str:
    """A bar of eighths of a cell, ``width`` cells for ``top``.

    >>> histogram_bar(5, 10, 4)
    '██  '
    >>> histogram_bar(1, 100, 4)
    '▏   '
    """
    return bar(count, top, width)


def option_id(facet: str, value: str) -> str:
    return f"{facet}\t{value}"


def _row(active: bool, label: str, count: int, bar: str | None = None) -> Table:
    """One value: a check mark when chosen, the value, a bar for dates, the count."""
    grid = Table.grid(expand=True, padding=(0, 1, 0, 0))
    grid.add_column(width=1, no_wrap=True)
    if bar is None:
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    else:
        grid.add_column(width=7, no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    mark = Text("✓", style="bold green") if active else Text(" ")
    cells = [mark, Text(printable(label), style="bold" if active else "")]
    if bar is not None:
        cells.append(Text(bar, style="cyan"))
    cells.append(Text(str(count), style="dim"))
    grid.add_row(*cells)
    return grid


class FacetSidebar(OptionList):
    """Facet values as options; ids are ``facet<TAB>value``."""

    class Toggled(Message):
        """A facet value was chosen."""

        def __init__(self, facet: str, value: str):
            super().__init__()
            self.facet = facet
            self.value = value

    class ClearAll(Message):
        """The "clear all filters" line was chosen."""

    def show_facets(self, facets: dict[str, tuple[FacetValue, ...]], state: ViewState) -> None:
        """Fill the sidebar from a result page's facets, marking the active values."""
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        options: list[Option] = []
        if state.has_filters:
            options.append(Option(Text("✕ clear all filters (x)", style="bold red"), id="clear"))
        for facet in FACET_FILTERS:
            values = list(facets.get(facet, ()))
            shown = {v.value for v in values}
            values += [FacetValue(v, 0) for f, v in state.filters if f == facet and v not in shown]
            if not any(not v.missing for v in values):
                continue  # no story of the result has one: no section (feeds' fields are rare)
            options.append(Option(Text(FACET_TITLES[facet], style="bold underline"), disabled=True))
            listed = [v for v in values if state.is_active(facet, v.value)]
            listed += [v for v in values if not state.is_active(facet, v.value)][:max(0, MAX_VALUES - len(listed))]
            for fv in listed:
                options.append(Option(_row(state.is_active(facet, fv.value), fv.value, fv.count),
                                      id=option_id(facet, fv.value)))
            if len(values) > len(listed):
                options.append(Option(Text(f"  … {len(values) - len(listed)} more", style="dim"), disabled=True))
        options.extend(self._date_options(facets.get("date", ()), state))
        self.set_options(options)
        ids = [o.id for o in options]
        if keep in ids:
            self.highlighted = ids.index(keep)
        elif options:
            self.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)
        self.call_after_refresh(self.scroll_to_highlight)

    def _date_options(self, dates: tuple[FacetValue, ...], state: ViewState) -> list[Option]:
        year = state.dated[:4] if state.dated else None
        title = f"Date: {year}, by month" if year else "Date, by year"
        options = [Option(Text(title, style="bold underline"), disabled=True)]
        if year:
            total = sum(v.count for v in dates if not v.missing)
            options.append(Option(_row(state.date == year, f"{year} (whole year)", total), id=option_id("date", year)))
        try:    # every period from the first to the last: the empty ones show at zero
            timeline = make_timeline(dates, "month" if year else "year")
            periods = [FacetValue(p.label, p.count) for p in timeline.periods]
            undated = [FacetValue(timeline.undated_label, timeline.undated)] if timeline.undated else []
        except TimelineError:
            periods, undated = list(dates), []
        top = max((v.count for v in periods), default=0)
        for fv in periods:
            row = _row(state.is_active("date", fv.value), fv.value, fv.count, histogram_bar(fv.count, top))
            # A period without a story is drawn, but filtering by it would show nothing.
            options.append(Option(row, id=option_id("date", fv.value)) if fv.count else Option(row, disabled=True))
        for fv in undated:   # "(no date)" where the facet counts the undated: last, a value like the others
            options.append(Option(_row(state.is_active("date", fv.value), fv.value, fv.count),
                                  id=option_id("date", fv.value)))
        if not dates:
            options.append(Option(Text("  (none)", style="dim"), disabled=True))
        return options

    @property
    def option_ids(self) -> list[str]:
        return [self.get_option_at_index(i).id for i in range(self.option_count)
                if self.get_option_at_index(i).id]

    def select_value(self, facet: str, value: str) -> None:
        """Move the highlight to a value (then ``enter`` toggles it)."""
        self.highlighted = self.get_option_index(option_id(facet, value))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ""
        if oid == "clear":
            self.post_message(self.ClearAll())
        elif "\t" in oid:
            facet, value = oid.split("\t", 1)
            self.post_message(self.Toggled(facet, value))
