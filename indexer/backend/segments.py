"""Segment files: opening them, their checksums, and naming the damaged one.

Whoosh finds damage late and says it badly: a truncated term index is an
``UnpicklingError`` at the first search, a zeroed posting file a ``Block tag
error``, a zeroed date column no error at all (every story dated year 1).
So each segment gets a small record written with it at commit,
``MAIN_<segment>.sums`` (JSON: each file's size and CRC-32), and:

- opening an index compares the sizes of its segments' files with their
  record (a few ``stat`` calls; nothing is read): truncated, extended and
  deleted files are found before any search;
- the small column files the engine reads whole anyway (dates, version
  ranks, groups, field lengths) are checked against their CRC as they are
  read (:mod:`indexer.backend.columns`);
- a Whoosh error while reading is turned into one line naming the damaged
  file (:func:`damage_error`: on that path the whole generation is hashed
  to find it);
- ``depeche check`` and every ``depeche index`` that builds on an existing
  generation hash every file (once per process per file) before trusting it.

A segment written before records existed has none: it is checked by its
decoding alone, and gets a record at the next commit.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

SUMS_SUFFIX = ".sums"
#: Read size when hashing a file.
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Damage:
    """One damaged file of a generation."""

    file: Path
    reason: str

    def describe(self, index_dir: Path | None = None) -> str:
        where = self.file
        if index_dir is not None:
            try:
                where = self.file.relative_to(index_dir)
            except ValueError:
                pass
        return f"{where}: {self.reason}"


def crc_of(path: Path) -> int:
    crc = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                return crc
            crc = zlib.crc32(chunk, crc)


def segment_ids(folder: Path) -> list[str]:
    """The segments whose files are in a generation folder (from the file
    names: the table of contents may be the damaged file)."""
    ids = set()
    for name in os.listdir(folder):
        if name.startswith("_") or "." not in name or "WRITELOCK" in name:
            continue
        ids.add(name.split(".", 1)[0])
    return sorted(ids)


def segment_files(folder: Path, segid: str) -> list[str]:
    prefix = segid + "."
    return sorted(n for n in os.listdir(folder) if n.startswith(prefix) and not n.endswith(SUMS_SUFFIX))


def write_sums(folder: Path, segid: str) -> None:
    """Record the size and CRC of each file of a just-written segment."""
    files = {}
    for name in segment_files(folder, segid):
        path = folder / name
        files[name] = [path.stat().st_size, crc_of(path)]
    target = folder / (segid + SUMS_SUFFIX)
    tmp = folder / f".{segid}{SUMS_SUFFIX}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"format": "depeche-sums", "algorithm": "crc32", "files": files},
                              sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    for name in files:
        _remember(folder / name)


def read_sums(folder: Path, segid: str) -> dict[str, tuple[int, int]] | None:
    """A segment's record, ``None`` if it has none; raises :class:`DamageFound`
    if the record itself is damaged."""
    path = folder / (segid + SUMS_SUFFIX)
    try:
        data = json.loads(path.read_bytes())
        return {str(k): (int(v[0]), int(v[1])) for k, v in data["files"].items()}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise DamageFound([Damage(path, f"unreadable checksum record ({type(exc).__name__})")]) from None


class DamageFound(Exception):
    """Damaged files found (turned into IndexCorruptError by the callers)."""

    def __init__(self, damages: list[Damage]):
        self.damages = damages
        super().__init__("; ".join(d.reason for d in damages))


# Files already hashed by this process, by identity: generations hard-link
# the same segment files, so a run hashes each file once.
_verified: set[tuple[int, int, int, int]] = set()


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _remember(path: Path) -> None:
    """A file this process just hashed need not be hashed again."""
    try:
        _verified.add(_identity(path.stat()))
    except OSError:
        pass


@dataclass
class CheckReport:
    """What a check of a generation looked at and found."""

    folder: Path
    segments: int = 0
    files: int = 0
    bytes: int = 0
    unrecorded: list[str] = field(default_factory=list)
    damages: list[Damage] = field(default_factory=list)


def check_segments(folder: Path, segids: list[str] | None = None, full: bool = True) -> CheckReport:
    """Compare a generation's segment files with their records: sizes only,
    or (``full``) their CRC too. Missing files are damage."""
    folder = Path(folder)
    report = CheckReport(folder)
    try:
        segids = segment_ids(folder) if segids is None else segids
    except OSError as exc:
        report.damages.append(Damage(folder, f"unreadable folder ({exc.strerror})"))
        return report
    for segid in segids:
        report.segments += 1
        try:
            sums = read_sums(folder, segid)
        except DamageFound as found:
            report.damages.extend(found.damages)
            continue
        if sums is None:
            report.unrecorded.append(segid)
            continue
        for name, (size, crc) in sorted(sums.items()):
            path = folder / name
            report.files += 1
            try:
                st = path.stat()
            except FileNotFoundError:
                report.damages.append(Damage(path, "missing"))
                continue
            except OSError as exc:
                report.damages.append(Damage(path, f"unreadable ({exc.strerror})"))
                continue
            report.bytes += st.st_size
            if st.st_size != size:
                report.damages.append(Damage(path, f"{st.st_size:,} bytes where {size:,} were written"))
                continue
            if full and _identity(st) not in _verified:
                try:
                    found = crc_of(path)
                except OSError as exc:
                    report.damages.append(Damage(path, f"unreadable ({exc.strerror})"))
                    continue
                if found != crc:
                    report.damages.append(Damage(path, "content changed since it was written (checksum mismatch)"))
                    continue
                _verified.add(_identity(st))
    return report


def verify_bytes(folder: Path, name: str, data: bytes) -> None:
    """Check a whole file's bytes, already read, against its segment's
    record (nothing to check without one); raises :class:`DamageFound`."""
    segid = name.split(".", 1)[0]
    sums = read_sums(folder, segid)
    if sums is None or name not in sums:
        return
    size, crc = sums[name]
    if len(data) != size:
        raise DamageFound([Damage(folder / name, f"{len(data):,} bytes where {size:,} were written")])
    if zlib.crc32(data) != crc:
        raise DamageFound([Damage(folder / name, "content changed since it was written (checksum mismatch)")])


def _is_decoding_error(exc: BaseException) -> bool:
    """Errors Whoosh raises on damaged bytes (with or without a record)."""
    if isinstance(exc, (struct.error, zlib.error, pickle.UnpicklingError, EOFError, UnicodeDecodeError)):
        return True
    if type(exc).__name__ == "FileFormatError":
        return True
    if isinstance(exc, OSError) and exc.errno in (errno.EINVAL, errno.ENOENT, errno.EIO):
        return True
    return type(exc) is Exception and str(exc).startswith(("Block tag error", "No next block"))


def find_damage(folder: Path, exc: BaseException) -> list[Damage]:
    """The damaged files behind a Whoosh error while reading ``folder``
    (hashes the whole generation: only on the error path). Empty if the
    error does not come from damage."""
    folder = Path(folder)
    report = check_segments(folder, full=True)
    if report.damages:
        return report.damages
    if isinstance(exc, FileNotFoundError) and exc.filename:
        return [Damage(Path(exc.filename), "missing")]
    if _is_decoding_error(exc):
        return [Damage(folder, f"undecodable segment data ({type(exc).__name__}: {exc})")]
    return []


def install_sums() -> None:
    """Make every Whoosh commit write the records of its new segments just
    before its table of contents (both writers, one or several processes,
    end there)."""
    from whoosh import writing
    from whoosh.filedb.filestore import FileStorage

    original = writing.SegmentWriter._commit_toc
    if getattr(original, "_depeche_sums", False):
        return

    def _commit_toc(self, segments):
        folder = getattr(self.storage, "folder", "")
        if isinstance(self.storage, FileStorage) and folder:  # files on disk (a RamStorage has none)
            for seg in segments:
                segid = seg.segment_id()
                if not (Path(folder) / (segid + SUMS_SUFFIX)).exists():
                    write_sums(Path(folder), segid)
        original(self, segments)

    _commit_toc._depeche_sums = True  # type: ignore[attr-defined]
    _commit_toc._original = original  # type: ignore[attr-defined]
    writing.SegmentWriter._commit_toc = _commit_toc


def uninstall_sums() -> None:
    from whoosh import writing

    original = getattr(writing.SegmentWriter._commit_toc, "_original", None)
    if original is not None:
        writing.SegmentWriter._commit_toc = original


__all__ = ["CheckReport", "Damage", "DamageFound", "SUMS_SUFFIX", "check_segments", "find_damage",
           "install_sums", "read_sums", "segment_ids", "uninstall_sums", "verify_bytes", "write_sums"]
