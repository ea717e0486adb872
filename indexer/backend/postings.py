"""Posting lists and the lexicon of a segment, read from Whoosh 3's codec.

One walker serves every reader of postings: the search engine takes a term's
blocks as arrays (and skips the blocks holding none of the documents it
wants positions of), the merges take every posting of a segment in order.

A Whoosh 3 posting list (``.pst``) is a header tag, then blocks of up to 128
postings, each a length (negative for the last block), a pickled info
tuple whose second item is the block's last document, and the block's data:
a zlib-compressed pickle of (document deltas, weights, values). Weights are
``None`` when all are 1, one float when all are equal. Whoosh 2.7.5 never
inlines postings in the term index (see fix 6 of
:mod:`indexer.backend.patches`); Dépêche's writer inlines rare terms
(:mod:`indexer.backend.blockwriter`), and both are read here.
"""

from __future__ import annotations

import io
import itertools
import pickle
import zlib
import struct
from typing import Iterator

import numpy as np
from whoosh.codec import whoosh3
from whoosh.reading import TermNotFound


class Block:
    """One block of postings: its last document number, and its documents,
    weights and raw values decoded on demand."""

    __slots__ = ("max_id", "_m", "_ids", "_inlined")

    def __init__(self, max_id: int, matcher=None, inlined=None):
        self.max_id = max_id
        self._m = matcher
        self._inlined = inlined
        self._ids = None

    def _data(self):
        m = self._m
        if m._data is None:
            m._read_data()
        return m._data

    def ids(self) -> np.ndarray:
        """The block's (segment-local) document numbers, ascending."""
        if self._ids is None:
            if self._inlined is not None:
                self._ids = np.asarray(self._inlined[0], dtype=np.int64)
            else:
                self._ids = np.cumsum(np.asarray(self._data()[0], dtype=np.int64))
        return self._ids

    def _raw_weights(self):
        return self._inlined[1] if self._inlined is not None else self._data()[1]

    def weights(self) -> np.ndarray:
        """The postings' weights (term frequency times field boost)."""
        w = self._raw_weights()
        n = len(self.ids())
        if w is None:
            return np.ones(n)
        if isinstance(w, float):
            return np.full(n, w)
        return np.asarray(w, dtype=np.float64)

    def weight_list(self) -> list[float]:
        """The weights as Whoosh's matcher gives them, one Python float each."""
        w = self._raw_weights()
        n = len(self.ids())
        if w is None:
            return [1.0] * n
        if isinstance(w, float):
            return [w] * n
        return list(w)

    def values(self, fmt) -> list:
        """The postings' encoded values (positions...), as Whoosh's matcher
        gives them: ``None`` each for a format without values."""
        if self._inlined is not None:
            # Whoosh's inlined postings keep only non-empty values (none for a
            # format without values, whose matcher then gives "" each).
            vs = self._inlined[2]
            return list(vs) if vs else [""] * len(self.ids())
        vs = self._data()[2]
        size = fmt.fixed_value_size()
        n = len(self.ids())
        if size is None or size < 0:
            return list(vs)
        if size == 0:
            return [None] * n
        return [vs[i: i + size] for i in range(0, len(vs), size)]


class TermPostings:
    """The posting list of one term in one segment."""

    __slots__ = ("_terms", "_info", "_format")

    def __init__(self, terms, info, fmt):
        self._terms, self._info, self._format = terms, info, fmt

    @property
    def doc_frequency(self) -> int:
        return self._info.doc_frequency()

    def blocks(self) -> Iterator[Block]:
        """The blocks in order; a block's data is read only when asked."""
        info = self._info
        if info.is_inlined():
            ids, weights, values = info.inlined_postings()
            if ids:
                yield Block(ids[-1], inlined=(ids, weights, values))
            return
        offset, length = info.extent()
        m = whoosh3.W3LeafMatcher(self._terms._postfile, offset, length, self._format)
        while not m._atend:
            yield Block(m._maxid, matcher=m)
            if m._lastblock:
                break
            m._goto(m._nextoffset)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (document, weight) of the list, as two arrays."""
        if not self._info.is_inlined() and type(self._terms) is whoosh3.W3TermsReader:
            found = _list_arrays(self._terms._postfile, self._info)
            if found is not None:
                return found
        ids, weights = [], []
        for block in self.blocks():
            ids.append(block.ids())
            weights.append(block.weights())
        if not ids:
            return np.zeros(0, np.int64), np.zeros(0)
        return np.concatenate(ids), np.concatenate(weights)

    def positions(self, wanted: np.ndarray) -> dict[int, list[int]]:
        """Word positions in the ``wanted`` (sorted, local) documents; blocks
        holding none of them are skipped unread."""
        out: dict[int, list[int]] = {}
        k = 0  # wanted[k:] are still to find
        for block in self.blocks():
            if k == len(wanted):
                break
            if block.max_id >= wanted[k]:
                ids = block.ids()
                rest = wanted[k:]
                at = np.minimum(np.searchsorted(rest, ids), len(rest) - 1)
                hits = np.flatnonzero(rest[at] == ids).tolist()
                if hits:
                    values = block.values(self._format)
                    id_list = ids.tolist()
                    for i in hits:
                        out[id_list[i]] = decode_positions(values[i])
                k = int(np.searchsorted(wanted, block.max_id, side="right"))
        return out


def decode_positions(value: bytes) -> list[int]:
    """Whoosh's Positions format: a 4-byte count, then the pickled deltas."""
    return list(itertools.accumulate(pickle.loads(value[4:])))


