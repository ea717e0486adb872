"""Matching, scoring, counting and sorting over arrays, under the Searcher.

Whoosh finds, scores and counts hits one posting at a time in Python: at
100,000 stories a frequent word costs a second to rank and facet. This
module reads the postings block by block into NumPy arrays and evaluates a
parsed Whoosh query as boolean masks over the documents of the index:

- **matching**: a term is the array of its documents, ``AND``/``OR``/``NOT``
  are mask operations; date ranges compare a per-document day number;
  truncations walk the lexicon once per segment; fuzzy words come from a
  vectorized edit distance; phrases and proximity read word positions of
  the documents holding every word only, and apply Whoosh's rule to them;
  any other query type goes through Whoosh's own matcher;
- **scoring**: BM25F exactly as Whoosh computes it (same idf, average and
  quantized field lengths, boosts, sums over the query tree), vectorized:
  every matching document is scored, then only the top of the page is
  sorted;
- **counting**: each facet is a pair of arrays (document, value number) read
  once; counts for a result set are one ``bincount``;
- **grouping**: versions of a story share a group number, so the number of
  groups in a result set and each group's latest version are array lookups;
- **bounds**: a truncation, wildcard, fuzzy word or range reaching more than
  ``MAX_EXPANSION`` words of a field raises ``TooBroadError`` as soon as its
  walk of the lexicon finds one too many; a leading wildcard (``*isme``)
  walks a segment's whole lexicon once, then matches one regular expression
  over the segment's words kept as one string.

Arrays are built per segment and kept while the segment exists, so a new
index generation (an incremental run) rereads only its new segments; the
postings of recently used terms stay decoded in a bounded cache.

Every answer is checked against Whoosh's own (``tests/test_engine.py``):
same documents, same scores to 1e-9, same facet counts, same fuzzy words.
Whoosh's codec structures (posting blocks, the lexicon, columns) are read
through :mod:`indexer.backend`, the one module that knows them.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from typing import Iterable

import numpy as np
from whoosh import query as wq
from whoosh.query.spans import SpanNear2
from whoosh.util.numeric import byte_to_length

from indexer.backend import columns, postings
from search import hitsets
from search.qtypes import WORDS, AtLeast, Truncation
from search.query import MAX_EXPANSION, TooBroadError

#: Whoosh's BM25F defaults (the index is searched with its default weighting).
B, K1 = 0.75, 1.2
_LENGTHS = np.array([byte_to_length(i) or 0 for i in range(256)], dtype=np.float64)
#: Sanity bounds of the columns read whole (a zeroed column is out of them):
#: dates from the year 1000 to 2999 (microseconds since 0001-01-01, as
#: Whoosh stores them), version ranks 0 to 255 (stored plus 2**31).
_DATE_RANGE = tuple(int((np.datetime64(day, "us") - np.datetime64("0001-01-01", "us")).astype(np.int64))
                    for day in ("1000-01-01", "2999-12-31"))
_RANK_RANGE = (2**31, 2**31 + 255)


def _near(found: list[dict[int, list[int]]], docs: list[int], slop: int, ordered: bool,
          mindist: int) -> list[int]:
    """The documents among ``docs`` where the words stand near enough, by
    Whoosh's rule for SpanNear2: the spans found so far are joined to each
    next word's positions at a distance from ``mindist`` to ``slop`` (0
    inside the span), in order if ``ordered``. ``found[i][doc]`` are the
    positions of word i in a document."""
    out = []
    last = len(found) - 1
    if ordered and slop == 1 and mindist == 1 and last:  # a phrase: word i at the first word's position + i
        for d in docs:
            starts = set(found[0][d])
            for i in range(1, last):
                starts.intersection_update(p - i for p in found[i][d])
            if not starts.isdisjoint(p - last for p in found[last][d]):
                out.append(d)
        return out
    for d in docs:
        spans = {(p, p) for p in found[0][d]}
        for positions in found[1:]:
            joined = set()
            for a0, a1 in spans:
                for p in positions[d]:
                    if ordered and p < a0:
                        continue
                    dist = 0 if a0 <= p <= a1 else (p - a1 if p > a1 else a0 - p)
                    if mindist <= dist <= slop:
                        joined.add((min(a0, p), max(a1, p)))
            spans = joined
            if not spans:
                break
        if spans:
            out.append(d)
    return out


def _join_spans(aspans, bspans, slop: int, ordered: bool, mindist: int) -> list[tuple[int, int]]:
    """Whoosh's SpanNear2 rule for two lists of spans (start, end): each pair
    at a distance from ``mindist`` to ``slop`` (0 when they overlap), ``b``
    not starting before ``a`` if ``ordered``; the joined spans, sorted."""
    out = set()
    for a0, a1 in aspans:
        for b0, b1 in bspans:
            if ordered and a0 > b0:
                continue
            if (a0 <= b0 <= a1) or (a0 <= b1 <= a1) or (b0 <= a0 <= b1) or (b0 <= a1 <= b1):
                dist = 0
            elif a1 < b0:
                dist = b0 - a1
            else:
                dist = a0 - b1
            if mindist <= dist <= slop:
                out.add((min(a0, b0), max(a1, b1)))
    return sorted(out)


def _doc_spans(q, d: int, pos: dict) -> list[tuple[int, int]]:
    """The spans of a span query (terms, phrases, alternatives, nested
    SpanNear2) in one document; ``pos[text][d]``: a term's positions."""
    if isinstance(q, wq.Term):
        return [(p, p) for p in pos[q.text].get(d, ())]
    if isinstance(q, wq.Or):
        return sorted({s for sub in q.subqueries for s in _doc_spans(sub, d, pos)})
    if isinstance(q, wq.Phrase):
        starts = set(pos[q.words[0]].get(d, ()))
        for i, w in enumerate(q.words[1:], 1):
            starts.intersection_update(p - i for p in pos[w].get(d, ()))
        last = len(q.words) - 1
        return sorted((p, p + last) for p in starts)
    spans = _doc_spans(q.qs[0], d, pos)
    for sub in q.qs[1:]:
        if not spans:
            break
        spans = _join_spans(spans, _doc_spans(sub, d, pos), q.slop, q.ordered, q.mindist)
    return spans


def _span_leaves(q) -> list | None:
    """The terms of a span query made of Terms, Phrases, Ors and SpanNear2,
    (field, text) in order with repeats; None for anything else."""
    if isinstance(q, wq.Term):
        return [(q.fieldname, q.text)]
    if isinstance(q, wq.Phrase):
        return [(q.fieldname, w) for w in q.words]
    if isinstance(q, (wq.Or, SpanNear2)):
        subs = q.subqueries if isinstance(q, wq.Or) else q.qs
        out = []
        for sub in subs:
            leaves = _span_leaves(sub)
            if leaves is None:
                return None
            out += leaves
        return out if subs else None
    return None


