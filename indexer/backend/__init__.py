"""The one door to Whoosh's storage.

Every read and write of Whoosh's private structures, and every change made
to Whoosh's code, lives in this package, behind the project's own types:

- :mod:`~indexer.backend.pin`: the pinned release, checked once (before any
  other Whoosh module is imported);
- :mod:`~indexer.backend.patches`: the fixes to that release, installed
  by :func:`install` when an index is opened or created here;
- :mod:`~indexer.backend.postings`: the lexicon and the one posting-list
  walker (blocks as arrays for the engine, postings in order for merges);
- :mod:`~indexer.backend.columns`: per-document columns read whole;
- :mod:`~indexer.backend.segments`: segment files, their checksum records,
  and the damaged file behind an error.

Callers open an index with :func:`open_index_dir` / :func:`create_index_dir`;
an error raised while reading one goes to :func:`damage_error`, which names
the damaged file in one :class:`~indexer.index.store.IndexCorruptError`.
"""

from __future__ import annotations

import os
from pathlib import Path

from indexer.backend.pin import WhooshVersionError, check_whoosh

check_whoosh()  # before anything below imports Whoosh's modules

from whoosh import index as _whoosh_index  # noqa: E402

from indexer.backend import patches, segments  # noqa: E402
from indexer.backend.segments import CheckReport, Damage, DamageFound, check_segments  # noqa: E402
from indexer.errors import IndexerError  # noqa: E402


def install() -> None:
    """The fixes to the pinned Whoosh, and the checksum records written at
    every commit (idempotent)."""
    patches.install()
    segments.install_sums()


def index_segments(ix) -> list:
    """The segments of an open Whoosh index, as a merge policy gets them."""
    return list(ix._segments())


def writer_codec():
    """The codec of Dépêche's writers (rare terms inlined)."""
    return patches.writer_codec()


def corrupt_error(index_dir, damages: list[Damage]):
    """One IndexCorruptError for damaged files (the first named, the others counted)."""
    from indexer.index.store import IndexCorruptError

    index_dir = Path(index_dir)
    reason = damages[0].describe(index_dir)
    if len(damages) > 1:
        reason += f"; and {len(damages) - 1} more damaged file{'s' if len(damages) > 2 else ''}"
    return IndexCorruptError(index_dir, reason, file=damages[0].file)


def _segment_ids(ix) -> list[str]:
    return [seg.segment_id() for seg in ix._segments()]


def _toc_damage(folder: Path, exc: BaseException) -> Damage:
    tocs = sorted(folder.glob("_*.toc"))
    if not tocs:
        return Damage(folder, "its table of contents (_MAIN_*.toc) is missing")
    return Damage(tocs[-1], f"unreadable table of contents ({type(exc).__name__}: {exc})")


def open_index_dir(folder, index_dir=None, verify: bool = False):
    """Open the Whoosh index in a generation folder, after comparing its
    segment files' sizes with their records (``verify``: their checksums
    too). Raises IndexCorruptError naming the damaged file."""
    install()
    folder = Path(folder)
    index_dir = Path(index_dir) if index_dir is not None else folder
    try:
        ix = _whoosh_index.open_dir(str(folder))
    except Exception as exc:  # noqa: BLE001  (whoosh raises many kinds on a damaged TOC)
        raise corrupt_error(index_dir, [_toc_damage(folder, exc)]) from None
    report = check_segments(folder, _segment_ids(ix), full=verify)
    if report.damages:
        ix.close()
        raise corrupt_error(index_dir, report.damages)
    return ix


def create_index_dir(folder, schema):
    """A new, empty Whoosh index in ``folder``."""
    install()
    return _whoosh_index.create_in(str(folder), schema)


def damage_error(folder, index_dir, exc: BaseException):
    """The IndexCorruptError behind an error raised while reading the
    generation in ``folder`` (None if the error is not damage)."""
    if isinstance(exc, DamageFound):
        return corrupt_error(index_dir, exc.damages)
    if isinstance(exc, IndexerError):
        return None
    try:
        damages = segments.find_damage(Path(folder), exc)
    except Exception:  # noqa: BLE001  (the folder itself is gone: not ours to explain)
        return None
    return corrupt_error(index_dir, damages) if damages else None


def file_in_traceback(exc: BaseException) -> str:
    """The name of the index file Whoosh was reading when ``exc`` was raised,
    as far as the traceback shows it ("" if it does not)."""
    from whoosh.filedb.structfile import StructFile

    name = getattr(exc, "filename", None)
    tb, frames = exc.__traceback__, []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):           # the innermost first
        if name:
            break
        for value in frame.f_locals.values():
            if isinstance(value, StructFile) and getattr(value, "_name", None):
                name = value._name
                break
    return os.path.basename(str(name)) if name else ""


def check_generation(folder) -> CheckReport:
    """Every segment file of a generation against its record, checksums
    included, and its table of contents read."""
    install()
    folder = Path(folder)
    report = check_segments(folder, full=True)
    if report.damages:
        return report
    try:
        ix = _whoosh_index.open_dir(str(folder))
        try:
            listed = _segment_ids(ix)
        finally:
            ix.close()
    except Exception as exc:  # noqa: BLE001  (any failure to read the TOC is damage)
        report.damages.append(_toc_damage(folder, exc))
        return report
    for segid in listed:
        if segments.read_sums(folder, segid) is None and not segments.segment_files(folder, segid):
            report.damages.append(Damage(folder / f"{segid}.*", "segment listed but its files are missing"))
    return report


__all__ = ["CheckReport", "Damage", "WhooshVersionError", "check_generation", "check_whoosh", "corrupt_error",
           "create_index_dir", "damage_error", "file_in_traceback", "index_segments", "install", "open_index_dir", "writer_codec"]
