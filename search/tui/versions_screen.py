"""The versions of the selected story (urgent, actualisé, refonte...), first to latest."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from indexer.story import Story
from search.render import text as safe_text
from search.render import version_label


def _prompt(n: int, story: Story, current: bool) -> Table:
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(width=2, no_wrap=True)
    grid.add_column(width=10, no_wrap=True)
    grid.add_column(width=11, no_wrap=True)
    grid.add_column(ratio=1)
    version = version_label(story)
    title = safe_text(story.headline or "(no headline)", "bold" if current else "")
    if story.update_note:
        title.append("\n")
        title.append_text(safe_text(story.update_note, "dim"))
    grid.add_row(Text(f"{n}.", style="dim"), safe_text(story.date), safe_text(version, "magenta"), title)
    return grid


class VersionsScreen(ModalScreen["Story | None"]):
    """Choose a version to read it; escape closes."""

    BINDINGS = [Binding("escape,q,v", "close", "Close", show=False)]

    def __init__(self, stories: list[Story], current_id: str | None = None):
        super().__init__()
        self.stories = stories
        self.current_id = current_id

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = f"{len(self.stories)} version{'s' if len(self.stories) != 1 else ''}"
            dialog.border_subtitle = "enter reads · escape closes"
            yield OptionList(*[Option(_prompt(n, s, s.id == self.current_id), id=s.id)
                               for n, s in enumerate(self.stories, 1)], id="versions")
            if len(self.stories) == 1:
                yield Static("This story has no other version.", classes="hint")

    def on_mount(self) -> None:
        options = self.query_one("#versions", OptionList)
        ids = [s.id for s in self.stories]
        if self.current_id in ids:
            options.highlighted = ids.index(self.current_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.stories[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
