"""Ask where to export: the extension chooses the format; an existing file
is overwritten only after a second enter."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from search.output import printable
from search.tui.export import FORMAT_NAMES, ExportError, describe_extensions, format_of


class ExportScreen(ModalScreen["str | None"]):
    """A path input; enter exports, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, default_path: str, total: int, marked: int = 0):
        super().__init__()
        self.default_path = default_path
        self.total = total
        self.marked = marked
        self._confirmed: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Export"
            dialog.border_subtitle = "enter exports · escape cancels"
            if self.marked:
                what = f"the {self.marked} marked {'story' if self.marked == 1 else 'stories'} (M unmarks them all)"
            else:
                what = f"the {self.total} {'story' if self.total == 1 else 'stories'} of this search (every page)"
            yield Static(f"Write {what} to a file; the extension chooses the format: {describe_extensions()}.")
            yield Input(self.default_path, id="export-path", select_on_focus=False)
            yield Static(id="export-problem", classes="hint")

    @property
    def problem(self) -> str:
        return str(self.query_one("#export-problem", Static).render())

    def _say(self, message: str, style: str = "bold red") -> None:
        self.query_one("#export-problem", Static).update(Text(printable(message), style=style))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._confirmed = None
        self._say("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        if not path:
            self.dismiss(None)
            return
        try:
            fmt = format_of(path)
        except ExportError as exc:
            self._say(str(exc))
            return
        target = Path(os.path.expanduser(path))
        if target.is_dir():
            self._say(f"{path} is a folder: give a file name")
            return
        if target.exists() and self._confirmed != path:
            self._confirmed = path
            self._say(f"{path} exists: press enter again to overwrite it with {FORMAT_NAMES[fmt]}, "
                      "or change the name", "bold yellow")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
