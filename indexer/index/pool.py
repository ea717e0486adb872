"""A compact posting pool for Whoosh writers: postings grouped by term.

Whoosh's ``PostingPool`` keeps every posting as a tuple ``(field, term,
docnum, weight, value)`` (about 250 bytes each in CPython) and, past
``limitmb``, sorts them and pickles them *one by one* to a run file, to read
them back one by one when the segment is written. Profiled on an 8,000-story
build, writing and reading those runs took about 40% of all CPU time.

:class:`TermPool` keeps, for each (field, term), the lists of its document
numbers, weights and values: a posting costs a few list slots (the document
number object is shared by all postings of a document; the term bytes are
kept once). It holds about three times more postings in the same memory,
so a batch of 2,500 stories per writer never spills; when it must, it
writes its terms in order, a few thousand terms per pickle, and merges the
runs term by term. The postings come out in Whoosh's order: field, term,
document number.

Used through ``ix.writer(poolclass=TermPool)`` (made effective by
:mod:`indexer.backend.patches`: Whoosh accepts ``poolclass`` and ignores it).
"""

from __future__ import annotations

import heapq
import pickle
import sys

from whoosh.util import random_name

from indexer.index import meter

#: Terms per pickled chunk of a run file.
CHUNK_TERMS = 4096
#: Postings written between two counts on the commit's meter.
METER_POSTINGS = 8192
# CPython sizes, for the memory limit (measured: 2,500 stories took 194 MB
# of RSS for an estimate of 195 MB).
_TERM_BYTES = 650         # key tuple, three lists, two dict slots (~50 bytes each), term bytes object
_POSTING_BYTES = 72       # three list slots (with over-allocation), a float
_VALUE_BYTES = 56         # a bytes object, its header rounded up