def _terms_reader(leaf):
    terms = getattr(leaf, "_terms", None)
    return terms if type(terms) is whoosh3.W3TermsReader else None


def term_postings(leaf, field: str, btext: bytes) -> TermPostings | None:
    """The posting list of a term in a segment (``None`` if absent)."""
    terms = leaf._terms
    try:
        info = terms.term_info(field, btext)
    except (KeyError, TermNotFound):
        return None
    return TermPostings(terms, info, leaf.schema[field].format)


def lexicon(leaf, field: str, prefix: bytes = b"") -> Iterator[tuple[bytes, TermPostings]]:
    """A segment's terms of ``field`` starting with ``prefix``, in order, with
    their posting lists, in one walk of its term index."""
    terms = leaf._terms
    fmt = leaf.schema[field].format
    for (name, term), info in terms.items_from(field, prefix):
        if name != field or not term.startswith(prefix):
            break
        yield term, TermPostings(terms, info, fmt)


def words(leaf, field: str, prefix: bytes = b"") -> Iterator[bytes]:
    """A segment's terms of ``field`` starting with ``prefix``, in order."""
    for name, term in leaf._terms.terms_from(field, prefix):
        if name != field or not term.startswith(prefix):
            break
        yield term


def words_from(leaf, field: str, start: bytes = b"") -> Iterator[bytes]:
    """A segment's terms of ``field`` from ``start`` on (not only those
    starting with it), in order: the walk a term range takes."""
    for name, term in leaf._terms.terms_from(field, start):
        if name != field:
            break
        yield term


_FIELD_NUMBER = struct.Struct("!H")  # a term file key: the field's number, then the term
#: Typecodes of the term file's array of entry positions (big-endian).
_POSITION_TYPES = {"B": "u1", "H": ">u2", "i": ">i4", "I": ">u4", "q": ">i8"}


def field_words(leaf, field: str) -> str:
    """Every term of a segment's field, decoded, one a line.

    The term file holds entries (key length, value length, key, value) in
    key order, keys being the field's number and the term, and an array of
    the entries' positions: the field's entries are read at once and their
    keys gathered with array operations. (A walk through Whoosh's lexicon
    API costs two file reads and a dozen calls a term: seconds for a field
    of 100,000 stories.) Another codec: its lexicon walked."""
    terms = _terms_reader(leaf)
    if terms is None:
        return "\n".join(t.decode("utf-8", "replace") for t in words(leaf, field))
    tindex = terms._tindex
    fnum = terms._fieldmap.get(field)
    if fnum is None:
        return ""
    start = tindex.closest_key_pos(_FIELD_NUMBER.pack(fnum))
    if start is None:
        return ""
    end = tindex.closest_key_pos(_FIELD_NUMBER.pack(fnum + 1)) if fnum < 0xFFFF else None
    end = tindex.endofdata if end is None else end
    positions = np.frombuffer(tindex.dbfile.get(tindex.indexbase, tindex.indexlen * tindex.indexsize),
                              dtype=_POSITION_TYPES[tindex.extras["indextype"]]).astype(np.int64)
    lo, hi = np.searchsorted(positions, [start, end])
    pos = positions[lo:hi] - start
    buf = np.frombuffer(tindex.dbfile.get(start, end - start), dtype=np.uint8).copy()
    if not len(pos):
        return ""
    keylen = ((buf[pos].astype(np.int64) << 24) | (buf[pos + 1].astype(np.int64) << 16)
              | (buf[pos + 2].astype(np.int64) << 8) | buf[pos + 3])
    # Keep each key but its field number's first byte; its second byte becomes
    # the "\n" before the term.
    buf[pos + 9] = 10
    edges = np.zeros(len(buf) + 1, dtype=np.int8)
    edges[pos + 9] = 1
    edges[pos + 8 + keylen] -= 1
    text = buf[np.cumsum(edges[:-1], dtype=np.int8) > 0].tobytes()[1:]
    if text.count(b"\n") != max(0, len(pos) - 1):  # a term holding a newline: keep the others
        return "\n".join(w for w in text.decode("utf-8", "replace").split("\n") if w)
    return text.decode("utf-8", "replace")


