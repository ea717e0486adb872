"""Find in the story: the words to look for (case and accents ignored)."""

from __future__ import annotations

import unicodedata

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


def fold_chars(text: str) -> str:
    """``text`` lower-cased and without accents, one character for one (so
    offsets found in it are offsets in ``text``).

    >>> fold_chars("Tempête À Brest")
    'tempete a brest'
    """
    out = []
    for c in text:
        base = unicodedata.normalize("NFD", c)[:1].lower()
        out.append(base if len(base) == 1 else c)
    return "".join(out)


def find_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Where ``needle`` occurs in ``text``, case and accents ignored.

    >>> find_spans("La tempête, une Tempete.", "tempete")
    [(3, 10), (16, 23)]
    """
    hay, word = fold_chars(text), fold_chars(needle.strip())
    if not word:
        return []
    spans, start = [], hay.find(word)
    while start != -1:
        spans.append((start, start + len(word)))
        start = hay.find(word, start + len(word))
    return spans


class FindScreen(ModalScreen["str | None"]):
    """An input; enter finds, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, value: str = ""):
        super().__init__()
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Find in the story"
            dialog.border_subtitle = "enter finds · n / N next, previous · escape cancels"
            yield Static("Words to find in the story (case and accents ignored):")
            yield Input(self.value, id="find-text")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
