"""Where an index lives on disk, and how a run replaces it without risk.

Whoosh's multi-file index is not crash-safe by itself: a kill at the wrong
moment can leave its table of contents pointing at missing segments. So an
index folder holds *generations*, each a complete Whoosh index::

    INDEX/
      depeche-index.json      marker: this is a Dépêche index, schema version
      CURRENT                 the name of the generation searches open
      lock                    held (a POSIX record lock) by the one run that writes
      generations/000012/     a whole Whoosh index

A run hard-links the files of the current generation into a new folder
(Whoosh never rewrites a segment file: deletions live in the table of
contents), writes and commits there, then points ``CURRENT`` at it with an
atomic rename. Until that rename the old generation is untouched, so a kill
at any moment leaves the last committed index whole and searchable, and a
search never sees a half-written one. The two newest generations before the
current one are kept for searches that opened them, and nothing is deleted
until a new generation has been published and opens: with a damaged
``CURRENT``, the older generations are all kept. A ``--rebuild`` publishes
only its last generation (its batches go to unpublished ones), so readers
keep the old index until the new one is complete.

The folder's own entries are never followed through a symbolic link (nor
a hard-linked lock): an index never writes or deletes outside its folder.

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

import contextlib
import errno
import json
import os
import shutil
import socket
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import IndexerError
from indexer.formats.walk import inside

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
    """An index folder whose files are damaged (``file``: the damaged one, if known)."""

    def __init__(self, path, reason, file=None):
        self.path, self.reason, self.file = path, reason, file
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


class IndexLinkError(IndexStoreError):
    """An entry of the index folder that is a link, or leads outside the folder."""

    def __init__(self, path, entry):
        self.path, self.entry = path, entry
        super().__init__(
            f"{entry} is a link or leads outside the index folder {path}: Dépêche never follows links "
            f"inside an index; remove it, or choose another --index folder"
        )


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


def demo_index_dir() -> Path:
    """``$XDG_DATA_HOME/depeche/demo``: the index of the bundled corpus,
    kept apart from the user's own (which holds only what the user indexed)."""
    return user_path("", "XDG_DATA_HOME", "~/.local/share", "demo")


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


def _tmp_name(name: str) -> str:
    return f".{name}.{os.getpid()}.tmp"


def _is_tmp_of(entry: str, names) -> bool:
    """Whether ``entry`` is a temporary file :func:`write_atomic` makes for one of ``names``."""
    return any(entry.startswith(f".{n}.") and entry.endswith(".tmp") for n in names)