def segment_postings(leaf, fieldname: str | None = None):
    """Every posting ``(field, term, document, weight, value)`` of a segment
    (of one field, if given) in Whoosh's order, without deleted documents:
    ``leaf.iter_postings()``, block by block, without looking every term up
    in the term index's hash table nor wrapping every matcher in a filter."""
    terms = _terms_reader(leaf)
    if terms is None:  # another codec: Whoosh's own walk
        for posting in leaf.iter_postings():
            if fieldname is None or posting[0] == fieldname:
                yield posting
        return
    schema = leaf.schema
    deleted = leaf.deleted_docs_set if leaf.has_deletions() else None
    if fieldname is None:
        items = terms.items()
    elif fieldname in terms.indexed_field_names():
        items = terms.items_from(fieldname, b"")
    else:
        return
    for (name, tbytes), info in items:
        if fieldname is not None and name != fieldname:
            break
        if name not in schema:
            continue
        fmt = schema[name].format
        for block in TermPostings(terms, info, fmt).blocks():
            ids = block.ids().tolist()
            for docnum, weight, value in zip(ids, block.weight_list(), block.values(fmt)):
                if deleted is None or docnum not in deleted:
                    yield name, tbytes, docnum, weight, value


_INT = struct.Struct("!i")


def _info_length(raw: bytes, pos: int, info: tuple) -> int:
    """The length of the pickled block info at ``pos`` (Whoosh pickles it with
    protocol 2: pickled again, it gives the same bytes)."""
    again = pickle.dumps(info, 2)
    if raw[pos: pos + len(again)] == again:
        return len(again)
    f = io.BytesIO(raw)
    f.seek(pos)
    pickle.Unpickler(f).load()
    return f.tell() - pos


def _list_bytes(postfile, info) -> bytes:
    """The bytes of a term's posting list (not inlined), read at once."""
    offset, length = info.extent()
    if isinstance(length, tuple):  # Whoosh's W3TermInfo.from_bytes leaves it unpacked
        length = length[0]
    return postfile.get(offset, length)


def _raw_blocks(raw: bytes) -> Iterator[tuple[tuple, tuple, bool]]:
    """The blocks of a posting list's bytes (after its tag), in order: each
    one's info tuple, its decoded (document deltas, weights, values), and
    whether it is marked the last (the walk stops there)."""
    pos = 4
    while pos < len(raw):
        (blength,) = _INT.unpack_from(raw, pos)
        pos += 4
        end = pos + abs(blength)
        binfo = pickle.loads(raw[pos:end])
        data = raw[pos + _info_length(raw, pos, binfo): end]
        if binfo[3]:
            data = zlib.decompress(data)
        yield binfo, pickle.loads(data), blength < 0
        if blength < 0:
            return
        pos = end


def _list_arrays(postfile, info) -> tuple[np.ndarray, np.ndarray] | None:
    """A posting list's documents and weights, from its bytes read at once
    and its blocks decoded one after the other without a matcher (a third
    less time than Whoosh's block-by-block walk for a facet's values, 5%
    for a word of the body, whose positions are decoded all the same).

    None if the list does not start with a block tag or does not end with
    its last block (its file cut where a block ends): Whoosh's matcher then
    says what is wrong."""
    raw = _list_bytes(postfile, info)
    if raw[:4] != whoosh3.WHOOSH3_HEADER_MAGIC:
        return None
    deltas: list[int] = []
    weights: list = []
    last, ended = 0, False
    for binfo, (ids, ws, _), ended in _raw_blocks(raw):
        # A block's deltas start from 0: its first is its first document.
        if ids:
            start = len(deltas)
            deltas.extend(ids)
            deltas[start] -= last
            last = binfo[1]
        weights.append((binfo[0], ws))
    if not ended:  # no last block (a negative length): the list was cut short
        return None
    if not deltas:
        return np.zeros(0, np.int64), np.zeros(0)
    if all(ws is None for _, ws in weights):  # every weight 1 (a facet's values, most words)
        w = np.ones(len(deltas))
    else:
        w = np.concatenate([np.ones(k) if ws is None else np.full(k, ws) if isinstance(ws, float)
                            else np.asarray(ws, dtype=np.float64) for k, ws in weights])
    return np.cumsum(np.asarray(deltas, dtype=np.int64)), w


