"""What went wrong while reading: one frozen record, rendered in one place.

A :class:`FileProblem` is a typed warning (``kind``, ``path``, ``position``,
``message``): the readers make them, the summaries count them by kind and
the command line prints them with :meth:`FileProblem.render`. A problem
that ``skipped`` something cost a story (with a position) or the whole file
(without one). A warning with no position is about the whole file: it is
also recorded on each of the file's stories.

The Story record keeps its own warnings as ``kind: message`` strings (its
documented JSON form); :meth:`FileProblem.of_story` is the one place that
reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.story import Story


@dataclass(frozen=True)
class FileProblem:
    """Something wrong with a file, or with one story of it.

    >>> str(FileProblem("a.jsonl", "not a JSON object, skipped", False, "json", 3))
    'a.jsonl: line 3: not a JSON object, skipped'
    >>> FileProblem("b.txt", "empty file", True, "empty").render()
    'skipped: b.txt: empty file'
    """

    path: str
    message: str
    skipped: bool = False
    kind: str = "read"
    #: The story's place in its file (a line, an item, a document), if any.
    position: int | None = None
    #: What ``position`` counts: ``line`` (JSON Lines), ``item`` (JSON), ``story`` (SGML).
    unit: str = "line"

    @property
    def reason(self) -> str:
        """The problem without the file's path: ``line 3: not valid JSON``."""
        if self.position is None:
            return self.message
        return f"{self.unit} {self.position}: {self.message}"

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    def render(self) -> str:
        """The one line a user reads: ``skipped: PATH: reason`` or ``warning: PATH: reason``."""
        return f"{'skipped' if self.skipped else 'warning'}: {self}"

    @classmethod
    def of_story(cls, warning: str, path: str, position: int | None, unit: str = "line") -> "FileProblem":
        """The typed form of one of a Story's ``kind: message`` warnings.

        >>> FileProblem.of_story("date: no year", "a.txt", None).kind
        'date'
        """
        kind = warning.split(":", 1)[0].strip() if ":" in warning else "story"
        return cls(path, warning, False, kind or "story", position, unit)


@dataclass
class FileResult:
    """The stories read from one file (or one part of a large file), and
    what went wrong with them.

    A large file is read in parts of a bounded number of stories: ``part``
    counts them from 0 and ``last`` marks the final one (a file that is read
    whole is one part, its last).
    """

    path: str
    stories: list[Story] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    part: int = 0
    last: bool = True
    #: The name of the format the file was read as (``text``, ``jsonl``, ``newsml-g2``...).
    format: str | None = None
    #: Bytes of the file on disk read up to the end of this part (0: not counted).
    bytes_read: int = 0

    @property
    def skipped(self) -> bool:
        """The whole file was skipped (a problem with no position that skips)."""
        return any(p.skipped and p.position is None for p in self.problems)


class Skip(Exception):
    """A file that cannot be read at all (internal to the readers)."""

    def __init__(self, reason: str, kind: str = "read"):
        super().__init__(reason)
        self.reason, self.kind = reason, kind