class TermPool:
    """A Whoosh posting pool (``add``, ``iter_postings``, ``cleanup``, ``fieldnames``)."""

    def __init__(self, tempstore, segment, limitmb=128, **kwargs):
        self.tempstore = tempstore
        self.segment = segment
        self.limit = limitmb * 1024 * 1024
        self.fieldnames: set[str] = set()
        self.terms: dict[tuple[str, bytes], tuple[list, list, list]] = {}
        # The same entries by field, then term: a posting's lookup needs no key tuple.
        self._by_field: dict[str, dict[bytes, tuple[list, list, list]]] = {}
        self.size = 0
        self.runs: list[str] = []
        self.postings = 0          # postings added (in memory and in runs)
        self._last_doc = None      # the document whose postings came last (for the meter)

    def add(self, item):
        fieldname, tbytes, docnum, weight, vbytes = item
        byterm = self._by_field.get(fieldname)
        if byterm is None:
            byterm = self._by_field[fieldname] = {}
        entry = byterm.get(tbytes)
        if entry is None:
            entry = byterm[tbytes] = self.terms[(fieldname, tbytes)] = ([], [], [])
            self.fieldnames.add(fieldname)
            self.size += _TERM_BYTES + len(tbytes)
        entry[0].append(docnum)
        entry[1].append(weight)
        entry[2].append(vbytes)
        self.postings += 1
        self.size += _POSTING_BYTES + (len(vbytes) + _VALUE_BYTES if vbytes else 0)
        if self.size > self.limit:
            self.save()

    def add_items(self, fieldname, items, docnum, boost):
        """Add the postings of one field of one document, ``items`` as
        ``FieldType.index`` gives them: (term bytes, freq, weight, value).
        Returns the sum of the frequencies (the field's length)."""
        terms = self.terms
        byterm = self._by_field.get(fieldname)
        if byterm is None:
            byterm = self._by_field[fieldname] = {}
        size = 0        # new terms' bytes
        values = 0      # value bytes
        valued = 0      # postings with a value
        length = 0
        count = 0
        if docnum != self._last_doc:
            self._last_doc = docnum
            if meter.CURRENT is not None:
                meter.CURRENT.add_stories()
        for tbytes, freq, weight, vbytes in items:
            length += freq
            count += 1
            entry = byterm.get(tbytes)
            if entry is None:
                byterm[tbytes] = terms[(fieldname, tbytes)] = ([docnum], [weight * boost], [vbytes])
                size += _TERM_BYTES + len(tbytes)
            else:
                docs, weights, vals = entry
                docs.append(docnum)
                weights.append(weight * boost)
                vals.append(vbytes)
            if vbytes:
                values += len(vbytes)
                valued += 1
        size += count * _POSTING_BYTES + values + valued * _VALUE_BYTES
        self.postings += count
        if size:
            self.fieldnames.add(fieldname)
            self.size += size
            if self.size > self.limit:
                self.save()
        return length

    def save(self):
        """Write the terms held in memory to a new run file, in order."""
        if not self.terms:
            return
        terms, self.terms, self.size = self.terms, {}, 0
        self._by_field = {}
        name = "%s.trun" % random_name()
        with self.tempstore.create_file(name).raw_file() as f:
            chunk = []
            for key in sorted(terms):
                chunk.append((key, *terms.pop(key)))
                if len(chunk) >= CHUNK_TERMS:
                    pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
                    chunk = []
            if chunk:
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        self.runs.append(name)

    def _read_run(self, name, order):
        with self.tempstore.open_file(name).raw_file() as f:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    break
                for key, docs, weights, values in chunk:
                    yield key, order, docs, weights, values
        self.tempstore.delete_file(name)

    def _memory_terms(self, order):
        terms = self.terms
        for key in sorted(terms):
            docs, weights, values = terms.pop(key)
            yield key, order, docs, weights, values

    def term_sources(self) -> list:
        """The pool's terms, as sources of ``((field, term), order, documents,
        weights, values)`` in term order (one per run file, then the terms
        in memory), for :func:`indexer.backend.blockwriter.pool_terms`; the
        pool is emptied as they are read."""
        # Runs are in the order they were written, the terms still in
        # memory last: for one term, document numbers come in order.
        sources = self._sources()
        counter = meter.CURRENT
        if counter is None:
            return sources
        counter.add_postings_total(self.postings)
        return [_metered(source, counter) for source in sources]

    def _sources(self) -> list:
        sources = [self._read_run(name, i) for i, name in enumerate(self.runs)]
        sources.append(self._memory_terms(len(sources)))
        self.runs = []
        self._by_field = {}   # the terms in memory are read (and popped) from self.terms
        return sources

    def iter_postings(self):
        """All postings, sorted by (field, term, docnum), as Whoosh tuples."""
        sources = self._sources()
        entries = sources[0] if len(sources) == 1 else heapq.merge(*sources)
        counter = meter.CURRENT
        if counter is not None:
            counter.add_postings_total(self.postings)
        done = 0
        for (fieldname, tbytes), _, docs, weights, values in entries:
            for docnum, weight, vbytes in zip(docs, weights, values):
                yield fieldname, tbytes, docnum, weight, vbytes
            if counter is not None:
                done += len(docs)
                if done >= METER_POSTINGS:
                    counter.add_postings_done(done)
                    done = 0
        if counter is not None and done:
            counter.add_postings_done(done)

    def cleanup(self):
        for name in self.runs:
            try:
                self.tempstore.delete_file(name)
            except OSError:
                pass
        self.runs = []
        self.terms = {}
        self._by_field = {}

    def __sizeof__(self):  # pragma: no cover - for debugging memory
        return sys.getsizeof(self.terms) + self.size


def _metered(source, counter):
    """A term source counting its postings on the commit's meter as they go."""
    done = 0
    for entry in source:
        yield entry
        done += len(entry[2])
        if done >= METER_POSTINGS:
            counter.add_postings_done(done)
            done = 0
    if done:
        counter.add_postings_done(done)


__all__ = ["TermPool"]
