"""The command palette (ctrl+p): every action of the keys, by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

#: (title, app action, help). The same actions as the keys.
COMMANDS = (
    ("Search: focus the query bar", "focus_query", "/"),
    ("Read the story full screen", "toggle_full_screen", "enter or f; escape goes back"),
    ("Next story", "next_story", "]"),
    ("Previous story", "previous_story", "["),
    ("Sort: next order", "cycle_sort", "s: relevance, newest first, oldest first"),
    ("Sort by relevance", "sort('relevance')", ""),
    ("Sort newest first", "sort('-date')", ""),
    ("Sort oldest first", "sort('date')", ""),
    ("Facets: show or hide the sidebar", "toggle_facets", "t"),
    ("Filters: clear them all", "clear_filters", "x"),
    ("Versions of the story", "show_versions", "v"),
    ("Export the result set or the marked stories", "export", "e: the extension chooses the format"),
    ("Timeline of the results", "show_timeline", "d: empty periods included; enter filters"),
    ("Similar stories", "show_similar", "l"),
    ("Mark or unmark the story", "toggle_mark", "m"),
    ("Unmark every story", "clear_marks", "M"),
    ("Open the story in the pager", "open_story('pager')", "o: $PAGER"),
    ("Open the story in the editor", "open_story('editor')", "O: $VISUAL, $EDITOR"),
    ("Copy the story's id", "copy('id')", "y (OSC 52)"),
    ("Copy the story's text", "copy('text')", "Y (OSC 52)"),
    ("Find in the story", "find", "ctrl+f; n / N next, previous"),
    ("Last result", "last_result", "end, G"),
    ("Query history", "show_history", "h (or ↑ ↓ in the query bar)"),
    ("Reload the index", "refresh_index", "r: after `depeche index` ran"),
    ("Keys: show every key", "help", "?"),
    ("Quit", "quit", "q"),
)


class DepecheCommands(Provider):
    """Offers :data:`COMMANDS`; each runs the app action of the same key."""

    def _run(self, action: str):
        return partial(self.app.run_action, action)

    async def discover(self) -> Hits:
        for title, action, help_text in COMMANDS:
            yield DiscoveryHit(title, self._run(action), help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._run(action), help=help_text or None)
