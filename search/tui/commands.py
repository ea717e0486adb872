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
    ("Export the result set (JSON Lines or CSV)", "export", "e"),
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
