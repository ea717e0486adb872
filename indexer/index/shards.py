"""One commit written by every core: shards of whole files, merges beside them.

A batch (its stories already grouped by the run's process, which alone
holds what grouping and duplicate detection need) is cut into *shards*: a
shard is a set of **whole files** of the batch, with their stories' groups
decided, written by one process into one new segment of the generation.
One shard may also carry the commit's merge (a set of existing segments,
:func:`indexer.index.merging.plan_merge`), merged into its segment while
the other shards are written. The run's process writes shard 0 itself; each
other shard is written by a process forked for it, which finds its stories
already in memory (no document is pickled to a writer) and sends back only
its segment's record (a few hundred bytes). When every shard is written,
the run's process commits one table of contents: the segments kept, then
the shards' segments in shard order (the same stories and the same
workers give the same index, whichever process finishes first).

Before, Whoosh's ``MpWriter`` pickled each document to two writer
processes, and the run's process merged on one core after they were done
(35% of the wall time of a 100k build, the other core idle).

What a shard is, for a distributed build later: a list of whole files
(their path, stamp and stories), each story's group and republished-copy
original (decided globally, in one place), and optionally segments to
merge; its output is one self-contained segment (its files and checksum
record) whose deletions live in the table of contents. Nothing in it
depends on the other shards of the commit, so another machine could write
it and ship the segment back; only the table of contents is composed in
one place.

Crash safety is the store's: every shard writes into the generation being
built, which no reader sees until the run publishes it. A writer process
that dies (``kill -9``, out of memory) makes the commit fail with one line
and nothing of the batch is published; the run's death kills the writers
(:mod:`indexer.index.children`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

from indexer.backend import parallel
from indexer.index import meter
from indexer.index.children import end_processes
from indexer.index.merging import merge_into, plan_merge

#: What one merged document costs its writer, in newly written documents
#: (a merge copies postings already analysed and encoded).
MERGE_WEIGHT = 0.35
#: Below this much work (new documents, plus merged ones by their weight),
#: a commit is written by the run's process alone: a fork costs more.
MIN_PARALLEL_WORK = 2000
#: The name a writer process shows (``ps``, ``/proc/PID/comm``: 15 bytes at most).
WRITER_NAME = b"depeche-writer"


class WriterDied(OSError):
    """A writer process of the commit ended without its segment."""


@dataclass
class Shard:
    """Whole files of a batch for one writer process, and the segments it merges."""

    units: list = field(default_factory=list)   # per file: the documents (opaque to this module)
    docs: int = 0
    merge: list = field(default_factory=list)   # segments merged into this shard's segment
    merge_docs: int = 0

    @property
    def work(self) -> float:
        return self.docs + MERGE_WEIGHT * self.merge_docs


def plan_shards(units: Sequence[list], processes: int, merge: list, merge_docs: int,
                min_work: float = MIN_PARALLEL_WORK) -> list[Shard]:
    """Cut a batch (``units``: one list of documents per file, in order) into
    at most ``processes`` shards of about equal work, the merge (counted
    :data:`MERGE_WEIGHT` a document) in the last one. Each shard takes the
    next run of documents, so files stay whole but for the at most
    ``processes - 1`` files where a shard ends. Less work than ``min_work``
    in all: one shard.

    >>> [[len(u) for u in s.units] for s in plan_shards([[1] * 5, [1] * 3, [1] * 2], 2, [], 0, min_work=0)]
    [[5], [3, 2]]
    >>> [(s.docs, s.merge_docs) for s in plan_shards([[1] * 6, [1] * 4], 2, ["seg"], 20, min_work=0)]
    [(8, 0), (2, 20)]
    >>> [(s.docs, s.merge_docs) for s in plan_shards([[1] * 6, [1] * 4], 2, ["seg"], 90, min_work=0)]
    [(10, 0), (0, 90)]
    >>> [s.docs for s in plan_shards([[1] * 5, [1] * 3], 2, [], 0)]  # too little work to fork
    [8]
    >>> [s.docs for s in plan_shards([[1]], 4, [], 0, min_work=0)]
    [1]
    """
    docs = sum(len(u) for u in units)
    merge_work = MERGE_WEIGHT * merge_docs
    if processes <= 1 or docs + merge_work < min_work:
        processes = 1
    share = (docs + merge_work) / processes
    if processes > 1 and merge_work >= share:  # the merge alone is a shard's work
        wanted = [docs // (processes - 1) + (k < docs % (processes - 1)) for k in range(processes - 1)] + [0]
    else:
        wanted = [round(share)] * (processes - 1)
        wanted.append(docs - sum(wanted))
    shards = [Shard(docs=n) for n in wanted]
    shards[-1].merge, shards[-1].merge_docs = list(merge), merge_docs
    k, room = 0, wanted[0]
    for unit in units:
        start = 0
        while start < len(unit):
            while room == 0 and k < len(shards) - 1:
                k += 1
                room = wanted[k]
            take = len(unit) - start if k == len(shards) - 1 else min(room, len(unit) - start)
            shards[k].units.append(unit[start:start + take])
            start += take
            room -= take
    return [s for s in shards if s.units or s.merge]


def _name_process() -> None:
    try:
        import ctypes

        ctypes.CDLL(None).prctl(15, WRITER_NAME, 0, 0, 0)  # PR_SET_NAME
    except (OSError, AttributeError):  # not Linux
        pass


def _write_shard(writer, shard: Shard, add: Callable) -> None:
    for unit in shard.units:
        for doc in unit:
            add(writer, doc)
    if shard.merge:
        merge_into(writer, shard.merge)


def _child(conn, ix, options: dict, shard: Shard, add: Callable) -> None:
    """A forked writer process: write one shard's segment, send its record."""
    # What the fork inherited is never collected here: a collection would
    # write to every inherited object's header and copy the parent's pages.
    gc.freeze()
    _name_process()
    writer = None
    try:
        writer = parallel.unlocked_writer(ix, **options)
        _write_shard(writer, shard, add)
        conn.send(("ok", parallel.finish_segment(writer)))
    except BaseException as exc:  # reported by the parent as one line
        if writer is not None:
            parallel.discard_segment(writer)
        try:
            conn.send(("error", f"{type(exc).__name__}: {exc}", isinstance(exc, OSError)
                       and getattr(exc, "strerror", None)))
        except Exception:
            pass
    finally:
        conn.close()


