"""``depeche check``: every file of an index's current generation against
the size and checksum recorded when it was written."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from indexer import backend
from indexer.index.schema import SCHEMA_VERSION
from indexer.index.store import IndexStore


@dataclass(frozen=True)
class IndexCheck:
    """A whole index: what was verified."""

    index: str
    generation: str
    segments: int
    files: int
    bytes: int
    unrecorded: tuple[str, ...] = field(default=())


def check_index(index_dir: str | os.PathLike) -> IndexCheck:
    """Verify the current generation; raises IndexCorruptError naming the
    first damaged file (and counting the others), or the store's errors."""
    store = IndexStore(index_dir)
    store.check(SCHEMA_VERSION)
    gen = store.current_generation()
    report = backend.check_generation(gen)
    if report.damages:
        raise backend.corrupt_error(store.path, report.damages)
    return IndexCheck(str(store.path), gen.name, report.segments, report.files, report.bytes,
                      tuple(report.unrecorded))


__all__ = ["IndexCheck", "check_index"]