def write_atomic(path: Path, text: str) -> None:
    """Write a small file so that readers see the old or the new content, whole.

    The temporary file is created anew (never through a link) and renamed
    over ``path``: a rename replaces a link at ``path``, never its target.
    """
    tmp = path.with_name(_tmp_name(path.name))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(tmp, flags, 0o644)
    except FileExistsError:  # left by a killed process of the same pid
        os.unlink(tmp)
        fd = os.open(tmp, flags, 0o644)
    with open(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


@dataclass(frozen=True)
class Marker:
    schema_version: int
    created: str


#: The entries a Dépêche index folder holds (and its temporary files).
OWN_ENTRIES = (MARKER, CURRENT, LOCK, GENERATIONS)


class IndexStore:
    """One index folder: its marker, its generations, its lock."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    # ---------------------------------------------------------- inspection
    @property
    def generations_dir(self) -> Path:
        return self.path / GENERATIONS

    def _own(self, path: Path, *, kind: int | None = None) -> os.stat_result | None:
        """``lstat`` of an entry of the index folder, refused if it is a link or
        lies outside the folder; None if it does not exist."""
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            return None
        rel = path.relative_to(self.path).as_posix()
        if stat.S_ISLNK(st.st_mode) or not inside(os.path.realpath(path), os.path.realpath(self.path)):
            raise IndexLinkError(self.path, rel)
        if kind is not None and stat.S_IFMT(st.st_mode) != kind:
            what = "a folder" if kind == stat.S_IFDIR else "a file"
            raise IndexCorruptError(self.path, f"{rel} is not {what}")
        return st

    def _read_own(self, name: str, limit: int = 1 << 20) -> bytes:
        """The bytes of a small file of the folder, never read through a link."""
        path = self.path / name
        self._own(path)
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise IndexLinkError(self.path, name) from None
            raise
        with open(fd, "rb") as fh:
            return fh.read(limit)

    def exists(self) -> bool:
        return self._own(self.path / MARKER) is not None

    def foreign_entries(self) -> list[str]:
        """Entries of the folder that no Dépêche run made."""
        try:
            entries = os.listdir(self.path)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise IndexWriteError(self.path, exc.strerror or str(exc)) from None
        return sorted(e for e in entries if e not in OWN_ENTRIES and not _is_tmp_of(e, (MARKER, CURRENT)))

    def read_marker(self) -> Marker:
        try:
            data = json.loads(self._read_own(MARKER).decode("utf-8"))
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
            if self.has_generation():
                raise IndexCorruptError(self.path, f"{MARKER} is missing")
            if self.path.is_dir() and self.foreign_entries():
                raise ForeignDirectoryError(self.path)
            raise IndexMissingError(self.path)
        marker = self.read_marker()
        if marker.schema_version != schema_version:
            raise IndexVersionError(self.path, marker.schema_version, schema_version)

    def has_generation(self) -> bool:
        """Whether a run ever published a generation here."""
        return self._own(self.path / CURRENT) is not None

    def generation_names(self) -> list[str]:
        """The generation folders on disk, oldest first."""
        if self._own(self.generations_dir, kind=stat.S_IFDIR) is None:
            return []
        return sorted((e for e in os.listdir(self.generations_dir) if e.isdigit()), key=int)

    def current_generation(self) -> Path:
        """The folder of the generation that searches open."""
        try:
            raw = self._read_own(CURRENT, 64)
        except FileNotFoundError:
            # The first run was stopped before its first commit.
            raise IndexMissingError(self.path) from None
        except OSError as exc:
            raise IndexCorruptError(self.path, f"unreadable {CURRENT}: {exc.strerror}") from None
        try:
            name = raw.decode("ascii").strip()
        except UnicodeDecodeError:
            name = ""
        if not name.isdigit():
            raise IndexCorruptError(self.path, self._damaged_current(f"{CURRENT} holds no generation name"))
        gen = self.generations_dir / name
        if self._own(self.generations_dir, kind=stat.S_IFDIR) is None or self._own(gen) is None:
            raise IndexCorruptError(self.path, self._damaged_current(f"{CURRENT} names a missing generation {name!r}"))
        self._own(gen, kind=stat.S_IFDIR)
        return gen

    def _damaged_current(self, reason: str) -> str:
        try:
            kept = self.generation_names()
        except IndexStoreError:
            kept = []
        if not kept:
            return reason
        return (f"{reason}; generations {', '.join(kept[-3:])} are kept in {GENERATIONS}/: "
                f"writing the name of one of them into {CURRENT} brings it back")

    # ------------------------------------------------------------- writing
    def prepare(self) -> None:
        """Create the folder, or refuse a foreign one (before taking the lock:
        the lock file is never added to a folder that is not ours)."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IndexWriteError(self.path, exc.strerror or str(exc)) from None
        if not self.exists() and self.foreign_entries():
            raise ForeignDirectoryError(self.path)

    def check_writable(self, schema_version: int, rebuild: bool) -> None:
        """Judge the folder, under the lock: whether this run may write it."""
        self.prepare()
        self._own(self.generations_dir, kind=stat.S_IFDIR)
        if not self.exists():
            if self.has_generation() and not rebuild:
                raise IndexCorruptError(self.path, f"{MARKER} is missing")
        elif not rebuild:
            marker = self.read_marker()
            if marker.schema_version != schema_version:
                raise IndexVersionError(self.path, marker.schema_version, schema_version)

    def write_marker(self, schema_version: int) -> None:
        self._own(self.path / MARKER)
        write_atomic(self.path / MARKER, json.dumps({
            "format": "depeche-index",
            "schema_version": schema_version,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }) + "\n")

    def new_generation(self, copy_from: Path | None) -> Path:
        """A new generation folder, holding hard links to ``copy_from``'s files."""
        if self._own(self.generations_dir, kind=stat.S_IFDIR) is None:
            self.generations_dir.mkdir(parents=True)
        numbers = [int(name) for name in self.generation_names()]
        gen = self.generations_dir / f"{max(numbers, default=0) + 1:06d}"
        gen.mkdir()
        if copy_from is not None:
            for f in copy_from.iterdir():
                if "WRITELOCK" in f.name or f.name == READERS:
                    continue
                st = self._own(f)
                if st is None or not stat.S_ISREG(st.st_mode):
                    continue
                try:
                    os.link(f, gen / f.name, follow_symlinks=False)
                except OSError as exc:
                    if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                        raise
                    shutil.copy2(f, gen / f.name, follow_symlinks=False)
        return gen

    def publish(self, gen: Path, verify=None) -> None:
        """Point CURRENT at ``gen`` (atomic) once ``verify(gen)`` passed, then
        drop old generations.

        ``verify`` raises if the generation does not open; nothing is deleted
        before the new generation is published, verified and read back.
        """
        for f in gen.iterdir():
            if f.is_file() and not f.is_symlink():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
        _fsync_dir(gen)
        if verify is not None:
            verify(gen)
        self._own(self.path / CURRENT)
        write_atomic(self.path / CURRENT, gen.name + "\n")
        if self.current_generation() == gen:
            self.collect_garbage()

    def collect_garbage(self, keep_old: int = KEEP_OLD) -> None:
        """Remove unfinished generations and all but the newest old ones.

        Does nothing unless CURRENT names a generation on disk: with a
        damaged CURRENT the older generations are what can repair the index.
        """
        try:
            current = self.current_generation().name
        except IndexStoreError:
            return
        older = [n for n in self.generation_names() if n != current]
        before = [n for n in older if int(n) < int(current)]
        keep = set(before[-keep_old:]) if keep_old else set()
        for name in older:
            if name not in keep:
                self._remove(self.generations_dir / name, unless_held=True)
        for p in self.generations_dir.glob(GONE + "*"):   # left by a killed run
            self._remove(p)
        for entry in os.listdir(self.path):  # temporary files of killed runs
            if _is_tmp_of(entry, (MARKER, CURRENT)) and entry != _tmp_name(MARKER) and entry != _tmp_name(CURRENT):
                with contextlib.suppress(OSError):
                    os.unlink(self.path / entry)

    def remove_unfinished(self) -> None:
        """Remove the generations newer than the current one (left by killed
        runs), keeping every older one."""
        try:
            current = int(self.current_generation().name)
        except IndexStoreError:  # no CURRENT, or a damaged one: keep everything
            return
        for name in self.generation_names():
            if int(name) > current:
                self._remove(self.generations_dir / name)

    def _remove(self, gen: Path, unless_held: bool = False) -> None:
        """Delete a generation folder (an old one only if no reader holds it),
        never through a link."""
        try:
            st = self._own(gen)
        except IndexStoreError:
            return  # a link: never followed, never deleted through
        if st is None or not stat.S_ISDIR(st.st_mode):
            return
        if unless_held:
            _remove_unheld(gen)
        else:
            shutil.rmtree(gen, ignore_errors=True)

    def discard(self, gen: Path) -> None:
        self._remove(gen)

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


def _pid_alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError, TypeError, OverflowError) as exc:
        return isinstance(exc, PermissionError)
    return True