def term_lists(postfile, info, fixedsize) -> tuple[list, list, list]:
    """Every posting of a term's list at once: its documents, weights and
    values as lists (values as Whoosh's matchers give them), read from the
    list's bytes in one read, block after block."""
    if info.is_inlined():
        ids, weights, values = info.inlined_postings()
        return list(ids), list(weights), list(values) if values else [""] * len(ids)
    raw = _list_bytes(postfile, info)
    if raw[:4] != whoosh3.WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"posting list at {info.extent()[0]} does not start with a block tag")
    ids: list[int] = []
    weights: list[float] = []
    values: list = []
    for binfo, (deltas, ws, vs), _ in _raw_blocks(raw):
        k = binfo[0]
        ids.extend(itertools.accumulate(deltas))
        if ws is None:
            weights.extend([1.0] * k)
        elif isinstance(ws, float):
            weights.extend([ws] * k)
        else:
            weights.extend(ws)
        if fixedsize is None or fixedsize < 0:
            values.extend(vs)
        elif fixedsize == 0:
            values.extend([None] * k)
        else:
            values.extend(vs[i: i + fixedsize] for i in range(0, len(vs), fixedsize))
    return ids, weights, values


def segment_terms(leaf, basedoc: int, docmap, order: int) -> Iterator[tuple]:
    """Every term of a segment with its postings renumbered for the segment
    a writer writes (``docmap``: old number -> new for the live documents,
    else ``basedoc`` + old number), deleted documents left out, as
    ``((field, term), order, documents, weights, values)``: the entries
    :func:`indexer.backend.blockwriter.pool_terms` merges."""
    terms = _terms_reader(leaf)
    schema = leaf.schema
    if terms is None:  # another codec: Whoosh's walk, grouped by term
        last, lists = None, None
        for name, tbytes, docnum, weight, value in segment_postings(leaf):
            new = docmap[docnum] if docmap is not None else basedoc + docnum
            if (name, tbytes) != last:
                if last is not None:
                    yield (last, order, *lists)
                last, lists = (name, tbytes), ([], [], [])
            lists[0].append(new)
            lists[1].append(weight)
            lists[2].append(value)
        if last is not None:
            yield (last, order, *lists)
        return
    newnum = None
    if docmap is not None:
        newnum = [-1] * leaf.doc_count_all()
        for old, new in docmap.items():
            newnum[old] = new
    postfile = terms._postfile
    fixed = {}
    for key, info in terms.items():
        name = key[0]
        if name not in schema:
            continue
        size = fixed.get(name, _MISSING)
        if size is _MISSING:
            size = fixed[name] = schema[name].format.fixed_value_size()
        ids, weights, values = term_lists(postfile, info, size)
        if newnum is None:
            if basedoc:
                ids = [d + basedoc for d in ids]
        else:
            ids = [newnum[d] for d in ids]
            if -1 in ids:
                keep = [i for i, d in enumerate(ids) if d >= 0]
                if not keep:
                    continue
                ids = [ids[i] for i in keep]
                weights = [weights[i] for i in keep]
                values = [values[i] for i in keep]
        yield key, order, ids, weights, values


_MISSING = object()


def multiterm_words(q, reader) -> list[bytes]:
    """The index terms a Whoosh multi-term query (wildcard, range, fuzzy
    word) reaches, as Whoosh expands them."""
    return list(iter_multiterm_words(q, reader))


def iter_multiterm_words(q, reader) -> Iterator[bytes]:
    """The index terms a Whoosh multi-term query reaches, one at a time, as
    Whoosh's walk finds them (a caller bounding them stops it early)."""
    return iter(q._btexts(reader))


def feed_writer(writer, postings, basedoc: int, docmap) -> Iterator[tuple]:
    """A segment's postings renumbered for the segment ``writer`` writes
    (``docmap``: old number -> new, or ``basedoc`` + old number)."""
    return writer._process_posts(postings, basedoc, docmap)


def mark_added(writer) -> None:
    """Tell a Whoosh segment writer that it holds documents to commit."""
    writer._added = True


__all__ = ["Block", "TermPostings", "decode_positions", "segment_terms", "term_lists", "feed_writer", "field_words", "lexicon", "mark_added",
           "iter_multiterm_words", "multiterm_words", "segment_postings", "term_postings", "words",
           "words_from"]
