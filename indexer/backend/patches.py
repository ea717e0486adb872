"""Fixes to the pinned Whoosh release (whoosh-reloaded 2.7.5).

They are installed by :func:`install`, which the adapter calls where an
index is opened or created (:func:`indexer.backend.open_index_dir`,
:func:`indexer.backend.create_index_dir`), never on import; :func:`unpatched`
gives Whoosh's own code back for a while (tests compare against it).

Each fix names the problem it solves; each is checked by a test so that a
Whoosh upgrade that makes it unnecessary, or breaks it, is noticed.

1. ``W3PerDocReader._cached_reader`` caches the readers of length columns it
   finds but not the *absence* of one: for every posting of a field without
   lengths (ID, KEYWORD, our ``words``) it asks the file system again whether
   the column file exists. Writing a segment of 1,000 stories made ~300,000
   ``stat`` calls, a quarter of indexing time. The fix remembers misses.
2. ``SegmentWriter`` accepts a ``poolclass`` argument and ignores it, always
   using ``PostingPool``. The fix uses the class given (Dépêche passes
   :class:`indexer.index.pool.TermPool`); without the argument nothing changes.
3. Indexing runs a field's analyzer token by token through a chain of
   generators. For Dépêche's own analyzers (and only for them) the
   ``Positions`` and ``Existence`` formats take the field's terms from
   :func:`indexer.index.fastindex.fast_slots` instead, which caches the terms of
   each distinct raw word: the same terms, positions and weights (checked
   against the generic path by tests/test_fastindex.py).
4. ``SegmentWriter.add_document`` hands its pool one tuple per posting; with
   a pool that takes a field's postings at once (``TermPool.add_items``) the
   fix passes them per field, for Dépêche's analyzers straight from
   :func:`indexer.index.fastindex.field_items` (term bytes cached by raw
   word: the same postings as ``FieldType.index``, tests/test_fastindex.py).
   Documents with vectors or separate spelling fields take Whoosh's own code.
5. ``W3PostingsWriter.start_postings`` asks the postings file for its
   position (``tell``) at the start of every term; the fix asks when the
   term's first block is written (an inlined term writes none). It is kept
   because the files written are byte for byte the same
   (tests/test_pool.py) and is the path Whoosh's own writer takes where
   fix 7 does not apply.
6. ``W3PostingsWriter.finish_postings`` calls ``terminfo.set_inline``, a
   method ``W3TermInfo`` does not have (it has ``set_inlined``): a codec
   with ``inlinelimit`` above 1 crashes on the first rare term. The fix
   gives ``W3TermInfo`` the method it calls, so that rare terms can be
   inlined in the term index (Dépêche's codec: :func:`writer_codec`). The
   writer keeps only non-empty values: for a format without values
   (``Existence``) it would inline none, and Whoosh's ``ListMatcher`` then
   gives ``""`` for each posting (where a block gives ``None``, and which
   Whoosh's own merge refuses as not bytes); the method inlines ``None``
   for each instead.
7. ``SegmentWriter._flush_segment`` writes a segment's postings one by one
   through ``FieldWriter.add_postings``. With a pool that holds its postings
   by term (:class:`indexer.index.pool.TermPool`, and the merges of
   :mod:`indexer.index.merging`), the fix writes them term by term with
   :func:`indexer.backend.blockwriter.write_terms`: the same bytes, far
   fewer Python calls. Any other pool or codec takes Whoosh's own code.
"""

from __future__ import annotations

from contextlib import contextmanager

from whoosh import formats, writing
from whoosh.codec import whoosh3

from indexer.backend import blockwriter

#: Terms in fewer documents than this are inlined in the term index.
INLINE_LIMIT = 8


def writer_codec():
    """The codec Dépêche's writers use: Whoosh 3's, rare terms inlined."""
    return whoosh3.W3Codec(inlinelimit=INLINE_LIMIT)

_MISSING = object()


def _cached_reader(self, fieldname, column):
    cached = self._readers.get(fieldname, _MISSING)
    if cached is not _MISSING:
        return cached
    reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
    self._readers[fieldname] = reader
    return reader


_positions_word_values = formats.Positions.word_values
_existence_word_values = formats.Existence.word_values


def _positions_fast(self, value, analyzer, **kwargs):
    from indexer.index.fastindex import fast_slots

    texts = fast_slots(value, analyzer, kwargs)
    if texts is None:
        return _positions_word_values(self, value, analyzer, **kwargs)
    poses: dict[str, list[int]] = {}
    for pos, text in enumerate(texts):
        if text is None:  # a stop word's slot
            continue
        poslist = poses.get(text)
        if poslist is None:
            poses[text] = [pos]
        else:
            poslist.append(pos)
    fb = self.field_boost
    encode = self.encode
    return [(w, len(p), float(len(p)) * fb, encode(p)) for w, p in poses.items()]


def _existence_fast(self, value, analyzer, **kwargs):
    from indexer.index.fastindex import fast_texts

    texts = fast_texts(value, analyzer, kwargs)
    if texts is None:
        return _existence_word_values(self, value, analyzer, **kwargs)
    fb = self.field_boost
    return [(w, 1, fb, b"") for w in set(texts)]


