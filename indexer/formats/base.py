"""What a format is: how it is recognised and how it yields stories.

A format module declares one :class:`Format`; :mod:`indexer.formats.registry`
lists them. Its ``read`` function takes an open
:class:`~indexer.formats.source.Source` and yields, in file order,
:class:`Piece` (the text and metadata of one story, not yet parsed) and
:class:`~indexer.formats.problems.FileProblem` (what it could not read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Union

from indexer.formats.problems import FileProblem
from indexer.formats.source import Source


@dataclass(frozen=True)
class Piece:
    """One story as a format found it: its text, its metadata, its position
    in the file (None for a file of one story) and its own warnings."""

    text: str
    meta: dict[str, Any] = field(default_factory=dict, hash=False)
    position: int | None = None
    warnings: tuple[str, ...] = ()


Item = Union[Piece, FileProblem]


@dataclass(frozen=True)
class Format:
    """A story file format.

    ``extensions`` choose it by the file's name (after ``.gz``); ``sniff``
    by its content when no extension chose another: it is given the
    :class:`~indexer.formats.source.Source` and looks at ``source.head``
    (the first 64 KB decoded) or ``source.head_bytes``; ``unit`` names what
    a position counts in problems (``line 3``, ``item 2``, ``story 5``).
    ``read`` takes the text whole (``source.text()``), in segments
    (``source.segments(...)``) or as a binary stream (``source.stream()``).
    """

    name: str
    read: Callable[[Source], Iterator[Item]]
    extensions: tuple[str, ...] = ()
    sniff: Callable[[Source], bool] | None = None
    unit: str = "story"