#: Byte -> letter class for fuzzy filtering: a-z 0-25, 0-9 26-35, anything else 36.
_LETTER_CLASS = np.full(256, 36, dtype=np.int64)
_LETTER_CLASS[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)] = np.arange(26)
_LETTER_CLASS[np.frombuffer(b"0123456789", dtype=np.uint8)] = np.arange(26, 36)


def letter_counts(word: bytes) -> np.ndarray:
    """A word's letter counts, as :meth:`SegmentArrays.letters` counts them."""
    counts = np.zeros(37, dtype=np.int16)
    np.add.at(counts, _LETTER_CLASS[np.frombuffer(word, dtype=np.uint8)], 1)
    return counts


class PostingsCache:
    """Decoded postings of recently used terms, least recently used out first.

    Reading a posting list means unpickling and inflating Whoosh's blocks,
    positions included (~0.1 ms per 1,000 postings): a search typed again,
    refined or paged (the TUI searches as one types) finds its terms here.
    Bounded by postings held (8 bytes each), so memory stays flat: 16
    million, 128 MB. (8 million was too few at 1M stories: the benchmark's
    33 queries read 9 million, so each round pushed out what the next one
    needed, and warm queries cost what cold ones do: 9.9 s a round against
    2.7 s with 16 million.)
    """

    def __init__(self, max_postings: int = 16_000_000):
        self.max_postings = max_postings
        self.size = 0
        self._items: OrderedDict = OrderedDict()

    def get(self, key):
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return item[0]

    def put(self, key, value, size: int) -> None:
        if size > self.max_postings // 4:
            return  # one huge list would flush everything else
        self._items[key] = (value, size)
        self.size += size
        while self.size > self.max_postings:
            _, (_, old) = self._items.popitem(last=False)
            self.size -= old


_NO_POSTINGS = (np.zeros(0, np.int32), np.zeros(0, np.float32), 0)


def _bounded(items, limit: int, pattern: str) -> list:
    """The items, or TooBroadError as soon as there are more than ``limit``."""
    out = []
    for item in items:
        out.append(item)
        if len(out) > limit:
            raise TooBroadError(pattern, limit)
    return out


