"""The Dépêche terminal UI (``depeche tui``), built with Textual.

:func:`make_app` builds the app for the command line and for the tests::

    make_app("/path/to/index").run()

Settings, all arguments of :func:`make_app`:

``index_dir``
    The index (default: ``$DEPECHE_INDEX``, else ``$XDG_DATA_HOME/depeche/index``).
    Missing or empty, the app offers to index the bundled corpus.
``history_path``
    The query history file (default: ``$DEPECHE_HISTORY``, else
    ``$XDG_STATE_HOME/depeche/history.json``).
``debounce``
    Seconds of typing pause before a search runs (default 0.25).
``deterministic``
    For snapshots: no search times on screen, no blinking cursor.

Modules: ``app`` (the App, its actions and workers), ``state`` (what the
screen asks for, as a SearchRequest), ``history``, ``export``, ``commands``
(the command palette), then one widget or screen per module.
"""

from __future__ import annotations

import os
from pathlib import Path


def make_app(index_dir: str | os.PathLike | None = None, *, history_path: str | os.PathLike | None = None,
             debounce: float = 0.25, deterministic: bool = False):
    """The Dépêche TUI app, ready to ``run()`` (or ``run_test()``)."""
    from indexer.index.store import default_index_dir
    from search.tui.app import DepecheApp
    from search.tui.history import History

    return DepecheApp(
        Path(index_dir) if index_dir is not None else default_index_dir(),
        History(history_path),
        debounce=debounce,
        deterministic=deterministic,
    )


__all__ = ["make_app"]
