"""Which segments a commit merges, and how: a tiered policy and a streaming merge.

Whoosh's default policy (``MERGE_SMALL``) rewrites a growing share of the
index at every commit: a 100k-story build committed every 5,000 stories
rewrote its early segments again and again, and a run that changed 1% of the
files merged the twenty segments of the full build into one (270 s of the
full build's 838 s).

:class:`TieredMerge` puts each segment in a *tier* by its live documents
(``TIER_FLOOR`` and below: tier 0, then every factor of ``TIER_FACTOR``
one tier up) and merges the segments of a tier only when the tier holds
``TIER_FACTOR`` of them. A segment is rewritten only with segments of its
own size, so a document is rewritten about log(N) times over a whole build,
and the index keeps about ``TIER_FACTOR - 1`` segments per tier at most (a
dozen at 100k stories). A run may merge only :data:`MERGE_CREDIT` times the
documents it writes, so a run that changes 1% of the stories never rewrites
the big segments of the full build.
Deleted documents stay in their segment until it is merged; a segment whose
documents are all deleted is dropped without being rewritten, and a segment
that lost most of its documents falls to the tier of what it still holds.

Whoosh merges by feeding every posting of the old segments to its external
sort (pickled to run files, sorted, read back), although each segment's
postings are already in order. :func:`merge_into` streams them instead:
the terms of the merged segments, each with its postings at once, are
merged with the writer's own terms (``heapq.merge`` by term) and written
by the batched posting writer (:mod:`indexer.backend.blockwriter`), with
nothing spilled to disk. (Whoosh's own writer, where it is used, gets the
same postings one by one.)
"""

from __future__ import annotations

import heapq
import math
from functools import partial
from typing import Sequence

from whoosh.reading import SegmentReader

from indexer.backend.postings import feed_writer, mark_added, segment_postings, segment_terms

#: Segments of a tier merged together once a tier holds this many.
TIER_FACTOR = 8
#: Segments of up to this many live documents are all in tier 0.
TIER_FLOOR = 4000
#: A run may merge this many documents for each document it writes.
MERGE_CREDIT = 4.0


def tier_of(live_docs: int, factor: int | None = None, floor: int | None = None) -> int:
    """The tier of a segment holding ``live_docs`` live documents.

    >>> [tier_of(n) for n in (1, 4000, 4001, 32000, 32001, 300000)]
    [0, 0, 1, 1, 2, 3]
    """
    factor, floor = factor or TIER_FACTOR, floor or TIER_FLOOR
    if live_docs <= floor:
        return 0
    return int(math.ceil(math.log(live_docs / floor, factor) - 1e-9))


def plan_merge(sizes: Sequence[tuple[int, int]], credit: float = math.inf, factor: int | None = None,
               floor: int | None = None) -> tuple[list[int], list[int], list[int]]:
    """Decide a commit's merge from each segment's (all docs, live docs).

    Returns the indexes of the segments to merge, to keep as they are, and
    to drop (no live document). Only the lowest tier holding ``factor``
    segments is merged, and of it only as many of its smallest segments as
    ``credit`` live documents allow (at least two, else none).

    >>> plan_merge([(100000, 100000), (3000, 3000), (2500, 2400)])
    ([], [0, 1, 2], [])
    >>> plan_merge([(100000, 99000)] + [(2500, 2500)] * 8 + [(10, 0)])
    ([1, 2, 3, 4, 5, 6, 7, 8], [0], [9])
    >>> plan_merge([(100000, 99000)] + [(2500, 2500)] * 7 + [(900, 900)], credit=3600)
    ([8, 1], [0, 2, 3, 4, 5, 6, 7], [])
    """
    factor, floor = factor or TIER_FACTOR, floor or TIER_FLOOR
    drop = [i for i, (_, live) in enumerate(sizes) if live == 0]
    tiers: dict[int, list[int]] = {}
    for i, (_, live) in enumerate(sizes):
        if live:
            tiers.setdefault(tier_of(live, factor, floor), []).append(i)
    merge: list[int] = []
    for tier in sorted(tiers):
        if len(tiers[tier]) >= factor:
            total = 0
            for i in sorted(tiers[tier], key=lambda i: (sizes[i][1], i)):
                if total + sizes[i][1] > credit:
                    break
                total += sizes[i][1]
                merge.append(i)
            if len(merge) < 2:
                merge = []
            break
    chosen = set(merge) | set(drop)
    keep = [i for i in range(len(sizes)) if i not in chosen]
    return merge, keep, drop


class _MergedPool:
    """The writer's posting pool, with the postings of merged segments
    streamed in when the segment is written; closes their readers after."""

    def __init__(self, pool, streams, readers, term_streams):
        self._pool, self._streams, self._readers = pool, streams, readers
        self._term_streams = term_streams
        if not hasattr(pool, "term_sources"):  # Whoosh's own pool: Whoosh's own writer
            self.term_sources = None

    def iter_postings(self):
        return heapq.merge(self._pool.iter_postings(), *self._streams)

    def term_sources(self) -> list:
        """The writer's own terms, then each merged segment's, for the
        batched posting writer (:mod:`indexer.backend.blockwriter`)."""
        sources = list(self._pool.term_sources())
        return sources + [make(len(sources) + i) for i, make in enumerate(self._term_streams)]

    def cleanup(self):
        try:
            self._pool.cleanup()
        finally:
            for reader in self._readers:
                reader.close()
            self._readers = []

    def __getattr__(self, name):
        return getattr(self._pool, name)


class TieredMerge:
    """A Whoosh merge policy (``writer.commit(mergetype=policy)``) that merges
    at most ``credit`` live documents over all the commits it serves.

    A run gives it credit for what it writes (:data:`MERGE_CREDIT` times
    the documents of each batch), so that merges cost a bounded multiple of
    the run's own work: a run that changes 1% of the stories never pays for
    rewriting big segments; a full build pays for its merges as it goes.
    """

    def __init__(self, credit: float = 0.0):
        self.credit = credit
        self.merged_docs = 0
        self.merges = 0

    def __call__(self, writer, segments):
        sizes = [(seg.doc_count_all(), seg.doc_count()) for seg in segments]
        merge, keep, _drop = plan_merge(sizes, self.credit)
        if merge:
            merge_into(writer, [segments[i] for i in merge])
            live = sum(sizes[i][1] for i in merge)
            self.credit -= live
            self.merged_docs += live
            self.merges += 1
        return [segments[i] for i in keep]


def merge_into(writer, segments) -> None:
    """Add the live documents of ``segments`` to the segment ``writer`` writes."""
    schema = writer.schema
    streams, readers, term_streams = [], [], []
    try:
        for seg in segments:
            reader = SegmentReader(writer.storage, schema, seg)
            readers.append(reader)
            basedoc = writer.docnum
            fieldnames = set(schema.names()) | {
                f for f in reader.indexed_field_names() if f in schema}
            docmap = writer.write_per_doc(fieldnames, reader)
            streams.append(feed_writer(writer, segment_postings(reader), basedoc, docmap))
            term_streams.append(partial(segment_terms, reader, basedoc, docmap))
    except BaseException:
        for reader in readers:
            reader.close()
        raise
    mark_added(writer)
    writer.pool = _MergedPool(writer.pool, streams, readers, term_streams)


__all__ = ["MERGE_CREDIT", "TIER_FACTOR", "TIER_FLOOR", "TieredMerge", "merge_into", "plan_merge", "tier_of"]
