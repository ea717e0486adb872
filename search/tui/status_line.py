"""The status line: hit count, sort and search time, or the last error."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from search.output import printable

from search.results import ResultPage
from search.tui.state import SORT_LABELS


def count_label(page: ResultPage) -> str:
    """``64 story groups``, ``1 story``...

    >>> count_label(ResultPage(query="", total=1, page=1, limit=20))
    '1 story group'
    """
    unit = ("story group" if page.grouped else "story") if page.total == 1 else \
        ("story groups" if page.grouped else "stories")
    return f"{page.total} {unit}"


class StatusLine(Static):
    """One line; ``kind`` is ``ok``, ``error`` or ``info``."""

    def __init__(self, show_timings: bool = True, **kwargs):
        super().__init__("", **kwargs)
        self.show_timings = show_timings
        self.kind = "info"
        self.message = ""
        self._results = ""

    def show_page(self, page: ResultPage, shown: int) -> None:
        parts = [count_label(page)]
        if shown < page.total:
            parts.append(f"{shown} shown")
        parts.append(f"sorted by {SORT_LABELS.get(page.sort, page.sort)}")
        if self.show_timings:
            parts.append(f"{page.elapsed * 1000:.1f} ms")
        if page.relaxation:
            parts.append(page.relaxation.message())
        if page.suggestions and page.total < 3:
            parts.append("did you mean: " + " | ".join(page.suggestions))
        self._results = " · ".join(parts)
        self._set("ok", self._results)

    def show_error(self, message: str) -> None:
        kept = f" (showing the last results: {self._results})" if self._results else ""
        self._set("error", f"⚠ {message}{kept}")

    def show_info(self, message: str) -> None:
        self._set("info", message)

    def _set(self, kind: str, message: str) -> None:
        self.kind = kind
        self.message = printable(message)  # error messages quote queries and file names
        self.set_class(kind == "error", "-error")
        self.update(Text(self.message))
