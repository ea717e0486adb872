"""Where an index lives on disk, and how a run replaces it without risk.

Whoosh's multi-file index is not crash-safe by itself: a kill at the wrong
moment can leave its table of contents pointing at missing segments. So an
index folder holds *generations*, each a complete Whoosh index::

    INDEX/
      depeche-index.json      marker: this is a Dépêche index, schema version
      CURRENT                 the name of the generation searches open
      lock                    held (flock) by the one run that writes
      generations/000012/     a whole Whoosh index

A run hard-links the files of the current generation into a new folder
(Whoosh never rewrites a segment file: deletions live in the table of
contents), writes and commits there, then points ``CURRENT`` at it with an
atomic rename. Until that rename the old generation is untouched, so a kill
at any moment leaves the last committed index whole and searchable, and a
search never sees a half-written one. The two newest generations before the
current one are kept for searches that opened them.

A long-lived reader (the TUI, a ``Searcher`` kept open) *holds* the
generation it reads: a shared ``flock`` on the generation's ``.readers``
file (:func:`hold_generation`). ``collect_garbage`` removes an old generation
only once it gets that lock exclusively, so a held generation stays whole
until its readers move on or die (the kernel drops their locks); it then
renames the folder out of the way before deleting it, so a reader never
finds a half-deleted generation. ``.readers`` is never linked into a new
generation: each generation has its own.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import IndexerError

MARKER = "depeche-index.json"
CURRENT = "CURRENT"
LOCK = "lock"
GENERATIONS = "generations"
KEEP_OLD = 2
#: In each generation: the file its readers hold a shared flock on.
READERS = ".readers"
#: Prefix of a collected generation's folder while it is deleted.
GONE = ".gone-"


class IndexStoreError(IndexerError):
    """Base of the errors about an index folder."""


class IndexMissingError(IndexStoreError):
    """No index at the path."""

    def __init__(self, path):
        self.path = path
        super().__init__(f"no index at {path}: run `depeche index` first")


class IndexVersionError(IndexStoreError):
    """An index built by another version of Dépêche."""

    def __init__(self, path, found, expected):
        self.path, self.found, self.expected = path, found, expected
        super().__init__(
            f"the index at {path} was built by another version of Dépêche "
            f"(schema {found}, this one reads {expected}): run `depeche index --rebuild`"
        )


class IndexCorruptError(IndexStoreError):
    """An index folder whose files are damaged."""

    def __init__(self, path, reason):
        self.path, self.reason = path, reason
        super().__init__(f"the index at {path} is damaged ({reason}): run `depeche index --rebuild`")


class ForeignDirectoryError(IndexStoreError):
    """A folder that holds something other than a Dépêche index."""

    def __init__(self, path):
        self.path = path
        super().__init__(
            f"{path} is not a Dépêche index and is not empty: choose another --index folder"
        )


class IndexLockedError(IndexStoreError):
    """Another run is writing this index."""

    def __init__(self, path, holder: str):
        self.path, self.holder = path, holder
        super().__init__(f"the index at {path} is being updated by {holder}; try again when it ends")


class IndexWriteError(IndexStoreError):
    """The index folder cannot be written (read-only, disk full...)."""

    def __init__(self, path, reason):
        self.path, self.reason = path, reason
        super().__init__(f"cannot write the index at {path}: {reason}; the previous index is unchanged")


def user_path(env: str, xdg: str, xdg_fallback: str, *parts: str) -> Path:
    """``$env`` if set, else ``$xdg/depeche/parts`` (XDG base directories).

    >>> str(user_path("NO_SUCH_VAR", "NO_SUCH_XDG", "/tmp/x", "index"))
    '/tmp/x/depeche/index'
    """
    value = os.environ.get(env)
    if value:
        return Path(value).expanduser()
    base = os.environ.get(xdg) or os.path.expanduser(xdg_fallback)
    return Path(base, "depeche", *parts)


def default_index_dir() -> Path:
    """``$DEPECHE_INDEX``, else ``$XDG_DATA_HOME/depeche/index``."""
    return user_path("DEPECHE_INDEX", "XDG_DATA_HOME", "~/.local/share", "index")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Write a small file so that readers see the old or the new content, whole."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


@dataclass(frozen=True)
class Marker:
    schema_version: int
    created: str


class IndexStore:
    """One index folder: its marker, its generations, its lock."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    # ---------------------------------------------------------- inspection
    @property
    def generations_dir(self) -> Path:
        return self.path / GENERATIONS

    def exists(self) -> bool:
        return (self.path / MARKER).is_file()

    def read_marker(self) -> Marker:
        try:
            data = json.loads((self.path / MARKER).read_text(encoding="utf-8"))
            return Marker(int(data["schema_version"]), str(data.get("created", "")))
        except FileNotFoundError:
            raise IndexMissingError(self.path) from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorruptError(self.path, f"unreadable {MARKER}: {exc}") from None

    def check(self, schema_version: int) -> None:
        """Raise a clear error unless this is a readable index of our schema."""
        if not self.path.exists():
            raise IndexMissingError(self.path)
        if not self.exists():
            if self.path.is_dir() and any(self.path.iterdir()):
                raise ForeignDirectoryError(self.path)
            raise IndexMissingError(self.path)
        marker = self.read_marker()
        if marker.schema_version != schema_version:
            raise IndexVersionError(self.path, marker.schema_version, schema_version)

    def has_generation(self) -> bool:
        """Whether a run ever published a generation here."""
        return (self.path / CURRENT).exists()

    def current_generation(self) -> Path:
        """The folder of the generation that searches open."""
        try:
            name = (self.path / CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            # The first run was stopped before its first commit.
            raise IndexMissingError(self.path) from None
        except OSError as exc:
            raise IndexCorruptError(self.path, f"unreadable {CURRENT}: {exc.strerror}") from None
        gen = self.generations_dir / name
        if not name.isdigit() or not gen.is_dir():
            raise IndexCorruptError(self.path, f"{CURRENT} names a missing generation {name!r}")
        return gen

    # ------------------------------------------------------------- writing
    def prepare(self, schema_version: int, rebuild: bool) -> None:
        """Make the folder an index folder (create, or check before writing)."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IndexWriteError(self.path, exc.strerror or str(exc)) from None
        if not self.exists():
            if any(p.name not in (LOCK, GENERATIONS) for p in self.path.iterdir()):
                raise ForeignDirectoryError(self.path)
        elif not rebuild:
            marker = self.read_marker()
            if marker.schema_version != schema_version:
                raise IndexVersionError(self.path, marker.schema_version, schema_version)

    def write_marker(self, schema_version: int) -> None:
        write_atomic(self.path / MARKER, json.dumps({
            "format": "depeche-index",
            "schema_version": schema_version,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }) + "\n")

    def new_generation(self, copy_from: Path | None) -> Path:
        """A new generation folder, holding hard links to ``copy_from``'s files."""
        self.generations_dir.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name) for p in self.generations_dir.iterdir() if p.name.isdigit()]
        gen = self.generations_dir / f"{max(numbers, default=0) + 1:06d}"
        gen.mkdir()
        if copy_from is not None:
            for f in copy_from.iterdir():
                if f.is_file() and "WRITELOCK" not in f.name and f.name != READERS:
                    try:
                        os.link(f, gen / f.name)
                    except OSError as exc:
                        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                            raise
                        shutil.copy2(f, gen / f.name)
        return gen

    def publish(self, gen: Path) -> None:
        """Point CURRENT at ``gen`` (atomic), then drop old generations."""
        for f in gen.iterdir():
            if f.is_file():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
        _fsync_dir(gen)
        write_atomic(self.path / CURRENT, gen.name + "\n")
        self.collect_garbage()

    def collect_garbage(self) -> None:
        """Remove unfinished generations and all but the newest old ones."""
        try:
            current = (self.path / CURRENT).read_text(encoding="utf-8").strip()
        except OSError:
            return
        if not self.generations_dir.is_dir():
            return
        older = sorted(
            (p for p in self.generations_dir.iterdir() if p.name.isdigit() and p.name != current),
            key=lambda p: int(p.name),
        )
        before = [p.name for p in older if current.isdigit() and int(p.name) < int(current)]
        keep = set(before[-KEEP_OLD:])
        for p in older:
            if p.name not in keep:
                _remove_unheld(p)
        for p in self.generations_dir.glob(GONE + "*"):   # left by a killed run
            shutil.rmtree(p, ignore_errors=True)

    def discard(self, gen: Path) -> None:
        shutil.rmtree(gen, ignore_errors=True)

    # ---------------------------------------------------------------- lock
    def lock(self, command: str = "depeche index") -> "WriteLock":
        return WriteLock(self.path / LOCK, self.path, command)


