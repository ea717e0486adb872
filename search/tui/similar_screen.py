"""The stories most like the selected one (``Searcher.similar``): enter reads one."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from search.render import text as safe_text
from search.results import Hit


def _prompt(n: int, hit: Hit) -> Table:
    s = hit.story
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(width=3, no_wrap=True)
    grid.add_column(width=10, no_wrap=True)
    grid.add_column(width=8, no_wrap=True)
    grid.add_column(ratio=1)
    title = safe_text(s.headline or "(no headline)")
    if hit.versions > 1:
        title.append(f"  {hit.versions}v", style="bold")
    grid.add_row(Text(f"{n}.", style="dim"), safe_text(s.date), safe_text(s.agency), title)
    return grid


class SimilarScreen(ModalScreen["Hit | None"]):
    """Choose a similar story to read it; escape closes."""

    BINDINGS = [Binding("escape,q,l", "close", "Close", show=False)]

    def __init__(self, hits: list[Hit], headline: str):
        super().__init__()
        self.hits = hits
        self.headline = headline

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Similar stories"
            dialog.border_subtitle = "enter reads · escape closes"
            yield Static(safe_text(f"Like: {self.headline}", "bold"), classes="hint")
            if self.hits:
                yield OptionList(*[Option(_prompt(n, h), id=h.story.id) for n, h in enumerate(self.hits, 1)],
                                 id="similar")
            else:
                yield Static("No other story shares enough words with this one.", classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.hits[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
