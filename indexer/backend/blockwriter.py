"""A batched posting writer: a segment's postings written term by term.

Whoosh writes a segment's postings one posting at a time: its
``FieldWriter.add_postings`` takes a stream of ``(field, term, document,
weight, value)`` tuples, looks up each posting's document length through
three method calls, and hands the posting to ``W3PostingsWriter.add_posting``
(type checks, appends to arrays, running minimums and maximums); a merge
first turns every posting of the old segments into such a tuple and sorts
them with ``heapq.merge``. Profiled, that is about a dozen Python calls per
posting, a third of indexing CPU.

:func:`write_terms` takes the postings of a term at once, as the posting
pool (:meth:`indexer.index.pool.TermPool.iter_terms`) and the merge
(:func:`segment_terms`) hold them: lists of documents, weights and values.
Each block of up to 128 postings is encoded with a few calls on whole lists
(its deltas, weights rounded to float32 by one ``array``, document lengths
taken from the new segment's length column read once as bytes), and every
term's term-index entry is written as Whoosh's ``OrderedHashWriter`` writes
it. The files are byte for byte those Whoosh's own writer makes with the
same codec settings (tests/test_blockwriter.py), so Whoosh reads them.

Terms rarer than the codec's ``inlinelimit`` are *inlined*: their postings
are pickled into the term index instead of a block of the postings file,
which Whoosh 3's format provides for but Whoosh 2.7.5 never does (see fix 6
of :mod:`indexer.backend.patches`, whose ``None`` values for a format
without values this writer follows).
"""

from __future__ import annotations

import heapq
import pickle
import struct
import zlib
from array import array
from hashlib import md5
from itertools import accumulate
from operator import sub

from whoosh.codec import whoosh3
from whoosh.filedb import filetables
from whoosh.system import pack_int, pack_long, pack_ushort

from indexer.backend.columns import column_file

_dumps = pickle.dumps
_loads = pickle.loads
_TERMINFO = whoosh3.W3TermInfo._struct
_LENGTHS = struct.Struct("!ii")       # a term-index entry: key length, value length
_BLOCK_LENGTH = struct.Struct("!i")
_MAGIC = whoosh3.WHOOSH3_HEADER_MAGIC
#: The largest position each typecode of the term index's position array holds.
_TYPE_LIMITS = {"B": 2**8, "H": 2**16, "i": 2**31, "I": 2**32}


def batched_writer_for(fieldwriter) -> bool:
    """Whether :func:`write_terms` can write for this field writer (Whoosh 3's
    own, hashing its term index with MD5, nothing written yet)."""
    tindex = getattr(fieldwriter, "_tindex", None)
    return (type(fieldwriter) is whoosh3.W3FieldWriter and type(tindex) is filetables.OrderedHashWriter
            and tindex.hashtype == 0 and tindex.lastkey == b"")


def _length_codes(pdr, fieldname: str, ndocs: int) -> bytes | None:
    """Each document's quantized length of a field in the segment being
    written (one byte a document), or None if the field has no lengths."""
    if pdr is None:
        return None
    found = column_file(pdr, pdr._segment, whoosh3._lenfield(fieldname))
    if found is None:
        return None
    _, data = found
    return data[:ndocs] + bytes(max(0, ndocs - len(data)))


def _min_max_codes(codes: bytes, ids) -> tuple[int, int]:
    """The smallest non-zero and the largest length code of these documents
    (0 when none), as Whoosh's block statistics count them."""
    cs = [codes[d] for d in ids]
    mn, mx = min(cs), max(cs)
    if mn == 0 and mx:
        mn = min(c for c in cs if c)
    return mn, mx


