"""The timeline of the result set: one bar a period, the empty periods at zero.

The counts are :mod:`search.timeline`'s, from the day counts of the current
result set: the screen chooses the finest bucket that fits its height (``y``
``m`` ``d`` choose one), and ``enter`` on a period filters the results by it.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from search.output import printable
from search.results import FacetValue
from search.timeline import BUCKETS, TimelineError, bar, choose_bucket, coarsen, is_period, make_timeline


def period_row(label: str, count: int, top: int, bar_width: int, label_width: int = 10) -> Table:
    """One period: its label, its bar, its count (a zero is dim)."""
    grid = Table.grid(expand=True, padding=(0, 1, 0, 0))
    grid.add_column(width=label_width, no_wrap=True)
    grid.add_column(width=bar_width, no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    style = "" if count else "dim"
    grid.add_row(Text(printable(label), style=style), Text(bar(count, top, bar_width), style="cyan"),
                 Text(f"{count:,}", style=style or "bold"))
    return grid


class TimelineScreen(ModalScreen["str | None"]):
    """Choose a period to filter by it; escape closes."""

    BINDINGS = [
        Binding("escape,q,d", "close", "Close", show=False),
        Binding("y", "bucket('year')", "By year", show=False),
        Binding("m", "bucket('month')", "By month", show=False),
        Binding("D", "bucket('day')", "By day", show=False),
    ]

    def __init__(self, days: tuple[FacetValue, ...], title: str, bucket: str | None = None,
                 grouped: bool = True):
        super().__init__()
        self.days = {v.value: v.count for v in days}
        #: What the counts count: story groups, or stories (all versions shown).
        self.units = ("story group", "story groups") if grouped else ("story", "stories")
        self.title_text = title
        self.bucket = bucket
        self.timeline = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="timeline") as dialog:
            dialog.border_title = "Timeline"
            dialog.border_subtitle = "enter filters · y m D by year, month, day · escape closes"
            yield Static(id="timeline-title")
            yield OptionList(id="timeline")

    def on_mount(self) -> None:
        self.fill()

    def on_resize(self) -> None:
        if self.timeline is not None:
            self.fill()

    def _rows(self) -> int:
        return max(8, self.app.size.height - 8)

    def fill(self) -> None:
        """Draw the timeline in the bucket chosen (else the finest that fits)."""
        dated = sorted(k for k in self.days if is_period(k, "day"))
        bucket = self.bucket or (choose_bucket(dated[0], dated[-1], self._rows()) if dated else "year")
        try:
            timeline = make_timeline(coarsen(self.days, bucket), bucket)
        except TimelineError as exc:
            self.query_one("#timeline-title", Static).update(Text(f"{exc} ({exc.hint})", style="bold red"))
            return
        self.bucket, self.timeline = bucket, timeline
        head = Text(printable(self.title_text), style="bold")
        head.append(printable(f"  {timeline.describe(self.units)}"))
        if timeline.undated:
            head.append(printable(f"; {timeline.undated:,} {timeline.undated_label}"), style="dim")
        self.query_one("#timeline-title", Static).update(head)
        options = self.query_one("#timeline", OptionList)
        options.styles.max_height = self._rows()
        label_width = max((len(p.label) for p in timeline.periods), default=4)
        count_width = max((len(f"{p.count:,}") for p in timeline.periods), default=1)
        bar_width = max(4, options.size.width - label_width - count_width - 6)
        keep = options.highlighted
        options.set_options([Option(period_row(p.label, p.count, timeline.top, bar_width, label_width),
                                    id=p.label) for p in timeline.periods])
        if timeline.periods:
            busiest = max(range(len(timeline.periods)), key=lambda i: timeline.periods[i].count)
            options.highlighted = keep if keep is not None and keep < len(timeline.periods) else busiest
            options.call_after_refresh(options.scroll_to_highlight)

    @property
    def labels(self) -> list[tuple[str, int]]:
        """The periods shown, with their counts (for tests)."""
        return [(p.label, p.count) for p in self.timeline.periods] if self.timeline else []

    def action_bucket(self, bucket: str) -> None:
        if bucket in BUCKETS and bucket != self.bucket:
            self.bucket = bucket
            self.query_one("#timeline", OptionList).highlighted = None
            self.fill()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
