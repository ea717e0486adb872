"""Several processes writing segments of one Whoosh commit (the Whoosh side).

Whoosh's own multi-process writer (``MpWriter``) pickles every document to
its writer processes through job files, then merges on the parent alone.
:mod:`indexer.index.shards` forks its writer processes instead, each with
its own share of the batch (and, for one of them, the segments to merge)
already in memory; the helpers below are the Whoosh internals that needs:

- :func:`unlocked_writer`: a segment writer in a forked process (the
  parent's writer holds Whoosh's lock);
- :func:`finish_segment`: write a writer's segment out and record its
  checksums, without committing a table of contents;
- :func:`commit_segments`: the parent's commit, with a segment list it
  composes (kept segments, then each process's new one).
"""

from __future__ import annotations

from pathlib import Path

from whoosh import writing

from indexer.backend.segments import SUMS_SUFFIX, write_sums


def unlocked_writer(ix, **options):
    """A segment writer of ``ix`` that does not take Whoosh's lock (the
    parent's writer holds it); its segment gets a name of its own."""
    return writing.SegmentWriter(ix, _lk=False, **options)


def has_documents(writer) -> bool:
    """Whether the writer was given documents (added, or merged in)."""
    return bool(writer._added)


def finish_segment(writer):
    """Write out the writer's segment (its postings, closed files) and the
    checksum record of its files; the segment object, or None if the
    writer holds nothing. Writes no table of contents."""
    if not writer._added:
        writer._close_segment()
        return None
    segment = writer._finalize_segment()
    folder = getattr(writer.storage, "folder", "")
    if folder and not (Path(folder) / (segment.segment_id() + SUMS_SUFFIX)).exists():
        write_sums(Path(folder), segment.segment_id())
    return segment


def current_segments(writer) -> list:
    """The segments a writer started from, with the deletions it made so far
    (in memory until its commit)."""
    return list(writer.segments)


def commit_segments(writer, segments: list) -> None:
    """Commit ``writer`` (whose own segment is already finished or closed)
    with exactly ``segments`` as the index's segments; release its lock."""
    writer._commit_toc(segments)
    writer._finish()


def discard_segment(writer) -> None:
    """Close an unlocked writer's files without committing anything (its
    process is ending on an error)."""
    try:
        writer._close_segment()
    except Exception:  # half-written: the generation folder is discarded anyway
        pass


__all__ = ["commit_segments", "current_segments", "discard_segment", "finish_segment", "has_documents",
           "unlocked_writer"]
