"""The ``?`` screen: every key, and the query language in brief."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

QUERY_HELP = (
    "Query language (as `depeche search`): words (accents, case, plural ignored), "
    '"exact phrase", "two words"~5, frap*, Poutinne~, OU / SAUF / -word, '
    "agence:reuters traducteur:rouquie auteur: lieu: titre: date:2015-11 date:2015..2016"
)


def keys_table(keys: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, description in keys:
        table.add_row(key, description)
    return table


class HelpScreen(ModalScreen[None]):
    """A list of the keys; any of escape, q, ? or F1 closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", show=False)]

    def __init__(self, keys: list[tuple[str, str]]):
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = "escape closes"
            with VerticalScroll():
                yield Static(keys_table(self.keys), id="help-keys")
                yield Static(Text(QUERY_HELP, style="dim"), id="help-query")

    def action_dismiss(self) -> None:
        self.dismiss(None)
