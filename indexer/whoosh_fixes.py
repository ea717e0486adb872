"""Fixes to the pinned Whoosh release (whoosh-reloaded 2.7.5), applied on import.

Each fix names the problem it solves; each is checked by a test so that a
Whoosh upgrade that makes it unnecessary, or breaks it, is noticed.

1. ``W3PerDocReader._cached_reader`` caches the readers of length columns it
   finds but not the *absence* of one: for every posting of a field without
   lengths (ID, KEYWORD, our ``words``) it asks the file system again whether
   the column file exists. Writing a segment of 1,000 stories made ~300,000
   ``stat`` calls, a quarter of indexing time. The fix remembers misses.
"""

from __future__ import annotations

from whoosh.codec import whoosh3

_MISSING = object()


def _cached_reader(self, fieldname, column):
    cached = self._readers.get(fieldname, _MISSING)
    if cached is not _MISSING:
        return cached
    reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
    self._readers[fieldname] = reader
    return reader


def apply() -> None:
    whoosh3.W3PerDocReader._cached_reader = _cached_reader


apply()