class WriteLock:
    """An exclusive, non-blocking POSIX record lock (``lockf``) on INDEX/lock,
    naming its holder.

    The kernel drops it when the process dies, even by kill -9, and a record
    lock belongs to one process: processes forked by the run (the read pool,
    Whoosh's writers) never hold it, so a stale lock file or a surviving
    child never blocks the next run. Record locks do not exclude within one
    process, so the locks this process holds are also kept in a table.
    """

    _held: set[tuple[int, int]] = set()
    _table = threading.Lock()

    def __init__(self, path: Path, index: Path, command: str):
        self.path, self.index, self.command = path, index, command
        self.fd: int | None = None
        self.key: tuple[int, int] | None = None

    def __enter__(self) -> "WriteLock":
        import fcntl

        store = IndexStore(self.index)
        with self._table:
            st = store._own(self.path)
            if st is not None and (st.st_dev, st.st_ino) in self._held:
                raise IndexLockedError(self.index, "this process")
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
            try:
                self.fd = os.open(self.path, flags, 0o644)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise IndexLinkError(self.index, LOCK) from None
                raise IndexWriteError(self.index, exc.strerror or str(exc)) from None
            st = os.fstat(self.fd)
            if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
                # A hard link would let the holder's record overwrite another file.
                self._close()
                raise IndexLinkError(self.index, LOCK)
            try:
                fcntl.lockf(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = self._holder()
                self._close()
                raise IndexLockedError(self.index, holder) from None
            self.key = (st.st_dev, st.st_ino)
            self._held.add(self.key)
        info = json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
            "since": time.strftime("%Y-%m-%d %H:%M:%S"),
        }).encode("utf-8")
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, info, 0)
        return self

    def _holder(self) -> str:
        """Who holds the lock, from what it recorded (if that process is alive)."""
        try:
            info = json.loads(os.pread(self.fd, 4096, 0).decode("utf-8") or "{}")
        except (OSError, ValueError):
            return "another process"
        if not isinstance(info, dict):
            return "another process"
        if info.get("host") == socket.gethostname() and not _pid_alive(info.get("pid")):
            return "another process"  # the record is stale; its writer has just started
        return (f"`{info.get('command', 'depeche')}` (pid {info.get('pid')} on {info.get('host')}, "
                f"since {info.get('since')})")

    def _close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __exit__(self, *exc) -> None:
        import fcntl

        if self.fd is None:
            return
        with self._table:
            try:
                os.ftruncate(self.fd, 0)
            except OSError:
                pass
            try:
                fcntl.lockf(self.fd, fcntl.LOCK_UN)
            finally:
                self._close()
                self._held.discard(self.key)
                self.key = None