class ParallelCommit:
    """One commit of a batch, written by up to ``processes`` processes.

    Use: ``writer = ix.writer(...)``, its deletions, then
    ``ParallelCommit(writer, ix, options, policy, processes).commit(units, add)``
    where ``add(writer, doc)`` adds one document. ``processes`` (the writer
    processes while a commit runs, the run's own included) are recorded in
    :attr:`processes_used`; :meth:`abort` ends them.
    """

    def __init__(self, writer, ix, options: dict, policy, processes: int, min_work: float | None = None):
        self.writer, self.ix, self.options = writer, ix, options
        self.policy, self.processes = policy, max(1, processes)
        self.min_work = MIN_PARALLEL_WORK if min_work is None else min_work
        self.children: list = []
        self.processes_used = 1
        #: Seconds of the commit: the run's own shard, then waiting for the others.
        self.seconds = {"own shard": 0.0, "waiting for writers": 0.0}

    def plan(self, units: Sequence[list]) -> list[Shard]:
        segments = parallel.current_segments(self.writer)
        sizes = [(seg.doc_count_all(), seg.doc_count()) for seg in segments]
        merge, keep, _drop = plan_merge(sizes, self.policy.credit)
        self._keep = [segments[i] for i in keep]
        merged = sum(sizes[i][1] for i in merge)
        if merge:
            self.policy.credit -= merged
            self.policy.merged_docs += merged
            self.policy.merges += 1
        return plan_shards(units, self.processes, [segments[i] for i in merge], merged, self.min_work)

    def commit(self, units: Sequence[list], add: Callable) -> None:
        shards = self.plan(units)
        self.processes_used = max(1, len(shards))
        if meter.CURRENT is not None:
            meter.CURRENT.set_writers(self.processes_used)
        ctx = multiprocessing.get_context("fork")
        pipes = []
        try:
            for shard in shards[1:]:
                receive, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(send, self.ix, self.options, shard, add),
                                   name="depeche-writer", daemon=True)
                self.children.append(proc)
                proc.start()
                send.close()
                pipes.append(receive)
            started = time.monotonic()
            # The run's process holds the read window, the batch and the
            # grouping keys: while it writes its own shard, the collector
            # scans only what the writing creates, not that older heap.
            gc.freeze()
            try:
                if shards:
                    _write_shard(self.writer, shards[0], add)
                own = parallel.finish_segment(self.writer)
            finally:
                gc.unfreeze()
            mine = time.monotonic()
            theirs = [self._receive(proc, conn) for proc, conn in zip(self.children, pipes)]
            self.seconds = {"own shard": mine - started, "waiting for writers": time.monotonic() - mine}
        finally:
            for conn in pipes:
                conn.close()
        for proc in self.children:
            proc.join()
        self.children = []
        new = [seg for seg in [own, *theirs] if seg is not None]
        parallel.commit_segments(self.writer, self._keep + new)

    @staticmethod
    def _receive(proc, conn):
        try:
            answer = conn.recv()
        except EOFError:
            proc.join()
            code = proc.exitcode
            how = (f"killed by signal {signal.Signals(-code).name}" if code is not None and code < 0
                   else f"exit status {code}")
            raise WriterDied(f"a writer process ({proc.pid}) ended without its segment ({how})") from None
        if answer[0] == "ok":
            return answer[1]
        _, message, strerror = answer
        if strerror:
            raise OSError(strerror)
        raise WriterDied(f"a writer process failed: {message}")

    def abort(self) -> None:
        """End the writer processes (the generation folder goes with the caller's abort)."""
        end_processes(self.children)
        self.children = []


def default_processes() -> int:
    """Writer processes of a commit: one per core, two at least (the
    reading processes, ``workers``, are another setting)."""
    return max(2, os.cpu_count() or 1)


__all__ = ["MERGE_WEIGHT", "MIN_PARALLEL_WORK", "ParallelCommit", "Shard", "WriterDied", "default_processes",
           "plan_shards"]