def _wildcard_regex(pattern: str, line: bool) -> re.Pattern:
    """Whoosh's wildcards (``*`` any letters, ``?`` one) as a regular
    expression: for one word, or (``line``) for the words of a ``\n``-joined
    string, one a line."""
    any_chars, one_char = ("[^\n]*", "[^\n]") if line else (".*", ".")
    body = "".join(any_chars if c == "*" else one_char if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{body}$", re.MULTILINE) if line else re.compile(body, re.DOTALL)


def _arrays_of(tp: postings.TermPostings) -> tuple[np.ndarray, np.ndarray, int]:
    ids, weights = tp.arrays()
    # Compact: document numbers fit 32 bits, weights (term counts times a
    # field boost) are exact in single precision.
    return np.asarray(ids, dtype=np.int32), np.asarray(weights, dtype=np.float32), tp.doc_frequency


def within_distance(word: bytes, candidates: list[bytes], maxdist: int) -> list[bytes]:
    """The candidates within ``maxdist`` edits of ``word`` (insertion, deletion,
    substitution, transposition of neighbours: optimal string alignment),
    computed for all candidates at once.

    >>> within_distance(b"enfent", [b"enfant", b"enfants", b"effet", b"enfetn", b"e"], 1)
    [b'enfant', b'enfetn']
    """
    m = len(word)
    cands = [c for c in candidates if abs(len(c) - m) <= maxdist]
    if not cands:
        return []
    lengths = np.array([len(c) for c in cands])
    width = int(lengths.max())
    chars = np.zeros((len(cands), width), dtype=np.uint8)
    for i, c in enumerate(cands):
        chars[i, : len(c)] = np.frombuffer(c, dtype=np.uint8)
    w = np.frombuffer(word, dtype=np.uint8)
    n = len(cands)
    # rows[i][:, j]: distance between word[:i] and candidate[:j].
    before = None
    prev = np.tile(np.arange(width + 1), (n, 1))
    for i in range(1, m + 1):
        cur = np.empty_like(prev)
        cur[:, 0] = i
        for j in range(1, width + 1):
            cost = chars[:, j - 1] != w[i - 1]
            best = np.minimum(prev[:, j] + 1, cur[:, j - 1] + 1)
            best = np.minimum(best, prev[:, j - 1] + cost)
            if i > 1 and j > 1:
                swap = (chars[:, j - 1] == w[i - 2]) & (chars[:, j - 2] == w[i - 1])
                best = np.where(swap, np.minimum(best, before[:, j - 2] + 1), best)
            cur[:, j] = best
        before, prev = prev, cur
    dist = prev[np.arange(n), lengths]
    return [c for c, d in zip(cands, dist) if d <= maxdist]


class SegmentArrays:
    """Arrays of one segment (which never changes, but for deletions)."""

    def __init__(self, reader, key: str, lru: "PostingsCache"):
        self.key, self.lru = key, lru
        self.n = reader.doc_count_all()
        self._lengths: dict[str, np.ndarray] = {}
        self._pairs: dict[str, tuple] = {}
        self._columns: dict[str, np.ndarray | None] = {}
        self._vocab: dict[tuple[str, bytes], list[bytes]] = {}
        self._words_text: dict[str, str] = {}   # field -> its words, one a line
        self._positions: dict[tuple[str, bytes], dict[int, list[int]]] = {}
        self._positions_held = 0

    def postings(self, reader, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray, int]:
        """The segment-local documents of a term, their weights, its document frequency."""
        key = (self.key, field, btext)
        found = self.lru.get(key)
        if found is None:
            tp = postings.term_postings(reader, field, btext)
            found = _NO_POSTINGS if tp is None else _arrays_of(tp)
            self.lru.put(key, found, len(found[0]))
        return found

    def prefix(self, reader, field: str, prefix: bytes,
               limit: int = MAX_EXPANSION) -> dict[bytes, tuple[np.ndarray, np.ndarray, int]]:
        """The postings of every term starting with ``prefix``, in one walk of
        the lexicon; TooBroadError for more than ``limit`` terms."""
        key = (self.key, field, b"*" + prefix)
        found = self.lru.get(key)
        if found is None:
            pattern = prefix.decode("utf-8", "replace") + "*"
            tps = _bounded(postings.lexicon(reader, field, prefix), limit, pattern)
            found = {term: _arrays_of(tp) for term, tp in tps}
            self.lru.put(key, found, sum(len(v[0]) for v in found.values()) + len(found))
        return found

    def wildcard(self, reader, field: str, pattern: str, limit: int = MAX_EXPANSION) -> list[str]:
        """The segment's words of ``field`` a wildcard pattern matches, in order;
        TooBroadError for more than ``limit``."""
        cut = min((i for i in (pattern.find("*"), pattern.find("?")) if i >= 0), default=len(pattern))
        prefix = pattern[:cut]
        if prefix and field not in self._words_text:  # the words from the prefix on only
            word = _wildcard_regex(pattern, False)
            words = (t.decode("utf-8") for t in postings.words(reader, field, prefix.encode("utf-8")))
            return _bounded((w for w in words if word.fullmatch(w)), limit, pattern)
        # A leading wildcard: the field's words read once, as one string, and
        # one regular expression run over them.
        if field not in self._words_text:
            self._words_text[field] = postings.field_words(reader, field)
        lines = _wildcard_regex(pattern, True).finditer(self._words_text[field])
        return _bounded((m.group() for m in lines), limit, pattern)

    def term_range(self, reader, field: str, start: bytes | None, end: bytes | None, startexcl: bool,
                   endexcl: bool, pattern: str, limit: int = MAX_EXPANSION) -> list[bytes]:
        """The segment's terms of ``field`` in a range (Whoosh's TermRange rule);
        TooBroadError for more than ``limit``."""
        def walk():
            for term in postings.words_from(reader, field, start or b""):
                if start is not None and term == start and startexcl:
                    continue
                if end is not None and (term > end or (term == end and endexcl)):
                    break
                yield term
        return _bounded(walk(), limit, pattern)

    #: Documents whose decoded word positions a segment keeps (then it starts afresh).
    max_positions = 200_000

    def positions(self, reader, field: str, btext: bytes, wanted: np.ndarray) -> dict[int, list[int]]:
        """Word positions of a term in the ``wanted`` (sorted, local) documents.

        Blocks holding none of them are skipped unread; positions decoded
        once are kept (a phrase typed again, refined or paged finds them)."""
        cache = self._positions
        known = cache.get((field, btext))
        if known is None:
            known = cache[(field, btext)] = {}
        missing = [d for d in wanted.tolist() if d not in known]
        if missing:
            tp = postings.term_postings(reader, field, btext)
            found = {} if tp is None else tp.positions(np.asarray(missing, dtype=np.int64))
            held = self._positions_held + len(missing)
            if held > self.max_positions:
                cache.clear()
                known = cache[(field, btext)] = {}
                held = len(missing)
            self._positions_held = held
            for d in missing:
                known[d] = found.get(d, [])
        return {d: known[d] for d in wanted.tolist() if known[d]}

    def letters(self, reader, field: str) -> tuple[list[bytes], np.ndarray, np.ndarray]:
        """The segment's words of ``field``, their lengths and letter counts
        (one column per byte value class: a-z, 0-9, any other), read once:
        a fuzzy word without a fixed prefix compares only the words whose
        length and letters are near enough."""
        key = ("letters", field)
        if key not in self._vocab:
            if field not in self._words_text:  # the lexicon read once, as one string
                self._words_text[field] = postings.field_words(reader, field)
            text = self._words_text[field]
            words = [w.encode("utf-8") for w in text.split("\n")] if text else []
            lengths = np.array([len(w) for w in words], dtype=np.int32)
            counts = np.zeros((len(words), 37), dtype=np.int16)
            if words:
                cls = _LETTER_CLASS[np.frombuffer(b"".join(words), dtype=np.uint8)]
                rows = np.repeat(np.arange(len(words), dtype=np.int64), lengths)
                counts = np.bincount(rows * 37 + cls, minlength=len(words) * 37).reshape(-1, 37).astype(np.int16)
            self._vocab[key] = (words, lengths, counts)
        return self._vocab[key]

    def words_from(self, reader, field: str, prefix: bytes) -> list[bytes]:
        """The segment's terms of ``field`` that start with ``prefix`` (cached)."""
        key = (field, prefix)
        if key not in self._vocab:
            self._vocab[key] = list(postings.words(reader, field, prefix))
        return self._vocab[key]

    def lengths(self, reader, field: str) -> np.ndarray:
        """Quantized field lengths, as Whoosh's scorer reads them (1 if none)."""
        if field not in self._lengths:
            codes = columns.length_codes(reader, field, self.n)
            self._lengths[field] = np.ones(self.n) if codes is None else _LENGTHS[codes]
        return self._lengths[field]

    def pairs(self, reader, field: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(values, documents, value numbers): who holds which value of a field."""
        if field not in self._pairs:
            labels, docs, ords = [], [], []
            for btext, tp in postings.lexicon(reader, field):
                ids = _arrays_of(tp)[0]
                docs.append(ids)
                ords.append(np.full(len(ids), len(labels), dtype=np.int32))
                labels.append(btext.decode("utf-8"))
            self._pairs[field] = (
                labels,
                np.concatenate(docs) if docs else np.zeros(0, np.int64),
                np.concatenate(ords) if ords else np.zeros(0, np.int32),
            )
        return self._pairs[field]

    def numbers(self, reader, name: str, valid: tuple[int, int] | None = None) -> np.ndarray | None:
        """A numeric column read whole (its sortable form; missing: the column's
        default); a value outside ``valid`` is a damaged column."""
        key = "num:" + name
        if key not in self._columns:
            self._columns[key] = columns.numbers(reader, name, self.n, valid)
        return self._columns[key]

    def strings(self, reader, name: str) -> np.ndarray | None:
        """A bytes column read whole: fixed-width bytes if every value has one
        length (story ids do), else an array of Python bytes."""
        key = "bytes:" + name
        if key not in self._columns:
            self._columns[key] = columns.byte_strings(reader, name, self.n)
        return self._columns[key]


_EMPTY = (np.zeros(0, np.int64), None)
_EMPTY_SCORED = (np.zeros(0, np.int64), np.zeros(0))


class _Facet:
    """One facet over the whole index: value labels and (doc, value) pairs."""

    __slots__ = ("labels", "docs", "ords")

    def __init__(self, labels: list[str], docs: np.ndarray, ords: np.ndarray):
        self.labels, self.docs, self.ords = labels, docs, ords

    def count(self, mask: np.ndarray) -> dict[str, int]:
        hit = mask[self.docs]
        counts = np.bincount(self.ords[hit], minlength=len(self.labels))
        return {self.labels[i]: int(counts[i]) for i in np.flatnonzero(counts)}


def byte_codes(values: np.ndarray) -> np.ndarray:
    """Each value's rank among the distinct values, in byte order: what
    ``np.unique(values, return_inverse=True)[1]`` gives for an array of
    byte strings. An array of Python bytes (values of several lengths) is
    made fixed-width first, which numpy sorts without comparing Python
    objects: 460,000 ids, a third of them empty, 0.61 -> 0.26 s."""
    if values.dtype == object and len(values):
        try:
            joined = b"".join(values.tolist())
        except TypeError:  # not every value is bytes
            return _unique_codes(values)
        if b"\x00" not in joined:  # a fixed-width copy would lose a trailing NUL
            values = values.astype(bytes)
    return _unique_codes(values)


def _hashes(values: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each value: of its 8-byte words, with array
    operations, for fixed-width bytes; Python's own for anything else."""
    if values.dtype.kind == "S" and values.dtype.itemsize:
        width = values.dtype.itemsize
        raw = np.ascontiguousarray(values).view(np.uint8).reshape(len(values), width)
        if width % 8:
            raw = np.concatenate((raw, np.zeros((len(values), 8 - width % 8), np.uint8)), axis=1)
        words = raw.view(np.uint64)
        h = np.zeros(len(values), dtype=np.uint64)
        for j in range(words.shape[1]):
            h = (h ^ words[:, j]) * np.uint64(0x9E3779B97F4A7C15)
            h ^= h >> np.uint64(31)
        return h
    return np.fromiter(map(hash, values.tolist()), dtype=np.int64, count=len(values))


def equal_codes(values: np.ndarray) -> np.ndarray:
    """A number for each value, the same for equal values and different for
    different ones (in no particular order: :func:`byte_codes` gives them
    in byte order). The values' hashes are numbered, then checked: values
    sharing a number must be equal, else (two hashes colliding) the codes
    are :func:`byte_codes`'. 720,000 group names: 0.55 -> 0.12 s."""
    if not len(values):
        return np.zeros(0, np.int64)
    try:
        hashes = _hashes(values)
    except TypeError:  # not every value hashable
        return byte_codes(values)
    distinct, codes = np.unique(hashes, return_inverse=True)
    codes = codes.astype(np.int64).reshape(-1)
    first = np.empty(len(distinct), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    if not np.all(values[first[codes]] == values):
        return byte_codes(values)
    return codes


def _unique_codes(values: np.ndarray) -> np.ndarray:
    return np.unique(values, return_inverse=True)[1].astype(np.int64).reshape(-1)


def _joined_strings(parts: list[np.ndarray]) -> np.ndarray:
    """Segments' bytes columns as one array: fixed-width if every part is
    (numpy widens the narrower), else Python bytes."""
    if any(p.dtype == object for p in parts):
        parts = [p.astype(object) for p in parts]
    return np.concatenate(parts)


def _merge_facet(parts: Iterable[tuple[int, tuple[list[str], np.ndarray, np.ndarray]]]) -> _Facet:
    index: dict[str, int] = {}
    docs, ords = [], []
    for offset, (labels, d, o) in parts:
        remap = np.array([index.setdefault(label, len(index)) for label in labels], dtype=np.int32)
        docs.append(d + offset)
        ords.append(remap[o] if len(remap) else o)
    return _Facet(list(index), np.concatenate(docs) if docs else np.zeros(0, np.int64),
                  np.concatenate(ords) if ords else np.zeros(0, np.int32))


class IndexArrays:
    """The arrays of one open index generation, through one Whoosh searcher."""

    #: The most words one truncation, wildcard, fuzzy word or range may reach in a field.
    max_expansion = MAX_EXPANSION
    #: Hits of an intersection stay sparse up to ``n // dense_ratio`` documents,
    #: of a union up to ``n // union_ratio`` (:mod:`search.hitsets`).
    dense_ratio = hitsets.DENSE_RATIO
    union_ratio = hitsets.UNION_RATIO

    def __init__(self, searcher, cache: dict[str, SegmentArrays], lru: PostingsCache | None = None):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.n = self.reader.doc_count_all()
        self.leaves = []
        live = np.ones(self.n, dtype=bool)
        for leaf, offset in self.reader.leaf_readers():
            key = leaf.segment().segment_id()
            seg = cache.get(key)
            if seg is None:
                seg = cache[key] = SegmentArrays(leaf, key, lru if lru is not None else PostingsCache())
            self.leaves.append((leaf, offset, seg))
            live[columns.deleted_docs(leaf) + offset] = False
        self.live = live
        self._global: dict[str, object] = {}

    # ------------------------------------------------------------ whole-index arrays
    def _lazy(self, key: str, make):
        if key not in self._global:
            self._global[key] = make()
        return self._global[key]

    def _joined(self, part) -> np.ndarray:
        """One whole-index array from ``part(leaf, seg)``, segment after segment."""
        parts = [part(leaf, seg) for leaf, _, seg in self.leaves]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def lengths(self, field: str) -> np.ndarray:
        return self._lazy("len:" + field, lambda: self._joined(lambda leaf, seg: seg.lengths(leaf, field)))

    def facet(self, field: str) -> _Facet:
        return self._lazy("facet:" + field, lambda: _merge_facet(
            (offset, seg.pairs(leaf, field)) for leaf, offset, seg in self.leaves))

    def holding(self, field: str) -> np.ndarray:
        """Mask of the live documents with at least one term in ``field``
        (Whoosh's ``Every(field)``; ``NOT`` of it: the stories without a value)."""
        def make():
            if field == "day" and field in self.schema:
                # A story has a day term exactly when it has a date: the date
                # column says so without walking the day field's lexicon (one
                # term a day, every story's posting: seconds at 1M stories).
                return (self.days > 0) & self.live
            if field in self.schema and self.schema[field].scorable:
                # A story holds a term of a scored field exactly when its
                # length there is not 0: the length column says so without
                # reading the field's postings (0.74 s at 720,000 stories
                # for agencies, translators and places).
                def part(leaf, seg):
                    codes = columns.length_codes(leaf, field, seg.n)
                    # No column: no story of the segment has the field.
                    return np.zeros(seg.n, dtype=bool) if codes is None else codes > 0
                return self._joined(part).astype(bool) & self.live
            mask = np.zeros(self.n, dtype=bool)
            if field in self.schema:
                mask[self.facet(field).docs] = True
            return mask & self.live
        return self._lazy("holding:" + field, make).copy()

    @property
    def days(self) -> np.ndarray:
        """Each story's date as YYYYMMDD (0 if undated), from the date column."""
        def part(leaf, seg):
            raw = seg.numbers(leaf, "date", _DATE_RANGE)
            out = np.zeros(seg.n, dtype=np.int64)
            if raw is not None:
                # Whoosh stores a datetime as microseconds since 0001-01-01;
                # an undated story has the column's default (all ones).
                dated = raw != np.uint64(2**64 - 1)
                d = np.datetime64("0001-01-01", "D") + (raw[dated] // 86_400_000_000).astype("timedelta64[D]")
                months = d.astype("datetime64[M]")
                out[dated] = ((d.astype("datetime64[Y]").astype(np.int64) + 1970) * 10000
                              + (months.astype(np.int64) % 12 + 1) * 100
                              + (d - months).astype(np.int64) + 1)
            return out
        return self._lazy("days", lambda: self._joined(part))

    def date_counts(self, mask: np.ndarray, bucket: str) -> dict[str, int]:
        """Stories by year, month or day (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``)."""
        days = self.days[mask]
        days = days[days > 0]
        div, fmt = {"year": (10000, "{:04d}"), "month": (100, "{:04d}-{:02d}"),
                    "day": (1, "{:04d}-{:02d}-{:02d}")}[bucket]
        keys, counts = np.unique(days // div, return_counts=True)
        out = {}
        for key, count in zip(keys.tolist(), counts.tolist()):
            full = key * div
            parts = (full // 10000, full // 100 % 100, full % 100)[: fmt.count("{")]
            out[fmt.format(*parts)] = count
        return out

    @property
    def groups(self) -> np.ndarray:
        """Each story's group number (versions of one story share it)."""
        def make():
            parts = [seg.strings(leaf, "group") for leaf, _, seg in self.leaves]
            parts = [p if p is not None else np.zeros(seg.n, dtype="S1")  # b"" each
                     for p, (_, _, seg) in zip(parts, self.leaves)]
            if not parts:
                return np.zeros(0, np.int64)
            names = _joined_strings(parts)
            codes = equal_codes(names)
            lone = np.flatnonzero(names == b"")  # no group: a group of its own
            codes[lone] = codes.max(initial=-1) + 1 + np.arange(len(lone))
            return codes
        return self._lazy("groups", make)

    @property
    def group_sizes(self) -> np.ndarray:
        """Live versions per group (republished copies are not versions)."""
        return self._lazy("group_sizes", lambda: np.bincount(self.groups[self.live & ~self.duplicates],
                                                             minlength=int(self.groups.max(initial=-1)) + 1))

    @property
    def duplicates(self) -> np.ndarray:
        """Mask of the republished copies (a ``duplicate`` value: the original's id)."""
        def make():
            mask = np.zeros(self.n, dtype=bool)
            for leaf, offset, seg in self.leaves:
                col = seg.strings(leaf, "duplicate")
                if col is not None:
                    mask[offset: offset + seg.n] = np.asarray([bool(v) for v in col.tolist()]) \
                        if col.dtype == object else col != b""
            return mask
        return self._lazy("duplicates", make)

    def rows(self, split_duplicates: bool = False) -> np.ndarray:
        """Each document's result row when grouped: its group, or (copies
        shown apart) a row of its own for each republished copy."""
        if not split_duplicates:
            return self.groups
        def make():
            rows = self.groups.copy()
            copies = np.flatnonzero(self.duplicates)
            rows[copies] = rows.max(initial=-1) + 1 + np.arange(len(copies))
            return rows
        return self._lazy("rows_split", make)

    @property
    def ranks(self) -> np.ndarray:
        """Each story's version rank (urgent < original < actualisé < refonte)."""
        def part(leaf, seg):
            raw = seg.numbers(leaf, "version_rank", _RANK_RANGE)
            if raw is None:
                return np.full(seg.n, 2, dtype=np.int64)
            # A signed 32-bit sortable number is stored plus 2**31; missing: the default.
            return np.where(raw == 2**32 - 1, 2, raw - 2**31)
        return self._lazy("ranks", lambda: self._joined(part))

    # ------------------------------------------------------------ matching and scoring
    def postings(self, field: str, text, boost: float = 1.0, scored: bool = False):
        """(documents, their scores or None) of one term, over the whole index."""
        if field not in self.schema:
            return _EMPTY_SCORED if scored else _EMPTY
        try:
            btext = self.schema[field].to_bytes(text) if not isinstance(text, bytes) else text
        except ValueError:
            return _EMPTY_SCORED if scored else _EMPTY
        parts = []
        for leaf, offset, seg in self.leaves:
            ids, weights, df = seg.postings(leaf, field, btext)
            if len(ids):
                parts.append((ids + offset if offset else ids, weights, df))
        return self._combine(field, parts, boost, scored)

    def prefix(self, field: str, prefix: str, boost: float = 1.0, scored: bool = False):
        """(documents, their scores or None) of every term starting with ``prefix``,
        scored as the sum of those terms' scores."""
        if field not in self.schema:
            return _EMPTY_SCORED if scored else _EMPTY
        by_term: dict[bytes, list] = {}
        for leaf, offset, seg in self.leaves:
            for btext, (ids, weights, df) in seg.prefix(leaf, field, prefix.encode("utf-8"),
                                                        self.max_expansion).items():
                if len(ids):
                    by_term.setdefault(btext, []).append((ids + offset if offset else ids, weights, df))
            if len(by_term) > self.max_expansion:  # each segment within the bound, not all of them
                raise TooBroadError(prefix + "*", self.max_expansion)
        results = [self._combine(field, parts, boost, scored) for parts in by_term.values()]
        if not results:
            return _EMPTY_SCORED if scored else _EMPTY
        found = hitsets.union([hitsets.sparse(ids, contrib) for ids, contrib in results], self.n, scored,
                              self.union_ratio)
        if found.is_sparse:
            return found.ids, found.score
        ids = np.flatnonzero(found.mask)
        return ids, (found.score[ids] if scored else None)

    def _combine(self, field: str, parts: list, boost: float, scored: bool):
        if not parts:
            return _EMPTY_SCORED if scored else _EMPTY
        ids = parts[0][0] if len(parts) == 1 else np.concatenate([p[0] for p in parts])
        if not scored:
            return ids, None
        weights = (parts[0][1] if len(parts) == 1 else np.concatenate([p[1] for p in parts])).astype(np.float64)
        if self.schema[field].scorable:
            # Whoosh's BM25F: idf over every document, deleted ones included.
            df = sum(p[2] for p in parts)
            idf = math.log(self.n / (df + 1)) + 1
            avgfl = (self.reader.field_length(field) / self.n) or 1
            fl = self.lengths(field)[ids]
            s = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avgfl)))
        else:
            s = weights
        return ids, (s * boost if boost != 1.0 else s)

    def fuzzy(self, field: str, text: str, maxdist: int, prefixlength: int) -> list[str]:
        """The index words within ``maxdist`` edits of ``text`` (transpositions
        count one) that share its first ``prefixlength`` letters, sorted."""
        if field not in self.schema:
            return []
        # Kept for the generation, as wildcards are: a fuzzy word typed again
        # (the TUI searches as one types) is not compared with the lexicon again.
        key = f"fuzzy:{field}:{text}:{maxdist}:{prefixlength}:{self.max_expansion}"
        return list(self._lazy(key, lambda: self._fuzzy(field, text, maxdist, prefixlength)))

    def _fuzzy(self, field: str, text: str, maxdist: int, prefixlength: int) -> list[str]:
        word = text.encode("utf-8")
        prefix = word[:prefixlength]
        candidates: set[bytes] = set()
        if not prefixlength:
            # No fixed prefix: only words of about the same length whose
            # letters differ by at most two per edit can be near enough.
            mine = letter_counts(word)
            for leaf, _, seg in self.leaves:
                words, lengths, counts = seg.letters(leaf, field)
                if not words:
                    continue
                near = np.abs(lengths - len(word)) <= maxdist
                near[near] = np.abs(counts[near] - mine).sum(axis=1) <= 2 * maxdist
                candidates.update(words[i] for i in np.flatnonzero(near))
        for leaf, _, seg in self.leaves if prefixlength else ():
            candidates.update(seg.words_from(leaf, field, prefix))
        found = sorted(w.decode("utf-8") for w in within_distance(word, sorted(candidates), maxdist))
        if len(found) > self.max_expansion:
            raise TooBroadError(f"{text}~{maxdist}", self.max_expansion)
        return found

    def wildcard(self, field: str, pattern: str) -> list[str]:
        """The index words of ``field`` a wildcard pattern (``*``, ``?``)
        matches, sorted; TooBroadError for more than ``max_expansion``."""
        if field not in self.schema:
            return []
        def make():
            found: set[str] = set()
            for leaf, _, seg in self.leaves:
                found.update(seg.wildcard(leaf, field, pattern, self.max_expansion))
                if len(found) > self.max_expansion:
                    raise TooBroadError(pattern, self.max_expansion)
            return sorted(found)
        return list(self._lazy(f"wild:{field}:{pattern}:{self.max_expansion}", make))

    def term_range(self, q: wq.TermRange) -> list[str]:
        """The index terms of a range on a field of words (not a date),
        sorted; TooBroadError for more than ``max_expansion``."""
        field = q.fieldname
        if field not in self.schema:
            return []
        fieldobj = self.schema[field]
        try:
            start = fieldobj.to_bytes(q.start) if q.start is not None else None
            end = fieldobj.to_bytes(q.end) if q.end is not None else None
        except ValueError:
            return []
        pattern = f"{'{' if q.startexcl else '['}{q.start or ''} TO {q.end or ''}{'}' if q.endexcl else ']'}"
        found: set[bytes] = set()
        for leaf, _, seg in self.leaves:
            found.update(seg.term_range(leaf, field, start, end, q.startexcl, q.endexcl, pattern,
                                        self.max_expansion))
            if len(found) > self.max_expansion:
                raise TooBroadError(pattern, self.max_expansion)
        return sorted(t.decode("utf-8") for t in found)

    def expand(self, q: wq.MultiTerm) -> list[str]:
        """The index words a wildcard, fuzzy word or range reaches, sorted;
        TooBroadError beyond ``max_expansion``."""
        if isinstance(q, Truncation):
            words: set[str] = set()
            for pattern in q.patterns():
                words.update(self.wildcard(WORDS, pattern))
                if len(words) > self.max_expansion:
                    raise TooBroadError(q.text, self.max_expansion)
            return q.terms_of(words)
        if isinstance(q, wq.FuzzyTerm):
            return self.fuzzy(q.fieldname, q.text, q.maxdist, q.prefixlength)
        if isinstance(q, wq.Wildcard):
            return self.wildcard(q.fieldname, q.text)
        if isinstance(q, wq.Prefix):
            return self.wildcard(q.fieldname, q.text + "*")
        if isinstance(q, wq.TermRange):
            return self.term_range(q)
        # Any other expanding query: Whoosh's own walk, within the bound.
        found = _bounded(postings.iter_multiterm_words(q, self.reader), self.max_expansion, str(q))
        return sorted(t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in found)

    def _sparse(self, q, scored: bool):
        if isinstance(q, wq.Prefix):
            return self.prefix(q.fieldname, q.text, q.boost, scored)
        return self.postings(q.fieldname, q.text, q.boost, scored)

    def evaluate(self, q: wq.Query, scored: bool):
        """(mask of matching documents, their scores or None) for a query."""
        mask, score = self.hits(q, scored).dense(self.n)
        return mask & self.live, score

    def _node(self, q: wq.Query, scored: bool):
        """(mask, score or None) of one node, dense (deleted documents not yet out)."""
        return self.hits(q, scored).dense(self.n)

    def hits(self, q: wq.Query, scored: bool) -> hitsets.Hits:
        """The documents a query node matches and their scores, sparse or
        dense (:mod:`search.hitsets`); deleted documents not yet taken out."""
        n, ratio = self.n, self.dense_ratio  # see hitsets.union for unions
        if isinstance(q, (wq.Term, wq.Prefix)):
            ids, contrib = self._sparse(q, scored)
            return hitsets.sparse(ids, contrib)
        if isinstance(q, wq.Every):
            mask = self.live.copy() if q.fieldname in (None, "", "*") else self.holding(q.fieldname)
            return hitsets.dense(mask, mask * q.boost if scored else None)
        if q is wq.NullQuery or type(q).__name__ == "_NullQuery":
            return hitsets.nothing(scored)
        if isinstance(q, wq.TermRange) and q.fieldname == "day":
            return self._day_range(q, scored)
        if isinstance(q, wq.Not):
            mask = hitsets.complement(self.hits(q.query, False), self.live).mask
            return hitsets.dense(mask, mask * q.boost if scored else None)
        if isinstance(q, wq.Or) and q.subqueries:
            found = hitsets.union([self.hits(sub, scored) for sub in q.subqueries], n, scored,
                                  self.union_ratio)
            return found.boosted(q.boost)
        if isinstance(q, wq.And) and q.subqueries:
            found = hitsets.intersect([self.hits(sub, scored) for sub in q.subqueries], n, scored, ratio)
            return found.boosted(q.boost)
        if isinstance(q, (wq.AndNot, wq.Require, wq.AndMaybe)):
            a = self.hits(q.a, scored)
            b = self.hits(q.b, scored and isinstance(q, wq.AndMaybe))
            if isinstance(q, wq.AndNot):
                found = hitsets.difference(a, b)
            elif isinstance(q, wq.Require):
                found = hitsets.require(a, b)
            else:
                found = hitsets.maybe(a, b, n, scored)
            return found.boosted(q.boost) if scored else found
        if isinstance(q, wq.MultiTerm):  # ranges on other fields, wildcards not expanded
            terms = [wq.Term(q.fieldname, t, boost=q.boost) for t in self.expand(q)]
            if not terms:
                return hitsets.nothing(scored)
            return self.hits(wq.Or(terms), scored)
        if isinstance(q, wq.Phrase) and q.words:
            return self._near(q.fieldname, q.words, q.slop, True, 1, q.boost, scored)
        if isinstance(q, SpanNear2) and all(isinstance(t, wq.Term) for t in q.qs) and q.qs \
                and len({t.fieldname for t in q.qs}) == 1:
            return self._near(q.qs[0].fieldname, [t.text for t in q.qs], q.slop, q.ordered, q.mindist,
                              getattr(q, "boost", 1.0), scored)
        if isinstance(q, SpanNear2):
            if any(leaf is wq.NullQuery or type(leaf).__name__ == "_NullQuery" for leaf in q.leaves()):
                return hitsets.nothing(scored)  # a word reaching nothing
            leaves = _span_leaves(q)
            if leaves and len({f for f, _ in leaves}) == 1:
                return self._spans(q, leaves, scored)
        if isinstance(q, AtLeast):
            return self._at_least(q, scored)
        return self._by_whoosh(q, scored)

    def _span_candidates(self, q) -> np.ndarray:
        """The live documents holding the words a span query needs (a
        superset of its hits), sorted."""
        if isinstance(q, wq.Term):
            ids = self.postings(q.fieldname, q.text)[0]
            return np.asarray(ids, dtype=np.int64)[self.live[ids]]
        if isinstance(q, wq.Or):
            parts = [self._span_candidates(sub) for sub in q.subqueries]
            return hitsets.distinct(np.concatenate(parts)) if parts else np.zeros(0, np.int64)
        subs = [wq.Term(q.fieldname, w) for w in q.words] if isinstance(q, wq.Phrase) else q.qs
        found = None
        for sub in subs:
            ids = self._span_candidates(sub)
            found = ids if found is None else found[hitsets.sparse(ids, None).contains(found)]
        return found if found is not None else np.zeros(0, np.int64)

    def _segment_parts(self, ids: np.ndarray):
        """(leaf, offset, segment arrays, the segment-local documents among
        the sorted global ``ids``) of each segment holding some."""
        for leaf, offset, seg in self.leaves:
            lo, hi = np.searchsorted(ids, [offset, offset + seg.n])
            if hi > lo:
                yield leaf, offset, seg, ids[lo:hi] - offset

    def _spans(self, q, leaves: list, scored: bool) -> hitsets.Hits:
        """Proximity of phrases, alternatives (truncations) and nested
        proximities, by Whoosh's SpanNear2 rule, on the word positions of
        the candidate documents only; scored as the sum of the terms' scores."""
        field = leaves[0][0]
        if field not in self.schema or not self.schema[field].format.supports("positions"):
            return hitsets.nothing(scored)
        fieldobj = self.schema[field]
        texts = sorted({t for _, t in leaves})
        try:
            btexts = {t: fieldobj.to_bytes(t) if not isinstance(t, bytes) else t for t in texts}
        except ValueError:
            return hitsets.nothing(scored)
        found = []
        for leaf, offset, seg, local in self._segment_parts(self._span_candidates(q)):
            pos = {t: seg.positions(leaf, field, b, local) for t, b in btexts.items()}
            found += [d + offset for d in local.tolist() if _doc_spans(q, d, pos)]
        ids = np.asarray(found, dtype=np.int64)
        score = None
        if scored:
            score = np.zeros(len(ids))
            for _, text in leaves:
                term = hitsets.sparse(*self.postings(field, text, 1.0, True))
                inside = term.contains(ids) if len(ids) else np.zeros(0, dtype=bool)
                score[inside] += term.score_at(ids[inside])
            boost = getattr(q, "boost", 1.0)
            if boost != 1.0:
                score *= boost
        return hitsets.sparse(ids, score)

    def frequencies(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        """(documents, how many times the term occurs in each) over the whole index."""
        if field not in self.schema or not self.schema[field].scorable:
            return np.zeros(0, np.int64), np.zeros(0)
        try:
            btext = self.schema[field].to_bytes(text) if not isinstance(text, bytes) else text
        except ValueError:
            return np.zeros(0, np.int64), np.zeros(0)
        boost = getattr(self.schema[field].format, "field_boost", 1.0) or 1.0
        ids, freqs = [], []
        for leaf, offset, seg in self.leaves:
            seg_ids, weights, _ = seg.postings(leaf, field, btext)
            if len(seg_ids):
                ids.append(seg_ids.astype(np.int64) + offset)
                freqs.append(np.rint(weights.astype(np.float64) / boost))
        if not ids:
            return np.zeros(0, np.int64), np.zeros(0)
        return np.concatenate(ids), np.concatenate(freqs)

    def _at_least(self, q: AtLeast, scored: bool) -> hitsets.Hits:
        """``atleastN word``: the child's matches whose terms occur N times or more in all."""
        mask, score = self.hits(q.child, scored).dense(self.n)
        counts = np.zeros(self.n)
        for leaf in q.child.leaves():
            if isinstance(leaf, wq.Term):
                ids, freqs = self.frequencies(leaf.fieldname, leaf.text)
                np.add.at(counts, ids, freqs)
        mask = mask & (counts >= q.n)
        return hitsets.dense(mask, score * mask if scored else None)

    def _near(self, field: str, words, slop: int, ordered: bool, mindist: int, boost: float,
              scored: bool) -> hitsets.Hits:
        """Phrases and proximity: the documents holding every word, then the
        positions of the words in those documents only."""
        if field not in self.schema or not self.schema[field].format.supports("positions"):
            return hitsets.nothing(scored)
        fieldobj = self.schema[field]
        try:
            btexts = [fieldobj.to_bytes(w) if not isinstance(w, bytes) else w for w in words]
        except ValueError:
            return hitsets.nothing(scored)
        lists = [hitsets.sparse(*self.postings(field, b, 1.0, scored)) for b in btexts]
        candidates = min(lists, key=lambda h: len(h.ids)).ids
        for h in lists:
            if len(candidates):
                candidates = candidates[h.contains(candidates)]
        candidates = candidates[self.live[candidates]]
        found = []
        for leaf, offset, seg, local in self._segment_parts(candidates):
            positions = [seg.positions(leaf, field, b, local) for b in btexts]
            found += [d + offset for d in _near(positions, local.tolist(), slop, ordered, mindist)]
        ids = np.asarray(found, dtype=np.int64)
        score = None
        if scored:
            score = np.zeros(len(ids))
            for h in lists:
                score += h.score_at(ids) if len(ids) else 0.0
            if boost != 1.0:
                score *= boost
        return hitsets.sparse(ids, score)

    def _day_range(self, q: wq.TermRange, scored: bool) -> hitsets.Hits:
        days = self.days
        mask = days > 0
        if q.start:
            lo = int(q.start.replace("-", ""))
            mask &= (days > lo) if q.startexcl else (days >= lo)
        if q.end:
            hi = int(q.end.replace("-", ""))
            mask &= (days < hi) if q.endexcl else (days <= hi)
        # Whoosh scores a range as a constant (its boost).
        return hitsets.dense(mask, mask * q.boost if scored else None)

    def _by_whoosh(self, q: wq.Query, scored: bool) -> hitsets.Hits:
        """Phrases, proximity and anything else: Whoosh's matcher finds them;
        their score is the sum of their terms' scores, as in Whoosh."""
        mask = np.zeros(self.n, dtype=bool)
        m = q.matcher(self.searcher)
        ids = np.fromiter(m.all_ids(), dtype=np.int64)
        mask[ids] = True
        score = None
        if scored:
            score = np.zeros(self.n)
            for field, text in q.iter_all_terms():
                ids, contrib = self.postings(field, text, 1.0, True)
                score[ids] += contrib
            score *= mask * getattr(q, "boost", 1.0)
        return hitsets.dense(mask, score)

    # ------------------------------------------------------------ ordering
    @property
    def ids(self) -> np.ndarray | None:
        """Each story's id, from the id column (None if a segment has none)."""
        def make():
            parts = [seg.strings(leaf, "id") for leaf, _, seg in self.leaves]
            if not parts:
                return np.zeros(0, dtype="S1")
            if any(p is None for p in parts):
                return None
            return _joined_strings(parts)
        return self._lazy("ids", make)

    @property
    def id_ranks(self) -> np.ndarray:
        """Each story's place in the order of story ids."""
        def make():
            if self.ids is not None:
                return byte_codes(self.ids)
            ids = np.zeros(self.n, dtype=np.int64)  # no id column: the ids' lexicon
            facet = self.facet("id")
            order = np.argsort(np.array(facet.labels, dtype=object), kind="stable")
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            ids[facet.docs] = rank[facet.ords]
            return ids
        return self._lazy("id_ranks", make)

    #: :meth:`tie_order` ranks the ids of at most ``max(few_ties, n // 64)``
    #: documents itself; more, and it reads the whole index's :attr:`id_ranks`
    #: (made once).
    few_ties = 1024

    def tie_order(self, docs: np.ndarray, *keys: np.ndarray) -> np.ndarray:
        """``docs`` sorted by ``keys`` (the first one first), ties broken by
        date, newest first (undated last), then by story id: the same order
        whatever the segments and document numbers of the build."""
        days = self.days[docs]
        if "id_ranks" in self._global or self.ids is None or len(docs) > max(self.few_ties, self.n // 64):
            by_id = self.id_ranks[docs]
        else:
            # A page's few documents: their own ids ranked, not the whole
            # index's (0.5 s at the first query of 720,000 stories).
            by_id = byte_codes(self.ids[docs])
        return docs[np.lexsort((by_id, -days, *reversed(keys)))]

    def order(self, mask: np.ndarray, score: np.ndarray | None, sort: str, want: int) -> np.ndarray:
        """At least the first ``want`` matching documents in result order (all if fewer).

        Relevance: by score; dates: by day then version rank, undated
        stories last; ties (in every sort) by date, newest first, then by
        story id (:meth:`tie_order`). Scores are compared to 1e-9: the sums
        of a query's parts may differ in their last bits from one build to
        another (terms met in another segment order).
        """
        docs = np.flatnonzero(mask)
        if sort == "relevance" and score is not None:
            keys = -np.round(score[docs], 9)
        else:
            days = self.days[docs]
            keys = days * 16 + self.ranks[docs]
            if sort == "-date":
                keys = -keys
            keys = np.where(days == 0, np.iinfo(np.int64).max, keys)
        if want < len(docs):
            top = np.argpartition(keys, want - 1)[:want]
            # Ties at the cut: keep every document keyed like the last one.
            top = np.flatnonzero(keys <= keys[top].max())
            docs, keys = docs[top], keys[top]
        return self.tie_order(docs, keys)

    def group_members(self, group: int, split_duplicates: bool = False) -> np.ndarray:
        """The documents (deleted ones included) of one group (of one row: :meth:`rows`)."""
        def make():
            rows = self.rows(split_duplicates)
            order = np.argsort(rows, kind="stable")
            return order, rows[order]
        order, sorted_groups = self._lazy(f"group_order:{split_duplicates}", make)
        lo, hi = np.searchsorted(sorted_groups, [group, group + 1])
        return order[lo:hi]

    def group_count(self, mask: np.ndarray, split_duplicates: bool = False) -> int:
        """How many groups (rows: :meth:`rows`) hold at least one matching document."""
        rows = self.rows(split_duplicates)
        seen = np.zeros(int(rows.max(initial=-1)) + 1, dtype=bool)
        seen[rows[mask]] = True
        return int(np.count_nonzero(seen))

    def collapse(self, mask: np.ndarray, score: np.ndarray | None, sort: str,
                 first: int, last: int, split_duplicates: bool = False) -> list[tuple[int, int]]:
        """Groups ``first`` to ``last`` (0-based, end excluded) in result order:
        (the group's first matching document, the document to show: the
        group's latest matching version). ``split_duplicates``: each
        republished copy is a row of its own."""
        groups, ranks = self.rows(split_duplicates), self.ranks
        matched = int(np.count_nonzero(mask))
        want = min(matched, 2 * last + 8)
        while True:
            docs = self.order(mask, score, sort, want)
            leads: dict[int, int] = {}
            for d in docs.tolist():
                leads.setdefault(int(groups[d]), d)
                if len(leads) == last:
                    break
            if len(leads) >= last or len(docs) >= matched:
                break
            want = min(matched, want * 4)
        chosen = []
        for g, lead in list(leads.items())[first:last]:
            members = self.group_members(g, split_duplicates)
            members = members[mask[members]]
            top = ranks[members].max()
            shown = lead if ranks[lead] == top else int(self.tie_order(members[ranks[members] == top])[0])
            chosen.append((lead, shown))
        return chosen


__all__ = ["IndexArrays", "SegmentArrays"]
