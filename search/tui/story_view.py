"""The preview pane: a story with its metadata header and the matched words marked."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from indexer.story import Story
from search.render import story_body, story_header, text as safe_text

MARK_STYLE = "bold black on yellow"
FOUND_STYLE = "black on cyan"
CURRENT_FOUND_STYLE = "bold white on magenta"


def source_label(source: str) -> str:
    """A story's file, relative to the bundled corpus when it comes from it."""
    if not source:
        return ""
    from indexer.formats import bundled_corpus

    try:
        return "corpus/" + Path(source).resolve().relative_to(bundled_corpus().resolve()).as_posix()
    except (ValueError, OSError):
        home = os.path.expanduser("~")
        return "~" + source[len(home):] if home != "/" and source.startswith(home + os.sep) else source


def story_text(story: Story, marks=(), versions: int = 1, headline_marks=()) -> Text:
    """The whole story as rich Text: headline, metadata, body with marks."""
    text = Text()
    headline = safe_text(story.headline or "(no headline)", "bold")
    for start, end in headline_marks:
        headline.stylize(MARK_STYLE, start, end)
    text.append_text(headline)
    text.append("\n\n")
    text.append_text(story_header(story, versions, source_label(story.source)))
    text.append("\n")
    body = story_body(story, marks, MARK_STYLE)
    text.append_text(body)
    return text


class StoryView(VerticalScroll):
    """The selected story, scrollable; ``f`` or ``enter`` shows it full screen."""

    ALLOW_MAXIMIZE = True
    BINDINGS = [
        Binding("enter", "app.toggle_full_screen", "Back", show=False),
        Binding("space", "page_down", "Page down", show=False),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.story: Story | None = None
        self.marks: tuple[tuple[int, int], ...] = ()
        self.headline_marks: tuple[tuple[int, int], ...] = ()
        self.text = Text()
        self.found: list[tuple[int, int]] = []
        self.found_index: int | None = None

    def compose(self):
        yield Static(id="story-text")

    def on_mount(self) -> None:
        # What was shown before the text widget was mounted (results that
        # came back while the screen was still being composed) is drawn now.
        self._draw()

    def _static(self) -> Static | None:
        """The text widget, or None while it is not mounted (yet, or any more)."""
        found = self.query("#story-text")
        return found.first(Static) if found else None

    def show(self, story: Story, marks=(), versions: int = 1, headline_marks=()) -> None:
        """Show a story; ``marks`` are Searcher.highlight spans of its body."""
        same = self.story is not None and self.story.id == story.id
        self.story = story
        self.marks = tuple(tuple(m) for m in marks)
        self.headline_marks = tuple(tuple(m) for m in headline_marks)
        self.text = story_text(story, self.marks, versions, self.headline_marks)
        self.border_title = safe_text(story.id)
        if not same:
            self.found, self.found_index = [], None
        self._draw()
        if not same:
            self.scroll_home(animate=False)

    def _draw(self) -> None:
        text = self.text
        if self.found:
            text = self.text.copy()
            for n, (start, end) in enumerate(self.found):
                text.stylize(CURRENT_FOUND_STYLE if n == self.found_index else FOUND_STYLE, start, end)
        static = self._static()
        if static is not None:
            static.update(text)

    def show_found(self, spans, current: int | None) -> None:
        """Mark the matches of a find, the current one apart, and scroll to it."""
        self.found, self.found_index = list(spans), current
        self._draw()
        static = self._static()
        if current is not None and self.found and static is not None:
            width = max(10, static.content_region.width or static.size.width or 80)
            start = self.found[current][0]
            line = len(self.text[:start].wrap(self.app.console, width)) - 1 if start else 0
            self.scroll_to(y=max(0, line - 3), animate=False)

    def clear(self, message: str = "") -> None:
        self.story = None
        self.marks = self.headline_marks = ()
        self.found, self.found_index = [], None
        self.text = Text(message, style="dim")
        self.border_title = ""
        self._draw()

    @property
    def marked_words(self) -> list[str]:
        """The marked words of the body, as written (for tests and screen readers)."""
        if self.story is None:
            return []
        headline = self.story.headline or ""
        return [headline[s:e] for s, e in self.headline_marks] + [self.story.body[s:e] for s, e in self.marks]
