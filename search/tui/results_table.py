"""The results list: date, agency, place, headline and a versions badge."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from search.output import printable
from search.results import Hit

#: Fixed column widths; the headline takes the rest.
WIDTHS = {"mark": 1, "date": 10, "agency": 8, "place": 12, "versions": 3}
MIN_HEADLINE = 24


def versions_badge(versions: int) -> Text:
    """``3v`` for a story with three versions, nothing for a single one."""
    if versions <= 1:
        return Text("")
    return Text(f"{versions}v", style="bold reverse", justify="right")


class ResultsTable(DataTable):
    """One row per hit (story group); the row key is the story id."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("home,g", "scroll_top", "First", show=False),
        Binding("end,G", "app.last_result", "Last", show=False),
    ]

    def __init__(self, **kwargs):
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.hits: list[Hit] = []
        self._width = 0

    def on_mount(self) -> None:
        self._rebuild(None)

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._rebuild(self.current_hit.story.id if self.current_hit else None)

    @property
    def current_hit(self) -> Hit | None:
        if not self.hits or self.cursor_row is None or not 0 <= self.cursor_row < len(self.hits):
            return None
        return self.hits[self.cursor_row]

    def show_hits(self, hits, keep_id: str | None = None) -> None:
        """Replace the rows; the cursor stays on ``keep_id`` if it is still there."""
        self.hits = list(hits)
        self._rebuild(keep_id)

    def append_hits(self, hits) -> None:
        known = {h.story.id for h in self.hits}
        new = [h for h in hits if h.story.id not in known]
        self.hits.extend(new)
        for hit in new:
            self._add(hit)

    def marked(self) -> dict:
        return getattr(self.app, "marked", {})

    @staticmethod
    def _mark(on: bool) -> Text:
        return Text("●", style="bold magenta") if on else Text(" ")

    def show_mark(self, story_id: str, on: bool) -> None:
        """Show or hide the mark of a row."""
        has_column = any(str(c.key.value) == "mark" for c in self.ordered_columns)
        if has_column != bool(self.marked()):      # the first mark, or the last one gone
            self._rebuild(self.current_hit.story.id if self.current_hit else None)
            return
        try:
            self.update_cell(story_id, "mark", self._mark(on))
        except CellDoesNotExist:   # the row is not shown any more: nothing to draw
            pass

    def _columns(self) -> list[tuple[str, int]]:
        """(key, width) of the columns that fit: place, then agency, go first."""
        width = self.size.width - 2                      # room for the scrollbar
        # The marks' column shows while a story is marked.
        keys = ["mark"] * bool(self.marked()) + ["date", "agency", "place", "headline", "versions"]
        for drop in (None, "place", "agency"):
            if drop:
                keys.remove(drop)
            fixed = sum(WIDTHS.get(k, 0) for k in keys) + 2 * len(keys)   # cell padding
            if width - fixed >= MIN_HEADLINE:
                break
        return [(k, WIDTHS.get(k, max(MIN_HEADLINE // 2, width - fixed))) for k in keys]

    def _rebuild(self, keep_id: str | None) -> None:
        self._width = self.size.width
        self.clear(columns=True)
        for key, width in self._columns():
            self.add_column("" if key in ("versions", "mark") else key, width=width, key=key)
        for hit in self.hits:
            self._add(hit)
        row = next((i for i, h in enumerate(self.hits) if h.story.id == keep_id), 0)
        if self.hits:
            self.move_cursor(row=row, animate=False)

    def _add(self, hit: Hit) -> None:
        s = hit.story
        values = {
            "date": s.date or "", "agency": s.agency or "", "place": ", ".join(s.places),
            "headline": s.headline or "(no headline)", "versions": versions_badge(hit.versions),
            "mark": self._mark(s.id in self.marked()),
        }
        cells = [values[str(column.key.value)] for column in self.ordered_columns]
        self.add_row(*[c if isinstance(c, Text) else Text(printable(c), no_wrap=True, overflow="ellipsis") for c in cells],
                     key=s.id)
