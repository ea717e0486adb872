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

import contextlib
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from indexer import backend
from indexer.config import CorpusConfig
from indexer.index import meter
from indexer.index.duplicates import duplicate_key, find_duplicates
from indexer.index.groups import group_bucket
from indexer.backend.postings import segment_postings
from indexer.index.merging import MERGE_CREDIT, TieredMerge
from indexer.index.pool import TermPool
from indexer.formats import CorpusFile, FileProblem, FileResult, inside, iter_corpus_files, read_file, read_file_parts
from indexer.index.schema import SCHEMA_VERSION, bucket_key, build_schema, file_stamp, record_of, story_document
from indexer.index.children import run_children
from indexer.index.shards import MIN_PARALLEL_WORK, ParallelCommit, default_processes
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
#: Seconds between two progress reports while a batch is written.
PROGRESS_SECONDS = 0.2
#: Below this many documents in a batch (merged ones counted by their
#: lesser cost), one writer process is faster.
MULTIPROCESS_MIN_DOCS = MIN_PARALLEL_WORK
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
    #: Wall seconds by phase of the run's process (a profile: reading is
    #: the time spent waiting for and taking the read pool's files).
    phases: dict[str, float] = field(default_factory=dict)

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


class IndexInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a run; every batch committed before it is kept.

    A ``KeyboardInterrupt``, so that code catching that still does; carries
    the run's :class:`IndexReport` (``interrupted`` set).
    """

    def __init__(self, report: IndexReport):
        self.report = report
        super().__init__("interrupted")


@dataclass
class Progress:
    """Counts passed to a progress callback: while reading, after every file
    (and every few stories of a large file); while a batch is written, a few
    times a second, from a helper thread (the run itself waits in Whoosh's
    commit meanwhile)."""

    files_done: int
    files_total: int
    stories: int             # stories read so far
    phase: str = "reading"   # reading | writing (a batch is being committed)
    bytes_done: int = 0      # bytes on disk of the files to read, read so far
    bytes_total: int = 0
    committed: int = 0       # stories of the batches already written by this run
    batch: int = 0           # writing: the stories of the batch being written
    analysed: int = 0        # writing: of them, analysed by the writer processes so far
    postings_total: int = 0  # writing: postings of the new segments (known once they are being written)
    postings_done: int = 0   # writing: of them, written
    writers: int = 0         # writing: the writer processes of the batch
    writers_writing: int = 0  # writing: of them, those writing their segment (the postings they count)


def _abs(cf: CorpusFile) -> str:
    """A file's absolute path: its own path string when it is one already
    (not a copy: a run holds a few for every file of the corpus)."""
    path = os.path.abspath(cf.path)
    return cf.path if path == cf.path else path


_BITS = 64
_LOW = (1 << _BITS) - 1
_NOT_SET = object()


class _Stamps:
    """The stamp of every file of a run, by absolute path (``stamps[path]``:
    :func:`~indexer.index.schema.file_stamp`, or None for a file gone), and
    its size on disk.

    A run holds one for every file of the corpus, so each is kept as one
    number (size and mtime) and its string made when asked for: 890,000
    files hold 176 MB less than as strings beside a dict of sizes.
    """

    __slots__ = ("_stat", "_set")

    def __init__(self) -> None:
        self._stat: dict[str, int | tuple[int, int] | None] = {}
        self._set: dict[str, str | None] = {}  # stamps set by the run (a file read in parts)

    def stat(self, cf: CorpusFile) -> None:
        """Take a file's size and mtime (one ``stat``)."""
        path = _abs(cf)
        try:
            st = os.stat(cf.path)
        except OSError:
            self._stat[path] = None
            return
        size, mtime = st.st_size, st.st_mtime_ns
        # One number when the mtime fits beside the size (nearly always); a
        # pair else (before 1970, or past 2554): never two stamps made one.
        self._stat[path] = size << _BITS | mtime if 0 <= mtime <= _LOW else (size, mtime)

    def __getitem__(self, path: str) -> str | None:
        stamp = self._set.get(path, _NOT_SET)
        if stamp is not _NOT_SET:
            return stamp
        packed = self._stat[path]
        if packed is None:
            return None
        if isinstance(packed, tuple):
            return file_stamp(path, *packed)
        return file_stamp(path, packed >> _BITS, packed & _LOW)

    def get(self, path: str, default=None) -> str | None:
        return self[path] if path in self else default

    def __setitem__(self, path: str, stamp: str | None) -> None:
        self._set[path] = stamp

    def __contains__(self, path: str) -> bool:
        return path in self._stat or path in self._set

    def size(self, cf: CorpusFile) -> int:
        """A file's size on disk when it was stamped (0: gone, or not stamped)."""
        packed = self._stat.get(_abs(cf))
        if packed is None:
            return 0
        return packed[0] if isinstance(packed, tuple) else packed >> _BITS


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


