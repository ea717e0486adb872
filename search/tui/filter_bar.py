"""The line of active filters, shown only while some are."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from search.output import printable
from search.tui.state import ViewState


class FilterBar(Static):
    """``Filters: agency: Reuters · date: 2015   (x clears)``."""

    def __init__(self, **kwargs):
        super().__init__("", **kwargs)
        self.labels: list[str] = []
        self.display = False

    def show_state(self, state: ViewState) -> None:
        self.labels = state.describe_filters()
        self.display = bool(self.labels)
        text = Text()
        text.append("Filters: ", style="bold")
        text.append(printable(" · ".join(self.labels)))
        text.append("   (x clears them, t shows the facets)", style="dim")
        self.update(text)
