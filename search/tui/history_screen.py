"""The query history, newest first: choose one to run it again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from search.render import text as safe_text


class HistoryScreen(ModalScreen["str | None"]):
    """Past queries; enter runs one, escape closes."""

    BINDINGS = [Binding("escape,q,h", "close", "Close", show=False)]

    def __init__(self, entries: list[str]):
        super().__init__()
        self.entries = list(reversed(entries))

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Query history"
            dialog.border_subtitle = "enter runs · escape closes"
            if self.entries:
                yield OptionList(*[Option(safe_text(q)) for q in self.entries], id="history")
            else:
                yield Static("No query yet: queries are kept when you press enter in the query bar "
                             "or open a story.", classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.entries[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
