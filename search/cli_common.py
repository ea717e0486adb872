"""What every ``depeche`` command shares: its errors, and where the index is.

A user's mistake is one line on stderr and exit status 2, never a traceback.
The command line's own mistakes raise a :class:`CommandError` (the message,
the data behind it, a hint); the library's errors (:class:`IndexerError`,
:class:`search.query.SearchError`) carry their own data. ``main`` turns any
of them into one line with :func:`error_line`.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    """The user's index folder (``--index``, else the indexer's default) and
    whether the user named it (``--index`` or ``$DEPECHE_INDEX``)."""
    from indexer.index.store import default_index_dir, user_path

    if index:
        return Path(index), True
    default = default_index_dir()
    # No variable by the empty name: the XDG location the default falls back to.
    return default, default != user_path("", "XDG_DATA_HOME", "~/.local/share", "index")


@dataclass(frozen=True)
class IndexChoice:
    """The index a command uses: its folder, whether the user named it, and
    whether it is the demo (the bundled corpus, in an index of its own)."""

    path: Path
    named: bool
    demo: bool = False


def reading_index(index: str | None) -> IndexChoice:
    """The index a reading command (search, show, stats, tui...) uses: the
    one named, else the user's default index once it exists, else the demo.

    The demo keeps the bundled stories out of the user's own index: after
    ``depeche index ~/archive`` the default index holds the archive alone."""
    from indexer.index.store import demo_index_dir

    path, named = index_location(index)
    if named or path.exists():
        return IndexChoice(path, named)
    return IndexChoice(demo_index_dir(), False, demo=True)


def writing_index(index: str | None, paths: list[str]) -> IndexChoice:
    """The index ``depeche index`` writes: the one named, else the demo for
    the bundled corpus (no PATH), else the user's default index."""
    from indexer.index.store import demo_index_dir

    path, named = index_location(index)
    if named or paths:
        return IndexChoice(path, named)
    return IndexChoice(demo_index_dir(), False, demo=True)


def demo_note(choice: IndexChoice) -> str:
    """The stderr line that says the demo is in use (and how to have one's own)."""
    return (f"{PROG}: using the demo index of the bundled corpus ({printable(str(choice.path))}); "
            f"`depeche index PATH` indexes your own stories\n")


__all__ = ["PROG", "CommandError", "IndexChoice", "SavedQueriesError", "UsageError", "demo_note", "error_line",
           "index_location", "reading_index", "writing_index"]
