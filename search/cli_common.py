"""What every ``depeche`` command shares: its errors, and where the index is.

A user's mistake is one line on stderr and exit status 2, never a traceback.
The command line's own mistakes raise a :class:`CommandError` (the message,
the data behind it, a hint); the library's errors (:class:`IndexerError`,
:class:`search.query.SearchError`) carry their own data. ``main`` turns any
of them into one line with :func:`error_line`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from search.output import printable

PROG = "depeche"


class CommandError(Exception):
    """A mistake on the command line or in a file it names: a message, a hint."""

    def __init__(self, message: str, *, hint: str | None = None, **data: Any):
        self.message = message
        self.hint = hint
        self.data = data
        super().__init__(message)


class UsageError(CommandError):
    """An option value the command cannot use."""


class SavedQueriesError(CommandError):
    """A saved-queries file that cannot be read or used (path, query name)."""

    def __init__(self, path: str, message: str, name: str | None = None, hint: str | None = None):
        where = f"{path}: {name}: " if name is not None else f"{path}: "
        super().__init__(where + message, hint=hint, path=path, name=name)


def error_line(exc: BaseException, context: str | None = None) -> str:
    """The one line a user sees for an error (``context``: what it is about),
    with a hint if the error has one; control characters made visible, so a
    file name or a query cannot forge more lines.

    >>> error_line(UsageError("--limit must be at least 1", hint="try --limit 20"))
    'depeche: error: --limit must be at least 1 (try --limit 20)\\n'
    >>> error_line(ValueError("bad\\nforged"), context="q1")
    'depeche: error: q1: bad␊forged\\n'
    """
    message = str(exc)
    hint = getattr(exc, "hint", None)
    if hint:
        message += f" ({hint})"
    if context is not None:
        message = f"{context}: {message}"
    return f"{PROG}: error: {printable(message)}\n"


def index_location(index: str | None) -> tuple[Path, bool]:
    """The index folder (``--index``, else the indexer's default) and whether
    the user named it (``--index`` or ``$DEPECHE_INDEX``): only the unnamed
    default is filled with the bundled corpus on first use."""
    from indexer.index.store import default_index_dir, user_path

    if index:
        return Path(index), True
    default = default_index_dir()
    # No variable by the empty name: the XDG location the default falls back to.
    return default, default != user_path("", "XDG_DATA_HOME", "~/.local/share", "index")


__all__ = ["PROG", "CommandError", "SavedQueriesError", "UsageError", "error_line", "index_location"]