def _open_or_create(gen: Path, create: bool):
    """The Whoosh index of a generation being written: a new one, or a copy
    of the last, whose files are checked against their checksums first (each
    file once per run: generations share them)."""
    index_dir = gen.parent.parent
    try:
        if create:
            return backend.create_index_dir(gen, build_schema())
        return backend.open_index_dir(gen, index_dir, verify=True)
    except IndexCorruptError:
        raise
    except OSError as exc:
        raise IndexWriteError(gen, exc.strerror or str(exc)) from None
    except Exception as exc:  # whoosh raises many kinds on damaged files
        raise IndexCorruptError(index_dir, f"{type(exc).__name__}: {exc}") from None


def indexed_files(ix) -> dict[str, str]:
    """What the index holds of each file: absolute path -> its recorded stamp
    (see :func:`split_stamp`)."""
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
                    path = stamp.split("\x00", 1)[0]
                    if path in out:  # the stamp seen last, the owners of every part
                        own, owners = split_stamp(stamp)
                        stamp = _with_owners(own, set(owners) | set(split_stamp(out[path])[1]))
                    out[path] = stamp
    return out


def split_stamp(recorded: str) -> tuple[str, list[str]]:
    """A recorded stamp: the file's own stamp (path, size, mtime), then the
    files holding ids whose stories this file lost as duplicates.

    >>> split_stamp("/c/b.jsonl\\x0012\\x00345\\x00/c/a.jsonl")
    ('/c/b.jsonl\\x0012\\x00345', ['/c/a.jsonl'])
    """
    parts = recorded.split("\x00")
    return "\x00".join(parts[:3]), parts[3:]


def _with_owners(stamp: str, owners: Iterable[str]) -> str:
    return "\x00".join([stamp, *sorted(owners)])