_add_document = writing.SegmentWriter.add_document


def _add_document_by_field(self, **fields):
    from indexer.index.fastindex import field_items

    add_items = getattr(self.pool, "add_items", None)
    schema = self.schema
    fieldnames = sorted(name for name in fields if not name.startswith("_"))
    if add_items is None or any(
            name in schema and (schema[name].vector or schema[name].separate_spelling()) for name in fieldnames):
        return _add_document(self, **fields)
    self._check_state()
    perdocwriter = self.perdocwriter
    docnum = self.docnum
    docboost = self._doc_boost(fields)
    self._check_fields(schema, fieldnames)
    perdocwriter.start_doc(docnum)
    try:
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                items = field_items(field, value)
                if items is None:
                    items = field.index(value)
                length = add_items(fieldname, items, docnum, fieldboost)
                if not field.scorable:
                    length = 0
            customval = fields.get("_stored_%s" % fieldname, value)
            sv = customval if field.stored else None
            perdocwriter.add_field(fieldname, field, sv, length)
            column = field.column_type
            if column and customval is not None:
                cv = field.to_column_value(customval)
                perdocwriter.add_column_value(fieldname, column, cv)
    except Exception:
        perdocwriter.cancel_doc()
        raise
    perdocwriter.finish_doc()
    self._added = True
    self.docnum += 1


_start_postings = whoosh3.W3PostingsWriter.start_postings
_write_block = whoosh3.W3PostingsWriter._write_block


def _start_postings_lazy(self, format_, terminfo):
    if self._terminfo:
        raise Exception("Called start in a term")
    self._format = format_
    self._blockcount = 0
    self._new_block()
    self._terminfo = terminfo
    self._startoffset = None   # _write_block_at_start sets it


def _write_block_at_start(self, last=False):
    if self._startoffset is None:
        self._startoffset = self._postfile.tell()
    _write_block(self, last)


_segment_writer_init = writing.SegmentWriter.__init__


def _init_with_poolclass(self, ix, poolclass=None, *args, limitmb=128, **kwargs):
    _segment_writer_init(self, ix, None, *args, limitmb=limitmb, **kwargs)
    if poolclass is not None:
        self.pool = poolclass(self._tempstorage, self.newsegment, limitmb=limitmb)


def _set_inline(self, ids, weights, values):
    self._inlined = (tuple(ids), tuple(weights), tuple(values) if values else (None,) * len(ids))


_flush_segment = writing.SegmentWriter._flush_segment


def _flush_segment_by_term(self):
    term_sources = getattr(self.pool, "term_sources", None)
    if term_sources is None or not blockwriter.batched_writer_for(self.fieldwriter):
        return _flush_segment(self)
    self.perdocwriter.close()
    pdr = self.per_document_reader() if self.codec.length_stats else None
    try:
        blockwriter.write_terms(self.fieldwriter, self.schema, pdr, blockwriter.pool_terms(term_sources()))
        self.fieldwriter.close()
    finally:
        if pdr is not None:
            pdr.close()


#: The two flushes, for benchmarks comparing them: Whoosh's, and fix 7's.
whoosh_flush = _flush_segment
batched_flush = _flush_segment_by_term

#: (class, attribute, replacement): every method the fixes replace.
_REPLACED = (
    (whoosh3.W3PerDocReader, "_cached_reader", _cached_reader),
    (writing.SegmentWriter, "__init__", _init_with_poolclass),
    (writing.SegmentWriter, "add_document", _add_document_by_field),
    (whoosh3.W3PostingsWriter, "start_postings", _start_postings_lazy),
    (whoosh3.W3PostingsWriter, "_write_block", _write_block_at_start),
    (formats.Positions, "word_values", _positions_fast),
    (formats.Existence, "word_values", _existence_fast),
    (whoosh3.W3TermInfo, "set_inline", _set_inline),
    (writing.SegmentWriter, "_flush_segment", _flush_segment_by_term),
)
_ORIGINALS = {(cls, name): cls.__dict__.get(name, _MISSING) for cls, name, _ in _REPLACED}


def install() -> None:
    """Put the fixes in place (idempotent)."""
    for cls, name, fix in _REPLACED:
        setattr(cls, name, fix)


def uninstall() -> None:
    """Give Whoosh its own methods back."""
    for (cls, name), original in _ORIGINALS.items():
        if original is _MISSING:
            if name in cls.__dict__:
                delattr(cls, name)
        else:
            setattr(cls, name, original)


def installed() -> bool:
    return all(cls.__dict__.get(name) is fix for cls, name, fix in _REPLACED)


@contextmanager
def unpatched():
    """Whoosh's own code for the duration of the block (then as before)."""
    was = installed()
    uninstall()
    try:
        yield
    finally:
        if was:
            install()


__all__ = ["INLINE_LIMIT", "batched_flush", "install", "installed", "uninstall", "unpatched", "whoosh_flush", "writer_codec"]
