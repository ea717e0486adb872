"""The query bar: the query language of ``depeche search``, with history."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from search.tui.history import History

PLACEHOLDER = "frappes aériennes, agence:reuters, date:2015…  (↑↓ history, F1 keys)"


class QueryBar(Input):
    """An Input whose ↑ and ↓ walk through the query history, like a shell."""

    BINDINGS = [
        Binding("up", "history_back", "Older query", show=False),
        Binding("down", "history_forward", "Newer query", show=False),
    ]

    def __init__(self, history: History, **kwargs):
        super().__init__(placeholder=PLACEHOLDER, select_on_focus=False, **kwargs)
        self.history = history
        self._position: int | None = None   # index in history.entries while browsing
        self._draft = ""                     # what was typed before browsing
        self._browsed: str | None = None

    def action_history_back(self) -> None:
        entries = self.history.entries
        if not entries:
            return
        if self._position is None:
            self._draft = self.value
            self._position = len(entries)
        if self._position > 0:
            self._position -= 1
            self._browse(entries[self._position])

    def action_history_forward(self) -> None:
        if self._position is None:
            return
        self._position += 1
        if self._position >= len(self.history.entries):
            self._position = None
            self._browse(self._draft)
        else:
            self._browse(self.history.entries[self._position])

    def _browse(self, value: str) -> None:
        self._browsed = value
        self.value = value
        self.cursor_position = len(value)

    def on_input_changed(self, event: Input.Changed) -> None:
        # Typing (not browsing) ends the walk through the history.
        if event.value != self._browsed:
            self._position = None
            self._browsed = None