def _files_to_read(files: list[CorpusFile], stamps: _Stamps, old_files: dict[str, str],
                   gone: list[str]) -> list[CorpusFile]:
    """The files whose stories must be (re)read: new or changed files, and
    files that lost stories as duplicates to a file that changes or goes (its
    copy of the id may be the one left)."""
    if not old_files and not gone:  # a new index: every file is new (no set of a million paths)
        return list(files)
    changed = set(gone)
    waiting: dict[str, tuple[CorpusFile, list[str]]] = {}
    for cf in files:
        path = _abs(cf)
        own, owners = split_stamp(old_files.get(path, ""))
        stamp = stamps[path]
        if stamp is not None and own == stamp:
            if owners:
                waiting[path] = (cf, owners)
        else:
            changed.add(path)
    moved = True
    while moved:  # a file re-read may be the owner another file lost to
        moved = False
        for path, (cf, owners) in list(waiting.items()):
            if changed.intersection(owners):
                del waiting[path]
                changed.add(path)
                moved = True
    return [cf for cf in files if _abs(cf) in changed]


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
    :class:`IndexInterrupted` (a ``KeyboardInterrupt`` carrying the report)
    after keeping every batch already committed. A rebuild publishes only
    when complete: interrupted, it leaves the old index as it was.
    """
    started = time.monotonic()
    paths = [str(p) for p in paths]
    with _metered(progress is not None):
        return _build_index(paths, index_dir, started, rebuild=rebuild, config=config, workers=workers,
                            progress=progress, on_result=on_result, batch_stories=batch_stories,
                            batch_seconds=batch_seconds)


@contextlib.contextmanager
def _metered(wanted: bool):
    """A write meter for the run (made before any writer forks), if progress is wanted."""
    previous = meter.CURRENT
    meter.CURRENT = meter.WriteMeter() if wanted else None
    try:
        yield
    finally:
        meter.CURRENT = previous


def _build_index(paths: list[str], index_dir, started: float, *, rebuild: bool, config, workers, progress,
                 on_result, batch_stories: int, batch_seconds: float) -> IndexReport:
    store = IndexStore(index_dir)
    report = IndexReport(str(store.path))
    store.prepare()
    # The folder is judged under the lock: a run that is creating it is
    # "updating" it, not a foreign folder.
    with store.lock(), run_children():
        store.check_writable(SCHEMA_VERSION, rebuild)
        store.remove_unfinished()
        base: Path | None = None
        if not rebuild and store.exists() and store.has_generation():
            base = store.current_generation()
        old_files: dict[str, str] = {}
        if base is not None:
            ix = _open_or_create(base, create=False)
            old_files = indexed_files(ix)
            ix.close()
        if not store.exists() or (base is None and not rebuild):
            _write_marker(store)

        walk_problems: list[FileProblem] = []
        files = list(iter_corpus_files(paths, config, walk_problems))
        for problem in walk_problems:
            result = FileResult(problem.path, [], [problem])
            report.read.add(result)
            if on_result:
                on_result(result)
        stamps = _Stamps()
        for cf in files:
            stamps.stat(cf)
        roots = [os.path.abspath(p) for p in paths]
        gone = sorted(p for p in old_files if p not in stamps and any(inside(p, r) for r in roots))
        to_read = _files_to_read(files, stamps, old_files, gone)
        report.unchanged_files = len(files) - len(to_read)
        counts = _RunCounts(files_total=len(to_read), bytes_total=sum(map(stamps.size, to_read)))

        writer_state = _Writer(store, base, report, publish_each=not rebuild)
        try:
            if gone:
                writer_state.pending_removals.extend(gone)
            done = 0
            batch: list[tuple[CorpusFile, FileResult]] = []
            batch_count = 0
            full_stamps: dict[str, str | None] = {}  # of the files read in parts, until their last part
            last_commit = time.monotonic()

            def read_progress(cf: CorpusFile, found: int, consumed: int) -> None:
                if counts.file != cf.path:   # the first count of a large file
                    counts.file, counts.stories_before_file = cf.path, report.read.stories
                progress(counts.progress(counts.stories_before_file + found, counts.bytes_done + consumed))

            def commit(batch, stamps) -> None:
                started = time.monotonic()
                with _progress_while_writing(progress, counts, report.read.stories, batch_count):
                    writer_state.commit(batch, stamps)
                counts.committed += batch_count
                report.phases["commits"] = report.phases.get("commits", 0.0) + time.monotonic() - started

            for cf, result in _read_all(to_read, workers, batch_stories, read_progress if progress else None,
                                        stamps.size):
                done += result.last
                counts.files_done = done
                if result.last:
                    counts.bytes_done += stamps.size(cf)
                    counts.file = None
                report.read.add(result)
                if on_result:
                    on_result(result)
                batch.append((cf, result))
                batch_count += len(result.stories)
                # A file's own stamp goes with its last part only: if the run
                # stops before, the next one reads the file again.
                path = _abs(cf)
                if not result.last:
                    full_stamps.setdefault(path, stamps[path])
                    stamps[path] = partial_stamp(path)
                elif path in full_stamps:
                    stamps[path] = full_stamps.pop(path)
                if progress:
                    progress(counts.progress(report.read.stories,
                                             counts.bytes_done + (0 if result.last else result.bytes_read)))
                if batch_count >= batch_stories or time.monotonic() - last_commit >= batch_seconds:
                    commit(batch, stamps)
                    batch, batch_count, last_commit = [], 0, time.monotonic()
                    _release_memory()
            first_ever = base is None and report.generations == 0  # an empty corpus still gets an index
            if batch or writer_state.pending_removals or (first_ever and writer_state.base is None):
                commit(batch, stamps)
            writer_state.finish(rewrite_marker=rebuild)
        except KeyboardInterrupt:
            writer_state.abort()
            report.interrupted = True
            report.elapsed = time.monotonic() - started
            raise IndexInterrupted(report) from None
        except BaseException:
            writer_state.abort()
            raise
    report.elapsed = time.monotonic() - started
    return report


def _write_marker(store: IndexStore) -> None:
    try:
        store.write_marker(SCHEMA_VERSION)
    except OSError as exc:
        raise IndexWriteError(store.path, exc.strerror or str(exc)) from None


@dataclass
class _RunCounts:
    """What a run has read and written so far, for its progress reports."""

    files_total: int = 0
    bytes_total: int = 0
    files_done: int = 0
    bytes_done: int = 0            # of the files read whole
    committed: int = 0
    file: str | None = None        # the large file being read, if any
    stories_before_file: int = 0

    def progress(self, stories: int, bytes_done: int, **writing) -> Progress:
        return Progress(self.files_done, self.files_total, stories, "writing" if writing else "reading",
                        min(bytes_done, self.bytes_total), self.bytes_total, self.committed, **writing)


@contextlib.contextmanager
def _progress_while_writing(progress: Callable[[Progress], None] | None, counts: _RunCounts, stories: int,
                            batch: int):
    """Report the writers' progress (:mod:`indexer.index.meter`) a few times
    a second while the block commits a batch."""
    if progress is None or meter.CURRENT is None:
        yield
        return
    board = meter.CURRENT
    board.reset()
    stop = threading.Event()
    failure: list[BaseException] = []

    def report() -> None:
        c = board.counts()
        progress(counts.progress(stories, counts.bytes_done if counts.file is None else counts.bytes_total,
                                 batch=batch, analysed=min(c.stories, batch),
                                 postings_total=c.postings_total, postings_done=c.postings_done,
                                 writers=c.writers, writers_writing=c.writing))

    def tick() -> None:
        while not stop.wait(PROGRESS_SECONDS):
            try:
                report()
            except BaseException as exc:  # the callback's error is the run's, raised below
                failure.append(exc)
                return

    report()
    ticker = threading.Thread(target=tick, name="depeche-progress", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        stop.set()
        ticker.join()
    if failure:
        raise failure[0]
    report()


def _disk_size(cf: CorpusFile, size_of: Callable[[CorpusFile], int]) -> int:
    """What a file weighs for the read-ahead: its size on disk
    (``size_of(cf)``), eight times for a gzip file."""
    size = size_of(cf)
    return size * 8 if cf.path.lower().endswith(".gz") else size


def _read_all(files: list[CorpusFile], workers: int | None, part_stories: int | None,
              on_progress: Callable[[CorpusFile, int, int], None] | None,
              size_of: Callable[[CorpusFile], int]) -> Iterator[tuple[CorpusFile, FileResult]]:
    """Read and parse files in order, on ``workers`` processes (default: all
    cores); a large file in the main process, in parts of ``part_stories``
    (``on_progress(file, stories, bytes)`` every few of its stories;
    ``size_of``: a file's size on disk, as stamped)."""
    workers = workers or os.cpu_count() or 1

    def parts(cf: CorpusFile) -> Iterator[FileResult]:
        report = (lambda found, consumed: on_progress(cf, found, consumed)) if on_progress else None
        return read_file_parts(cf, part_stories, report)

    if workers <= 1 or len(files) < 16:
        for cf in files:
            for part in parts(cf):
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
            size = _disk_size(cf, size_of)
            if size >= LARGE_FILE_BYTES:
                yield from pool.imap(_read_one, window, chunksize=8)
                window, window_bytes = [], 0
                for part in parts(cf):
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


Doc = tuple[Story, str, str]  # a story, its file, the file's recorded stamp


@dataclass
class _Counts:
    added: int = 0
    updated: int = 0
    removed: int = 0


class _Writer:
    """Commits batches as generations; keeps the base generation up to date.

    With ``publish_each`` (a plain run) every batch is published as it is
    committed; otherwise (a rebuild) batches go to unpublished generations,
    each replacing the one before, and :meth:`finish` publishes the last.
    """

    def __init__(self, store: IndexStore, base: Path | None, report: IndexReport, publish_each: bool = True,
                 processes: int | None = None):
        self.store, self.base, self.report = store, base, report
        self.publish_each = publish_each
        self.unpublished = False  # whether ``base`` is a generation no reader sees yet
        self.pending = _Counts()
        self.pending_removals: list[str] = []
        self.unmatched: set[str] = set()  # ids removed by the first part of an unfinished file
        self.gen: Path | None = None
        self.writer = None
        self.parallel: ParallelCommit | None = None
        self.processes = processes or default_processes()
        # Merges cost at most MERGE_CREDIT times what this run writes.
        self.merge_policy = TieredMerge()

    # ----------------------------------------------------------- the steps
    def commit(self, batch: list[tuple[CorpusFile, FileResult]], stamps: _Stamps) -> None:
        try:
            self._commit(batch, stamps)
        except OSError as exc:
            self.abort()
            raise IndexWriteError(self.store.path, exc.strerror or str(exc)) from None

    def _commit(self, batch: list[tuple[CorpusFile, FileResult]], stamps: _Stamps) -> None:
        self.gen = self.store.new_generation(self.base)
        ix = _open_or_create(self.gen, create=self.base is None)
        # A file read in parts replaces its old stories with its first part only.
        replaced = set(self.pending_removals) | {_abs(cf) for cf, r in batch if r.part == 0}
        new_docs = _documents_of(batch, stamps)
        started = time.monotonic()
        with ix.searcher() as searcher:
            # The id and bucket of each story replaced (not the documents: a
            # file of a million stories would hold them all in memory).
            old_by_file: dict[str, list[tuple[str, str | None]]] = {}
            old_keys: set[str] = set()   # the copies of a story removed may need another original
            for path in replaced:
                old_by_file[path] = []
                for d in searcher.documents(file=path):
                    old_by_file[path].append((d["id"], bucket_key(record_of(d))))
                    if d.get("dupkey"):
                        old_keys.add(d["dupkey"])
            kept = self._drop_duplicates(searcher, new_docs, replaced)
            kept, recopied, their_groups = _find_copies(searcher, kept, replaced, old_keys)
            groups, regroup = _regroup(searcher, kept, old_by_file, replaced)
            for sid, group in their_groups.items():
                groups.setdefault(sid, group)
            rewrite = {story.id: doc for doc in regroup for story in doc[:1]}
            rewrite.update({story.id: doc for doc in recopied for story in doc[:1]})
            regroup = list(rewrite.values())
        grouped = time.monotonic()
        self._time("grouping", grouped - started)
        self._write(ix, replaced, kept, regroup, groups)
        self._time("writing", time.monotonic() - grouped)
        ix.close()
        self._count(batch, old_by_file, {s.id for s, _, _ in kept})
        self.pending_removals.clear()
        # From here on the generation is never discarded: an interruption
        # before the rename leaves an unpublished folder (collected by the next
        # run), after it the new generation is the index.
        gen, self.gen = self.gen, None
        previous, self.base = (self.base if self.unpublished else None), gen
        if self.publish_each:
            self._publish()
        else:
            self.unpublished = True
            if previous is not None:  # an earlier batch of this rebuild: nobody reads it
                self.store.discard(previous)

    def _drop_duplicates(self, searcher, new_docs: list[Doc], replaced: set[str]) -> list[Doc]:
        """One id, one story: a story repeating an id already held by another
        file (or earlier in its own file) is reported, not kept. A file that
        lost a story to another records that file in its stamp, so that it is
        read again when that file changes or goes."""
        kept: list[Doc] = []
        owners: dict[str, str] = {}
        lost_to: dict[str, set[str]] = {}
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
                if owner != path:
                    lost_to.setdefault(path, set()).add(owner)
                continue
            owners[story.id] = path
            kept.append((story, path, stamp))
        return [(story, path, _with_owners(stamp, lost_to[path]) if path in lost_to else stamp)
                for story, path, stamp in kept]

    def _count(self, batch, old_by_file: dict[str, list[tuple[str, str | None]]], new_ids: set[str]) -> None:
        """Stories added, updated and removed by a batch (reported once published)."""
        old_ids = {sid for docs in old_by_file.values() for sid, _ in docs}
        # A file read in parts: the ids its first part removed and a later
        # part brings back are updates, not removals and additions.
        back = (new_ids - old_ids) & self.unmatched
        self.pending.added += len(new_ids - old_ids - back)
        self.pending.updated += len(new_ids & old_ids) + len(back)
        self.pending.removed += len(old_ids - new_ids) - len(back)
        unfinished = {os.path.abspath(cf.path) for cf, r in batch if not r.last} - \
            {os.path.abspath(cf.path) for cf, r in batch if r.last}
        self.unmatched = ((self.unmatched - back) | {sid for p in unfinished for sid, _ in old_by_file.get(p, ())
                                                     if sid not in new_ids}) if unfinished else set()

    def _write(self, ix, replaced: set[str], kept: list[Doc], regroup: list[Doc], groups: dict[str, str]) -> None:
        """Delete the replaced files' stories, add the batch's, merge, commit:
        the batch's files cut into shards written by one process each
        (:mod:`indexer.index.shards`), the merge beside them."""
        # Segments are not assembled into one compound file: a reader of a
        # compound segment copies each of its parts into memory.
        options = {"limitmb": WRITER_LIMIT_MB, "compound": False, "poolclass": TermPool,
                   "codec": backend.writer_codec()}
        writer = ix.writer(**options)
        self.writer = writer
        for path in replaced:
            writer.delete_by_term("file", path)
        for story, path, stamp in regroup:
            writer.delete_by_term("id", story.id)
        units: dict[str, list] = {}
        for story, path, stamp in [*kept, *regroup]:
            units.setdefault(path, []).append((story, groups.get(story.id, story.id), path, stamp))
        self.merge_policy.credit += MERGE_CREDIT * (len(kept) + len(regroup))
        commit = self.parallel = ParallelCommit(writer, ix, options, self.merge_policy, self.processes,
                                                min_work=MULTIPROCESS_MIN_DOCS)
        commit.commit(list(units.values()), _add_story)
        for phase, seconds in commit.seconds.items():
            self._time(f"writing: {phase}", seconds)
        self.writer = self.parallel = None

    def _time(self, phase: str, seconds: float) -> None:
        self.report.phases[phase] = self.report.phases.get(phase, 0.0) + seconds

    def _publish(self, rewrite_marker: bool = False) -> None:
        if rewrite_marker:
            _write_marker(self.store)
        self.store.publish(self.base, verify=_verify_generation)
        self.unpublished = False
        # Counted once published, so that an interrupted run reports only
        # what it kept.
        self.report.added += self.pending.added
        self.report.updated += self.pending.updated
        self.report.removed += self.pending.removed
        self.report.generations += 1
        self.pending = _Counts()

    def finish(self, rewrite_marker: bool = False) -> None:
        """Publish the rebuild's last generation (a plain run published each)."""
        if self.unpublished:
            self._publish(rewrite_marker)

    def abort(self) -> None:
        """End the writer's processes, drop what is not published."""
        if self.writer is not None:
            # The writer processes ignore Ctrl-C: they are ended here,
            # before their folder goes (else they would go on writing into
            # a folder deleted under them).
            if self.parallel is not None:
                self.parallel.abort()
                self.parallel = None
            try:
                self.writer.cancel()
            except Exception:  # the writer may be half-closed: the folder goes anyway
                pass
            self.writer = None
        if self.gen is not None:
            self.store.discard(self.gen)
            self.gen = None
        if self.unpublished and self.base is not None:
            self.store.discard(self.base)
            self.base, self.unpublished = None, False


def _add_story(writer, doc) -> None:
    story, group, path, stamp = doc
    writer.add_document(**story_document(story, group, path, stamp))


def _documents_of(batch: list[tuple[CorpusFile, FileResult]], stamps: _Stamps) -> list[Doc]:
    docs: list[Doc] = []
    for cf, result in batch:
        path = _abs(cf)
        for story in result.stories:
            docs.append((story, path, stamps.get(path) or file_stamp(path, 0, 0)))
    return docs


def _find_copies(searcher, kept: list[Doc], replaced: set[str], old_keys: set[str]
                 ) -> tuple[list[Doc], list[Doc], dict[str, str]]:
    """Republished copies (:mod:`indexer.index.duplicates`), over the whole
    index: the batch's stories with their ``duplicate_of``, the stories
    already indexed whose ``duplicate_of`` changes (a new original came, or
    theirs went), and those stories' groups (kept as they are)."""
    new_ids = {story.id for story, _, _ in kept}
    keys: dict[str, list[Story]] = {}
    for story, _, _ in kept:
        key = duplicate_key(story)
        if key:
            keys.setdefault(key, []).append(story)
    for key in old_keys:
        keys.setdefault(key, [])
    originals: dict[str, str | None] = {}
    recopied: list[Doc] = []
    their_groups: dict[str, str] = {}
    for key, members in keys.items():
        others = {}
        for d in searcher.documents(dupkey=key):
            if d["file"] not in replaced and d["id"] not in new_ids:
                others[d["id"]] = (record_of(d), d["file"], d.get("filestamp", ""), d.get("group") or d["id"])
        found = find_duplicates([*members, *(o[0] for o in others.values())])
        originals.update(found)
        for sid, (story, path, stamp, group) in others.items():
            if found[sid] != story.duplicate_of:
                recopied.append((replace(story, duplicate_of=found[sid]), path, stamp))
                their_groups[sid] = group
    kept = [(replace(story, duplicate_of=originals.get(story.id)) if story.duplicate_of != originals.get(story.id)
             else story, path, stamp) for story, path, stamp in kept]
    return kept, recopied, their_groups


def _regroup(searcher, kept: list[Doc], old_by_file: dict[str, list[tuple[str, str | None]]],
             replaced: set[str]) -> tuple[dict[str, str], list[Doc]]:
    """Story groups of every (agency, day) bucket the batch touches: the group
    of each new story, and the stories already indexed whose group changes."""
    buckets: dict[str, dict[str, Doc]] = {}
    for story, path, stamp in kept:
        key = bucket_key(story)
        if key:
            buckets.setdefault(key, {})[story.id] = (story, path, stamp)
    for docs in old_by_file.values():
        for _, key in docs:
            if key:
                buckets.setdefault(key, {})
    regroup: list[Doc] = []
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
    return groups, regroup


def _verify_generation(gen: Path) -> None:
    """Raise unless a committed generation opens and reads (before it is published)."""
    try:
        ix = backend.open_index_dir(gen, gen.parent.parent)
        try:
            with ix.reader() as reader:
                reader.doc_count()
        finally:
            ix.close()
    except OSError:
        raise
    except Exception as exc:  # whoosh raises many kinds on damaged files
        raise IndexCorruptError(gen.parent.parent, f"the new generation {gen.name} does not open "
                                f"({type(exc).__name__}: {exc}); the previous one stays current") from None


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
        return backend.open_index_dir(gen, store.path)
    except IndexCorruptError:
        raise
    except Exception as exc:  # whoosh raises many kinds on damaged files
        raise IndexCorruptError(store.path, f"{type(exc).__name__}: {exc}") from None


__all__ = ["IndexInterrupted", "IndexReport", "Progress", "build_index", "indexed_files", "open_index", "split_stamp"]
