"""Query history kept across sessions, in a small JSON file.

The file is ``$DEPECHE_HISTORY`` if set (tests point it at a temporary
file), else ``$XDG_STATE_HOME/depeche/history.json``
(``~/.local/state/depeche/history.json``). It holds a JSON list of query
texts, oldest first. A missing or unreadable file is an empty history: the
history is a convenience and never stops the TUI.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from indexer.index.store import user_path

#: Most queries kept.
HISTORY_LIMIT = 200


def default_history_path() -> Path:
    """``$DEPECHE_HISTORY``, else ``$XDG_STATE_HOME/depeche/history.json``."""
    return user_path("DEPECHE_HISTORY", "XDG_STATE_HOME", "~/.local/state", "history.json")


class History:
    """The queries a user ran, oldest first, saved on every addition."""

    def __init__(self, path: str | os.PathLike | None = None, limit: int = HISTORY_LIMIT):
        self.path = Path(path) if path is not None else default_history_path()
        self.limit = limit
        self.entries: list[str] = self._load()

    def _load(self) -> list[str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(data, list):
            return []
        return [q for q in data if isinstance(q, str) and q.strip()][-self.limit:]

    def add(self, query: str) -> bool:
        """Remember a query (moved to the end if known); False if it could not be saved."""
        query = query.strip()
        if not query:
            return True
        if self.entries and self.entries[-1] == query:
            return True
        self.entries = [q for q in self.entries if q != query] + [query]
        self.entries = self.entries[-self.limit:]
        return self.save()

    def save(self) -> bool:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps(self.entries, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            return False
        return True

    def __len__(self) -> int:
        return len(self.entries)
