"""Building and updating an index: ``depeche index`` as a library call.

One run walks the corpus, skips files whose size and modification time are
those already indexed, reads and parses the others on every core, and writes
them in batches. Each batch is committed as a new generation (see
:mod:`indexer.index.store`), so an interrupted run keeps what it committed and the
next run does the rest. A file's stories are replaced as a whole when the
file changes, and removed when it is gone.

What the index knows of each file (its path, size and mtime) is stored in
the index itself, in the ``filestamp`` field: the record of what was indexed
can never disagree with what is in the index.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from whoosh import index as whoosh_index

import indexer.backend.patches  # noqa: F401  (fixes to the pinned Whoosh, applied on import)
from indexer.config import CorpusConfig
from indexer.index.groups import group_bucket
from indexer.index.merging import MERGE_CREDIT, TieredMerge, segment_postings
from indexer.index.pool import TermPool
from indexer.formats import CorpusFile, FileProblem, FileResult, iter_corpus_files, read_file, read_file_parts
from indexer.index.schema import SCHEMA_VERSION, bucket_key, build_schema, file_stamp, record_of, story_document
from indexer.index.store import IndexCorruptError, IndexStore, IndexWriteError
from indexer.story import Story
from indexer.summary import ReadSummary

#: Stories per committed batch, and the longest time between two commits.
BATCH_STORIES = 5000
BATCH_SECONDS = 60.0
#: Files read ahead of the writer, at most, and their bytes on disk.
READ_WINDOW = 1000
READ_WINDOW_BYTES = 32 * 2**20
#: Files this large on disk (compressed: an eighth of it) are read in the main
#: process part by part, each part at most a batch: memory stays bounded by a
#: batch whatever the size of a file.
LARGE_FILE_BYTES = 256 * 1024
#: Below this many documents in a batch, one writer process is faster.
MULTIPROCESS_MIN_DOCS = 2000
#: Memory of one Whoosh writer's posting pool before it spills to disk.
WRITER_LIMIT_MB = 256


@dataclass
class IndexReport:
    """What an index run did."""

    index: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged_files: int = 0
    read: ReadSummary = field(default_factory=ReadSummary)
    generations: int = 0
    interrupted: bool = False
    elapsed: float = 0.0
    duplicates: list[FileProblem] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.read.clean and not self.duplicates

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged_files": self.unchanged_files,
            "read": self.read.to_dict(),
            "duplicates": len(self.duplicates),
            "interrupted": self.interrupted,
            "elapsed": round(self.elapsed, 3),
        }


@dataclass
class Progress:
    """Counts passed to a progress callback after every file."""

    files_done: int
    files_total: int
    stories: int
    phase: str = "reading"   # reading | writing (a batch is being committed)


def _stat_stamp(cf: CorpusFile) -> tuple[str, str | None]:
    path = os.path.abspath(cf.path)
    try:
        st = os.stat(cf.path)
    except OSError:
        return path, None
    return path, file_stamp(path, st.st_size, st.st_mtime_ns)


def _release_memory() -> None:
    """Hand the memory freed by a batch back to the system (glibc keeps
    freed blocks in its heap: the writer processes forked at the next commit
    would start with them, and the process's RSS would only grow)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _read_one(cf: CorpusFile) -> tuple[CorpusFile, FileResult]:
    return cf, read_file(cf)


def partial_stamp(path: str) -> str:
    """The stamp of the stories of a file whose last part is not committed
    yet: it never equals a file's stamp, so a re-run reads the file again
    and replaces them. It sorts before every full stamp of the same path."""
    return f"{path}\x00\x00partial"


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _open_or_create(gen: Path, create: bool):
    schema = build_schema() if create else None
    try:
        if create:
            return whoosh_index.create_in(str(gen), schema)
        return whoosh_index.open_dir(str(gen))
    except OSError as exc:
        raise IndexWriteError(gen, exc.strerror or str(exc)) from None
    except Exception as exc:  # whoosh raises many kinds on damaged files
        raise IndexCorruptError(gen.parent.parent, f"{type(exc).__name__}: {exc}") from None


def indexed_files(ix) -> dict[str, str]:
    """What the index holds of each file: absolute path -> its stamp."""
    out: dict[str, str] = {}
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            # Deleted documents stay in the lexicon until a merge: only the
            # stamps of live documents count.
            last = None
            for _, term, _, _, _ in segment_postings(leaf, "filestamp"):
                if term != last:
                    last = term
                    stamp = term.decode("utf-8")
                    out[stamp.split("\x00", 1)[0]] = stamp
    return out


def build_index(
    paths: Iterable[str | os.PathLike],
    index_dir: str | os.PathLike,
    *,
    rebuild: bool = False,
    config: CorpusConfig | None = None,
    workers: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    batch_stories: int = BATCH_STORIES,
    batch_seconds: float = BATCH_SECONDS,
) -> IndexReport:
    """Index (or update the index of) every story under ``paths``.

    Raises the :mod:`indexer.index.store` errors for a locked, foreign, damaged or
    unwritable index, :class:`~indexer.errors.NoStoriesError` for a missing
    path, :class:`~indexer.errors.ConfigError` for a bad corpus.yaml, and
    ``KeyboardInterrupt`` after keeping every batch already committed (the
    report then says ``interrupted``; get it from the exception's
    ``report`` attribute).
    """
    started = time.monotonic()
    paths = [str(p) for p in paths]
    store = IndexStore(index_dir)
    report = IndexReport(str(store.path))
    store.prepare(SCHEMA_VERSION, rebuild)
    with store.lock():
        store.collect_garbage()
        base: Path | None = None
        if not rebuild and store.exists() and store.has_generation():
            base = store.current_generation()
        old_files: dict[str, str] = {}
        if base is not None:
            ix = _open_or_create(base, create=False)
            old_files = indexed_files(ix)
            ix.close()
        else:
            try:
                store.write_marker(SCHEMA_VERSION)
            except OSError as exc:
                raise IndexWriteError(store.path, exc.strerror or str(exc)) from None

        walk_problems: list[FileProblem] = []
        files = list(iter_corpus_files(paths, config, walk_problems))
        for problem in walk_problems:
            result = FileResult(problem.path, [], [problem])
            report.read.add(result)
            if on_result:
                on_result(result)
        stamps = dict(_stat_stamp(cf) for cf in files)
        to_read = []
        for cf in files:
            path = os.path.abspath(cf.path)
            if stamps[path] is not None and old_files.get(path) == stamps[path]:
                report.unchanged_files += 1
            else:
                to_read.append(cf)
        roots = [os.path.abspath(p) for p in paths]
        gone = sorted(p for p in old_files if p not in stamps and _under(p, roots))

        writer_state = _Writer(store, base, report)
        try:
            if gone:
                writer_state.pending_removals.extend(gone)
            done = 0
            batch: list[tuple[CorpusFile, FileResult]] = []
            batch_count = 0
            full_stamps: dict[str, str | None] = {}  # of the files read in parts, until their last part
            last_commit = time.monotonic()
            for cf, result in _read_all(to_read, workers, batch_stories):
                done += result.last
                report.read.add(result)
                if on_result:
                    on_result(result)
                batch.append((cf, result))
                batch_count += len(result.stories)
                # A file's own stamp goes with its last part only: if the run
                # stops before, the next one reads the file again.
                path = os.path.abspath(cf.path)
                if not result.last:
                    full_stamps.setdefault(path, stamps[path])
                    stamps[path] = partial_stamp(path)
                elif path in full_stamps:
                    stamps[path] = full_stamps.pop(path)
                if progress:
                    progress(Progress(done, len(to_read), report.read.stories))
                if batch_count >= batch_stories or time.monotonic() - last_commit >= batch_seconds:
                    if progress:
                        progress(Progress(done, len(to_read), report.read.stories, "writing"))
                    writer_state.commit(batch, stamps)
                    batch, batch_count, last_commit = [], 0, time.monotonic()
                    _release_memory()
            first_ever = base is None and report.generations == 0  # an empty corpus still gets an index
            if batch or writer_state.pending_removals or first_ever:
                if progress:
                    progress(Progress(done, len(to_read), report.read.stories, "writing"))
                writer_state.commit(batch, stamps)
        except KeyboardInterrupt as exc:
            writer_state.abort()
            report.interrupted = True
            report.elapsed = time.monotonic() - started
            exc.report = report  # type: ignore[attr-defined]
            raise
        except BaseException:
            writer_state.abort()
            raise
    report.elapsed = time.monotonic() - started
    return report


def _disk_size(cf: CorpusFile) -> int:
    """What a file weighs for the read-ahead (a gzip file counts eight times)."""
    try:
        size = os.stat(cf.path).st_size
    except OSError:
        return 0
    return size * 8 if cf.path.lower().endswith(".gz") else size


def _read_all(files: list[CorpusFile], workers: int | None,
              part_stories: int | None = None) -> Iterator[tuple[CorpusFile, FileResult]]:
    """Read and parse files in order, on ``workers`` processes (default: all
    cores); a large file in the main process, in parts of ``part_stories``."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(files) < 16:
        for cf in files:
            for part in read_file_parts(cf, part_stories):
                yield cf, part
        return
    ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else multiprocessing.get_context()
    pool = ctx.Pool(workers)
    try:
        # A window at a time: imap alone would read the whole corpus ahead
        # of the writer and hold every parsed story in memory.
        window: list[CorpusFile] = []
        window_bytes = 0
        for cf in files:
            size = _disk_size(cf)
            if size >= LARGE_FILE_BYTES:
                yield from pool.imap(_read_one, window, chunksize=8)
                window, window_bytes = [], 0
                for part in read_file_parts(cf, part_stories):
                    yield cf, part
                continue
            window.append(cf)
            window_bytes += size
            if len(window) >= READ_WINDOW or window_bytes >= READ_WINDOW_BYTES:
                yield from pool.imap(_read_one, window, chunksize=8)
                window, window_bytes = [], 0
        yield from pool.imap(_read_one, window, chunksize=8)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


class _Writer:
    """Commits batches as generations; keeps the base generation up to date."""

    def __init__(self, store: IndexStore, base: Path | None, report: IndexReport):
        self.store, self.base, self.report = store, base, report
        self.pending_removals: list[str] = []
        self.unmatched: set[str] = set()  # ids removed by the first part of an unfinished file
        self.gen: Path | None = None
        self.writer = None
        # Merges cost at most MERGE_CREDIT times what this run writes.
        self.merge_policy = TieredMerge()

    def abort(self) -> None:
        if self.writer is not None:
            try:
                self.writer.cancel()
            except Exception:  # the writer may be half-closed: the folder goes anyway
                pass
            self.writer = None
        if self.gen is not None:
            self.store.discard(self.gen)
            self.gen = None

    def commit(self, batch: list[tuple[CorpusFile, FileResult]], stamps: dict[str, str | None]) -> None:
        try:
            self._commit(batch, stamps)
        except OSError as exc:
            self.abort()
            raise IndexWriteError(self.store.path, exc.strerror or str(exc)) from None

    def _commit(self, batch: list[tuple[CorpusFile, FileResult]], stamps: dict[str, str | None]) -> None:
        self.gen = self.store.new_generation(self.base)
        ix = _open_or_create(self.gen, create=self.base is None)
        # A file read in parts replaces its old stories with its first part only.
        replaced = set(self.pending_removals) | {os.path.abspath(cf.path) for cf, r in batch if r.part == 0}
        new_docs: list[tuple[Story, str, str]] = []  # story, file, stamp
        for cf, result in batch:
            path = os.path.abspath(cf.path)
            for story in result.stories:
                new_docs.append((story, path, stamps.get(path) or file_stamp(path, 0, 0)))
        ndocs = len(new_docs)
        with ix.searcher() as searcher:
            # The id and bucket of each story replaced (not the documents: a
            # file of a million stories would hold them all in memory).
            old_by_file: dict[str, list[tuple[str, str | None]]] = {}
            for path in replaced:
                old_by_file[path] = [(d["id"], bucket_key(record_of(d))) for d in searcher.documents(file=path)]
            old_ids = {sid for docs in old_by_file.values() for sid, _ in docs}
            # One id, one story: a story repeating an id already held by
            # another file (or earlier in its own file) is reported, not kept.
            kept: list[tuple[Story, str, str]] = []
            owners: dict[str, str] = {}
            for story, path, stamp in new_docs:
                owner = owners.get(story.id)
                if owner is None:
                    existing = searcher.document(id=story.id)
                    if existing and existing["file"] not in replaced:
                        owner = existing["file"]
                if owner is not None:
                    where = "earlier in the same file" if owner == path else f"already in {owner}"
                    self.report.duplicates.append(FileProblem(
                        path, f"duplicate id {story.id} ({where}), skipped", False, "duplicate"))
                    continue
                owners[story.id] = path
                kept.append((story, path, stamp))
            new_ids = {s.id for s, _, _ in kept}

            # Story groups of every (agency, day) bucket this batch touches.
            buckets: dict[str, dict[str, tuple[Story, str, str]]] = {}
            for story, path, stamp in kept:
                key = bucket_key(story)
                if key:
                    buckets.setdefault(key, {})[story.id] = (story, path, stamp)
            for docs in old_by_file.values():
                for _, key in docs:
                    if key:
                        buckets.setdefault(key, {})
            regroup: list[tuple[Story, str, str]] = []
            groups: dict[str, str] = {}
            for key, members in buckets.items():
                others = {}
                for d in searcher.documents(bucket=key):
                    if d["file"] in replaced or d["id"] in members:
                        continue
                    others[d["id"]] = (record_of(d), d["file"], d.get("filestamp", ""), d.get("group"))
                everyone = [m[0] for m in members.values()] + [o[0] for o in others.values()]
                bucket_groups = group_bucket(everyone)
                groups.update(bucket_groups)
                for sid, (story, path, stamp, group) in others.items():
                    if bucket_groups[sid] != group:
                        regroup.append((story, path, stamp))

            # Segments are not assembled into one compound file: a reader of a
            # compound segment copies each of its parts into memory.
            options = {"limitmb": WRITER_LIMIT_MB, "compound": False, "poolclass": TermPool}
            writer = ix.writer(procs=2, multisegment=True, **options) if ndocs >= MULTIPROCESS_MIN_DOCS \
                else ix.writer(**options)
            self.writer = writer
            for path in replaced:
                writer.delete_by_term("file", path)
            for story, path, stamp in regroup:
                writer.delete_by_term("id", story.id)
        for story, path, stamp in [*kept, *regroup]:
            writer.add_document(**story_document(story, groups.get(story.id, story.id), path, stamp))
        self.merge_policy.credit += MERGE_CREDIT * (len(kept) + len(regroup))
        writer.commit(mergetype=self.merge_policy)
        self.writer = None
        ix.close()
        # From here on the generation is never discarded: an interruption
        # before the rename leaves an unpublished folder (collected by the next
        # run), after it the new generation is the index.
        gen, self.gen = self.gen, None
        self.store.publish(gen)
        self.base = gen
        self.pending_removals.clear()
        # Counted once published, so that an interrupted run reports only
        # what it kept.
        # A file read in parts: the ids its first part removed and a later
        # part brings back are updates, not removals and additions.
        back = (new_ids - old_ids) & self.unmatched
        self.report.added += len(new_ids - old_ids - back)
        self.report.updated += len(new_ids & old_ids) + len(back)
        self.report.removed += len(old_ids - new_ids) - len(back)
        unfinished = {os.path.abspath(cf.path) for cf, r in batch if not r.last} - \
            {os.path.abspath(cf.path) for cf, r in batch if r.last}
        self.unmatched = ((self.unmatched - back) | {sid for p in unfinished for sid, _ in old_by_file.get(p, ())
                                                     if sid not in new_ids}) if unfinished else set()
        self.report.generations += 1


def open_index(index_dir: str | os.PathLike):
    """Open the current generation of an index for reading (a Whoosh Index).

    Raises :class:`~indexer.index.store.IndexMissingError`,
    :class:`~indexer.index.store.IndexVersionError`,
    :class:`~indexer.index.store.ForeignDirectoryError` or
    :class:`~indexer.index.store.IndexCorruptError` with a one-line message.
    """
    store = IndexStore(index_dir)
    store.check(SCHEMA_VERSION)
    gen = store.current_generation()
    try:
        return whoosh_index.open_dir(str(gen))
    except Exception as exc:  # whoosh raises many kinds on damaged files
        raise IndexCorruptError(store.path, f"{type(exc).__name__}: {exc}") from None


__all__ = ["IndexReport", "Progress", "build_index", "indexed_files", "open_index"]