def write_terms(fieldwriter, schema, pdr, terms) -> int:
    """Write ``terms``, ``(field, term bytes, documents, weights, values)`` in
    (field, term) order with each term's documents ascending, through a
    fresh Whoosh 3 field writer (which its caller closes). Returns the
    number of terms written."""
    codec = fieldwriter._codec
    blocklimit, compression, inlinelimit = codec._blocklimit, codec._compression, codec._inlinelimit
    tindex = fieldwriter._tindex
    fieldmap = fieldwriter._fieldmap
    postfile = fieldwriter._postfile
    dbfile = tindex.dbfile
    buckets = tindex.buckets
    positions: list[int] = []
    post_pos = postfile.tell()
    key_pos = dbfile.tell()
    ndocs = pdr.doc_count_all() if pdr is not None else 0
    out: list[bytes] = []     # term-index bytes not yet written
    posts: list[bytes] = []   # postings bytes not yet written
    pending = 0
    lastkey = tindex.lastkey
    current = None
    prefix = b""
    codes = None
    fixedsize = None
    count = 0
    for fieldname, tbytes, docs, weights, values in terms:
        if fieldname != current:
            if current is not None and fieldname < current:
                raise ValueError(f"fields out of order: {current!r} .. {fieldname!r}")
            current = fieldname
            fieldid = fieldmap.setdefault(fieldname, len(fieldmap))
            prefix = pack_ushort(fieldid)
            fixedsize = schema[fieldname].format.fixed_value_size()
            codes = _length_codes(pdr, fieldname, ndocs)
        if docs and docs[0] < 0:   # Whoosh's spelling postings (document -1): not postings
            keep = [i for i, d in enumerate(docs) if d >= 0]
            docs = [docs[i] for i in keep]
            weights = [weights[i] for i in keep]
            values = [values[i] for i in keep]
        n = len(docs)
        if not n:
            continue
        key = prefix + tbytes
        if key <= lastkey:
            raise ValueError(f"terms out of order: {lastkey!r} .. {key!r}")
        lastkey = key
        if n < inlinelimit and n <= blocklimit:
            w32 = array("f", weights).tolist()
            mw = max(weights)
            if not mw > 0:
                mw = 0
            if codes is None:
                mn = mx = 0
            elif n == 1:
                mn = mx = codes[docs[0]]
            else:
                mn, mx = _min_max_codes(codes, docs)
            value = _TERMINFO.pack(1, sum(w32), n, mn, mx, mw, docs[0], docs[-1]) + _dumps(
                (tuple(docs), tuple(w32), tuple(filter(None, values)) or (None,) * n), 2)
        else:
            parts = [_MAGIC]
            tweight = 0
            tmaxw = 0
            tmin = None
            tmax = 0
            for start in range(0, n, blocklimit):
                end = start + blocklimit
                ids = docs[start:end]
                ws = weights[start:end]
                vs = values[start:end]
                k = len(ids)
                w32 = array("f", ws).tolist()
                tweight += sum(w32)
                mw = max(ws)
                if not mw > 0:
                    mw = 0
                if mw > tmaxw:
                    tmaxw = mw
                if w32.count(1.0) == k:
                    wmini = None
                elif w32.count(w32[0]) == k:
                    wmini = w32[0]
                else:
                    wmini = tuple(w32)
                if fixedsize is None or fixedsize < 0:
                    vmini = tuple(filter(None, vs))
                elif fixedsize == 0:
                    vmini = None
                else:
                    vmini = b"".join(filter(None, vs))
                deltas = [ids[0]]
                if k > 1:
                    deltas.extend(map(sub, ids[1:], ids[:-1]))
                data = _dumps((tuple(deltas), wmini, vmini), 2)
                if compression:
                    data = zlib.compress(data, compression)
                if codes is None:
                    mn = mx = 0
                else:
                    mn, mx = _min_max_codes(codes, ids)
                if mn:
                    tmin = mn if tmin is None or mn < tmin else tmin
                if mx > tmax:
                    tmax = mx
                info = _dumps((k, ids[-1], mw, compression, mn, mx), 2)
                blength = len(info) + len(data)
                parts.append(_BLOCK_LENGTH.pack(-blength if end >= n else blength))
                parts.append(info)
                parts.append(data)
            block = b"".join(parts)
            value = (_TERMINFO.pack(0, tweight, n, tmin or 0, tmax, tmaxw, docs[0], docs[-1])
                     + pack_long(post_pos) + pack_int(len(block)))
            posts.append(block)
            post_pos += len(block)
        positions.append(key_pos)
        entry = _LENGTHS.pack(len(key), len(value))
        out.append(entry)
        out.append(key)
        out.append(value)
        h = int(md5(key, usedforsecurity=False).hexdigest(), 16) & 0xFFFFFFFF
        buckets[h & 255].append((h, key_pos))
        key_pos += 8 + len(key) + len(value)
        count += 1
        pending += 1
        if pending >= 4096:
            dbfile.write(b"".join(out))
            postfile.write(b"".join(posts))
            out, posts, pending = [], [], 0
    dbfile.write(b"".join(out))
    postfile.write(b"".join(posts))
    tindex.lastkey = lastkey
    _extend_positions(tindex.index, positions)
    return count


def _extend_positions(growable, positions: list[int]) -> None:
    """Append term-index positions to Whoosh's GrowableArray, widened once
    to the type its own appends would have ended with."""
    if not positions:
        return
    top = positions[-1]
    limit = _TYPE_LIMITS.get(growable.array.typecode)
    if limit is not None and top >= limit:
        growable._retype(top)
    growable.array.extend(positions)


def pool_terms(sources):
    """Terms from several sources, each ``(key, order, docs, weights, values)``
    in key order: one entry a key, the sources' lists joined in their order."""
    merged = sources[0] if len(sources) == 1 else heapq.merge(*sources)
    last = None
    docs = weights = values = None
    for key, _, d, w, v in merged:
        if key == last:
            docs = docs + d
            weights = weights + w
            values = values + v
            continue
        if last is not None:
            yield last[0], last[1], docs, weights, values
        last, docs, weights, values = key, d, w, v
    if last is not None:
        yield last[0], last[1], docs, weights, values


__all__ = ["batched_writer_for", "pool_terms", "write_terms"]
