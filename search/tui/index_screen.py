"""No index yet (or an empty one): offer to index the bundled corpus, with progress."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, ProgressBar, Static

from indexer.errors import IndexerError
from search.render import text as safe_text


class IndexScreen(ModalScreen[bool]):
    """Dismissed with True once the index is built, False to quit.

    ``problem`` says what is wrong; with ``can_index`` False (a damaged or
    foreign index, say) the screen only explains and offers to quit.
    """

    BINDINGS = [
        Binding("i", "index", "Index the bundled corpus", show=False),
        Binding("escape,q", "quit", "Quit", show=False),
    ]

    def __init__(self, index_dir: str | Path, problem: str, can_index: bool = True):
        super().__init__()
        self.index_dir = Path(index_dir)
        self.problem = problem
        self.can_index = can_index
        self.running = False
        self.report = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Dépêche: no stories to search"
            yield Static(self.problem, id="index-problem")
            if self.can_index:
                yield Static(f"Index the corpus bundled with Dépêche into {self.index_dir}? "
                             "(i or enter: index; q: quit)", id="index-offer")
            yield ProgressBar(total=None, show_eta=False, id="index-progress")
            yield Static("", id="index-status")
            with Horizontal(id="index-buttons"):
                if self.can_index:
                    yield Button("Index the bundled corpus", id="index", variant="primary")
                yield Button("Quit", id="quit")

    def on_mount(self) -> None:
        self.query_one("#index-progress").display = False
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "index":
            self.action_index()
        else:
            self.action_quit()

    def action_index(self) -> None:
        if not self.can_index or self.running:
            return
        self.running = True
        self.query_one("#index-progress").display = True
        self.query_one("#index", Button).disabled = True
        self._status("reading the bundled corpus…")
        self.build()

    def action_quit(self) -> None:
        if not self.running:
            self.dismiss(False)

    def _status(self, message: str) -> None:
        self.query_one("#index-status", Static).update(safe_text(message))

    def _progress(self, p) -> None:
        self.query_one("#index-progress", ProgressBar).update(total=p.files_total, progress=p.files_done)
        if p.phase == "writing":
            self._status(f"writing {p.stories} stories…")
        else:
            self._status(f"reading: {p.files_done}/{p.files_total} files, {p.stories} stories")

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#index", Button).disabled = False
        self._status(f"⚠ {message}")

    def _done(self, report) -> None:
        self.running = False
        self.report = report
        self.dismiss(True)

    @work(thread=True, exclusive=True, group="index")
    def build(self) -> None:
        from indexer.index.build import build_index
        from indexer.formats import bundled_corpus

        def progress(p) -> None:
            self.app.call_from_thread(self._progress, p)

        try:
            # One process: the corpus is small and the app's threads are not forked.
            report = build_index([bundled_corpus()], self.index_dir, workers=1, progress=progress)
        except IndexerError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._done, report)
