"""Per-document columns of a segment, read whole into NumPy arrays.

Whoosh 3 keeps a column per sortable field (``MAIN_<segment>.<field>.col``)
and a column of quantized field lengths per scored field
(``MAIN_<segment>._<field>_len.col``): fixed-width big-endian numbers (one
byte for lengths) up to the last document with a value, or variable-length
bytes followed by their lengths. The engine reads the few it needs whole;
each is checked, as it is read, against the CRC recorded with its segment
(:mod:`indexer.backend.segments`), and numbers against the range their
field allows, so a zeroed or garbled column is an error naming it rather
than stories silently dated year 1.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, _lenfield

from indexer.backend.segments import Damage, DamageFound, verify_bytes


def column_file(perdoc, segment, name: str) -> tuple[str, bytes] | None:
    """The file name and whole bytes of a segment's column, unchecked (None
    if the segment has none): ``perdoc`` is the segment's per-document
    reader, for a segment being written as for a published one."""
    if not perdoc.has_column(name):
        return None
    filename = W3Codec.column_filename(segment, name)
    storage = perdoc._storage
    length = storage.file_length(filename)
    f = storage.open_file(filename)
    try:
        data = f.read(length) if length else b""
    finally:
        f.close()
    return filename, data


def _column_bytes(leaf, name: str) -> tuple[str, bytes] | None:
    """The whole file of a column (None if the segment has none), checked
    against its record."""
    found = column_file(leaf._perdoc, leaf.segment(), name)
    if found is not None:
        verify_bytes(Path(leaf._perdoc._storage.folder), *found)
    return found


def _damage(leaf, filename: str, reason: str) -> DamageFound:
    return DamageFound([Damage(Path(leaf._perdoc._storage.folder) / filename, reason)])


def length_codes(leaf, field: str, n: int) -> np.ndarray | None:
    """Each document's quantized length of ``field`` (a byte; None if the
    field has no length column)."""
    found = _column_bytes(leaf, _lenfield(field))
    if found is None:
        return None
    codes = np.zeros(n, dtype=np.uint8)
    raw = np.frombuffer(found[1], dtype=np.uint8)[:n]
    codes[: len(raw)] = raw
    return codes


def numbers(leaf, name: str, n: int, valid: tuple[int, int] | None = None) -> np.ndarray | None:
    """A numeric column whole (its sortable form; the column's default where
    a document has none); None if the segment has no such column. Values
    outside ``valid`` (both included), the default aside, are damage."""
    found = _column_bytes(leaf, name)
    if found is None:
        return None
    filename, data = found
    column = leaf.schema[name].column_type
    typecode, default = column._typecode, column._default
    size = struct.calcsize(typecode)
    if len(data) % size:
        raise _damage(leaf, filename, f"{len(data):,} bytes, not a whole number of {size}-byte values")
    raw = np.frombuffer(data, dtype=">" + typecode)
    out = np.full(n, default, dtype=np.uint64 if typecode in "Qq" else np.int64)
    out[: min(len(raw), n)] = raw[:n]
    if valid is not None:
        given = out[out != default]
        if len(given) and (given.min() < valid[0] or given.max() > valid[1]):
            bad = given[(given < valid[0]) | (given > valid[1])]
            raise _damage(leaf, filename, f"{len(bad):,} values out of range (such as {int(bad[0])})")
    return out


#: Values up to this many bytes are read into a fixed-width array.
FIXED_WIDTH_MAX = 64


def byte_strings(leaf, name: str, n: int) -> np.ndarray | None:
    """A bytes column whole: fixed-width bytes if every value has one length
    (story ids do) or if none is longer than :data:`FIXED_WIDTH_MAX` nor
    holds a NUL byte, else an array of Python bytes; None if absent."""
    if not leaf._perdoc.has_column(name):
        return None
    found = _column_bytes(leaf, name)
    col = leaf._perdoc.column_reader(name, leaf.schema[name].column_type)
    lengths = np.asarray(col._lengths, dtype=np.int64)[:n]
    raw = col._dbfile.get(col._basepos, int(lengths.sum()))
    if found is not None and len(raw) != int(lengths.sum()):
        raise _damage(leaf, found[0], "shorter than its values' lengths say")
    if len(lengths) == n and len(lengths) and lengths[0] > 0 and (lengths == lengths[0]).all():
        return np.frombuffer(raw, dtype=f"S{lengths[0]}")
    if len(lengths) and 0 < int(lengths.max()) <= FIXED_WIDTH_MAX and b"\x00" not in raw:
        # Values of a few lengths (ids of feeds beside ids of files, empty
        # groups): fixed width too, padded with NULs, which numpy strips as
        # no value ends with one. 100,000 values: ~5 ms, against ~60 ms of
        # Python bytes.
        width = int(lengths.max())
        out = np.zeros((n, width), dtype=np.uint8)
        data = np.frombuffer(raw, dtype=np.uint8)
        starts = np.cumsum(lengths) - lengths
        for size in np.flatnonzero(np.bincount(lengths)).tolist():  # the values of each length
            if not size:
                continue
            rows = np.flatnonzero(lengths == size)
            out[rows, :size] = data[starts[rows, None] + np.arange(size)]
        return out.view(f"S{width}").reshape(-1)
    ends = np.cumsum(lengths).tolist()
    starts = [0] + ends[:-1]
    out = np.empty(n, dtype=object)
    out[:] = b""
    out[: len(ends)] = [raw[a:b] for a, b in zip(starts, ends)]
    return out


def deleted_docs(leaf) -> np.ndarray:
    """The segment-local numbers of its deleted documents."""
    if not leaf.has_deletions():
        return np.zeros(0, np.int64)
    return np.fromiter(leaf.deleted_docs_set, dtype=np.int64)


__all__ = ["byte_strings", "deleted_docs", "length_codes", "numbers"]
