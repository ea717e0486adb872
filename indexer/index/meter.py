"""How far a commit has gone, counted by every process that writes it.

A batch is written by Whoosh writer processes (two for a large batch, the
run's own process for a small one): they analyse each story, then write
their segment's postings. The run's process waits in ``commit`` meanwhile,
seeing nothing. :class:`WriteMeter` is a few counters in shared memory,
made before the writers are forked: the writers' posting pool
(:class:`indexer.index.pool.TermPool`) adds the stories it takes and the
postings it writes, and the run reads them to report progress while it
waits (see :func:`indexer.index.build.build_index`).

Counting never blocks a writer: a count whose lock is busy for long is
dropped (progress is an estimate; the index never depends on it).
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass

_STORIES, _POSTINGS_TOTAL, _POSTINGS_DONE, _WRITERS, _WRITING = range(5)


@dataclass(frozen=True)
class WriteCounts:
    """What the writers of a commit have done so far."""

    stories: int = 0          # stories analysed (added to a posting pool)
    postings_total: int = 0   # postings of the segments being written (once their writing starts)
    postings_done: int = 0    # of them, written
    writers: int = 0          # writer processes of the commit
    writing: int = 0          # of them, writing their segment (their postings counted in postings_total)


class WriteMeter:
    """Shared counters of one commit (see the module's docstring)."""

    def __init__(self):
        ctx = multiprocessing.get_context("fork") if hasattr(multiprocessing, "get_context") else multiprocessing
        self._counts = ctx.RawArray("q", 5)
        self._lock = ctx.Lock()

    def _add(self, slot: int, n: int) -> None:
        if self._lock.acquire(timeout=0.05):
            try:
                self._counts[slot] += n
            finally:
                self._lock.release()

    def add_stories(self, n: int = 1) -> None:
        self._add(_STORIES, n)

    def add_postings_total(self, n: int) -> None:
        """A writer starts writing its segment, of ``n`` postings."""
        self._add(_POSTINGS_TOTAL, n)
        self._add(_WRITING, 1)

    def set_writers(self, n: int) -> None:
        self._counts[_WRITERS] = n

    def add_postings_done(self, n: int) -> None:
        self._add(_POSTINGS_DONE, n)

    def reset(self) -> None:
        for slot in range(5):
            self._counts[slot] = 0

    def counts(self) -> WriteCounts:
        return WriteCounts(*self._counts[:5])


#: The meter of the commit being written, if any (set by the run before the
#: writers fork, so that they share it; None: nothing counts).
CURRENT: WriteMeter | None = None


__all__ = ["CURRENT", "WriteCounts", "WriteMeter"]
