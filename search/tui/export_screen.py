"""Ask where to export the result set (JSON Lines or CSV, from the extension)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ExportScreen(ModalScreen["str | None"]):
    """A path input; enter exports, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, default_path: str, total: int):
        super().__init__()
        self.default_path = default_path
        self.total = total

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Export"
            dialog.border_subtitle = "enter exports · escape cancels"
            unit = "story" if self.total == 1 else "stories"
            yield Static(f"Write the {self.total} {unit} of this search (every page) to a file; "
                         "the extension chooses the format: .jsonl (JSON Lines) or .csv.")
            yield Input(self.default_path, id="export-path", select_on_focus=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        self.dismiss(path or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