class GenerationHold:
    """A reader's shared ``flock`` on a generation's ``.readers`` file."""

    def __init__(self, generation: Path, fd: int | None):
        self.generation, self.fd = generation, fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)       # closing drops the flock
            self.fd = None


def hold_generation(gen: Path) -> GenerationHold | None:
    """Keep ``gen`` from being collected while it is read; None if it was
    collected already (or is being). On an index folder the reader cannot
    write, the hold protects nothing and is granted anyway."""
    import fcntl

    path = gen / READERS
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except FileNotFoundError:
        return None
    except OSError:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return GenerationHold(gen, None) if gen.is_dir() else None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        # Still the generation's file: not renamed away by a collection
        # that held the lock when this one opened it.
        if not os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False)):
            raise FileNotFoundError(path)
    except OSError:
        os.close(fd)
        return None
    return GenerationHold(gen, fd)


def _remove_unheld(gen: Path) -> None:
    """Delete an old generation unless a reader holds it (it is kept then)."""
    import fcntl

    try:
        fd = os.open(gen / READERS, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError:
        fd = None                   # no readers' file can be made: none holds it
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return              # read by someone: collected by a later run
        gone = gen.with_name(GONE + gen.name)
        try:
            os.rename(gen, gone)
        except OSError:
            gone = gen
        shutil.rmtree(gone, ignore_errors=True)
    finally:
        if fd is not None:
            os.close(fd)


class WriteLock:
    """An exclusive, non-blocking ``flock`` on INDEX/lock naming its holder.

    The kernel drops it when the process dies, even by kill -9, so a stale
    lock file never blocks the next run.
    """

    def __init__(self, path: Path, index: Path, command: str):
        self.path, self.index, self.command = path, index, command
        self.fd: int | None = None

    def __enter__(self) -> "WriteLock":
        import fcntl

        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise IndexWriteError(self.index, exc.strerror or str(exc)) from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = "another process"
            try:
                info = json.loads(os.pread(self.fd, 4096, 0).decode("utf-8") or "{}")
                holder = f"`{info.get('command', 'depeche')}` (pid {info.get('pid')} on {info.get('host')}, since {info.get('since')})"
            except (OSError, ValueError):
                pass
            os.close(self.fd)
            self.fd = None
            raise IndexLockedError(self.index, holder) from None
        info = json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
            "since": time.strftime("%Y-%m-%d %H:%M:%S"),
        }).encode("utf-8")
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, info, 0)
        return self

    def __exit__(self, *exc) -> None:
        import fcntl

        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)
            except OSError:
                pass
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
